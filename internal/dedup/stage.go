package dedup

import (
	"context"
	"fmt"
	"hash/maphash"
	"log/slog"
	"runtime"
	"slices"
	"time"

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/parallel"
	"github.com/marsad/marsad/internal/store"
)

// Options configure a Stage.
type Options struct {
	Store    store.Store
	Analyzer *arabic.Analyzer
	Logger   *slog.Logger
	// Now stamps links; time.Now when nil.
	Now func() time.Time
	// Rule decides copies; DefaultRule() when zero.
	Rule Rule
	// Agencies maps a credited agency name to the source ID that carries
	// its wire (default: واس → was). Sources' own names are added to it
	// from the store, so "المصدر: سبق" credits the source named سبق.
	Agencies map[string]string
	// Credit finds the credit in a text without Attribution (bulk
	// imports); extract.Credit in the app. Nil: Attribution only.
	Credit func(text, author, site string) string
}

// Stage is the copy-detection step of the ingest pipeline
// (ingest.Stage): it fingerprints each stored article, finds the copies it
// makes with stored ones, and keeps every group pointing at its original
// (articles.original_id, news.Article.OriginalID).
type Stage struct {
	opt     Options
	fp      *Fingerprinter
	dif     *Differ
	log     *slog.Logger
	layouts *recent[layoutKey, Layout]
	// bases are originals prepared for counting their copies' changes:
	// each copy that joins a group is linked to the same original.
	bases *recent[baseKey, *Base]
	seed  maphash.Seed
	keys  *keySet
}

// baseKey names an original's version: article and a hash of its title
// and text.
type baseKey struct {
	id  int64
	sum uint64
}

// layoutsKept is how many texts' layouts the stage keeps between batches
// (a few kilobytes each), basesKept how many originals' sentence keys.
const (
	layoutsKept = 8192
	basesKept   = 2048
)

// NewStage returns the stage.
func NewStage(opt Options) *Stage {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Rule == (Rule{}) {
		opt.Rule = DefaultRule()
	}
	if opt.Agencies == nil {
		opt.Agencies = map[string]string{"واس": "was"}
	}
	return &Stage{opt: opt, fp: NewFingerprinter(opt.Analyzer), dif: NewDiffer(opt.Analyzer), log: opt.Logger,
		layouts: newRecent[layoutKey, Layout](layoutsKept), bases: newRecent[baseKey, *Base](basesKept),
		seed: maphash.MakeSeed(), keys: newKeySet()}
}

// Name implements ingest.Stage.
func (s *Stage) Name() string { return "copies" }

// Fingerprinter is the stage's fingerprinter.
func (s *Stage) Fingerprinter() *Fingerprinter { return s.fp }

// item is one article of a batch on its way through the stage.
type item struct {
	art     news.Article
	print   store.ArticlePrint
	fp      Fingerprint
	buckets []int64
}

// textPrint is what the stage derives from an article's text alone.
type textPrint struct {
	fp     Fingerprint
	credit string
}

// Prepare implements ingest.Preparer: every document's fingerprint and
// credit, computed on workers goroutines before the batch is stored.
func (s *Stage) Prepare(docs []store.ArticleDoc, workers int) any {
	out := make([]textPrint, len(docs))
	parallel.For(len(docs), workers, func(i int) { out[i] = s.textPrint(docs[i].Article) })
	return out
}

// Process implements ingest.Stage.
func (s *Stage) Process(ctx context.Context, docs []store.ArticleDoc, res []store.Upserted) error {
	return s.ProcessPrepared(ctx, docs, res, nil)
}

