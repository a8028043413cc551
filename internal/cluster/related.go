package cluster

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// Summary describes a story from the engine's state.
type Summary struct {
	ID int64
	// Central is the member closest to the centroid of the story's originals
	// (copies count once): its headline is the story's.
	Central int64
	// ImageOf is the member whose image the story shows: Central if it has
	// one, else the first member that has one; 0 when none has.
	ImageOf int64
	// Articles are the members' IDs, oldest first.
	Articles []int64
	// Groups is the number of copy groups (distinct texts).
	Groups int
	// Sources in order of their first article.
	Sources             []string
	FirstSeen, LastSeen time.Time
}

// Story summarises one story; ok is false when the engine does not know it.
func (e *Engine) Story(id int64) (Summary, bool) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	st := e.stories[id]
	if st == nil || len(st.members) == 0 {
		return Summary{}, false
	}
	ms := slices.Clone(st.members)
	slices.SortStableFunc(ms, func(a, b int32) int {
		if c := cmp.Compare(e.docs[a].t, e.docs[b].t); c != 0 {
			return c
		}
		return cmp.Compare(e.docs[a].id, e.docs[b].id)
	})
	s := Summary{ID: id}
	seenSrc := map[int32]bool{}
	groups := map[int64]bool{}
	// The centroid of the originals' unit vectors, weighted as of each
	// article's arrival: the central article then depends only on the
	// members, not on when the record is computed.
	centroid := map[int32]float64{}
	var originals []int32
	for _, m := range ms {
		d := e.docs[m]
		s.Articles = append(s.Articles, d.id)
		if !seenSrc[d.src] {
			seenSrc[d.src] = true
			s.Sources = append(s.Sources, e.srcs[d.src])
		}
		if groups[d.group] {
			continue
		}
		groups[d.group] = true
		originals = append(originals, m)
		n := staticNorm(d.feats)
		if n == 0 {
			continue
		}
		for _, f := range d.feats {
			centroid[f.term] += float64(f.iw) / n
		}
	}
	s.Groups = len(groups)
	s.FirstSeen = time.Unix(e.docs[ms[0]].t, 0).UTC()
	s.LastSeen = time.Unix(e.docs[ms[len(ms)-1]].t, 0).UTC()
	best, bestDot := originals[0], -1.0
	for _, m := range originals {
		d := e.docs[m]
		n := staticNorm(d.feats)
		if n == 0 {
			continue
		}
		var dot float64
		for _, f := range d.feats {
			dot += centroid[f.term] * float64(f.iw) / n
		}
		if dot > bestDot+1e-9 {
			best, bestDot = m, dot
		}
	}
	s.Central = e.docs[best].id
	if e.docs[best].image {
		s.ImageOf = s.Central
	}
	for _, m := range ms {
		if s.ImageOf != 0 {
			break
		}
		if e.docs[m].image {
			s.ImageOf = e.docs[m].id
		}
	}
	return s, true
}

// StoryOf returns the story an article is in (0 when unknown).
func (e *Engine) StoryOf(id int64) int64 {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if i, ok := e.byID[id]; ok {
		return e.docs[i].story
	}
	return 0
}

// otherStories is how many places of a list Related keeps for other stories
// by default (when there are any): the rest may be the same story's.
const otherStories = 2

// Hit is one related article.
type Hit struct {
	ID      int64
	StoryID int64
	Source  string
	// Score ranks the hits: cosine similarity, discounted for distance in
	// time and for repeating a source.
	Score float64
	// Similarity is the plain cosine similarity.
	Similarity float64
	SameStory  bool
}

// RelatedOptions shape a related-reading list.
type RelatedOptions struct {
	Limit int
	// SameStory caps the hits from the article's own story (other outlets'
	// coverage of the same event); the rest come from other stories on the
	// same topic. 0 leaves two places to other stories.
	SameStory int
	// Window overrides Config.RelatedWindow when not 0.
	Window time.Duration
}

