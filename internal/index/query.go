package index

import (
	"cmp"
	"container/heap"
	"math"
	"slices"
	"sync"

	"modernc.org/libc"

	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
)

// hits are the live documents one match (a term or a phrase) occurs in,
// by ordinal, with its bm25 frequency in each (3 × title instances + body
// instances).
type hits struct {
	ords  []int32
	freqs []uint32
}

// matchHits finds the documents m matches in the whole index (bm25's IDF
// counts them all, whatever the rest of the query and its filters).
func (ix *Index) matchHits(m store.Match, sc *queryScratch) hits {
	toks := tokensOf(m.Terms)
	var h hits
	if len(toks) == 0 {
		return h
	}
	if len(toks) == 1 {
		return ix.tokenHits(ix.terms[toks[0]], m.Title, sc)
	}
	// The rarest token leads: the others seek to its documents.
	cs := make([]cursor, len(toks))
	lead := 0
	for i, t := range toks {
		p := ix.terms[t]
		if p == nil {
			return h
		}
		cs[i] = newCursor(p, true)
		if p.n < cs[lead].p.n {
			lead = i
		}
	}
	most := int(cs[lead].p.n) // documents the phrase can match
	var p parted
	for w := range p.out {
		p.out[w] = hits{ords: sc.i32.take(most), freqs: sc.u32.take(most)}
	}
	var ws [2]struct {
		cs     []cursor
		starts [2][]uint32
	}
	ws[0].cs = cs
	n := len(ix.ids)
	of := ix.spreader.spread(most, func() {
		ws[1].cs = make([]cursor, len(cs))
		for i := range cs {
			ws[1].cs[i] = newCursor(cs[i].p, true)
		}
	}, func(w, k, of int) {
		lo, hi := rangeOf(k, of, n)
		i := len(p.out[w].ords)
		p.out[w], ws[w].starts = phraseHits(ws[w].cs, lead, lo, hi, m.Title, ix.dead, p.out[w], ws[w].starts)
		p.mark(k, w, i)
	})
	return p.join(of, func() hits { return hits{ords: sc.i32.take(most), freqs: sc.u32.take(most)} })
}

// phraseHits appends to h the live documents in [lo, hi) where the
// cursors' tokens (cs, in phrase order; lead the rarest) stand in a row.
// The cursors may have been left by a walk over an earlier range; starts
// is phraseFreq's scratch.
func phraseHits(cs []cursor, lead int, lo, hi int32, title bool, dead []bool, h hits, starts [2][]uint32) (hits, [2][]uint32) {
	if !cs[lead].seek(lo) {
		return h, starts
	}
	for target := cs[lead].ord; target < hi; {
		// Align every cursor on one document.
		aligned := true
		for i := range cs {
			if !cs[i].seek(target) {
				return h, starts
			}
			if cs[i].ord > target {
				target, aligned = cs[i].ord, false
			}
		}
		if !aligned {
			continue
		}
		if !dead[target] {
			var nT, nB uint32
			if len(cs) == 2 {
				nT, nB = pairFreq(&cs[0], &cs[1], title)
			} else {
				starts, nT, nB = phraseFreq(cs, starts, title)
			}
			if f := 3*nT + nB; f > 0 {
				h.ords, h.freqs = append(h.ords, target), append(h.freqs, f)
			}
		}
		if !cs[lead].next() {
			return h, starts
		}
		target = cs[lead].ord
	}
	return h, starts
}

