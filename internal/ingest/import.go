package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/marsad/marsad/internal/news"
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
		// One batch is stored (store and stages, one writer) while the
		// next is read and analysed (every core): on a bulk import the
		// two take similar time, so overlapping them nearly halves it.
		inflight *storing
		// The trailing stages (story clustering) of a stored batch run
		// on their own goroutine while the next batch is stored.
		k  = p.trailing()
		tr *trail
	)
	// wait finishes the batch being stored and reports it (on this
	// goroutine, like OnBadLine).
	wait := func() error {
		if inflight == nil {
			return nil
		}
		err := <-inflight.done
		pr := inflight.progress
		inflight = nil
		if err != nil {
			return err
		}
		if err := tr.failed(); err != nil {
			return err
		}
		res.Stats.Add(pr.Stats)
		if opt.OnProgress != nil {
			pr.Stats = res.Stats
			opt.OnProgress(pr)
		}
		return nil
	}
	for _, path := range paths {
		cr, closeFn, err := openCounting(path, opt.Stdin)
		if err != nil {
			return res, errors.Join(fmt.Errorf("import: %w", err), wait())
		}
		batch := make([]news.Article, 0, opt.BatchSize)
		tr = newTrail()
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			ab := p.analyse(batch)
			batch = make([]news.Article, 0, opt.BatchSize)
			if err := wait(); err != nil {
				return err
			}
			inflight = &storing{done: make(chan error, 1),
				progress: Progress{BytesRead: read + cr.n, BytesTotal: total, Articles: res.Articles, Bad: res.Bad}}
			go func(s *storing) {
				res, st, err := p.store1(ctx, ab, k)
				if err == nil && k < len(p.stages) {
					tr.push(func() error { return p.behind(ctx, ab.docs, res, k) })
				}
				s.progress.Stats = st
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
		// The last batch of a file is stored before the next file is
		// opened, so an error names the file it came from.
		if err == nil {
			err = wait()
		} else {
			err = errors.Join(err, wait())
		}
		if terr := tr.close(); err == nil {
			err = terr
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

// trail runs jobs (stored batches' trailing stages) in order on one
// goroutine; after a job fails the rest are skipped. At most one job
// waits, so a slow trail holds the store back instead of piling batches
// up in memory.
type trail struct {
	jobs chan func() error
	done chan struct{}
	mu   sync.Mutex
	err  error
}

func newTrail() *trail {
	t := &trail{jobs: make(chan func() error, 1), done: make(chan struct{})}
	go func() {
		defer close(t.done)
		for job := range t.jobs {
			if t.failed() != nil {
				continue
			}
			if err := job(); err != nil {
				t.mu.Lock()
				t.err = err
				t.mu.Unlock()
			}
		}
	}()
	return t
}

func (t *trail) push(job func() error) { t.jobs <- job }

// failed returns the first job's error, if any has failed yet.
func (t *trail) failed() error {
	if t == nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err
}

// close waits for the jobs pushed and returns the first error.
func (t *trail) close() error {
	close(t.jobs)
	<-t.done
	return t.failed()
}

// storing is a batch being stored in the background.
type storing struct {
	done     chan error
	progress Progress // Stats: the batch's own
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
