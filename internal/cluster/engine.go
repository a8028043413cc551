package cluster

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/marsad/marsad/internal/arabic"
)

// Config holds the clustering and related-reading parameters. The zero
// value of a field takes its Default.
type Config struct {
	// Window: an article only joins a story with a member this close in time.
	Window time.Duration
	// HalfLife halves a similarity for every HalfLife between two articles.
	HalfLife time.Duration
	// Join is the least score with which an article joins a story; below
	// it the article starts a story of its own.
	Join float64
	// Merge is the least score a second story needs for the article to
	// bridge it into the first (Merge ≥ Join keeps chaining in check).
	Merge float64
	// TitleBoost is how many body occurrences a title term counts for.
	TitleBoost float64
	// BodyTerms bounds how much of the body is read (the lead carries the
	// event; long bodies drift into background). 0 reads all.
	BodyTerms int
	// MaxFeatures per article are kept, the heaviest by TF-IDF at arrival.
	MaxFeatures int
	// MinIDF: features more common than this (idf = ln((N+1)/(df+1))) are
	// ignored when comparing, so articles never match on common phrases.
	MinIDF float64
	// Copy is the cosine from which two texts are treated as copies of one
	// another (counted once, never recommended for each other), in addition
	// to the copy links the dedup stage stores.
	Copy float64
	// CopyContainment is the share of sampled wording from which two texts
	// are treated as copies.
	CopyContainment float64
	// RelatedCopy is the share of sampled wording from which related
	// reading treats a text as a copy of the article (stricter than
	// clustering's: a republication must never be recommended).
	RelatedCopy float64
	// RelatedDistinct is the share of sampled wording from which two
	// related articles count as one text (only the better is listed).
	RelatedDistinct float64
	// SameStoryBonus lifts articles of the reader's story above other
	// stories' articles of similar wording in related reading.
	SameStoryBonus float64
	// RelatedMin is the least cosine for related reading.
	RelatedMin float64
	// RelatedWindow: related reading looks this far back and ahead of the
	// article (it bounds the work on large collections).
	RelatedWindow time.Duration
	// RelatedHalfLife: related reading prefers articles close in time to the
	// one being read; a similarity halves every RelatedHalfLife apart.
	RelatedHalfLife time.Duration
	// MaxDisorder bounds how far out of time order articles may arrive and
	// still be compared within the window.
	MaxDisorder time.Duration
	// Figures: two articles that both state at least FigureMin figures
	// (numbers other than years and integers up to 31) and share less than
	// FigureShare of the fewer report different events (another day's
	// market close, another company's dividend, the next day's count). An
	// article does not join (nor bridge) a story with a member that
	// reports other figures and scores at least FigureVeto, even if
	// another member matches: chains of look-alike reports stop there.
	FigureMin   int
	FigureShare float64
	FigureVeto  float64
}

// Default is the configuration marsad runs with (tuned on pairs-dev; see
// docs/benchmarks.md for the threshold sweep).
var Default = Config{
	Window:          4 * 24 * time.Hour,
	HalfLife:        3 * 24 * time.Hour,
	Join:            0.20,
	Merge:           0.25,
	TitleBoost:      4,
	BodyTerms:       0,
	MaxFeatures:     48,
	MinIDF:          2.5,
	Copy:            0.85,
	CopyContainment: 0.45,
	RelatedCopy:     0.35,
	RelatedDistinct: 0.7,
	SameStoryBonus:  0.1,
	RelatedMin:      0.10,
	RelatedHalfLife: 3 * 24 * time.Hour,
	RelatedWindow:   30 * 24 * time.Hour,
	MaxDisorder:     2 * 24 * time.Hour,
	FigureMin:       2,
	FigureShare:     0.25,
	FigureVeto:      0.15,
}

