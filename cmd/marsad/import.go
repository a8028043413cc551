package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/marsad/marsad/internal/ingest"
)

// maxBadLinesShown bounds per-line error output; the summary counts all.
const maxBadLinesShown = 50

func runImport(ctx context.Context, c cmd) error {
	if len(c.args) == 0 {
		return errUsage
	}
	start := time.Now()
	bar := newProgress(c.stderr, c.stderrTTY, start)
	shown := 0
	res, err := c.app.Import(ctx, c.args, ingest.ImportOptions{
		Location: c.cfg.TZ,
		Stdin:    c.stdin,
		OnBadLine: func(file string, line int, err error) {
			if shown < maxBadLinesShown {
				bar.println(fmt.Sprintf("marsad import: %s:%d: skipped: %v", file, line, err))
			}
			shown++
		},
		OnProgress: func(p ingest.Progress) {
			bar.update(p.BytesRead, p.BytesTotal, p.Articles, p.Bad)
		},
	})
	bar.finish()
	if shown > maxBadLinesShown {
		fmt.Fprintf(c.stderr, "marsad import: … and %d more bad lines\n", shown-maxBadLinesShown)
	}
	if err != nil {
		return err
	}
	took := time.Since(start)
	rate := float64(res.Articles) / max(took.Seconds(), 1e-9)
	size := dbSize(c.cfg.DB)
	if c.cfg.JSON {
		enc := json.NewEncoder(c.stdout)
		return enc.Encode(map[string]any{
			"files": res.Files, "articles": res.Articles, "new": res.New, "updated": res.Updated,
			"unchanged": res.Unchanged, "bad_lines": res.Bad, "seconds": took.Seconds(),
			"articles_per_second": rate, "db_bytes": size,
		})
	}
	fmt.Fprintf(c.stdout, "imported %d articles from %d file(s) in %s (%.0f articles/s): %d new, %d updated, %d unchanged, %d bad lines\n",
		res.Articles, res.Files, took.Round(time.Millisecond), rate, res.New, res.Updated, res.Unchanged, res.Bad)
	if size > 0 {
		fmt.Fprintf(c.stdout, "database %s: %.1f MB\n", c.cfg.DB, float64(size)/(1<<20))
	}
	return nil
}

// dbSize is the SQLite file's size with its WAL; 0 for other stores.
func dbSize(path string) int64 {
	var n int64
	for _, p := range []string{path, path + "-wal"} {
		if fi, err := os.Stat(p); err == nil {
			n += fi.Size()
		}
	}
	return n
}
