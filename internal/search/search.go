// Package search turns a user's query into a store query through the Arabic
// analyzer and decorates the hits with highlighted snippets taken from the
// original text (so the article's own spelling and diacritics show, while
// matching is normalised).
package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/index"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
)

// Service answers searches.
type Service struct {
	store    store.Store
	analyzer *arabic.Analyzer
	index    *index.Index
	// scratch holds snippets' working memory (*snippetScratch): a page of
	// results analysed its bodies into fresh token slices, half of what a
	// search allocated.
	scratch sync.Pool
}

type snippetScratch struct {
	toks  []arabic.Token
	words []word
	frag  []byte
}

// New returns a search service.
func New(s store.Store, a *arabic.Analyzer) *Service {
	return &Service{store: s, analyzer: a}
}

// UseIndex makes searches run on ix (kept current with the store by
// index.Build and index.Stage) once it is ready; until then, and without
// one, they run on the store's full-text index. Both give the same
// results (TestIndexParity); the in-memory index is 30–100× faster.
func (s *Service) UseIndex(ix *index.Index) { s.index = ix }

// page runs one store query on the index when it is ready, else on the store.
func (s *Service) page(ctx context.Context, sq store.SearchQuery) (store.SearchPage, bool, error) {
	ix := s.index
	if ix == nil || !ix.Ready() {
		p, err := s.store.Search(ctx, sq)
		return p, false, err
	}
	p := ix.Search(sq)
	return p, true, s.fill(ctx, p.Hits)
}

// fill reads the articles of hits that carry only their IDs.
func (s *Service) fill(ctx context.Context, hits []store.SearchHit) error {
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.Article.ID
	}
	arts, err := s.store.ArticlesByID(ctx, ids)
	if err == nil {
		err = store.FillHits(hits, arts)
	}
	return err
}

// candidates pages through a query's ranked hits a batch at a time. On
// the in-memory index one search ranks several batches ahead (its cost is
// finding and scoring the matches, not the page's length) and each batch
// only reads its articles; the store answers each batch with a query.
type candidates struct {
	s  *Service
	sq store.SearchQuery
	// Index only: the hits ranked so far (IDs only) and how many the
	// search ranked (more than it found when it found fewer).
	ranked store.SearchPage
	limit  int
}

// batch returns hits [off, off+n) with their articles, and whether they
// came from the index. Total and the facets are those of the query.
func (c *candidates) batch(ctx context.Context, off, n int) (store.SearchPage, bool, error) {
	ix := c.s.index
	sq := c.sq
	if ix == nil || !ix.Ready() {
		sq.Offset, sq.Limit, sq.Facets = off, n, sq.Facets && off == 0
		p, err := c.s.store.Search(ctx, sq)
		return p, false, err
	}
	// Rank again, twice as far, when the batch runs past the hits ranked
	// and there may be more.
	if first := c.ranked.Hits == nil; first || off+n > len(c.ranked.Hits) && len(c.ranked.Hits) == c.limit {
		if !first {
			c.limit *= 2
		}
		c.limit = max(c.limit, off+n)
		sq.Offset, sq.Limit, sq.Facets = 0, c.limit, sq.Facets && first
		p := ix.Search(sq)
		if !first {
			p.Sources, p.Days = c.ranked.Sources, c.ranked.Days
		}
		c.ranked = p
		if c.ranked.Hits == nil {
			c.ranked.Hits = []store.SearchHit{}
		}
	}
	p := c.ranked
	p.Hits = slices.Clone(p.Hits[min(off, len(p.Hits)):min(off+n, len(p.Hits))])
	return p, true, c.s.fill(ctx, p.Hits)
}

// Request is a search as a user asks it.
type Request struct {
	// Query is in the query language (see ParseQuery).
	Query  string
	Limit  int
	Offset int
	// SortByDate orders newest first instead of by relevance.
	SortByDate bool
	// Expand lists copies as results of their own instead of collapsing
	// each copy group to its original.
	Expand bool
	// Facets asks for counts by source and by day, days in a zone
	// DayOffset seconds east of UTC.
	Facets    bool
	DayOffset int
}

// Result is one hit, ready to show.
type Result struct {
	Article news.Article
	Score   float64
	// Copies is the number of other matching articles in its copy group.
	Copies  int
	Snippet Snippet
}

// Results is a page of results.
type Results struct {
	Query  string
	Parsed Query
	// Terms are the analysed terms the snippets highlight.
	Terms []string
	// Total counts results (copy groups unless expanded) over all pages.
	// Approx marks an upper bound: a phrase query whose candidates were
	// too many to check them all on the normalised text.
	Total   int
	Approx  bool
	Results []Result
	Sources []store.SourceFacet
	Days    []store.DayCount
	Took    time.Duration
	// Indexed: answered by the in-memory index (else by the store).
	Indexed bool
}

// ErrEmptyQuery is returned for a query with no searchable words.
var ErrEmptyQuery error = &QueryError{
	Msg:    "empty query: type at least one word that is not a common word (في, من, على …)",
	Arabic: "لم نجد في الاستعلام كلمات يمكن البحث عنها: اكتب كلمة ليست من الكلمات الشائعة (في، من، على …).",
}

