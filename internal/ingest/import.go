package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
)

// ImportOptions configure ImportFiles.
type ImportOptions struct {
	// Location reads zone-less times; UTC when nil.
	Location *time.Location
	// BatchSize is the number of articles stored per transaction.
	BatchSize int
	// OnBadLine is told about each rejected line; the import goes on.
	OnBadLine func(file string, line int, err error)
	// OnProgress is called after each stored batch.
	OnProgress func(Progress)
	// Stdin is read for the path "-"; os.Stdin when nil.
	Stdin io.Reader
}

// Progress reports an import under way.
type Progress struct {
	BytesRead, BytesTotal int64 // raw (possibly compressed) bytes over all files
	Articles              int   // lines accepted so far
	Bad                   int
	Stats
}

// ImportResult sums an import.
type ImportResult struct {
	Files    int
	Articles int // accepted lines (an article repeated in the input counts each time)
	Bad      int
	Stats
}

// ImportFiles reads import-line files ("-" is standard input) and ingests
// them in batches. A file that cannot be opened is an error, but files
// already read stay imported.
func (p *Pipeline) ImportFiles(ctx context.Context, paths []string, opt ImportOptions) (ImportResult, error) {
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = 500
	}
	var total int64
	for _, path := range paths {
		if path == "-" {
			continue
		}
		fi, err := os.Stat(path)
		if err != nil {
			return ImportResult{}, fmt.Errorf("import: %w", err)
		}
		total += fi.Size()
	}
	var (
		res  ImportResult
		read int64 // bytes of files already finished
		// One batch is stored (store and stages: one writer, one core)
		// while this goroutine reads and analyses the next on the other
		// cores, and runs the trailing stages (story clustering) of the
		// batch stored before. Giving the store a core of its own matters:
		// it is the longer of the two, and a third runnable goroutine
		// would take a share of its core.
		inflight *storing
		k        = p.trailing()
		workers  = max(1, runtime.GOMAXPROCS(0)-1)
		// behind holds the trailing stages' work for stored batches, in
		// order.
		behind []func() error
	)
	// wait finishes the batch being stored and reports it (on this
	// goroutine, like OnBadLine); its trailing stages are left in behind.
	wait := func() error {
		if inflight == nil {
			return nil
		}
		err := <-inflight.done
		s := inflight
		inflight = nil
		if err != nil {
			return err
		}
		if k < len(p.stages) {
			behind = append(behind, func() error { return p.behind(ctx, s.docs, s.res, k) })
		}
		res.Stats.Add(s.progress.Stats)
		if opt.OnProgress != nil {
			pr := s.progress
			pr.Stats = res.Stats
			opt.OnProgress(pr)
		}
		return nil
	}
	// trail runs the trailing stages left by wait.
	trail := func() error {
		for len(behind) > 0 {
			fn := behind[0]
			behind = behind[1:]
			if err := fn(); err != nil {
				behind = nil // as after any failure, later stages do not run
				return err
			}
		}
		return nil
	}
	for _, path := range paths {
		cr, closeFn, err := openCounting(path, opt.Stdin)
		if err != nil {
			return res, errors.Join(fmt.Errorf("import: %w", err), wait(), trail())
		}
		batch := make([]news.Article, 0, opt.BatchSize)
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			ab := p.analyse(batch, workers)
			batch = make([]news.Article, 0, opt.BatchSize)
			// The trailing stages of the batch stored before the one in
			// flight run while it is stored (ProcessBehind leaves later
			// batches' articles alone), after this batch's analysis: their
			// writes may wait for the store's transaction, and the
			// analysis must not.
			if err := trail(); err != nil {
				return errors.Join(err, wait())
			}
			if err := wait(); err != nil {
				return err
			}
			inflight = &storing{done: make(chan error, 1), docs: ab.docs,
				progress: Progress{BytesRead: read + cr.n, BytesTotal: total, Articles: res.Articles, Bad: res.Bad}}
			go func(s *storing) {
				var err error
				s.res, s.progress.Stats, err = p.store1(ctx, ab, k)
				s.done <- err
			}(inflight)
			return nil
		}
		err = ReadLines(ctx, cr, opt.Location, func(it Item) error {
			if it.Err != nil {
				res.Bad++
				if opt.OnBadLine != nil {
					opt.OnBadLine(path, it.Line, it.Err)
				}
				return nil
			}
			res.Articles++
			batch = append(batch, it.Article)
			if len(batch) >= opt.BatchSize {
				return flush()
			}
			return nil
		})
		if err == nil {
			err = flush()
		}
		// The last batch of a file is stored, and its trailing stages
		// run, before the next file is opened, so an error names the
		// file it came from.
		if err == nil {
			err = trail()
		}
		if err == nil {
			err = wait()
		} else {
			err = errors.Join(err, wait())
		}
		if err == nil {
			err = trail()
		} else {
			behind = nil // as after any failure, later stages do not run
		}
		read += cr.n
		closeFn()
		if err != nil {
			return res, fmt.Errorf("import %s: %w", path, err)
		}
		res.Files++
	}
	return res, nil
}

// storing is a batch being stored in the background.
type storing struct {
	done     chan error
	docs     []store.ArticleDoc
	res      []store.Upserted // set before done
	progress Progress         // Stats: the batch's own
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

func openCounting(path string, stdin io.Reader) (*countingReader, func(), error) {
	if path == "-" {
		if stdin == nil {
			stdin = os.Stdin
		}
		return &countingReader{r: stdin}, func() {}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil, fmt.Errorf("%s: no such file", path)
		}
		return nil, nil, err
	}
	return &countingReader{r: f}, func() { f.Close() }, nil
}
