package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/marsad/marsad/internal/store"
)

// Search implements store.Store over the FTS5 index with bm25 ranking.
func (s *Store) Search(ctx context.Context, q store.SearchQuery) (store.SearchPage, error) {
	match := matchExpr(q.Clauses())
	if match == "" {
		return store.SearchPage{}, nil
	}
	cond, fargs := searchFilters(q)
	args := append([]any{match}, fargs...)
	var page store.SearchPage
	if err := s.searchCounts(ctx, q, cond, args, &page); err != nil {
		return store.SearchPage{}, err
	}
	if page.Total == 0 || q.Offset >= page.Total {
		return page, nil
	}
	name, order := "SearchHits", "bm25(articles_fts, 3.0, 1.0), a.url_key"
	switch {
	case q.Collapse && q.ByDate:
		name, order = "SearchHitsCollapsed", "r.gtime DESC, a.url_key"
	case q.Collapse:
		name, order = "SearchHitsCollapsed", "r.gscore DESC, a.url_key"
	case q.ByDate:
		order = "a.sort_time DESC, a.url_key"
	}
	rows, err := s.r.QueryContext(ctx, strings.NewReplacer("{{filters}}", cond, "{{order}}", order).Replace(s.q.Get(name)),
		append(args, limit(q.Limit), max(0, q.Offset))...)
	if err != nil {
		return store.SearchPage{}, fmt.Errorf("sqlite: search: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h store.SearchHit
		if h.Article, err = scanArticle(rows, &h.Score, &h.Copies); err != nil {
			return store.SearchPage{}, fmt.Errorf("sqlite: search: %w", err)
		}
		page.Hits = append(page.Hits, h)
	}
	if err := rows.Err(); err != nil {
		return store.SearchPage{}, fmt.Errorf("sqlite: search: %w", err)
	}
	return page, nil
}

// searchCounts fills page's Total and, when asked, its facets.
func (s *Store) searchCounts(ctx context.Context, q store.SearchQuery, cond string, args []any, page *store.SearchPage) error {
	if q.Facets {
		rows, err := s.r.QueryContext(ctx, strings.Replace(s.q.Get("SearchFacets"), "{{filters}}", cond, 1), append([]any{q.TZOffset}, args...)...)
		if err != nil {
			return fmt.Errorf("sqlite: search facets: %w", err)
		}
		defer rows.Close()
		if page.Total, page.Sources, page.Days, err = store.ReadFacets(rows); err != nil {
			return fmt.Errorf("sqlite: search facets: %w", err)
		}
		if !q.Collapse || page.Total == 0 {
			return nil
		}
	}
	name := "SearchCount"
	if q.Collapse {
		name = "SearchCountCollapsed"
	}
	if err := s.r.QueryRowContext(ctx, strings.Replace(s.q.Get(name), "{{filters}}", cond, 1), args...).Scan(&page.Total); err != nil {
		return fmt.Errorf("sqlite: search count: %w", err)
	}
	return nil
}

// matchExpr renders the query's clauses as an FTS5 expression. Every term is
// a quoted string, so characters FTS5 treats as syntax are inert, and a term
// the tokenizer splits (an e-mail, a URL) matches as the same phrase it was
// indexed as; a phrase is its terms in one quoted string.
func matchExpr(must [][]store.Match, not []store.Match) string {
	if len(must) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteByte('(')
	for i, g := range must {
		if i > 0 {
			b.WriteString(" AND ")
		}
		if len(g) > 1 {
			b.WriteByte('(')
		}
		for j, m := range g {
			if j > 0 {
				b.WriteString(" OR ")
			}
			writeMatch(&b, m)
		}
		if len(g) > 1 {
			b.WriteByte(')')
		}
	}
	b.WriteByte(')')
	for _, m := range not {
		b.WriteString(" NOT ")
		writeMatch(&b, m)
	}
	return b.String()
}

func writeMatch(b *strings.Builder, m store.Match) {
	if m.Title {
		b.WriteString("title : ")
	}
	b.WriteByte('"')
	for i, t := range m.Terms {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strings.ReplaceAll(t, `"`, `""`))
	}
	b.WriteByte('"')
}

func searchFilters(q store.SearchQuery) (string, []any) {
	var b strings.Builder
	var args []any
	if len(q.SourceIDs) > 0 {
		b.WriteString(" AND a.source_id IN (")
		for i, id := range q.SourceIDs {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('?')
			args = append(args, id)
		}
		b.WriteByte(')')
	}
	if !q.From.IsZero() {
		b.WriteString(" AND a.sort_time >= ?")
		args = append(args, q.From.Unix())
	}
	if !q.To.IsZero() {
		b.WriteString(" AND a.sort_time < ?")
		args = append(args, q.To.Unix())
	}
	return b.String(), args
}