// maxVerify bounds how many candidates of a phrase query are checked on
// the normalised text.
const maxVerify = 1000

// Search runs req.
func (s *Service) Search(ctx context.Context, req Request) (Results, error) {
	start := time.Now()
	pq, err := ParseQuery(req.Query)
	if err != nil {
		return Results{Query: req.Query}, err
	}
	c := s.compile(pq)
	sq := c.query
	sq.ByDate, sq.Collapse, sq.Facets, sq.TZOffset = req.SortByDate, !req.Expand, req.Facets, req.DayOffset
	if must, _ := sq.Clauses(); len(must) == 0 {
		return Results{Query: req.Query, Parsed: pq}, ErrEmptyQuery
	}
	out := Results{Query: req.Query, Parsed: pq, Terms: c.highlight}
	limit := req.Limit
	if limit <= 0 {
		limit = store.DefaultLimit
	}
	offset := max(0, req.Offset)
	var hits []store.SearchHit
	// Bodies verification analysed, by article, for the snippets.
	bodies := map[int64]analysed{}
	if len(c.verify) == 0 {
		sq.Limit, sq.Offset = limit, offset
		page, indexed, err := s.page(ctx, sq)
		if err != nil {
			return Results{}, fmt.Errorf("search %q: %w", req.Query, err)
		}
		out.Indexed = indexed
		hits, out.Total, out.Sources, out.Days = page.Hits, page.Total, page.Sources, page.Days
	} else if hits, err = s.verified(ctx, sq, c, offset, limit, &out, bodies); err != nil {
		return Results{}, fmt.Errorf("search %q: %w", req.Query, err)
	}
	want := make(map[string]bool, len(c.highlight))
	for _, t := range c.highlight {
		want[t] = true
	}
	for _, h := range hits {
		out.Results = append(out.Results, Result{
			Article: h.Article,
			Score:   h.Score,
			Copies:  h.Copies,
			Snippet: s.snippet(h.Article.Text, bodies[h.Article.ID].toks, bodies[h.Article.ID].opening, want, 32),
		})
	}
	out.Took = time.Since(start)
	return out, nil
}

// verified pages through a phrase query's candidates (matched by the store
// on adjacent analysed terms) and keeps those that hold every phrase in
// the normalised text, so "exact phrase" means the words as written, up to
// spelling variants, with nothing dropped or inserted between them.
// Candidates found not to hold are taken off the total and the facets.
func (s *Service) verified(ctx context.Context, sq store.SearchQuery, c compiled, offset, limit int, out *Results, bodies map[int64]analysed) ([]store.SearchHit, error) {
	need := offset + limit
	// A little more than the page first (most candidates hold: the index
	// matched their terms adjacently), then growing batches: each
	// candidate costs reading and analysing its article.
	batch := need + need/8 + 2
	var kept []store.SearchHit
	rejected, examined, exhausted := 0, 0, false
	sources := map[string]int{}
	days := map[string]int{}
	// The index ranks four first batches at once: enough for a phrase
	// whose candidates mostly fail the check.
	cands := candidates{s: s, sq: sq, limit: min(maxVerify, 4*batch)}
	for off := 0; len(kept) < need; off, batch = off+batch, min(2*batch, 100) {
		if examined >= maxVerify {
			break
		}
		page, indexed, err := cands.batch(ctx, off, batch)
		if err != nil {
			return nil, err
		}
		out.Indexed = indexed
		if off == 0 {
			out.Total, out.Sources, out.Days = page.Total, page.Sources, page.Days
		}
		unchecked := false
		for _, h := range page.Hits {
			if len(kept) == need {
				unchecked = true // counted, not checked: Approx
				break
			}
			examined++
			ok, body := c.holds(s.analyzer, h.Article)
			if ok {
				kept = append(kept, h)
				if body.toks != nil {
					bodies[h.Article.ID] = body
				}
				continue
			}
			rejected++
			sources[h.Article.SourceID]++
			days[h.Article.When().Add(time.Duration(sq.TZOffset)*time.Second).UTC().Format("2006-01-02")]++
		}
		if len(page.Hits) < batch {
			exhausted = !unchecked
			break
		}
	}
	// Every candidate checked: the total is exact, except that a collapsed
	// group found not to hold leaves its unchecked copies counted.
	out.Total -= rejected
	out.Approx = !exhausted || sq.Collapse && rejected > 0
	out.Sources = subtractSources(out.Sources, sources)
	out.Days = subtractDays(out.Days, days)
	if offset >= len(kept) {
		return nil, nil
	}
	return kept[offset:min(need, len(kept))], nil
}

func subtractSources(cs []store.SourceFacet, minus map[string]int) []store.SourceFacet {
	var out []store.SourceFacet
	for _, c := range cs {
		if c.Count -= minus[c.Source]; c.Count > 0 {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b store.SourceFacet) int { return b.Count - a.Count })
	return out
}