func (c Config) withDefaults() Config {
	d := Default
	set := func(dst *float64, v float64) {
		if v != 0 {
			*dst = v
		}
	}
	setD := func(dst *time.Duration, v time.Duration) {
		if v != 0 {
			*dst = v
		}
	}
	setD(&d.Window, c.Window)
	setD(&d.HalfLife, c.HalfLife)
	setD(&d.RelatedHalfLife, c.RelatedHalfLife)
	setD(&d.RelatedWindow, c.RelatedWindow)
	setD(&d.MaxDisorder, c.MaxDisorder)
	set(&d.Join, c.Join)
	set(&d.Merge, c.Merge)
	set(&d.TitleBoost, c.TitleBoost)
	set(&d.MinIDF, c.MinIDF)
	set(&d.Copy, c.Copy)
	set(&d.CopyContainment, c.CopyContainment)
	set(&d.RelatedCopy, c.RelatedCopy)
	set(&d.RelatedDistinct, c.RelatedDistinct)
	set(&d.SameStoryBonus, c.SameStoryBonus)
	set(&d.RelatedMin, c.RelatedMin)
	set(&d.FigureShare, c.FigureShare)
	set(&d.FigureVeto, c.FigureVeto)
	if c.FigureMin != 0 {
		d.FigureMin = c.FigureMin
	}
	if c.BodyTerms != 0 {
		d.BodyTerms = c.BodyTerms
	}
	if c.MaxFeatures != 0 {
		d.MaxFeatures = c.MaxFeatures
	}
	return d
}

// Item is one article as the engine sees it.
type Item struct {
	ID     int64
	Source string
	When   time.Time
	// HasImage: the article has an image (a story shows its central
	// article's, else its first member's that has one; the engine keeps
	// no titles nor images, which the store holds).
	HasImage bool
	// OriginalID is the article this one copies (from the dedup stage); 0
	// for an original or when unknown.
	OriginalID int64
	// StoryID is the story the article is already stored in; Restore keeps
	// it. Add ignores it.
	StoryID int64
	Text    Text
}

type feat struct {
	term int32
	w    float32
	// iw is w×idf as of the article's arrival (0 below MinIDF): a weight
	// that never changes, for choosing a story's central article the same
	// way whenever its record is computed.
	iw float32
}

type posting struct {
	doc int32
	w   float32
}

type doc struct {
	id    int64
	t     int64 // Unix seconds
	story int64
	group int64 // copy group: the original's ID (its own for an original)
	// linked is the copy group the dedup stage stored (OriginalID, else
	// the article's own ID). group may also join texts found to share
	// wording, transitively (A and B both edited from one wire C); related
	// reading excludes by linked and by a direct comparison only, so that
	// two outlets' own rewrites of one wire still recommend each other.
	linked int64
	feats  []feat
	shing  []uint32 // sampled body shingles, for copies
	figs   []uint32 // hashed figures of title and body, sorted
	src    int32
	copied bool // a copy of an earlier article (not the group's original)
	image  bool // the article has an image
}

type story struct {
	id      int64
	members []int32
}

// Engine holds the state of online clustering and the related-reading index:
// document frequencies, every article's kept features, postings, stories.
// It is safe for concurrent use.
type Engine struct {
	mu      sync.RWMutex
	cfg     Config
	an      *arabic.Analyzer
	vocab   map[string]int32
	df      []int32
	post    [][]posting
	n       int // documents counted in df
	docs    []doc
	byID    map[int64]int32
	stories map[int64]*story
	srcIdx  map[string]int32
	srcs    []string
	// norms caches each document's vector length; normAt is the document
	// count it was computed at. It is refreshed when the collection has
	// grown by 2% since, so it depends only on the order of arrival.
	norms  []float32
	normAt []int32
	// w is match's scratch for writers (who hold mu); readers take one
	// from the pool.
	w       scratch
	scratch sync.Pool // *scratch for readers
	// blocks[b] is the time range of documents b·blockSize … (b+1)·blockSize−1,
	// so that related reading finds the documents of a time window without
	// assuming that they arrived in time order.
	blocks []span
	// lnN is ln(n+1); logs[k] is ln(k+1), for idf.
	lnN  float64
	logs []float64
	// The documents' features, shingles and figures are carved from
	// shared chunks: one allocation each per article cost its size-class
	// rounding and append slack (about a fifth of the state at 310k).
	featArena arena[feat]
	hashArena arena[uint32]
	// buf is index's working memory (writers only).
	buf struct {
		feats       []feat
		keyed       []keyed
		shing, figs []uint32
		raw         []rawFeature
		at          map[string]int // extract's feature index
	}
}