// liveCount is the number of live documents in p: its length until a
// document dies, then counted once per removal (searches share the read
// lock, so the count has its own).
func (ix *Index) liveCount(p *postings) int32 {
	if ix.deadN == 0 {
		return p.n
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.deadAt != ix.deadN {
		n := int32(0)
		for c := newCursor(p, false); c.next(); {
			if !ix.dead[c.ord] {
				n++
			}
		}
		p.live, p.deadAt = n, ix.deadN
	}
	return p.live
}

// tokenHits is the live documents of one token's postings (in the title
// only, when title).
func (ix *Index) tokenHits(p *postings, title bool, sc *queryScratch) hits {
	var h hits
	if p == nil {
		return h
	}
	h.ords, h.freqs = sc.i32.take(int(p.n)), sc.u32.take(int(p.n))
	// A block at a time: every document of the list is taken.
	c := newCursor(p, false)
	c.allCounts = true
	dead := ix.dead
	for c.fill() {
		for j, ord := range c.ords[:c.n] {
			if dead[ord] {
				continue
			}
			f := 3 * c.tTs[j]
			if !title {
				f += c.tBs[j]
			}
			if f > 0 {
				h.ords, h.freqs = append(h.ords, ord), append(h.freqs, f)
			}
		}
	}
	return h
}

// phraseFreq counts the phrase's instances in the title and in the body
// of the document every cursor in cs (one per token, in order) is on: the
// starts where token i sits at start+i for every i (overlapping instances
// count, as in FTS5). The first token's positions are the candidate
// starts, and each next token's keeps those it follows, until none is
// left (the rest's positions are then skipped, not read). In the body
// only unless titleOnly; starts is scratch, returned for reuse.
func phraseFreq(cs []cursor, starts [2][]uint32, titleOnly bool) ([2][]uint32, uint32, uint32) {
	starts[0], starts[1] = cs[0].positions(starts[0], starts[1])
	if titleOnly {
		starts[1] = starts[1][:0]
	}
	for i := 1; i < len(cs) && len(starts[0])+len(starts[1]) > 0; i++ {
		starts[0], starts[1] = cs[i].follows(starts[0], starts[1], uint32(i))
	}
	return starts, uint32(len(starts[0])), uint32(len(starts[1]))
}

// pairFreq is phraseFreq for two tokens (most phrases): one merge of the
// two position lists per column as they are decoded, with no lists built.
// The body's positions left undecoded are skipped by the next read.
func pairFreq(c0, c1 *cursor, titleOnly bool) (nT, nB uint32) {
	c0.atPositions()
	c1.atPositions()
	b0, b1 := c0.p.pos, c1.p.pos
	var i0, i1 int
	var r0, r1 uint32
	nT, i0, r0, i1, r1 = adjacent(b0, c0.pi, c0.tT, b1, c1.pi, c1.tT)
	i0, i1 = skipVarints(b0, i0, int(r0)), skipVarints(b1, i1, int(r1))
	r0, r1 = c0.tB, c1.tB
	if !titleOnly {
		nB, i0, r0, i1, r1 = adjacent(b0, i0, r0, b1, i1, r1)
	}
	c0.leave(i0, r0)
	c1.leave(i1, r1)
	return nT, nB
}

// adjacent counts the positions p among the na at a[i:] with p+1 among
// the nb at b[j:] (uvarint deltas from 0, ascending). It stops when either
// list is exhausted and returns, for each list, the offset after what it
// decoded and how many it left undecoded.
func adjacent(a []byte, i int, na uint32, b []byte, j int, nb uint32) (n uint32, _ int, _ uint32, _ int, _ uint32) {
	if na == 0 || nb == 0 {
		return 0, i, na, j, nb
	}
	var pa, pb, x uint32
	pa, i = uvarint(a, i)
	pb, j = uvarint(b, j)
	na, nb = na-1, nb-1
	for {
		switch {
		case pa+1 < pb:
			if na == 0 {
				return n, i, 0, j, nb
			}
			x, i = uvarint(a, i)
			pa, na = pa+x, na-1
		case pa+1 > pb:
			if nb == 0 {
				return n, i, na, j, 0
			}
			x, j = uvarint(b, j)
			pb, nb = pb+x, nb-1
		default:
			n++
			if na == 0 || nb == 0 {
				return n, i, na, j, nb
			}
			x, i = uvarint(a, i)
			pa, na = pa+x, na-1
			x, j = uvarint(b, j)
			pb, nb = pb+x, nb-1
		}
	}
}

// union merges sorted ordinal lists.
func union(ls [][]int32) []int32 {
	switch len(ls) {
	case 0:
		return nil
	case 1:
		return ls[0]
	}
	var out []int32
	for _, l := range ls {
		out = append(out, l...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// intersect keeps a's ordinals that are in b (both sorted).
func intersect(a, b []int32) []int32 {
	out := a[:0:0]
	j := 0
	for _, x := range a {
		for j < len(b) && b[j] < x {
			j++
		}
		if j == len(b) {
			break
		}
		if b[j] == x {
			out = append(out, x)
		}
	}
	return out
}

// subtract drops b's ordinals from a (both sorted).
func subtract(a, b []int32) []int32 {
	if len(b) == 0 {
		return a
	}
	out := a[:0:0]
	j := 0
	for _, x := range a {
		for j < len(b) && b[j] < x {
			j++
		}
		if j < len(b) && b[j] == x {
			continue
		}
		out = append(out, x)
	}
	return out
}

// ln is the natural logarithm SQLite computes bm25's IDF with: the C
// library's log (musl's, in modernc.org/sqlite on Linux), which differs
// from math.Log in the last bit for some arguments, enough to swap two
// results with nearly equal scores. Its TLS argument is only used for
// tracing.
func ln(x float64) float64 { return libc.Xlog(nil, x) }

// bm25 constants as FTS5 has them; variables so the arithmetic is the same
// float64 operations FTS5 performs at run time.
var k1, b = 1.2, 0.75

// Search answers q as store.Store.Search does, except that hits carry only
// the article's ID (the caller reads the articles it shows).
func (ix *Index) Search(q store.SearchQuery) store.SearchPage {
	must, not := q.Clauses()
	if len(must) == 0 {
		return store.SearchPage{}
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	sc, _ := ix.queries.Get().(*queryScratch)
	if sc == nil {
		sc = new(queryScratch)
	}
	defer func() { sc.reset(); ix.queries.Put(sc) }()

	// Every alternative of every group is a bm25 phrase, in order. A group
	// that is one plain token is only walked where the other groups match
	// (its IDF needs just its document count); the others are found in full.
	var matches []hits
	var idf []float64
	var groups [][]int32
	type lazy struct {
		match int
		p     *postings
	}
	var lazies []lazy
	n := float64(ix.live)
	setIDF := func(nh float64) {
		w := ln((n - nh + 0.5) / (nh + 0.5))
		if w <= 0 {
			w = 1e-6
		}
		idf = append(idf, w)
	}
	for _, g := range must {
		if len(g) == 1 && !g[0].Title {
			if toks := tokensOf(g[0].Terms); len(toks) == 1 && ix.terms[toks[0]] != nil {
				p := ix.terms[toks[0]]
				lazies = append(lazies, lazy{match: len(matches), p: p})
				matches = append(matches, hits{})
				setIDF(float64(ix.liveCount(p)))
				continue
			}
		}
		alts := make([][]int32, len(g))
		for i, m := range g {
			h := ix.matchHits(m, sc)
			matches = append(matches, h)
			setIDF(float64(len(h.ords)))
			alts[i] = h.ords
		}
		groups = append(groups, union(alts))
	}
	slices.SortStableFunc(groups, func(a, b []int32) int { return cmp.Compare(len(a), len(b)) })
	slices.SortStableFunc(lazies, func(a, b lazy) int { return cmp.Compare(a.p.n, b.p.n) })
	if len(lazies) > 0 && (len(groups) == 0 || int(ix.liveCount(lazies[0].p)) < len(groups[0])) {
		// The rarest token leads.
		h := ix.tokenHits(lazies[0].p, false, sc)
		matches[lazies[0].match] = h
		groups = append([][]int32{h.ords}, groups...)
		lazies = lazies[1:]
	}
	docs := groups[0]
	for _, g := range groups[1:] {
		docs = intersect(docs, g)
	}
	for _, l := range lazies {
		h := hits{ords: sc.i32.take(len(docs)), freqs: sc.u32.take(len(docs))}
		c := newCursor(l.p, false)
		for _, d := range docs {
			if !c.seek(d) {
				break
			}
			if c.ord == d {
				h.ords, h.freqs = append(h.ords, d), append(h.freqs, 3*c.tT+c.tB)
			}
		}
		matches[l.match], docs = h, h.ords
	}
	for _, m := range not {
		docs = subtract(docs, ix.matchHits(m, sc).ords)
	}
	docs = ix.filter(docs, q)

	var page store.SearchPage
	page.Total = len(docs)
	if q.Facets {
		page.Sources, page.Days = ix.facets(docs, q.TZOffset)
	}
	if page.Total == 0 || q.Offset >= page.Total {
		return page
	}
	// Scores are shown when sorting by date too.
	need := max(0, q.Offset) + limitOf(q.Limit)
	r := ranking{ix: ix, docs: docs, scores: ix.score(docs, matches, idf, sc), byDate: q.ByDate}
	if q.Collapse {
		page.Hits = ix.collapse(&r, need)
	} else {
		for _, k := range r.top(nil, need) {
			page.Hits = append(page.Hits, store.SearchHit{Article: news.Article{ID: ix.ids[docs[k]]}, Score: r.score(k)})
		}
	}
	if q.Offset >= len(page.Hits) {
		page.Hits = nil
	} else {
		page.Hits = page.Hits[max(0, q.Offset):]
	}
	return page
}

func limitOf(n int) int {
	if n <= 0 {
		return store.DefaultLimit
	}
	return n
}

// filter applies the query's sources and time range.
func (ix *Index) filter(docs []int32, q store.SearchQuery) []int32 {
	if len(q.SourceIDs) == 0 && q.From.IsZero() && q.To.IsZero() {
		return docs
	}
	var srcs []bool
	if len(q.SourceIDs) > 0 {
		srcs = make([]bool, len(ix.sources))
		for _, s := range q.SourceIDs {
			if i, ok := ix.srcIdx[s]; ok {
				srcs[i] = true
			}
		}
	}
	from, to := int64(math.MinInt64), int64(math.MaxInt64)
	if !q.From.IsZero() {
		from = q.From.Unix()
	}
	if !q.To.IsZero() {
		to = q.To.Unix()
	}
	out := docs[:0:0]
	for _, d := range docs {
		if srcs != nil && !srcs[ix.src[d]] || ix.times[d] < from || ix.times[d] >= to {
			continue
		}
		out = append(out, d)
	}
	return out
}

// score computes each document's bm25 as FTS5 does: the sum over the
// query's matches, in order, of IDF × f(k1+1) / (f + k1(1 − b + b·D/avgdl)).
func (ix *Index) score(docs []int32, matches []hits, idf []float64, sc *queryScratch) []float64 {
	avgdl := float64(ix.totalLen) / float64(ix.live)
	out := sc.f64.take(len(docs))[:len(docs)]
	at := make([]int, len(matches))
	// The length norm is the same for every match of a document: computed
	// once (the same operations, so the same value), it saves a division
	// per match, which bounds this loop.
	kp := k1 + 1.0
	for k, d := range docs {
		norm := float64(k1 * (1 - b + b*float64(ix.lens[d])/avgdl))
		s := 0.0
		for i := range matches {
			m := &matches[i]
			j := at[i]
			for j < len(m.ords) && m.ords[j] < d {
				j++
			}
			at[i] = j
			if j < len(m.ords) && m.ords[j] == d {
				f := float64(m.freqs[j])
				s += idf[i] * ((f * kp) / (f + norm))
			}
		}
		out[k] = s
	}
	return out
}

// ranking orders a query's documents (indexes into docs): by score, or
// newest first, then by URL key.
type ranking struct {
	ix     *Index
	docs   []int32
	scores []float64
	byDate bool
}

func (r *ranking) score(k int) float64 { return r.scores[k] }

// before reports whether document k ranks before document l.
func (r *ranking) before(k, l int) bool {
	if !r.byDate {
		if a, b := r.scores[k], r.scores[l]; a != b {
			return a > b
		}
	} else if a, b := r.ix.times[r.docs[k]], r.ix.times[r.docs[l]]; a != b {
		return a > b
	}
	return r.ix.keys[r.docs[k]] < r.ix.keys[r.docs[l]]
}

// top returns the first n of the candidates (all documents when nil) in
// rank order.
func (r *ranking) top(cands []int, n int) []int {
	h := &worst{r: r}
	push := func(k int) {
		if len(h.ks) < n {
			heap.Push(h, k)
		} else if r.before(k, h.ks[0]) {
			h.ks[0] = k
			heap.Fix(h, 0)
		}
	}
	if cands == nil {
		for k := range r.docs {
			push(k)
		}
	} else {
		for _, k := range cands {
			push(k)
		}
	}
	out := make([]int, len(h.ks))
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(h).(int)
	}
	return out
}

// worst is a heap whose root is the lowest-ranked document kept.
type worst struct {
	r  *ranking
	ks []int
}

func (h *worst) Len() int           { return len(h.ks) }
func (h *worst) Less(i, j int) bool { return h.r.before(h.ks[j], h.ks[i]) }
func (h *worst) Swap(i, j int)      { h.ks[i], h.ks[j] = h.ks[j], h.ks[i] }
func (h *worst) Push(x any)         { h.ks = append(h.ks, x.(int)) }
func (h *worst) Pop() any {
	x := h.ks[len(h.ks)-1]
	h.ks = h.ks[:len(h.ks)-1]
	return x
}

// groupMarks holds, per copy group, a position + 1 (0: none) in a query's
// group heap or page, reused across queries: only the entries a query sets
// are reset.
type groupMarks struct{ at []int32 }

var marksPool sync.Pool

// collapse pages over copy groups as store.Collapse does: a group ranks as
// its best member, shows its original when that matches (else that best
// member) with the best member's score, and counts its other matching
// members as copies. One pass keeps the best need groups in a heap keyed
// by group (a document of a group already in the heap replaces its entry
// when better); most documents lose to the heap's worst on the score
// alone, and so to every entry, their group's too: their group is not
// looked up. A second pass counts the page's groups' members, looking up
// only documents whose group passes a small filter of the page's groups
// (the marks are a large array read at random: the lookups were half of
// a common word's search).
func (ix *Index) collapse(r *ranking, need int) []store.SearchHit {
	gm, _ := marksPool.Get().(*groupMarks)
	if gm == nil {
		gm = &groupMarks{}
	}
	defer marksPool.Put(gm)
	if n := len(ix.groupIDs); len(gm.at) < n {
		gm.at = make([]int32, n+n/4)
	}
	h := groupHeap{r: r, at: gm.at}
	for k, d := range r.docs {
		if len(h.ks) == need && !r.before(k, h.ks[0]) {
			continue
		}
		g := ix.grp[d]
		if i := gm.at[g]; i > 0 {
			if r.before(k, h.ks[i-1]) {
				h.ks[i-1] = k
				h.down(int(i - 1))
			}
			continue
		}
		switch {
		case len(h.ks) < need:
			h.push(k)
		case r.before(k, h.ks[0]):
			gm.at[ix.grp[r.docs[h.ks[0]]]] = 0
			h.ks[0] = k
			gm.at[g] = 1
			h.down(0)
		}
	}
	page := make([]int, len(h.ks))
	for i := len(page) - 1; i >= 0; i-- {
		page[i] = h.pop()
	}
	var inPage pageFilter
	for i, k := range page {
		g := ix.grp[r.docs[k]]
		gm.at[g] = int32(i + 1)
		inPage.add(g)
	}
	members := make([]int, len(page))
	orig := make([]bool, len(page))
	for _, d := range r.docs {
		g := ix.grp[d]
		if !inPage.has(g) {
			continue
		}
		if i := gm.at[g]; i > 0 {
			members[i-1]++
			if ix.ids[d] == ix.groupIDs[g] {
				orig[i-1] = true
			}
		}
	}
	out := make([]store.SearchHit, 0, len(page))
	for i, k := range page {
		g := ix.grp[r.docs[k]]
		gm.at[g] = 0
		id := ix.ids[r.docs[k]]
		if orig[i] {
			id = ix.groupIDs[g]
		}
		out = append(out, store.SearchHit{Article: news.Article{ID: id}, Score: r.score(k), Copies: members[i] - 1})
	}
	return out
}

// pageFilter holds a page's groups approximately: a bit per group number
// modulo 4,096, in 512 bytes that stay in the L1 cache. Another group
// passes it only by sharing a bit (a page of a hundred groups lets fewer
// than 3% through), and then costs one lookup.
type pageFilter [64]uint64

func (f *pageFilter) add(g int32)      { f[g>>6&63] |= 1 << (g & 63) }
func (f *pageFilter) has(g int32) bool { return f[g>>6&63]&(1<<(g&63)) != 0 }

// groupHeap is a heap of documents (indexes into r.docs) whose root ranks
// last, with each entry's position + 1 in at[its group].
type groupHeap struct {
	r  *ranking
	ks []int
	at []int32
}

func (h *groupHeap) set(i, k int) {
	h.ks[i] = k
	h.at[h.r.ix.grp[h.r.docs[k]]] = int32(i + 1)
}

func (h *groupHeap) swap(i, j int) {
	a, b := h.ks[i], h.ks[j]
	h.set(i, b)
	h.set(j, a)
}

// worse: entry i ranks after entry j.
func (h *groupHeap) worse(i, j int) bool { return h.r.before(h.ks[j], h.ks[i]) }

func (h *groupHeap) push(k int) {
	h.ks = append(h.ks, k)
	i := len(h.ks) - 1
	h.set(i, k)
	for i > 0 {
		p := (i - 1) / 2
		if !h.worse(i, p) {
			break
		}
		h.swap(i, p)
		i = p
	}
}

func (h *groupHeap) down(i int) {
	h.set(i, h.ks[i])
	for {
		l := 2*i + 1
		if l >= len(h.ks) {
			return
		}
		c := l
		if r := l + 1; r < len(h.ks) && h.worse(r, l) {
			c = r
		}
		if !h.worse(c, i) {
			return
		}
		h.swap(i, c)
		i = c
	}
}

// pop removes and returns the last-ranked entry, clearing its mark.
func (h *groupHeap) pop() int {
	k := h.ks[0]
	h.at[h.r.ix.grp[h.r.docs[k]]] = 0
	n := len(h.ks) - 1
	h.ks[0] = h.ks[n]
	h.ks = h.ks[:n]
	if n > 0 {
		h.down(0)
	}
	return k
}

// queryScratch is one search's working memory for the arrays as long as its
// matches (postings walked, scores), handed out from one slab per type
// and reused by later searches: at 310k articles these were 300 KB per
// query, a third of the search page's garbage. Nothing a search returns
// points into it.
type queryScratch struct {
	i32 slab[int32]
	u32 slab[uint32]
	f64 slab[float64]
}

func (s *queryScratch) reset() { s.i32.off, s.u32.off, s.f64.off = 0, 0, 0 }

// slab hands out zero-length slices of capacity n from one array; when
// it is full a larger one replaces it (what was handed out stays valid),
// so after a few searches one array holds a whole search's needs.
type slab[T any] struct {
	buf []T
	off int
}

func (s *slab[T]) take(n int) []T {
	if s.off+n > len(s.buf) {
		s.buf = make([]T, max(2*len(s.buf), s.off+n, 1024))
		s.off = 0
	}
	out := s.buf[s.off : s.off : s.off+n]
	s.off += n
	return out
}
