// Package stories runs story clustering and related reading over the store:
// an ingest stage that clusters every stored batch (internal/cluster) and
// saves the stories, and the related-reading queries of the UI, API and
// CLI. The clustering state lives in memory and is rebuilt from the store
// on start, replaying the articles in ID (arrival) order so that the state
// is the one the running process had.
//
// Several processes (PostgreSQL scale-out) each keep their own state: before
// each batch a process replays the articles other processes stored since
// its last look (ArticleStories after its highest known ID), so they agree
// on the stories of everything committed before the batch. Two processes
// clustering batches at the same instant do not see each other's batch: an
// event arriving in both may start two stories, which are not merged until
// a later article bridges them. Saves are serialised by the store.
package stories

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/cluster"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
)

// ErrLoading: the clustering state is still being rebuilt from the store.
var ErrLoading = errors.New("stories: still loading")

// Options configure New.
type Options struct {
	Store    store.Store
	Analyzer *arabic.Analyzer
	Log      *slog.Logger
	// Config is the clustering configuration; zero fields take
	// cluster.Default.
	Config cluster.Config
	// Now dates articles without a publication time; time.Now when nil.
	Now func() time.Time
}

// Service is the clustering stage and the related-reading service.
type Service struct {
	st  store.Store
	an  *arabic.Analyzer
	log *slog.Logger
	now func() time.Time

	// mu serialises loading, catching up and clustering batches.
	mu     sync.Mutex
	eng    *cluster.Engine
	loaded bool
	ready  chan struct{} // closed once loaded
	maxID  int64         // highest article ID seen in the store
}

// New returns a service; call Load (or let the first batch do it).
func New(o Options) *Service {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Analyzer == nil {
		o.Analyzer = arabic.New()
	}
	return &Service{st: o.Store, an: o.Analyzer, log: o.Log, now: o.Now,
		eng: cluster.New(o.Analyzer, o.Config), ready: make(chan struct{})}
}

// Name implements ingest.Stage.
func (s *Service) Name() string { return "stories" }

// Engine exposes the clustering state (for evaluations and benchmarks).
func (s *Service) Engine() *cluster.Engine { return s.eng }

// Load rebuilds the clustering state from the store (once): every article
// is replayed in ID order; articles not clustered yet are clustered and
// saved.
func (s *Service) Load(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.loadLocked(ctx, 0)
}