// keyed is a feature with its TF-IDF at arrival and its position in the
// text, for choosing the MaxFeatures heaviest.
type keyed struct {
	f   feat
	k   float64
	pos int
}

// arenaChunk is the number of elements of one arena chunk.
const arenaChunk = 1 << 16

// arena hands out slices of exact length carved from shared chunks, for
// data that lives as long as the engine (nothing is ever freed).
type arena[T any] struct{ free []T }

// clone returns a copy of src in the arena, capped so that an append to it
// reallocates instead of writing over the next slice.
func (a *arena[T]) clone(src []T) []T {
	n := len(src)
	if n == 0 {
		return nil
	}
	if n > len(a.free) {
		a.free = make([]T, max(arenaChunk, n))
	}
	out := a.free[:n:n]
	copy(out, src)
	a.free = a.free[n:]
	return out
}

// New returns an empty engine. an supplies title phrases; it may be nil
// (unigrams only).
func New(an *arabic.Analyzer, cfg Config) *Engine {
	return &Engine{
		cfg: cfg.withDefaults(), an: an, logs: []float64{0},
		vocab: map[string]int32{}, byID: map[int64]int32{}, stories: map[int64]*story{}, srcIdx: map[string]int32{},
	}
}

// Reserve makes room for n articles in all, so that a bulk load of a known
// size does not grow the per-article arrays as it goes: growing copies
// them, and the last growth (at 97% of 310k articles) came at the load's
// peak of memory and left a fifth of the array unused.
func (e *Engine) Reserve(n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if n <= cap(e.docs) {
		return
	}
	e.docs = slices.Grow(e.docs, n-len(e.docs))
	e.norms = slices.Grow(e.norms, n-len(e.norms))
	e.normAt = slices.Grow(e.normAt, n-len(e.normAt))
}

// Config returns the engine's effective configuration.
func (e *Engine) Config() Config { return e.cfg }

// Len is the number of articles the engine holds.
func (e *Engine) Len() int {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return len(e.docs)
}

// Has reports whether the article is known.
func (e *Engine) Has(id int64) bool {
	e.mu.RLock()
	defer e.mu.RUnlock()
	_, ok := e.byID[id]
	return ok
}

func (e *Engine) idf(term int32) float64 {
	return e.lnN - e.lnDF(e.df[term])
}

// lnDF is ln(df+1) from a table (logarithms were most of the time spent
// comparing); index extends the table, so readers never write.
func (e *Engine) lnDF(df int32) float64 { return e.logs[df] }

// Assignment is what Add did with an article.
type Assignment struct {
	ArticleID int64
	StoryID   int64
	// Merged lists stories the article bridged into StoryID; they no
	// longer exist.
	Merged []int64
	// CopyOf is the article this one was found to copy (by OriginalID or
	// by near-identical text); 0 when none.
	CopyOf int64
	New    bool // the article started the story
}

