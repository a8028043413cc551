package store

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/marsad/marsad/internal/news"
)

// FillHits sets each hit's article from arts, read by the hits' IDs; a hit
// whose article is not among them vanished meanwhile, an error.
func FillHits(hits []SearchHit, arts []news.Article) error {
	byID := make(map[int64]news.Article, len(arts))
	for _, a := range arts {
		byID[a.ID] = a
	}
	for i := range hits {
		a, ok := byID[hits[i].Article.ID]
		if !ok {
			return fmt.Errorf("article %d vanished", hits[i].Article.ID)
		}
		hits[i].Article = a
	}
	return nil
}

// Match is a run of adjacent terms (one term, or a phrase), anywhere or in
// the title only.
type Match struct {
	Terms []string
	Title bool
}

// SourceFacet is a number of matching articles from one source.
type SourceFacet struct {
	Source string
	Count  int
}

// Clauses is q's condition in one form for the backends to render: every
// group of must needs one of its matches, and no match of not may hold.
// Terms without a letter or digit are dropped (a full-text index has no
// token for them), and so are matches and groups left empty.
func (q SearchQuery) Clauses() (must [][]Match, not []Match) {
	add := func(ms []Match) {
		var g []Match
		for _, m := range ms {
			if m = cleanMatch(m); len(m.Terms) > 0 {
				g = append(g, m)
			}
		}
		if len(g) > 0 {
			must = append(must, g)
		}
	}
	for _, t := range q.All {
		add([]Match{{Terms: []string{t}}})
	}
	for _, p := range q.Phrases {
		add([]Match{{Terms: p}})
	}
	for _, t := range q.TitleTerms {
		add([]Match{{Terms: []string{t}, Title: true}})
	}
	for _, g := range q.Any {
		add(g)
	}
	for _, m := range q.Not {
		if m = cleanMatch(m); len(m.Terms) > 0 {
			not = append(not, m)
		}
	}
	return must, not
}

func cleanMatch(m Match) Match {
	var ts []string
	for _, t := range m.Terms {
		if HasWordRune(t) {
			ts = append(ts, t)
		}
	}
	return Match{Terms: ts, Title: m.Title}
}

// HasWordRune reports whether a term holds a letter or digit (any non-ASCII
// rune counts): a term of punctuation alone is not indexed by FTS5, so both
// backends ignore it.
func HasWordRune(s string) bool {
	for _, r := range s {
		if r > 0x7f || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
			return true
		}
	}
	return false
}

// FacetCell is the number of matches of one source on one day.
type FacetCell struct {
	Source, Day string
	Count       int
}

// ReadFacets reads (source, day, count) rows and tallies them.
func ReadFacets(rows Rows) (total int, sources []SourceFacet, days []DayCount, err error) {
	var cells []FacetCell
	for rows.Next() {
		var c FacetCell
		if err := rows.Scan(&c.Source, &c.Day, &c.Count); err != nil {
			return 0, nil, nil, err
		}
		cells = append(cells, c)
	}
	if err := rows.Err(); err != nil {
		return 0, nil, nil, err
	}
	total, sources, days = TallyFacets(cells)
	return total, sources, days, nil
}

// TallyFacets sums cells into the total and the two facets: sources by
// count (then ID), days in order.
func TallyFacets(cells []FacetCell) (total int, sources []SourceFacet, days []DayCount) {
	bySource, byDay := map[string]int{}, map[string]int{}
	for _, c := range cells {
		total += c.Count
		bySource[c.Source] += c.Count
		byDay[c.Day] += c.Count
	}
	for s, n := range bySource {
		sources = append(sources, SourceFacet{Source: s, Count: n})
	}
	slices.SortFunc(sources, func(a, b SourceFacet) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Source, b.Source))
	})
	for d, n := range byDay {
		days = append(days, DayCount{Day: d, Count: n})
	}
	slices.SortFunc(days, func(a, b DayCount) int { return cmp.Compare(a.Day, b.Day) })
	return total, sources, days
}