// loadLocked loads the state (articles up to upTo, all when 0) unless
// loaded.
func (s *Service) loadLocked(ctx context.Context, upTo int64) error {
	if s.loaded {
		return nil
	}
	start := time.Now()
	// The count is a hint: on an error the arrays grow as they go.
	if n, err := s.st.CountArticles(ctx, store.ArticleFilter{}); err == nil {
		s.eng.Reserve(n)
	}
	if err := s.catchUp(ctx, nil, upTo); err != nil {
		return err
	}
	s.loaded = true
	close(s.ready)
	s.log.Info("stories loaded", "articles", s.eng.Len(), "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// Ready reports whether the state is loaded.
func (s *Service) Ready() bool {
	select {
	case <-s.ready:
		return true
	default:
		return false
	}
}

// catchUp replays the articles stored after maxID that the engine does not
// know, up to upTo (all when 0), skipping those of the batch being
// processed (skip), and saves the stories of any it had to cluster.
func (s *Service) catchUp(ctx context.Context, skip map[int64]bool, upTo int64) error {
	const page = 1000
	var assigned []cluster.Assignment
	for {
		rows, err := s.st.ArticleStories(ctx, s.maxID, page)
		if err != nil {
			return fmt.Errorf("stories: catch up: %w", err)
		}
		if upTo > 0 {
			// Articles after upTo are left for their own batch.
			if i := slices.IndexFunc(rows, func(r store.StoryAssignment) bool { return r.ArticleID > upTo }); i >= 0 {
				rows = rows[:i]
			}
		}
		// One read per page (one query per article was a sixth of a
		// restart), replayed in ID order.
		var ids []int64
		for _, r := range rows {
			s.maxID = max(s.maxID, r.ArticleID)
			if !skip[r.ArticleID] && !s.eng.Has(r.ArticleID) {
				ids = append(ids, r.ArticleID)
			}
		}
		arts, err := s.st.ArticlesByID(ctx, ids)
		if err != nil {
			return fmt.Errorf("stories: catch up: %w", err)
		}
		slices.SortFunc(arts, func(a, b news.Article) int { return cmp.Compare(a.ID, b.ID) })
		for _, a := range arts {
			it := s.item(a, s.an.Terms(nil, a.Title), s.an.Terms(nil, a.Text))
			it.StoryID = a.StoryID
			if as := s.eng.Restore(it); a.StoryID == 0 {
				assigned = append(assigned, as)
			}
		}
		if len(rows) < page {
			break
		}
	}
	return s.save(ctx, assigned, nil)
}

func (s *Service) item(a news.Article, title, body []string) cluster.Item {
	when := a.When()
	if when.IsZero() {
		when = s.now()
	}
	return cluster.Item{ID: a.ID, Source: a.SourceID, When: when, HasImage: a.Image != "",
		OriginalID: a.OriginalID, StoryID: a.StoryID,
		Text: cluster.Text{Title: a.Title, TitleTerms: title, BodyTerms: body}}
}

// Process implements ingest.Stage: it clusters the batch's new articles in
// batch order and saves their stories.
func (s *Service) Process(ctx context.Context, docs []store.ArticleDoc, res []store.Upserted) error {
	return s.process(ctx, docs, res, false)
}

// ProcessBehind implements ingest.Trailer: Process, catching up only on
// articles stored before the batch's highest ID.
func (s *Service) ProcessBehind(ctx context.Context, docs []store.ArticleDoc, res []store.Upserted) error {
	return s.process(ctx, docs, res, true)
}

func (s *Service) process(ctx context.Context, docs []store.ArticleDoc, res []store.Upserted, behind bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var upTo int64
	skip := make(map[int64]bool, len(docs))
	for _, d := range docs {
		skip[d.Article.ID] = true
		upTo = max(upTo, d.Article.ID)
	}
	if !behind {
		upTo = 0
	}
	if err := s.loadLocked(ctx, upTo); err != nil {
		return err
	}
	if err := s.catchUp(ctx, skip, upTo); err != nil {
		return err
	}
	var assigned []cluster.Assignment
	for i, d := range docs {
		if d.Article.ID == 0 || s.eng.Has(d.Article.ID) || (i < len(res) && !res[i].Created && !res[i].Changed) {
			continue
		}
		it := s.item(d.Article, d.TitleTerms, d.BodyTerms)
		assigned = append(assigned, s.eng.Add(it))
	}
	return s.save(ctx, assigned, docs)
}

// save stores one step: the merges in the order they happened, each
// article's current story, and the record of every story touched. The
// records' titles and images are the batch's (docs) or read from the store.
func (s *Service) save(ctx context.Context, assigned []cluster.Assignment, docs []store.ArticleDoc) error {
	if len(assigned) == 0 {
		return nil
	}
	var u store.StoryUpdate
	touched := map[int64]bool{}
	for _, a := range assigned {
		for _, m := range a.Merged {
			u.Merged = append(u.Merged, store.StoryMerge{From: m, Into: a.StoryID})
		}
		sid := s.eng.StoryOf(a.ArticleID)
		u.Assign = append(u.Assign, store.StoryAssignment{ArticleID: a.ArticleID, StoryID: sid})
		touched[sid] = true
	}
	ids := make([]int64, 0, len(touched))
	for id := range touched {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	sums := make([]cluster.Summary, 0, len(ids))
	for _, id := range ids {
		if sum, ok := s.eng.Story(id); ok {
			sums = append(sums, sum)
		}
	}
	heads, err := s.heads(ctx, sums, docs)
	if err != nil {
		return err
	}
	for _, sum := range sums {
		u.Stories = append(u.Stories, Record(sum, heads[sum.Central].Title, heads[sum.ImageOf].Image))
	}
	if err := s.st.SaveStories(ctx, u); err != nil {
		return fmt.Errorf("stories: %w", err)
	}
	return nil
}

// head is what a story record takes from an article.
type head struct{ Title, Image string }

// heads returns the title and image of the summaries' central and image
// articles: from the batch where it has them, else from the store (the
// engine keeps neither: at 310k articles they were 95 MB of its memory).
func (s *Service) heads(ctx context.Context, sums []cluster.Summary, docs []store.ArticleDoc) (map[int64]head, error) {
	out := make(map[int64]head, 2*len(sums))
	for _, d := range docs {
		out[d.Article.ID] = head{d.Article.Title, d.Article.Image}
	}
	var missing []int64
	for _, sum := range sums {
		for _, id := range [2]int64{sum.Central, sum.ImageOf} {
			if _, ok := out[id]; !ok && id != 0 {
				out[id] = head{}
				missing = append(missing, id)
			}
		}
	}
	// Pages bound the memory of a catch-up that clustered many articles.
	const page = 500
	for len(missing) > 0 {
		n := min(page, len(missing))
		arts, err := s.st.ArticlesByID(ctx, missing[:n])
		if err != nil {
			return nil, fmt.Errorf("stories: story titles: %w", err)
		}
		for _, a := range arts {
			out[a.ID] = head{a.Title, a.Image}
		}
		missing = missing[n:]
	}
	return out, nil
}

// Record is the stored form of a story summary, with its central
// article's title and its image.
func Record(sum cluster.Summary, title, image string) news.Story {
	return news.Story{ID: sum.ID, Title: title, ArticleID: sum.Central, Image: image,
		ArticleCount: len(sum.Articles), Groups: sum.Groups, Sources: sum.Sources,
		FirstSeen: sum.FirstSeen, LastSeen: sum.LastSeen}
}

// Related is one related article.
type Related struct {
	Article   news.Article
	Score     float64
	SameStory bool
}

// Related returns reading related to article id, best first (o.Limit of
// them, o.SameStory at most from its own story): ErrLoading before the
// state is loaded, news.ErrNotFound for an article the engine does not know.
func (s *Service) Related(ctx context.Context, id int64, o cluster.RelatedOptions) ([]Related, error) {
	if !s.Ready() {
		return nil, ErrLoading
	}
	if !s.eng.Has(id) {
		return nil, fmt.Errorf("stories: related to %d: %w", id, news.ErrNotFound)
	}
	hits := s.eng.Related(id, o)
	out := make([]Related, 0, len(hits))
	for _, h := range hits {
		a, err := s.st.Article(ctx, h.ID)
		if errors.Is(err, news.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("stories: related to %d: %w", id, err)
		}
		out = append(out, Related{Article: a, Score: h.Score, SameStory: h.SameStory})
	}
	return out, nil
}

// CopyGroup is the copy group of an article as clustering sees it (the
// original's ID; its own for an original or an unknown article).
func (s *Service) CopyGroup(id int64) int64 {
	if !s.Ready() {
		return id
	}
	return s.eng.GroupOf(id)
}