// index adds the article's features to df and postings and returns the
// new document (not yet stored in e.docs). The features kept are the
// MaxFeatures heaviest by TF-IDF as of this arrival, so the state depends
// only on the order of arrival.
func (e *Engine) index(it Item) doc {
	if e.buf.at == nil {
		e.buf.at = map[string]int{}
	}
	raw := extract(e.buf.raw[:0], e.buf.at, e.an, it.Text, e.cfg.TitleBoost, e.cfg.BodyTerms)
	e.buf.raw = raw
	e.n++
	e.lnN = math.Log(float64(e.n + 1))
	fs := e.buf.feats[:0]
	for _, r := range raw {
		id, ok := e.vocab[r.key]
		if !ok {
			id = int32(len(e.df))
			// A term is a substring of the article's text (internal/arabic
			// does not copy): a copy keeps the text from living as long
			// as the vocabulary.
			e.vocab[strings.Clone(r.key)] = id
			e.df = append(e.df, 0)
			e.post = append(e.post, nil)
		}
		e.df[id]++
		for int(e.df[id]) >= len(e.logs) {
			e.logs = append(e.logs, math.Log(float64(len(e.logs)+1)))
		}
		fs = append(fs, feat{term: id, w: float32(r.w)})
	}
	if len(fs) > e.cfg.MaxFeatures {
		// Keyed once: computing TF-IDF in the comparison cost more than the
		// rest of indexing.
		ks := e.buf.keyed[:0]
		for i, f := range fs {
			ks = append(ks, keyed{f, float64(f.w) * e.idf(f.term), i})
		}
		e.buf.keyed = ks
		// Heaviest first, ties in text order (an unstable sort with the
		// position as the last key is faster than a stable one).
		slices.SortFunc(ks, func(a, b keyed) int {
			if c := cmp.Compare(b.k, a.k); c != 0 {
				return c
			}
			return cmp.Compare(a.pos, b.pos)
		})
		fs = fs[:e.cfg.MaxFeatures]
		for i := range fs {
			fs[i] = ks[i].f
		}
	}
	slices.SortFunc(fs, func(a, b feat) int { return cmp.Compare(a.term, b.term) })
	for k := range fs {
		if idf := e.idf(fs[k].term); idf >= e.cfg.MinIDF {
			fs[k].iw = fs[k].w * float32(idf)
		}
	}
	e.buf.feats = fs
	src, ok := e.srcIdx[it.Source]
	if !ok {
		src = int32(len(e.srcs))
		source := strings.Clone(it.Source)
		e.srcIdx[source] = src
		e.srcs = append(e.srcs, source)
	}
	// The kept features, shingles and figures are copied into the arenas
	// (exact length, no allocation per article); the buffers they were
	// computed in are reused for the next article.
	e.buf.shing = shingles(e.buf.shing[:0], it.Text.BodyTerms)
	e.buf.figs = figures(e.buf.figs[:0], it.Text.TitleTerms, it.Text.BodyTerms)
	d := doc{id: it.ID, t: it.When.Unix(), src: src, feats: e.featArena.clone(fs), image: it.HasImage, group: it.ID, linked: it.ID,
		shing: e.hashArena.clone(e.buf.shing), figs: e.hashArena.clone(e.buf.figs)}
	if it.OriginalID != 0 && it.OriginalID != it.ID {
		d.group, d.copied, d.linked = it.OriginalID, true, it.OriginalID
		if j, ok := e.byID[it.OriginalID]; ok {
			d.group = e.docs[j].group
		}
	}
	return d
}

func (e *Engine) store(d doc) int32 {
	i := int32(len(e.docs))
	e.docs = append(e.docs, d)
	e.norms = append(e.norms, float32(e.norm(d.feats)))
	e.normAt = append(e.normAt, int32(e.n))
	e.byID[d.id] = i
	if b := int(i) / blockSize; b == len(e.blocks) {
		e.blocks = append(e.blocks, span{d.t, d.t})
	} else {
		e.blocks[b] = span{min(e.blocks[b].lo, d.t), max(e.blocks[b].hi, d.t)}
	}
	for _, f := range d.feats {
		e.post[f.term] = append(grow(e.post[f.term]), posting{i, f.w})
	}
	return i
}

const blockSize = 1024

