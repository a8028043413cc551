package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
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
		res   ImportResult
		read  int64 // bytes of files already finished
		batch = make([]news.Article, 0, opt.BatchSize)
	)
	for _, path := range paths {
		cr, closeFn, err := openCounting(path, opt.Stdin)
		if err != nil {
			return res, fmt.Errorf("import: %w", err)
		}
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			_, st, err := p.Ingest(ctx, batch)
			if err != nil {
				return err
			}
			res.Stats.Add(st)
			batch = batch[:0]
			if opt.OnProgress != nil {
				opt.OnProgress(Progress{BytesRead: read + cr.n, BytesTotal: total, Articles: res.Articles, Bad: res.Bad, Stats: res.Stats})
			}
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
		read += cr.n
		closeFn()
		if err != nil {
			return res, fmt.Errorf("import %s: %w", path, err)
		}
		res.Files++
	}
	return res, nil
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
