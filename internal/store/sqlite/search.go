package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/marsad/marsad/internal/store"
)

// Search implements store.Store over the FTS5 index with bm25 ranking.
func (s *Store) Search(ctx context.Context, q store.SearchQuery) (store.SearchPage, error) {
	match := matchExpr(q.All)
	if match == "" {
		return store.SearchPage{}, nil
	}
	cond, args := searchFilters(q)
	args = append([]any{match}, args...)
	var page store.SearchPage
	if err := s.r.QueryRowContext(ctx, strings.Replace(s.q.Get("SearchCount"), "{{filters}}", cond, 1), args...).Scan(&page.Total); err != nil {
		return store.SearchPage{}, fmt.Errorf("sqlite: search count: %w", err)
	}
	if page.Total == 0 {
		return page, nil
	}
	order := "bm25(articles_fts, 3.0, 1.0), a.id DESC"
	if q.ByDate {
		order = "a.sort_time DESC, a.id DESC"
	}
	rows, err := s.r.QueryContext(ctx, strings.NewReplacer("{{filters}}", cond, "{{order}}", order).Replace(s.q.Get("SearchHits")),
		append(args, limit(q.Limit), max(0, q.Offset))...)
	if err != nil {
		return store.SearchPage{}, fmt.Errorf("sqlite: search: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h store.SearchHit
		if h.Article, err = scanArticle(rows, &h.Score); err != nil {
			return store.SearchPage{}, fmt.Errorf("sqlite: search: %w", err)
		}
		page.Hits = append(page.Hits, h)
	}
	if err := rows.Err(); err != nil {
		return store.SearchPage{}, fmt.Errorf("sqlite: search: %w", err)
	}
	return page, nil
}

// matchExpr builds an FTS5 query in which every term must match. Each term is
// a quoted string, so characters FTS5 treats as syntax are inert, and a term
// the tokenizer splits (an e-mail, a URL) matches as the same phrase it was
// indexed as.
func matchExpr(terms []string) string {
	var b strings.Builder
	for _, t := range terms {
		if !hasWordRune(t) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('"')
		b.WriteString(strings.ReplaceAll(t, `"`, `""`))
		b.WriteByte('"')
	}
	return b.String()
}

func hasWordRune(s string) bool {
	for _, r := range s {
		if r > 0x7f || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
			return true
		}
	}
	return false
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