// grow returns s with room for one more element, growing it by an eighth:
// append doubles short slices, and posting lists, most of which stop
// growing, kept a third of their capacity unused (50 MB at 310k articles;
// compacting them once loaded instead made serve's peak).
func grow[T any](s []T) []T {
	if len(s) < cap(s) {
		return s
	}
	n := make([]T, len(s), len(s)+len(s)/8+1)
	copy(n, s)
	return n
}

// span is a time range in Unix seconds.
type span struct{ lo, hi int64 }

// indexes returns the least and greatest document index that may lie in
// the time range t (from > to when none does).
func (e *Engine) indexes(t span) (from, to int32) {
	from, to = int32(len(e.docs)), -1
	for b, s := range e.blocks {
		if s.hi >= t.lo && s.lo <= t.hi {
			from = min(from, int32(b*blockSize))
			to = int32(min((b+1)*blockSize, len(e.docs)) - 1)
		}
	}
	return from, to
}

// norm is the length of a document's vector under the current IDF,
// counting only the features used for matching.
func (e *Engine) norm(fs []feat) float64 {
	var s float64
	for _, f := range fs {
		if idf := e.idf(f.term); idf >= e.cfg.MinIDF {
			w := float64(f.w) * idf
			s += w * w
		}
	}
	return math.Sqrt(s)
}

// match accumulates cosine similarities of q against the documents keep
// accepts, walking postings newest first while more returns true for the
// posting's document.
type cand struct {
	dot    float64
	doc    int32
	shared int32
}

// docNorm is the cached length of document i, refreshed as the collection
// grows (writers only).
func (e *Engine) docNorm(i int32) float64 {
	if at := int(e.normAt[i]); e.n > at+at/50+10 {
		e.norms[i] = float32(e.norm(e.docs[i].feats))
		e.normAt[i] = int32(e.n)
	}
	return float64(e.norms[i])
}

// scratch is match's working memory, kept between calls so that a query
// allocates nothing: acc is a dense accumulator indexed by document (left
// zeroed), touched the documents it holds, out the result.
type scratch struct {
	acc     []cand
	touched []int32
	out     []cand
}

func (sc *scratch) grow(n int) {
	if len(sc.acc) < n {
		sc.acc = append(sc.acc, make([]cand, n-len(sc.acc)+n/8)...)
	}
}

// match accumulates the cosine similarity of q to every document keep
// accepts among those with an index in [from, to], walking each feature's
// postings newest first until stop says the rest are too old. Writers
// (refresh) bring stale cached norms up to date; readers use them as they
// stand. The result is unsorted and lives in sc until its next use.
func (e *Engine) match(sc *scratch, q []feat, qnorm float64, refresh bool, from, to int32, keep, stop func(i int32) bool) []cand {
	if qnorm == 0 {
		return nil
	}
	sc.grow(len(e.docs))
	acc, touched := sc.acc, sc.touched[:0]
	for _, f := range q {
		idf := e.idf(f.term)
		if idf < e.cfg.MinIDF {
			continue
		}
		qw := float64(f.w) * idf * idf
		ps := e.post[f.term]
		end := len(ps)
		if len(ps) > 0 && ps[len(ps)-1].doc > to {
			end, _ = slices.BinarySearchFunc(ps, to+1, func(p posting, d int32) int { return cmp.Compare(p.doc, d) })
		}
		for k := end - 1; k >= 0; k-- {
			p := ps[k]
			if p.doc < from || stop != nil && stop(p.doc) {
				break
			}
			if !keep(p.doc) {
				continue
			}
			c := &acc[p.doc]
			if c.shared == 0 {
				c.doc = p.doc
				touched = append(touched, p.doc)
			}
			c.dot += qw * float64(p.w)
			c.shared++
		}
	}
	out := sc.out[:0]
	for _, i := range touched {
		c := acc[i]
		acc[i] = cand{}
		n := float64(e.norms[i])
		if refresh {
			n = e.docNorm(i)
		}
		if n > 0 {
			c.dot /= qnorm * n
			out = append(out, c)
		}
	}
	sc.touched, sc.out = touched, out
	return out
}