func subtractDays(ds []store.DayCount, minus map[string]int) []store.DayCount {
	var out []store.DayCount
	for _, d := range ds {
		if d.Count -= minus[d.Day]; d.Count > 0 {
			out = append(out, d)
		}
	}
	return out
}

// Snippet is a short excerpt split into plain and matched fragments.
type Snippet []Fragment

// Fragment is a run of snippet text; Hit marks a matched word.
type Fragment struct {
	Text string
	Hit  bool
}

// String is the snippet as plain text.
func (s Snippet) String() string {
	var b strings.Builder
	for _, f := range s {
		b.WriteString(f.Text)
	}
	return b.String()
}

type word struct {
	start, end int // byte offsets in the text
	hit        bool
}

// snippet picks the window of at most size words with the most matches and
// returns it with matched words marked; ellipses show cut text.
// toks, when not nil, are the text's tokens, already analysed: all of them,
// or those of its opening (text[:prefixEnd(text, snippetPrefix)]) when
// opening.
func (s *Service) snippet(text string, toks []arabic.Token, opening bool, want map[string]bool, size int) Snippet {
	sc, _ := s.scratch.Get().(*snippetScratch)
	if sc == nil {
		sc = new(snippetScratch)
	}
	defer s.scratch.Put(sc)
	// Tokens carry byte offsets into the text, so matches are highlighted in
	// the article's own spelling while matching is on analysed terms.
	if toks == nil || opening {
		// Analysing a page of results' whole bodies is most of a search's
		// cost; the opening usually holds the words. Keep its best window
		// when it has at least as many matches as the query has terms.
		if cut := prefixEnd(text, snippetPrefix); cut < len(text) {
			if toks == nil {
				sc.toks = s.analyzer.Tokens(sc.toks[:0], text[:cut])
				toks = sc.toks
			}
			if sn, hits := snippetOf(text, toks, want, size, true, sc); hits >= len(want) {
				return sn
			}
		}
		sc.toks = s.analyzer.Tokens(sc.toks[:0], text)
		toks = sc.toks
	}
	sn, _ := snippetOf(text, toks, want, size, false, sc)
	return sn
}

// snippetPrefix is how much of a text snippet first looks in (bytes).
const snippetPrefix = 1536

// prefixEnd is the first whitespace at or after n bytes of text (the text's
// length when none).
func prefixEnd(text string, n int) int {
	if n >= len(text) {
		return len(text)
	}
	if i := strings.IndexAny(text[n:], " \n\t"); i >= 0 {
		return n + i
	}
	return len(text)
}

// snippetOf picks the snippet from toks; cut: toks cover only the start of
// text. It also returns the matches in the window.
func snippetOf(text string, toks []arabic.Token, want map[string]bool, size int, cut bool, sc *snippetScratch) (Snippet, int) {
	words := sc.words[:0]
	defer func() { sc.words = words }()
	for _, t := range toks {
		if n := len(words); n > 0 && words[n-1].start == t.Start {
			// One ligature (ﷺ) can hold several tokens: one word on screen.
			words[n-1].hit = words[n-1].hit || (!t.Stop && want[t.Term])
			continue
		}
		words = append(words, word{start: t.Start, end: t.End, hit: !t.Stop && want[t.Term]})
	}
	if len(words) == 0 {
		return nil, 0
	}
	// The window of size words with the most matches; then start it a few
	// words before its first match so the match has context.
	best, bestHits, hits := 0, -1, 0
	for i, w := range words {
		if w.hit {
			hits++
		}
		if i >= size && words[i-size].hit {
			hits--
		}
		if first := max(0, i-size+1); hits > bestHits {
			best, bestHits = first, hits
		}
	}
	for k := best; k < min(best+size, len(words)); k++ {
		if words[k].hit {
			best = max(0, min(k-4, len(words)-size))
			break
		}
	}
	end := min(best+size, len(words))
	// Fragments are built in sc.frag and made strings once each (adding
	// to a string per word was a quarter of a search page's garbage).
	var sn Snippet
	frag, fragHit := sc.frag[:0], false
	flush := func() {
		if len(frag) > 0 {
			sn = append(sn, Fragment{Text: string(frag), Hit: fragHit})
			frag = frag[:0]
		}
	}
	defer func() { sc.frag = frag }()
	add := func(txt string, hit bool) {
		if txt == "" {
			return
		}
		if len(frag) > 0 && fragHit != hit {
			flush()
		}
		frag, fragHit = append(frag, txt...), hit
	}
	if best > 0 {
		add("… ", false)
	}
	pos := words[best].start
	for _, w := range words[best:end] {
		gap := strings.ReplaceAll(text[pos:w.start], "\n", " ")
		// Consecutive matches read as one highlighted phrase.
		add(gap, w.hit && len(frag) > 0 && fragHit && strings.TrimSpace(gap) == "")
		add(text[w.start:w.end], w.hit)
		pos = w.end
	}
	if end < len(words) || cut {
		add(" …", false)
	}
	flush()
	return sn, bestHits
}
