package index

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/urlnorm"
)

// DocOf is what the index keeps of a stored article with its analysed text.
func DocOf(a news.Article, title, body []string) Doc {
	key, err := urlnorm.Key(a.URL)
	if err != nil {
		key = a.URL // stored articles always have a key; keep ties stable anyway
	}
	return Doc{ID: a.ID, Group: a.OriginalID, Source: a.SourceID, Time: a.When().Unix(), URLKey: key, Title: title, Body: body}
}

// Ready reports whether Build has finished: until then the index misses
// articles and searches must use the store.
func (ix *Index) Ready() bool { return ix.ready.Load() }

// Build indexes every stored article, analysing titles and bodies with an
// on all cores (the same analysis the store's terms came from), and marks
// the index ready. Articles the pipeline stage added meanwhile are newer
// than what the scan reads, so they are kept.
func Build(ctx context.Context, st store.Store, an *arabic.Analyzer, ix *Index, log *slog.Logger) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	start := time.Now()
	ix.building.Store(true)
	workers := max(1, runtime.GOMAXPROCS(0))
	in := make(chan []news.Article, workers)
	out := make(chan []Doc, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for batch := range in {
				docs := make([]Doc, len(batch))
				for i, a := range batch {
					docs[i] = DocOf(a, an.Terms(nil, a.Title), an.Terms(nil, a.Text))
				}
				out <- docs
			}
		}()
	}
	// Batches may arrive out of ID order; ordinals then are not in ID
	// order, which nothing relies on.
	done := make(chan struct{})
	go func() {
		for docs := range out {
			ix.AddNew(docs...)
		}
		close(done)
	}()
	const batchSize = 256
	var batch []news.Article
	err := st.ScanArticles(ctx, func(a news.Article) error {
		a.HTML = "" // not needed; let it go with the row
		batch = append(batch, a)
		if len(batch) == batchSize {
			select {
			case in <- batch:
			case <-ctx.Done():
				return ctx.Err()
			}
			batch = nil
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		in <- batch
	}
	close(in)
	wg.Wait()
	close(out)
	<-done
	if err != nil {
		return fmt.Errorf("index: build: %w", err)
	}
	ix.Compact()
	ix.ready.Store(true)
	log.Info("search index ready", "articles", ix.Len(), "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// Compact trims the postings' spare capacity (append doubles it), which
// after a build is a third of the index's memory.
func (ix *Index) Compact() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, p := range ix.terms {
		if cap(p.docs) > len(p.docs)+len(p.docs)/16 {
			p.docs = append([]byte(nil), p.docs...)
		}
		if cap(p.pos) > len(p.pos)+len(p.pos)/16 {
			p.pos = append([]byte(nil), p.pos...)
		}
	}
}

// Stage keeps the index current with the pipeline: it runs after the
// store (and after copy detection, which sets each document's group), and
// indexes what was created or changed. It does nothing until Build has
// started, so a process that never searches from memory (import) pays
// nothing.
type Stage struct {
	Index *Index
	Store store.Store
}

// Name implements ingest.Stage.
func (s Stage) Name() string { return "search index" }

// Process implements ingest.Stage.
func (s Stage) Process(ctx context.Context, docs []store.ArticleDoc, res []store.Upserted) error {
	if !s.Index.building.Load() {
		return nil
	}
	var add []Doc
	for i, d := range docs {
		a := d.Article
		a.ID = res[i].ID
		if !res[i].Created && !res[i].Changed {
			g := a.OriginalID
			if g == 0 {
				g = a.ID
			}
			s.Index.SetGroup(a.ID, g)
			continue
		}
		if a.Published.IsZero() {
			// The store decides the sort time (first fetch, kept across
			// updates): read it back.
			stored, err := s.Store.Article(ctx, a.ID)
			if err != nil {
				return fmt.Errorf("index: %w", err)
			}
			stored.OriginalID = a.OriginalID
			a = stored
		}
		add = append(add, DocOf(a, d.TitleTerms, d.BodyTerms))
	}
	s.Index.Add(add...)
	return nil
}