// matchW is match for writers (holding mu): the engine's own scratch.
func (e *Engine) matchW(q []feat, keep, stop func(i int32) bool) []cand {
	return e.match(&e.w, q, e.norm(q), true, 0, int32(len(e.docs)-1), keep, stop)
}

func sortCands(out []cand) {
	slices.SortFunc(out, func(a, b cand) int {
		if c := cmp.Compare(b.dot, a.dot); c != 0 {
			return c
		}
		return cmp.Compare(a.doc, b.doc)
	})
}

// figuresDiffer reports whether two articles state figures enough and
// share too few of them to report one event.
func (e *Engine) figuresDiffer(a, b []uint32) bool {
	if len(a) < e.cfg.FigureMin || len(b) < e.cfg.FigureMin {
		return false
	}
	return containment(a, b) < e.cfg.FigureShare
}

func (e *Engine) decay(dt int64, half time.Duration) float64 {
	if dt < 0 {
		dt = -dt
	}
	return math.Exp2(-float64(dt) / half.Seconds())
}

// Add clusters a new article: it joins the best-scoring open story (a
// story with a member within the window), bridging others whose score
// reaches Merge, or starts a story whose ID is its own. An article already
// known is left where it is.
func (e *Engine) Add(it Item) Assignment {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.place(it, false)
}

// Restore adds an article already clustered (rebuilding the state from the
// store after a restart, or catching up with another process): it is
// indexed and compared exactly as Add would have done, so the state after
// restoring a sequence equals the state after adding it, and it stays in
// it.StoryID. An article with no story is clustered as by Add.
func (e *Engine) Restore(it Item) Assignment {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.place(it, it.StoryID != 0)
}

func (e *Engine) place(it Item, restore bool) Assignment {
	if i, ok := e.byID[it.ID]; ok {
		return Assignment{ArticleID: it.ID, StoryID: e.docs[i].story}
	}
	d := e.index(it)
	win := int64(e.cfg.Window.Seconds())
	lo, hi := d.t-win, d.t+win
	floor := lo - int64(e.cfg.MaxDisorder.Seconds())
	cands := e.matchW(d.feats,
		func(i int32) bool { t := e.docs[i].t; return t >= lo && t <= hi && e.docs[i].story != 0 },
		func(i int32) bool { return e.docs[i].t < floor })
	a := Assignment{ArticleID: it.ID}
	// A copy (stored link or shared wording) belongs with its original.
	if d.copied {
		if j, ok := e.byID[d.group]; ok {
			a.CopyOf = d.group
			a.StoryID = e.docs[j].story
		}
	} else if k := e.copyOf(d, cands); k >= 0 {
		o := e.docs[k]
		d.group, d.copied = o.group, true
		a.CopyOf, a.StoryID = o.group, o.story
	}
	if restore {
		i := e.store(d)
		e.docs[i].story = it.StoryID
		st := e.stories[it.StoryID]
		if st == nil {
			st = &story{id: it.StoryID}
			e.stories[it.StoryID] = st
		}
		st.members = append(st.members, i)
		return Assignment{ArticleID: it.ID, StoryID: it.StoryID, CopyOf: a.CopyOf}
	}
	// Score stories: the best decayed similarity to a member (copies count
	// once because it is a maximum over members); a story with a close
	// member that reports other figures is out.
	scores := map[int64]float64{}
	vetoed := map[int64]bool{}
	var order []int64
	// A member less similar than every threshold changes nothing (the
	// decay only lowers a score): most candidates share one rare term.
	least := min(e.cfg.Join, e.cfg.Merge)
	weakest := min(least, e.cfg.FigureVeto)
	for _, c := range cands {
		if c.dot < weakest {
			continue
		}
		o := &e.docs[c.doc]
		s := c.dot * e.decay(d.t-o.t, e.cfg.HalfLife)
		if _, ok := scores[o.story]; !ok {
			order = append(order, o.story)
		}
		if s >= e.cfg.FigureVeto && e.figuresDiffer(d.figs, o.figs) {
			vetoed[o.story] = true
		}
		scores[o.story] = max(scores[o.story], s)
	}
	for sid := range vetoed {
		scores[sid] = 0
	}
	// Only stories that can be joined or bridged matter: sorting every
	// story that shares a feature was a third of the time per article.
	order = slices.DeleteFunc(order, func(sid int64) bool { return scores[sid] < least })
	slices.SortStableFunc(order, func(x, y int64) int {
		if c := cmp.Compare(scores[y], scores[x]); c != 0 {
			return c
		}
		return cmp.Compare(x, y)
	})
	if a.StoryID == 0 && len(order) > 0 && scores[order[0]] >= e.cfg.Join {
		a.StoryID = order[0]
	}
	i := e.store(d)
	if a.StoryID == 0 {
		a.StoryID, a.New = it.ID, true
		e.stories[it.ID] = &story{id: it.ID}
	}
	// Bridges: other stories this article matches strongly enough.
	var merge []int64
	for _, sid := range order {
		if sid != a.StoryID && scores[sid] >= e.cfg.Merge {
			merge = append(merge, sid)
		}
	}
	e.docs[i].story = a.StoryID
	st := e.stories[a.StoryID]
	st.members = append(st.members, i)
	if len(merge) > 0 {
		a.StoryID, a.Merged = e.merge(append(merge, a.StoryID))
	}
	return a
}