// Related returns reading related to an article: articles on the same
// topic, best first, never a copy of it (same copy group or
// near-identical text), never one that shares only common terms (every
// matching feature must be rarer than MinIDF, and the cosine must reach
// RelatedMin), at most one per copy group, with a source's second and later
// hits discounted so that one outlet does not fill the list.
func (e *Engine) Related(id int64, o RelatedOptions) []Hit {
	if o.Limit <= 0 {
		o.Limit = 10
	}
	if o.SameStory <= 0 {
		o.SameStory = max(1, o.Limit-otherStories)
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	qi, ok := e.byID[id]
	if !ok {
		return nil
	}
	q := e.docs[qi]
	sc, _ := e.scratch.Get().(*scratch)
	if sc == nil {
		sc = new(scratch)
	}
	defer e.scratch.Put(sc)
	if o.Window <= 0 {
		o.Window = e.cfg.RelatedWindow
	}
	w := int64(o.Window.Seconds())
	win := span{q.t - w, q.t + w}
	from, to := e.indexes(win)
	cands := e.match(sc, q.feats, e.norm(q.feats), false, from, to, func(i int32) bool {
		d := &e.docs[i]
		return i != qi && d.linked != q.linked && d.t >= win.lo && d.t <= win.hi
	}, nil)
	// Most candidates share one common feature: drop what cannot be
	// listed before sorting (the sort was most of the time taken).
	cands = slices.DeleteFunc(cands, func(c cand) bool { return c.dot < e.cfg.RelatedMin || c.shared < 2 })
	sortCands(cands)
	type scored struct {
		c     cand
		score float64
	}
	var pool []scored
	groups := map[int64]bool{}
	for _, c := range cands {
		// Every candidate left reaches RelatedMin and shares two features
		// or more (one shared feature is a coincidence, however rare).
		d := e.docs[c.doc]
		if c.dot >= e.cfg.Copy || containment(q.shing, d.shing) >= e.cfg.RelatedCopy {
			continue // a copy the dedup stage has not linked (yet)
		}
		if groups[d.linked] {
			continue
		}
		groups[d.linked] = true
		score := c.dot * (0.5 + 0.5*e.decay(q.t-d.t, e.cfg.RelatedHalfLife))
		if d.story == q.story {
			// Other outlets' coverage of the same event comes first.
			score += e.cfg.SameStoryBonus
		}
		pool = append(pool, scored{c, score})
		if len(pool) >= 8*o.Limit {
			break
		}
	}
	slices.SortStableFunc(pool, func(a, b scored) int { return cmp.Compare(b.score, a.score) })
	// Greedy diversity: each pick discounts the next hits of its source.
	perSrc := map[int32]int{}
	sameStory := 0
	var out []Hit
	for len(out) < o.Limit && len(pool) > 0 {
		best, bestScore := -1, math.Inf(-1)
		for k, p := range pool {
			d := e.docs[p.c.doc]
			if d.story == q.story && q.story != 0 && sameStory >= o.SameStory {
				continue
			}
			s := p.score * math.Pow(0.8, float64(perSrc[d.src]))
			if s > bestScore {
				best, bestScore = k, s
			}
		}
		if best < 0 {
			break
		}
		p := pool[best]
		pool = slices.Delete(pool, best, best+1)
		d := e.docs[p.c.doc]
		if e.copiesAny(d, out) {
			continue // the same text as a hit already listed
		}
		perSrc[d.src]++
		same := d.story == q.story && q.story != 0
		if same {
			sameStory++
		}
		out = append(out, Hit{ID: d.id, StoryID: d.story, Source: e.srcs[d.src], Score: bestScore, Similarity: p.c.dot, SameStory: same})
	}
	return out
}

// Similarity is the cosine similarity of two known articles under the
// current IDF (0 when either is unknown).
func (e *Engine) Similarity(a, b int64) float64 {
	return e.pair(a, b, func(x, y *doc) float64 { return e.cosine(x.feats, y.feats) })
}

// pair applies f to two known articles under the read lock; 0 when either
// is unknown.
func (e *Engine) pair(a, b int64, f func(x, y *doc) float64) float64 {
	e.mu.RLock()
	defer e.mu.RUnlock()
	i, ok1 := e.byID[a]
	j, ok2 := e.byID[b]
	if !ok1 || !ok2 {
		return 0
	}
	return f(&e.docs[i], &e.docs[j])
}

func (e *Engine) cosine(x, y []feat) float64 {
	nx, ny := e.norm(x), e.norm(y)
	if nx == 0 || ny == 0 {
		return 0
	}
	var dot float64
	i, j := 0, 0
	for i < len(x) && j < len(y) {
		switch {
		case x[i].term < y[j].term:
			i++
		case x[i].term > y[j].term:
			j++
		default:
			if idf := e.idf(x[i].term); idf >= e.cfg.MinIDF {
				dot += float64(x[i].w) * float64(y[j].w) * idf * idf
			}
			i++
			j++
		}
	}
	return dot / (nx * ny)
}

// Containment is the share of the shorter article's sampled wording found in
// the other (0 when either is unknown).
func (e *Engine) Containment(a, b int64) float64 {
	return e.pair(a, b, func(x, y *doc) float64 { return containment(x.shing, y.shing) })
}

// GroupOf returns an article's copy group: the ID of the original it
// copies, its own ID for an original or an unknown article.
func (e *Engine) GroupOf(id int64) int64 {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if i, ok := e.byID[id]; ok {
		return e.docs[i].group
	}
	return id
}

// copiesAny reports whether d shares its wording with any of the hits.
func (e *Engine) copiesAny(d doc, hits []Hit) bool {
	for _, h := range hits {
		if containment(d.shing, e.docs[e.byID[h.ID]].shing) >= e.cfg.RelatedDistinct {
			return true
		}
	}
	return false
}

func staticNorm(fs []feat) float64 {
	var s float64
	for _, f := range fs {
		s += float64(f.iw) * float64(f.iw)
	}
	return math.Sqrt(s)
}
