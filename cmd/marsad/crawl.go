package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/marsad/marsad/internal/app"
	"github.com/marsad/marsad/internal/jobs"
	"github.com/marsad/marsad/internal/news"
)

func runCrawl(ctx context.Context, c cmd) error {
	if !c.cfg.Once {
		return errors.New("crawl needs --once (one full pass); marsad serve crawls continuously")
	}
	var srcs []news.Source
	var err error
	if c.cfg.Sources != "" {
		if srcs, err = readSourceFile(c.cfg.Sources); err != nil {
			return err
		}
		if _, err := upsertSources(ctx, c, srcs); err != nil {
			return err
		}
	} else if srcs, err = c.app.Store.Sources(ctx); err != nil {
		return err
	}
	if len(srcs) == 0 {
		return errors.New("no sources: add some with 'marsad sources add URL' or 'marsad sources import --defaults', or pass --sources FILE")
	}
	start := time.Now()
	cr, err := c.app.NewCrawler(app.CrawlOptions{Once: true})
	if err != nil {
		return err
	}
	if err := cr.Start(ctx); err != nil {
		return err
	}
	feeds, err := cr.EnqueueSources(ctx, srcs)
	if err != nil {
		cr.Stop(ctx)
		return err
	}
	bar := newProgress(c.stderr, c.stderrTTY, start)
	bar.label, bar.unit = "crawl", "pages"
	waitErr := cr.Wait(ctx, 250*time.Millisecond, func(s jobs.Stats, pending int) {
		done := s.Pages + s.Skipped + s.Disallowed
		bar.update(done, max(s.ArticlesQueued, done+int64(pending)), int(s.Pages), int(s.PagesFailed+s.SourcesFailed))
	})
	bar.finish()
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := cr.Stop(stopCtx); err != nil && waitErr == nil {
		waitErr = err
	}
	if waitErr != nil {
		return fmt.Errorf("crawl interrupted (run it again to resume): %w", waitErr)
	}
	return crawlSummary(ctx, c, srcs, feeds, cr.Stats(), time.Since(start))
}

type sourceFailure struct {
	Source string `json:"source"`
	Error  string `json:"error"`
}

func crawlSummary(ctx context.Context, c cmd, srcs []news.Source, feeds int, s jobs.Stats, took time.Duration) error {
	var failed []sourceFailure
	for _, src := range srcs {
		got, err := c.app.Store.Source(ctx, src.ID)
		if err != nil {
			return err
		}
		if !got.Status.Healthy() {
			failed = append(failed, sourceFailure{got.ID, got.Status.LastError})
		}
	}
	rate := float64(s.Pages) / max(took.Seconds(), 1e-9)
	if c.cfg.JSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetEscapeHTML(false)
		if failed == nil {
			failed = []sourceFailure{}
		}
		if err := enc.Encode(map[string]any{
			"sources": len(srcs), "sources_ok": len(srcs) - len(failed), "sources_failed": len(failed), "feeds": feeds,
			"feeds_not_modified": s.Feeds304, "articles_queued": s.ArticlesQueued, "pages": s.Pages,
			"articles_new": s.ArticlesNew, "articles_updated": s.ArticlesUpd, "articles_unchanged": s.ArticlesSame,
			"already_stored": s.Skipped, "pages_failed": s.PagesFailed, "disallowed": s.Disallowed, "bytes": s.Bytes,
			"seconds": took.Seconds(), "pages_per_second": rate, "failures": failed,
		}); err != nil {
			return err
		}
	} else {
		for _, f := range failed {
			fmt.Fprintf(c.stderr, "marsad crawl: source %s failed: %s\n", f.Source, f.Error)
		}
		fmt.Fprintf(c.stdout, "crawled %d sources (%d ok, %d failed) in %s: %d pages (%.1f pages/s), %d new and %d updated articles, %d feeds not modified (304), %.1f MB\n",
			len(srcs), len(srcs)-len(failed), len(failed), took.Round(time.Millisecond), s.Pages, rate, s.ArticlesNew,
			s.ArticlesUpd, s.Feeds304, float64(s.Bytes)/(1<<20))
	}
	if len(failed) == len(srcs) {
		return fmt.Errorf("every source failed (%d)", len(failed))
	}
	return nil
}