// merge joins stories into the oldest (smallest ID, so links to the
// oldest coverage stay valid) and returns it and the IDs that went.
func (e *Engine) merge(ids []int64) (int64, []int64) {
	into := slices.Min(ids)
	dst := e.stories[into]
	var gone []int64
	for _, id := range ids {
		if id == into {
			continue
		}
		src := e.stories[id]
		if src == nil {
			continue
		}
		for _, m := range src.members {
			e.docs[m].story = into
		}
		dst.members = append(dst.members, src.members...)
		delete(e.stories, id)
		gone = append(gone, id)
	}
	slices.Sort(dst.members)
	slices.Sort(gone)
	return into, gone
}

// copyTop is how many of the most similar candidates are checked for copied
// wording.
const copyTop = 5

// copyOf returns the candidate d copies (near-identical vector, or enough
// shared wording), or -1.
func (e *Engine) copyOf(d doc, cands []cand) int32 {
	top := make([]cand, 0, copyTop+1)
	for _, c := range cands {
		if len(top) == copyTop && !better(c, top[copyTop-1]) {
			continue
		}
		k, _ := slices.BinarySearchFunc(top, c, func(x, y cand) int {
			if better(x, y) {
				return -1
			}
			return 1
		})
		top = slices.Insert(top, k, c)
		if len(top) > copyTop {
			top = top[:copyTop]
		}
	}
	for _, c := range top {
		if c.dot >= e.cfg.Copy || containment(d.shing, e.docs[c.doc].shing) >= e.cfg.CopyContainment {
			return c.doc
		}
	}
	return -1
}

// better orders candidates by similarity, then by arrival.
func better(a, b cand) bool {
	return a.dot > b.dot || a.dot == b.dot && a.doc < b.doc
}

// Index adds an article without comparing it to anything: it counts in the
// document frequencies and can be found by related reading, in a story of
// its own. For background statistics (evaluations) and for building large
// benchmark states quickly; Add is the clustering path.
func (e *Engine) Index(it Item) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.byID[it.ID]; ok {
		return
	}
	d := e.index(it)
	d.story = it.ID
	i := e.store(d)
	e.stories[it.ID] = &story{id: it.ID, members: []int32{i}}
}
