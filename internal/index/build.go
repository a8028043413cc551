package index

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
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
	d := Doc{ID: a.ID, Group: a.OriginalID, Source: a.SourceID, Time: a.When().Unix(), URLKey: key, Title: title, Body: body}
	d.Sum = sumOf(a, d.Time, key)
	return d
}

// sumOf hashes what the index takes from an article besides its group, to
// tell a changed article from one only regrouped or already indexed.
func sumOf(a news.Article, t int64, key string) uint64 {
	h := fnv.New64a()
	for _, s := range []string{a.Title, a.Text, a.SourceID, key} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	h.Write(binary.LittleEndian.AppendUint64(nil, uint64(t)))
	return h.Sum64()
}

// Ready reports whether the first catch-up has finished: until then the
// index misses articles and searches must use the store.
func (ix *Index) Ready() bool { return ix.ready.Load() }

// Follower fills an index from a store and keeps it current by the
// store's change numbers (store.Store.ArticleChanges), whichever process
// stored the changes. The first CatchUp is the build.
type Follower struct {
	Index    *Index
	Store    store.Store
	Analyzer *arabic.Analyzer
	// Lag is how long a change may stay invisible after a higher change
	// number is visible (concurrent PostgreSQL transactions commit out of
	// order): each pass re-reads the changes of the last Lag, skipping
	// those already indexed. 0 for SQLite (one writer at a time).
	Lag time.Duration
	Log *slog.Logger
	Now func() time.Time

	mu    sync.Mutex
	seen  int64  // highest change number read
	marks []mark // passes within Lag, oldest first
}

type mark struct {
	at   time.Time
	seen int64
}

// batch is one read of articles and their change numbers.
type batch struct {
	arts []news.Article
	seqs map[int64]int64
}

// CatchUp indexes what changed since the last pass (everything, the first
// time, when it also marks the index ready). It returns how many articles
// it (re)indexed.
func (f *Follower) CatchUp(ctx context.Context) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	log := f.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	now := time.Now
	if f.Now != nil {
		now = f.Now
	}
	start := now()
	first := !f.Index.ready.Load()
	f.Index.building.Store(true)
	from := f.seen
	if f.Lag > 0 {
		// The watermark of the last pass at least Lag old; none yet (just
		// after the build): from the start, as a transaction in flight
		// during the build may still commit numbers below what it read.
		from = 0
		for len(f.marks) > 0 && start.Sub(f.marks[0].at) >= f.Lag {
			from = f.marks[0].seen
			if len(f.marks) > 1 && start.Sub(f.marks[1].at) >= f.Lag {
				f.marks = f.marks[1:]
				continue
			}
			break
		}
	}

	workers := max(1, runtime.GOMAXPROCS(0))
	in := make(chan batch, workers)
	out := make(chan []Doc, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range in {
				docs := make([]Doc, 0, len(b.arts))
				for _, a := range b.arts {
					d := Doc{ID: a.ID, Seq: b.seqs[a.ID], Group: a.OriginalID}
					if sum := sumOf(a, a.When().Unix(), mustKey(a.URL)); f.Index.hasSum(a.ID, sum) {
						d.Sum, d.regroupOnly = sum, true
					} else {
						d = DocOf(a, f.Analyzer.Terms(nil, a.Title), f.Analyzer.Terms(nil, a.Text))
						d.Seq = b.seqs[a.ID]
					}
					docs = append(docs, d)
				}
				out <- docs
			}
		}()
	}
	n := 0
	done := make(chan struct{})
	go func() {
		for docs := range out {
			n += len(docs)
			f.Index.apply(docs)
		}
		close(done)
	}()
	err := f.read(ctx, from, in)
	close(in)
	wg.Wait()
	close(out)
	<-done
	if err != nil {
		return n, fmt.Errorf("index: catching up: %w", err)
	}
	if f.Lag > 0 {
		f.marks = append(f.marks, mark{at: start, seen: f.seen})
	}
	if first {
		// The build appended to every postings list, leaving outgrown
		// arrays as garbage as large as the index: the process's GC policy
		// at startup decides when it goes (serve collects more often while
		// its startup loads run, internal/app).
		f.Index.Compact()
		f.Index.ready.Store(true)
		log.Info("search index ready", "articles", f.Index.Len(), "took", time.Since(start).Round(time.Millisecond))
	}
	return n, nil
}

// read pages through the changes after from and sends the changed
// articles, in batches, to in.
func (f *Follower) read(ctx context.Context, from int64, in chan<- batch) error {
	const page, chunk = 4096, 256
	for {
		cs, err := f.Store.ArticleChanges(ctx, from, page)
		if err != nil {
			return err
		}
		var ids []int64
		seqs := map[int64]int64{}
		for _, c := range cs {
			from = max(from, c.Seq)
			if f.Index.seqOf(c.ID) != c.Seq {
				ids = append(ids, c.ID)
				seqs[c.ID] = c.Seq
			}
		}
		f.seen = max(f.seen, from)
		for i := 0; i < len(ids); i += chunk {
			arts, err := f.Store.ArticlesByID(ctx, ids[i:min(i+chunk, len(ids))])
			if err != nil {
				return err
			}
			for k := range arts {
				arts[k].HTML = "" // not needed; let it go with the row
			}
			select {
			case in <- batch{arts: arts, seqs: seqs}:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if len(cs) < page {
			return nil
		}
	}
}

// Build fills ix from st (one catch-up, then ix is ready); keep a Follower
// instead to keep the index current.
func Build(ctx context.Context, st store.Store, an *arabic.Analyzer, ix *Index, log *slog.Logger) error {
	_, err := (&Follower{Index: ix, Store: st, Analyzer: an, Log: log}).CatchUp(ctx)
	return err
}

// Run catches up every interval until ctx ends (the first pass builds the
// index), logging failures and trying again at the next tick.
func (f *Follower) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := f.CatchUp(ctx); err != nil && ctx.Err() == nil && f.Log != nil {
			f.Log.Error("search index", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func mustKey(u string) string {
	if k, err := urlnorm.Key(u); err == nil {
		return k
	}
	return u
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

// Stage keeps the index current within the process at once (the follower
// would within its interval): it runs after the store (and after copy
// detection, which sets each document's group) and indexes what was
// created or changed. It does nothing until the first catch-up has
// started, so a process that never searches from memory (import) pays
// nothing. The follower later sees these articles' change numbers and, as
// their content is what the stage indexed, only records them.
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
