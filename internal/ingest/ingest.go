// Package ingest is the shared tail of marsad's pipeline: articles, however
// they arrive (bulk import or crawl), are analysed and stored here, so both
// paths index, deduplicate and cluster the same way. It also reads and
// writes the import-line format.
package ingest

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"sync"

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
)

// Pipeline analyses and stores articles.
type Pipeline struct {
	store    store.Store
	analyzer *arabic.Analyzer
	log      *slog.Logger
}

// New returns a pipeline writing to s.
func New(s store.Store, a *arabic.Analyzer, log *slog.Logger) *Pipeline {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Pipeline{store: s, analyzer: a, log: log}
}

// Stats counts what Ingest did.
type Stats struct {
	New, Updated, Unchanged int
}

// Add accumulates o into s.
func (s *Stats) Add(o Stats) {
	s.New += o.New
	s.Updated += o.Updated
	s.Unchanged += o.Unchanged
}

// Ingest analyses a batch (in parallel) and stores it in one transaction.
func (p *Pipeline) Ingest(ctx context.Context, batch []news.Article) ([]store.Upserted, Stats, error) {
	docs := make([]store.ArticleDoc, len(batch))
	workers := min(runtime.GOMAXPROCS(0), len(batch))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(batch); i += workers {
				docs[i] = p.Document(batch[i])
			}
		})
	}
	wg.Wait()
	res, err := p.store.UpsertArticles(ctx, docs)
	if err != nil {
		return nil, Stats{}, fmt.Errorf("ingest: %w", err)
	}
	var st Stats
	for _, r := range res {
		switch {
		case r.Created:
			st.New++
		case r.Changed:
			st.Updated++
		default:
			st.Unchanged++
		}
	}
	return res, st, nil
}

// Document analyses one article into what the store indexes.
func (p *Pipeline) Document(a news.Article) store.ArticleDoc {
	return store.ArticleDoc{
		Article:    a,
		TitleTerms: p.analyzer.Terms(nil, a.Title),
		BodyTerms:  p.analyzer.Terms(nil, a.Text),
	}
}