// ProcessPrepared implements ingest.Preparer. Fingerprints not prepared
// are computed in parallel outside the transaction; the decisions run in
// one CopyTx per batch, in batch order, each seeing the ones before it.
func (s *Stage) ProcessPrepared(ctx context.Context, docs []store.ArticleDoc, res []store.Upserted, prepared any) error {
	prints, _ := prepared.([]textPrint)
	if len(prints) != len(docs) {
		prints = nil
	}
	todo := make([]int, 0, len(docs))
	var same []int64
	for i, r := range res {
		if r.Created || r.Changed {
			todo = append(todo, i)
		} else {
			same = append(same, r.ID)
		}
	}
	agencies, err := s.agencies(ctx)
	if err != nil {
		return err
	}
	var (
		seq   int64
		items []item
	)
	// The transaction's statements (a few per article) run without the
	// context's cancellation: database/sql and the drivers start a
	// goroutine per statement to watch a cancellable context, a tenth of
	// the transaction's CPU. The loop below checks it between articles.
	done := ctx
	ctx = context.WithoutCancel(ctx)
	err = s.opt.Store.CopyTx(ctx, func(tx store.CopyTx) error {
		seq = tx.Seq()
		if err := s.keys.sync(ctx, tx); err != nil {
			return fmt.Errorf("dedup: %w", err)
		}
		if len(same) > 0 {
			// Unchanged articles are done, unless stored before copy
			// detection ran (or a failed batch is being retried).
			have, err := tx.ArticlePrints(ctx, same)
			if err != nil {
				return err
			}
			done := map[int64]bool{}
			for _, p := range have {
				done[p.ArticleID] = true
			}
			for i, r := range res {
				if !r.Created && !r.Changed && !done[r.ID] {
					todo = append(todo, i)
				}
			}
			slices.Sort(todo)
		}
		items = s.items(docs, todo, prints)
		texts := newBatch(len(items))
		for _, it := range items {
			texts.texts[it.art.ID] = it.art
		}
		var ids []int64
		var keys [][]int64
		for _, it := range items {
			if err := done.Err(); err != nil {
				return fmt.Errorf("dedup: %w", err)
			}
			if err := s.place(ctx, tx, it, agencies, texts); err != nil {
				return fmt.Errorf("dedup: article %d: %w", it.art.ID, err)
			}
			if len(it.buckets) > 0 {
				ids, keys = append(ids, it.art.ID), append(keys, it.buckets)
			}
		}
		// The batch's bucket rows, all at once and in key order.
		if err := tx.PutBuckets(ctx, ids, keys); err != nil {
			return fmt.Errorf("dedup: %w", err)
		}
		// Later stages (story clustering) see the batch's copy links on
		// docs: they must count a copy with its original.
		ids = make([]int64, len(items))
		for k, it := range items {
			ids[k] = it.art.ID
		}
		orig, err := tx.Originals(ctx, ids)
		if err != nil {
			return fmt.Errorf("dedup: reading back copy links: %w", err)
		}
		for _, i := range todo {
			docs[i].Article.OriginalID = orig[docs[i].Article.ID]
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.keys.committed(seq, items)
	return nil
}

func (s *Stage) agencies(ctx context.Context) (map[string]string, error) {
	srcs, err := s.opt.Store.Sources(ctx)
	if err != nil {
		return nil, fmt.Errorf("dedup: sources: %w", err)
	}
	m := make(map[string]string, len(s.opt.Agencies)+len(srcs))
	for _, src := range srcs {
		if src.Name != "" {
			m[src.Name] = src.ID
		}
	}
	for k, v := range s.opt.Agencies {
		m[k] = v
	}
	return m, nil
}

// items builds the chosen documents' items, fingerprinting in parallel
// those not prepared.
func (s *Stage) items(docs []store.ArticleDoc, idx []int, prints []textPrint) []item {
	items := make([]item, len(idx))
	parallel.For(len(idx), runtime.GOMAXPROCS(0), func(k int) {
		a := docs[idx[k]].Article
		var tp textPrint
		if prints != nil {
			tp = prints[idx[k]]
		} else {
			tp = s.textPrint(a)
		}
		items[k] = s.item(a, tp)
	})
	return items
}

func (s *Stage) textPrint(a news.Article) textPrint {
	credit := a.Attribution
	if credit == "" && s.opt.Credit != nil {
		credit = s.opt.Credit(a.Text, a.Author, a.SiteName)
	}
	return textPrint{fp: s.fp.Of(a.Text), credit: credit}
}

func (s *Stage) item(a news.Article, tp textPrint) item {
	fp := tp.fp
	return item{
		art: a,
		fp:  fp,
		print: store.ArticlePrint{
			ArticleID: a.ID, SourceID: a.SourceID, When: a.When().Truncate(time.Second), Credit: tp.credit,
			Version: SignatureVersion, Exact: int64(fp.Exact), Words: fp.Words,
			Shingles: fp.Shingles, Numbers: fp.Numbers, Signature: fp.Signature,
		},
		buckets: Buckets(fp.Signature),
	}
}

// perKey bounds the candidates taken from one LSH bucket (and from one
// exact hash): the most recent ones; in a big group any member leads to it.
const perKey = 16

// PrintOf turns a stored fingerprint back into a Fingerprint.
func PrintOf(p store.ArticlePrint) Fingerprint {
	return Fingerprint{Exact: uint64(p.Exact), Shingles: p.Shingles, Numbers: p.Numbers, Signature: p.Signature, Words: p.Words}
}

// place stores one article's fingerprint and puts it in its group.
func (s *Stage) place(ctx context.Context, tx store.CopyTx, it item, agencies map[string]string, texts *batch) error {
	id := it.art.ID
	// The print now, its bucket rows with the batch's (PutBuckets);
	// until then the batch's own buckets are looked up in memory.
	if err := tx.PutPrint(ctx, it.print, nil); err != nil {
		return err
	}
	if it.fp.Exact == 0 {
		return nil
	}
	// Only keys the store may hold are looked up; an article whose keys
	// are all new (most originals) reads nothing.
	var cands []store.ArticlePrint
	if buckets, exact := s.keys.present(it.buckets, it.print.Exact); len(buckets) > 0 || exact != 0 {
		from, to := s.opt.Rule.Window(it.print.When)
		var err error
		if cands, err = tx.CopyCandidates(ctx, exact, buckets, id, perKey, from, to); err != nil {
			return err
		}
	}
	// The print is in the store now, so the batch's later articles must
	// look its exact hash up (its buckets are filed at the batch's end;
	// withPending finds them until then).
	s.keys.addExact(it.print.Exact)
	cands, err := texts.withPending(ctx, tx, cands, id, it.buckets)
	if err != nil {
		return err
	}
	// Candidates that pass the rule lead to their groups; the newcomer
	// joins (and merges) only groups whose original it copies too, so a
	// chain of look-alikes (daily outlooks, templated cables) does not
	// grow one group through its latest member. One exception: a
	// newcomer with the same wording as a member (first stage) joins when
	// the original is its open pair starting where it starts — the
	// original was rewritten, the members share the wire's wording.
	var roots []int64
	seen := map[int64]bool{}
	strong := map[int64]bool{}
	slices.SortFunc(cands, func(a, b store.ArticlePrint) int { return int(b.ArticleID - a.ArticleID) })
	for i := range cands {
		c := &cands[i]
		ok, err := s.copies(ctx, tx, it.print, *c, texts)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		root := c.OriginalID
		if root == 0 {
			root = c.ArticleID
		}
		if root != id && !seen[root] {
			seen[root] = true
			roots = append(roots, root)
		}
		cp := PrintOf(*c)
		strong[root] = strong[root] || s.opt.Rule.Judge(it.fp, cp, Compare(it.fp, cp)) == IsCopy
	}
	var groups []store.ArticlePrint
	if len(roots) > 0 {
		rps, err := tx.ArticlePrints(ctx, roots)
		if err != nil {
			return err
		}
		for _, rp := range rps {
			ok, err := s.copies(ctx, tx, it.print, rp, texts)
			if err == nil && !ok && strong[rp.ArticleID] {
				ok, err = s.kin(ctx, tx, it.print, rp, texts)
			}
			if err != nil {
				return err
			}
			if ok {
				groups = append(groups, rp)
			}
		}
	}
	if len(groups) == 0 {
		// No copy (any more, after an edit): an original of its own,
		// keeping copies it may have.
		if it.art.OriginalID != 0 {
			return tx.MakeOriginal(ctx, id)
		}
		return nil
	}
	// Each group's original was the best of its members, so only they and
	// the newcomer compete (Original depends on the set, not the order).
	members := []Member{memberOf(it.print)}
	prints := map[int64]store.ArticlePrint{id: it.print}
	for _, g := range groups {
		members = append(members, memberOf(g))
		prints[g.ArticleID] = g
	}
	orig, why := Original(members, agencies)
	var moved []int64
	if orig.ID != id && it.art.OriginalID == 0 {
		// It was an original: its own copies move along.
		own, err := tx.GroupOf(ctx, id)
		if err != nil {
			return err
		}
		moved = append(moved, own...)
	}
	if orig.ID != id {
		moved = append(moved, id)
	} else if it.art.OriginalID != 0 {
		if err := tx.MakeOriginal(ctx, id); err != nil {
			return err
		}
	}
	for _, g := range groups {
		if g.ArticleID == orig.ID {
			continue
		}
		// Another group's original: it and its copies re-point.
		more, err := tx.GroupOf(ctx, g.ArticleID)
		if err != nil {
			return err
		}
		moved = append(append(moved, g.ArticleID), more...)
		if err := tx.MakeOriginal(ctx, g.ArticleID); err != nil {
			return err
		}
	}
	return s.link(ctx, tx, prints[orig.ID], moved, why, texts)
}

// batch holds a batch's texts (read once) and the bucket keys of the
// batch's articles placed so far, whose rows are written when the batch
// ends: for each key the latest entry, each entry linking to the one
// before under the same key (one map entry per key and two flat arrays,
// not a slice per key: this runs on the store's one writer).
type batch struct {
	texts  map[int64]news.Article
	latest map[int64]int32 // key → index in ids and prev
	ids    []int64
	prev   []int32        // the entry before under the same key; -1 for none
	have   map[int64]bool // withPending's scratch: candidates seen
	more   []int64        // withPending's scratch: IDs to read
}

func newBatch(n int) *batch {
	return &batch{
		texts:  make(map[int64]news.Article, n),
		latest: make(map[int64]int32, n*Bands),
		ids:    make([]int64, 0, n*Bands),
		prev:   make([]int32, 0, n*Bands),
		have:   map[int64]bool{},
	}
}

// withPending adds to the store's candidates the batch's articles placed
// before id under one of its buckets (the most recent perKey of each, as
// the store would return), and files id under its buckets.
func (bt *batch) withPending(ctx context.Context, tx store.CopyTx, cands []store.ArticlePrint, id int64, buckets []int64) ([]store.ArticlePrint, error) {
	clear(bt.have)
	for _, c := range cands {
		bt.have[c.ArticleID] = true
	}
	more := bt.more[:0]
	for _, b := range buckets {
		head, ok := bt.latest[b]
		if !ok {
			head = -1
		}
		for e, k := head, 0; e >= 0 && k < perKey; e, k = bt.prev[e], k+1 {
			if x := bt.ids[e]; !bt.have[x] {
				bt.have[x] = true
				more = append(more, x)
			}
		}
		bt.latest[b] = int32(len(bt.ids))
		bt.ids = append(bt.ids, id)
		bt.prev = append(bt.prev, head)
	}
	bt.more = more
	if len(more) == 0 {
		return cands, nil
	}
	ps, err := tx.ArticlePrints(ctx, more)
	if err != nil {
		return nil, err
	}
	return append(cands, ps...), nil
}

// copies applies the rule to two fingerprinted articles, reading and
// analysing their texts only when the first stage leaves the pair open.
func (s *Stage) copies(ctx context.Context, tx store.CopyTx, a, b store.ArticlePrint, bt *batch) (bool, error) {
	if s.apart(a, b) {
		return false, nil
	}
	fa, fb := PrintOf(a), PrintOf(b)
	sim := Compare(fa, fb)
	switch s.opt.Rule.Judge(fa, fb, sim) {
	case IsCopy:
		return true, nil
	case NotCopy:
		return false, nil
	}
	al, err := s.align(ctx, tx, a, b, bt)
	return err == nil && s.opt.Rule.Rewritten(sim, al), err
}

// kin reports whether a and b are an open pair (first stage) whose
// shorter text starts where the longer starts.
func (s *Stage) kin(ctx context.Context, tx store.CopyTx, a, b store.ArticlePrint, bt *batch) (bool, error) {
	fa, fb := PrintOf(a), PrintOf(b)
	if s.apart(a, b) || s.opt.Rule.Judge(fa, fb, Compare(fa, fb)) != Open {
		return false, nil
	}
	al, err := s.align(ctx, tx, a, b, bt)
	return err == nil && al.Lead <= s.opt.Rule.Lead, err
}

// apart reports whether a and b were published too far apart to be
// copies (Rule.MaxGap).
func (s *Stage) apart(a, b store.ArticlePrint) bool { return s.opt.Rule.Apart(a.When, b.When) }

// align aligns two articles' texts, analysed once while they stay in the
// stage's layout cache.
func (s *Stage) align(ctx context.Context, tx store.CopyTx, a, b store.ArticlePrint, bt *batch) (Alignment, error) {
	la, err := s.layout(ctx, tx, a, bt)
	if err != nil {
		return Alignment{}, err
	}
	lb, err := s.layout(ctx, tx, b, bt)
	if err != nil {
		return Alignment{}, err
	}
	return Align(la, lb), nil
}

func (s *Stage) layout(ctx context.Context, tx store.CopyTx, p store.ArticlePrint, bt *batch) (Layout, error) {
	k := layoutKey{p.ArticleID, p.Exact}
	if l, ok := s.layouts.get(k); ok {
		return l, nil
	}
	a, err := s.article(ctx, tx, p.ArticleID, bt)
	if err != nil {
		return Layout{}, err
	}
	l := s.fp.Layout(a.Text)
	s.layouts.put(k, l)
	return l, nil
}

func memberOf(p store.ArticlePrint) Member {
	return Member{ID: p.ArticleID, SourceID: p.SourceID, When: p.When, Credit: p.Credit, Shingles: len(p.Shingles)}
}

// link records ids as copies of orig, with their similarity to it and a
// sentence diff against it; those that do not copy orig become originals.
func (s *Stage) link(ctx context.Context, tx store.CopyTx, orig store.ArticlePrint, ids []int64, why string, texts *batch) error {
	slices.Sort(ids)
	ids = slices.Compact(ids)
	prints, err := tx.ArticlePrints(ctx, ids)
	if err != nil {
		return err
	}
	oa, err := s.article(ctx, tx, orig.ArticleID, texts)
	if err != nil {
		return err
	}
	op := PrintOf(orig)
	base := s.base(oa)
	for _, mp := range prints {
		if mp.ArticleID == orig.ArticleID {
			continue
		}
		// A member that moves to a new original must copy it, or at least
		// be its open pair starting where it starts (kin); one that only
		// copied its old original (a chain of look-alikes, or a roundup
		// and its parts) stands alone instead.
		ok, err := s.copies(ctx, tx, mp, orig, texts)
		if err == nil && !ok {
			ok, err = s.kin(ctx, tx, mp, orig, texts)
		}
		if err != nil {
			return err
		}
		if !ok {
			if err := tx.MakeOriginal(ctx, mp.ArticleID); err != nil {
				return err
			}
			continue
		}
		ma, err := s.article(ctx, tx, mp.ArticleID, texts)
		if err != nil {
			return err
		}
		sim := Compare(PrintOf(mp), op)
		ch := base.Count(ma.Title, ma.Text)
		if err := tx.LinkCopy(ctx, news.Copy{
			ArticleID: mp.ArticleID, OriginalID: orig.ArticleID, Similarity: sim.Jaccard, Contained: sim.Contained(),
			Exact: mp.Exact != 0 && mp.Exact == orig.Exact, TitleChanged: ch.TitleChanged,
			SentencesAdded: ch.Added, SentencesRemoved: ch.Removed, Rule: why, DetectedAt: s.opt.Now(),
		}); err != nil {
			return err
		}
	}
	return nil
}

// base is the original a prepared for Count, from the cache when its title
// and text are the ones seen before.
func (s *Stage) base(a news.Article) *Base {
	var h maphash.Hash
	h.SetSeed(s.seed)
	h.WriteString(a.Title)
	h.WriteByte(0)
	h.WriteString(a.Text)
	k := baseKey{a.ID, h.Sum64()}
	if b, ok := s.bases.get(k); ok {
		return b
	}
	b := s.dif.Against(a.Title, a.Text)
	s.bases.put(k, b)
	return b
}

// article returns an article's title and text, from the batch or the store.
func (s *Stage) article(ctx context.Context, tx store.CopyTx, id int64, bt *batch) (news.Article, error) {
	if a, ok := bt.texts[id]; ok {
		return a, nil
	}
	a, err := tx.Article(ctx, id)
	if err != nil {
		return news.Article{}, err
	}
	bt.texts[id] = a
	return a, nil
}
