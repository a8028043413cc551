package postgres

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/marsad/marsad/internal/store"
)

// Search implements store.Store. Ranking reproduces FTS5's bm25(): for each
// match (term or phrase) an IDF from the number of documents it matches,
// BM25 saturation of its weighted instance count with k1 = 1.2, b = 0.75
// over the whole document's length, title instances × 3.
func (s *Store) Search(ctx context.Context, q store.SearchQuery) (store.SearchPage, error) {
	must, not := q.Clauses()
	if len(must) == 0 {
		return store.SearchPage{}, nil
	}
	tsq := tsqueryOf(must, not)

	var page store.SearchPage
	if err := s.searchCounts(ctx, q, tsq, &page); err != nil {
		return store.SearchPage{}, err
	}
	if page.Total == 0 || q.Offset >= page.Total {
		return page, nil
	}

	// The matches that score: every alternative of every group (NOT
	// matches never occur in a hit, so they add nothing).
	var matches []store.Match
	for _, g := range must {
		matches = append(matches, g...)
	}
	var docs, totalLen int64
	if err := s.pool.QueryRow(ctx, s.q.Get("SearchStats")).Scan(&docs, &totalLen); err != nil {
		return store.SearchPage{}, fmt.Errorf("postgres: search stats: %w", err)
	}
	lits := make([]string, len(matches))
	for i, m := range matches {
		lits[i] = matchQuery(m)
	}
	hits := make([]int64, len(matches))
	rows, err := s.pool.Query(ctx, s.q.Get("TermDocs"), lits)
	if err != nil {
		return store.SearchPage{}, fmt.Errorf("postgres: term counts: %w", err)
	}
	for i := 0; rows.Next(); i++ {
		if err := rows.Scan(&hits[i]); err != nil {
			rows.Close()
			return store.SearchPage{}, fmt.Errorf("postgres: term counts: %w", err)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return store.SearchPage{}, fmt.Errorf("postgres: term counts: %w", err)
	}
	var (
		terms  []string
		midx   []int32
		offs   []int32
		titles []bool
		lens   = make([]int32, len(matches))
		idf    = make([]float64, len(matches))
	)
	for i, m := range matches {
		for j, t := range m.Terms {
			terms, midx, offs, titles = append(terms, t), append(midx, int32(i+1)), append(offs, int32(j)), append(titles, m.Title)
		}
		lens[i] = int32(len(m.Terms))
		n := float64(hits[i])
		idf[i] = math.Log((float64(docs) - n + 0.5) / (n + 0.5))
		if idf[i] <= 0 {
			idf[i] = 1e-6 // FTS5's floor for matches in over half the documents
		}
	}
	avgdl := float64(totalLen) / float64(max(docs, 1))
	if avgdl <= 0 {
		avgdl = 1
	}

	a := args{tsq, terms, midx, offs, lens, titles, idf, avgdl}
	cond := searchFilters(&a, q)
	sel, order := "SearchSelectHits", "m.score DESC, a.url_key"
	switch {
	case q.Collapse && q.ByDate:
		sel, order = "SearchSelectCollapsed", "r.gtime DESC, a.url_key"
	case q.Collapse:
		sel, order = "SearchSelectCollapsed", "r.gscore DESC, a.url_key"
	case q.ByDate:
		order = "a.sort_time DESC, a.url_key"
	}
	sql := strings.NewReplacer("{{filters}}", cond, "{{select}}", s.q.Get(sel), "{{order}}", order,
		"{{limit}}", a.add(limit(q.Limit)), "{{offset}}", a.add(max(0, q.Offset))).Replace(s.q.Get("SearchScored"))
	hitRows, err := s.pool.Query(ctx, sql, a...)
	if err != nil {
		return store.SearchPage{}, fmt.Errorf("postgres: search: %w", err)
	}
	defer hitRows.Close()
	for hitRows.Next() {
		var h store.SearchHit
		var copies int64
		if h.Article, err = scanArticle(hitRows, &h.Score, &copies); err != nil {
			return store.SearchPage{}, fmt.Errorf("postgres: search: %w", err)
		}
		h.Copies = int(copies)
		page.Hits = append(page.Hits, h)
	}
	if err := hitRows.Err(); err != nil {
		return store.SearchPage{}, fmt.Errorf("postgres: search: %w", err)
	}
	return page, nil
}

// searchCounts fills page's Total and, when asked, its facets.
func (s *Store) searchCounts(ctx context.Context, q store.SearchQuery, tsq string, page *store.SearchPage) error {
	if q.Facets {
		a := args{tsq, q.TZOffset}
		cond := searchFilters(&a, q)
		rows, err := s.pool.Query(ctx, strings.Replace(s.q.Get("SearchFacets"), "{{filters}}", cond, 1), a...)
		if err != nil {
			return fmt.Errorf("postgres: search facets: %w", err)
		}
		defer rows.Close()
		if page.Total, page.Sources, page.Days, err = store.ReadFacets(rows); err != nil {
			return fmt.Errorf("postgres: search facets: %w", err)
		}
		if !q.Collapse || page.Total == 0 {
			return nil
		}
	}
	name := "SearchCount"
	if q.Collapse {
		name = "SearchCountCollapsed"
	}
	a := args{tsq}
	cond := searchFilters(&a, q)
	if err := s.pool.QueryRow(ctx, strings.Replace(s.q.Get(name), "{{filters}}", cond, 1), a...).Scan(&page.Total); err != nil {
		return fmt.Errorf("postgres: search count: %w", err)
	}
	return nil
}

// tsqueryOf renders the clauses as a tsquery literal: groups joined by &,
// alternatives by |, phrases with <->, title matches restricted to weight A.
func tsqueryOf(must [][]store.Match, not []store.Match) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, g := range must {
		if i > 0 {
			b.WriteString(" & ")
		}
		b.WriteByte('(')
		for j, m := range g {
			if j > 0 {
				b.WriteString(" | ")
			}
			b.WriteString(matchQuery(m))
		}
		b.WriteByte(')')
	}
	b.WriteByte(')')
	for _, m := range not {
		b.WriteString(" & !(")
		b.WriteString(matchQuery(m))
		b.WriteByte(')')
	}
	return b.String()
}

// matchQuery is one match as a tsquery literal.
func matchQuery(m store.Match) string {
	var b strings.Builder
	for i, t := range m.Terms {
		if i > 0 {
			b.WriteString(" <-> ")
		}
		b.WriteString(quoteLexeme(t))
		if m.Title {
			b.WriteString(":A")
		}
	}
	return b.String()
}

func searchFilters(a *args, q store.SearchQuery) string {
	var b strings.Builder
	if len(q.SourceIDs) > 0 {
		b.WriteString(" AND a.source_id = ANY(" + a.add(q.SourceIDs) + ")")
	}
	if !q.From.IsZero() {
		b.WriteString(" AND a.sort_time >= " + a.add(q.From.UTC()))
	}
	if !q.To.IsZero() {
		b.WriteString(" AND a.sort_time < " + a.add(q.To.UTC()))
	}
	return b.String()
}
