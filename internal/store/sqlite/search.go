package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/marsad/marsad/internal/news"
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
	var ids []int64
	var err error
	if q.Collapse {
		page.Hits, err = store.Collapse(ctx, s, q)
		for _, h := range page.Hits {
			ids = append(ids, h.Article.ID)
		}
	} else {
		var rs []store.Ranked
		rs, err = s.Ranked(ctx, q, max(0, q.Offset), limit(q.Limit))
		for _, r := range rs {
			page.Hits = append(page.Hits, store.SearchHit{Article: news.Article{ID: r.ID}, Score: r.Score})
			ids = append(ids, r.ID)
		}
	}
	if err != nil {
		return store.SearchPage{}, err
	}
	if err := s.fillArticles(ctx, page.Hits, ids); err != nil {
		return store.SearchPage{}, err
	}
	return page, nil
}

// Ranked implements store.RankSource.
func (s *Store) Ranked(ctx context.Context, q store.SearchQuery, offset, n int) ([]store.Ranked, error) {
	match := matchExpr(q.Clauses())
	cond, args := searchFilters(q)
	order := "bm25(articles_fts, 3.0, 1.0), k.url_key"
	if q.ByDate {
		order = "k.sort_time DESC, k.url_key"
	}
	rows, err := s.r.QueryContext(ctx, strings.NewReplacer("{{filters}}", cond, "{{order}}", order).Replace(s.q.Get("SearchRanked")),
		append(append([]any{match}, args...), n, offset)...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: search: %w", err)
	}
	defer rows.Close()
	out, err := store.Collect(rows, store.ScanRanked)
	if err != nil {
		return nil, fmt.Errorf("sqlite: search: %w", err)
	}
	return out, nil
}

// GroupMatches implements store.RankSource.
func (s *Store) GroupMatches(ctx context.Context, q store.SearchQuery, groups []int64) (map[int64]store.GroupMatch, error) {
	js, err := json.Marshal(groups)
	if err != nil {
		return nil, fmt.Errorf("sqlite: search groups: %w", err)
	}
	cond, args := searchFilters(q)
	rows, err := s.r.QueryContext(ctx, strings.Replace(s.q.Get("SearchGroupMatches"), "{{filters}}", cond, 1),
		append([]any{string(js), matchExpr(q.Clauses())}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: search groups: %w", err)
	}
	defer rows.Close()
	out := map[int64]store.GroupMatch{}
	for rows.Next() {
		var g int64
		var m store.GroupMatch
		if err := rows.Scan(&g, &m.Members, &m.Original); err != nil {
			return nil, fmt.Errorf("sqlite: search groups: %w", err)
		}
		out[g] = m
	}
	return out, rows.Err()
}

// ArticleChanges implements store.Store.
func (s *Store) ArticleChanges(ctx context.Context, after int64, limit int) ([]store.ArticleChange, error) {
	rows, err := s.query(ctx, "ArticleChanges", after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: article changes: %w", err)
	}
	defer rows.Close()
	out, err := store.Collect(rows, store.ScanArticleChange)
	if err != nil {
		return nil, fmt.Errorf("sqlite: article changes: %w", err)
	}
	return out, nil
}

// ArticlesByID implements store.Store, in one query.
func (s *Store) ArticlesByID(ctx context.Context, ids []int64) ([]news.Article, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	js, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("sqlite: articles by id: %w", err)
	}
	rows, err := s.query(ctx, "SearchArticles", string(js))
	if err != nil {
		return nil, fmt.Errorf("sqlite: articles by id: %w", err)
	}
	return collectArticles(rows)
}

// fillArticles reads the page's articles in one query.
func (s *Store) fillArticles(ctx context.Context, hits []store.SearchHit, ids []int64) error {
	arts, err := s.ArticlesByID(ctx, ids)
	if err != nil {
		return fmt.Errorf("sqlite: search: %w", err)
	}
	if err := store.FillHits(hits, arts); err != nil {
		return fmt.Errorf("sqlite: search: %w", err)
	}
	return nil
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
		return nil
	}
	name := "SearchCount"
	if cond == "" {
		name = "SearchCountAll"
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
		b.WriteString(" AND k.source_id IN (")
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
		b.WriteString(" AND k.sort_time >= ?")
		args = append(args, q.From.Unix())
	}
	if !q.To.IsZero() {
		b.WriteString(" AND k.sort_time < ?")
		args = append(args, q.To.Unix())
	}
	return b.String(), args
}
