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

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/parallel"
	"github.com/marsad/marsad/internal/store"
)

// Pipeline analyses and stores articles.
type Pipeline struct {
	store    store.Store
	analyzer *arabic.Analyzer
	log      *slog.Logger
	stages   []Stage
}

// Stage is a step that runs after a batch is stored (copy detection, story
// clustering, …), in the order the stages were added. It sees the analysed
// documents and what the store did with each; docs[i].Article.ID is set.
// Stages must be safe for concurrent batches (the crawl ingests from
// several workers, and several processes may share one store).
type Stage interface {
	// Name identifies the stage in errors and logs.
	Name() string
	Process(ctx context.Context, docs []store.ArticleDoc, res []store.Upserted) error
}

// Preparer is a Stage with per-article work that needs nothing from the
// store (copy detection's fingerprints): the pipeline runs Prepare while
// it analyses a batch — on every core, and on a bulk import on the cores
// the previous batch's store leaves — and hands its result to
// ProcessPrepared instead of calling Process. Prepare sees the documents
// before they are stored (Article.ID is 0) and uses at most workers
// goroutines.
type Preparer interface {
	Stage
	Prepare(docs []store.ArticleDoc, workers int) any
	ProcessPrepared(ctx context.Context, docs []store.ArticleDoc, res []store.Upserted, prepared any) error
}

// Trailer is a Stage that may run while the pipeline stores the next
// batch (a bulk import overlaps them: story clustering of one batch with
// the article writes and copy detection of the next). ProcessBehind is
// Process for that case: it must leave alone articles stored after the
// batch (IDs above the batch's highest), which it sees with their own
// batch, in order.
type Trailer interface {
	Stage
	ProcessBehind(ctx context.Context, docs []store.ArticleDoc, res []store.Upserted) error
}

// analysed is a batch ready to store: its documents and, per stage, what
// its Prepare returned (nil for other stages).
type analysed struct {
	docs     []store.ArticleDoc
	prepared []any
}

// New returns a pipeline writing to s, running stages after each batch.
func New(s store.Store, a *arabic.Analyzer, log *slog.Logger, stages ...Stage) *Pipeline {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Pipeline{store: s, analyzer: a, log: log, stages: stages}
}

// AddStage appends a stage run after every stored batch.
func (p *Pipeline) AddStage(s Stage) { p.stages = append(p.stages, s) }

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
	return p.store1(ctx, p.analyse(batch, runtime.GOMAXPROCS(0)), len(p.stages))
}

// analyse turns a batch into documents and runs the stages' Prepare, on
// workers goroutines.
func (p *Pipeline) analyse(batch []news.Article, workers int) analysed {
	b := analysed{docs: p.documents(batch, workers), prepared: make([]any, len(p.stages))}
	for i, s := range p.stages {
		if pr, ok := s.(Preparer); ok {
			b.prepared[i] = pr.Prepare(b.docs, workers)
		}
	}
	return b
}

// documents turns a batch into documents on workers goroutines.
func (p *Pipeline) documents(batch []news.Article, workers int) []store.ArticleDoc {
	docs := make([]store.ArticleDoc, len(batch))
	parallel.For(len(batch), workers, func(i int) { docs[i] = p.Document(batch[i]) })
	return docs
}

// store1 stores analysed documents in one transaction and runs the first
// n stages (all but the trailing ones on a bulk import).
func (p *Pipeline) store1(ctx context.Context, b analysed, n int) ([]store.Upserted, Stats, error) {
	docs := b.docs
	// One batch's statements run without the context's cancellation
	// (drivers watch a cancellable context with a goroutine per
	// statement); a cancelled import stops after the batch.
	if err := ctx.Err(); err != nil {
		return nil, Stats{}, fmt.Errorf("ingest: %w", err)
	}
	res, err := p.store.UpsertArticles(context.WithoutCancel(ctx), docs)
	if err != nil {
		return nil, Stats{}, fmt.Errorf("ingest: %w", err)
	}
	for i := range docs {
		docs[i].Article.ID = res[i].ID
	}
	// The batch is committed: a failing stage is reported but loses
	// nothing, and re-ingesting the batch runs the stage again.
	for i, s := range p.stages[:n] {
		var err error
		if pr, ok := s.(Preparer); ok && i < len(b.prepared) && b.prepared[i] != nil {
			err = pr.ProcessPrepared(ctx, docs, res, b.prepared[i])
		} else {
			err = s.Process(ctx, docs, res)
		}
		if err != nil {
			return res, Stats{}, fmt.Errorf("ingest: stage %s: %w", s.Name(), err)
		}
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

// trailing is the index of the first of the stages that may run behind
// the next batch's store: the longest run of Trailers at the end.
func (p *Pipeline) trailing() int {
	k := len(p.stages)
	for k > 0 {
		if _, ok := p.stages[k-1].(Trailer); !ok {
			break
		}
		k--
	}
	return k
}

// behind runs the stages from k on, as Trailers, for a stored batch.
func (p *Pipeline) behind(ctx context.Context, docs []store.ArticleDoc, res []store.Upserted, k int) error {
	for _, s := range p.stages[k:] {
		if err := s.(Trailer).ProcessBehind(ctx, docs, res); err != nil {
			return fmt.Errorf("ingest: stage %s: %w", s.Name(), err)
		}
	}
	return nil
}

// Document analyses one article into what the store indexes.
func (p *Pipeline) Document(a news.Article) store.ArticleDoc {
	return store.ArticleDoc{
		Article:    a,
		TitleTerms: p.analyzer.Terms(nil, a.Title),
		BodyTerms:  p.analyzer.Terms(nil, a.Text),
	}
}
