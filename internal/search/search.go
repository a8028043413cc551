// Package search turns a user's query into a store query through the Arabic
// analyzer and decorates the hits with highlighted snippets taken from the
// original text (so the article's own spelling and diacritics show, while
// matching is normalised).
package search

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
)

// Service answers searches.
type Service struct {
	store    store.Store
	analyzer *arabic.Analyzer
}

// New returns a search service.
func New(s store.Store, a *arabic.Analyzer) *Service {
	return &Service{store: s, analyzer: a}
}

// Request is a search as a user asks it.
type Request struct {
	Query  string
	Limit  int
	Offset int
	// SortByDate orders newest first instead of by relevance.
	SortByDate bool
}

// Result is one hit, ready to show.
type Result struct {
	Article news.Article
	Score   float64
	Snippet Snippet
}

// Results is a page of results.
type Results struct {
	Query   string
	Terms   []string
	Total   int
	Results []Result
	Took    time.Duration
}

// ErrEmptyQuery is returned for a query with no searchable words.
var ErrEmptyQuery = fmt.Errorf("empty query: type at least one word: %w", news.ErrInvalid)

// Search runs req.
func (s *Service) Search(ctx context.Context, req Request) (Results, error) {
	start := time.Now()
	terms := s.analyzer.Terms(nil, req.Query)
	if len(terms) == 0 {
		return Results{Query: req.Query}, ErrEmptyQuery
	}
	page, err := s.store.Search(ctx, store.SearchQuery{All: terms, ByDate: req.SortByDate, Limit: req.Limit, Offset: req.Offset})
	if err != nil {
		return Results{}, fmt.Errorf("search %q: %w", req.Query, err)
	}
	want := make(map[string]bool, len(terms))
	for _, t := range terms {
		want[t] = true
	}
	out := Results{Query: req.Query, Terms: terms, Total: page.Total}
	for _, h := range page.Hits {
		out.Results = append(out.Results, Result{
			Article: h.Article,
			Score:   h.Score,
			Snippet: s.snippet(h.Article.Text, want, 32),
		})
	}
	out.Took = time.Since(start)
	return out, nil
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
func (s *Service) snippet(text string, want map[string]bool, size int) Snippet {
	// Tokens carry byte offsets into the text, so matches are highlighted in
	// the article's own spelling while matching is on analysed terms.
	toks := s.analyzer.Tokens(nil, text)
	words := make([]word, 0, len(toks))
	for _, t := range toks {
		if n := len(words); n > 0 && words[n-1].start == t.Start {
			// One ligature (ﷺ) can hold several tokens: one word on screen.
			words[n-1].hit = words[n-1].hit || (!t.Stop && want[t.Term])
			continue
		}
		words = append(words, word{start: t.Start, end: t.End, hit: !t.Stop && want[t.Term]})
	}
	if len(words) == 0 {
		return nil
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
	var sn Snippet
	add := func(txt string, hit bool) {
		if txt == "" {
			return
		}
		if len(sn) > 0 && sn[len(sn)-1].Hit == hit {
			sn[len(sn)-1].Text += txt
			return
		}
		sn = append(sn, Fragment{Text: txt, Hit: hit})
	}
	if best > 0 {
		add("… ", false)
	}
	pos := words[best].start
	for _, w := range words[best:end] {
		gap := strings.ReplaceAll(text[pos:w.start], "\n", " ")
		// Consecutive matches read as one highlighted phrase.
		add(gap, w.hit && len(sn) > 0 && sn[len(sn)-1].Hit && strings.TrimSpace(gap) == "")
		add(text[w.start:w.end], w.hit)
		pos = w.end
	}
	if end < len(words) {
		add(" …", false)
	}
	return sn
}
