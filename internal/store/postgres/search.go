package postgres

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/marsad/marsad/internal/store"
)

// Search implements store.Store. Ranking reproduces FTS5's bm25(): IDF from
// the number of documents holding each term, BM25 term saturation with
// k1 = 1.2, b = 0.75 over the whole document's length, title hits × 3.
func (s *Store) Search(ctx context.Context, q store.SearchQuery) (store.SearchPage, error) {
	var terms, lexemes []string
	for _, t := range q.All {
		if strings.TrimSpace(t) == "" || !hasWordRune(t) {
			continue
		}
		terms = append(terms, t)
		lexemes = append(lexemes, quoteLexeme(t))
	}
	if len(terms) == 0 {
		return store.SearchPage{}, nil
	}
	tsq := strings.Join(lexemes, " & ")

	var a args
	a.add(tsq)
	cond := searchFilters(&a, q)
	var page store.SearchPage
	if err := s.pool.QueryRow(ctx, strings.Replace(s.q.Get("SearchCount"), "{{filters}}", cond, 1), a...).Scan(&page.Total); err != nil {
		return store.SearchPage{}, fmt.Errorf("postgres: search count: %w", err)
	}
	if page.Total == 0 {
		return page, nil
	}

	var docs, totalLen int64
	if err := s.pool.QueryRow(ctx, s.q.Get("SearchStats")).Scan(&docs, &totalLen); err != nil {
		return store.SearchPage{}, fmt.Errorf("postgres: search stats: %w", err)
	}
	hits := make([]int64, len(lexemes))
	rows, err := s.pool.Query(ctx, s.q.Get("TermDocs"), lexemes)
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
	idf := make([]float64, len(terms))
	for i, n := range hits {
		idf[i] = math.Log((float64(docs) - float64(n) + 0.5) / (float64(n) + 0.5))
		if idf[i] <= 0 {
			idf[i] = 1e-6 // FTS5's floor for terms in over half the documents
		}
	}
	avgdl := float64(totalLen) / float64(max(docs, 1))
	if avgdl <= 0 {
		avgdl = 1
	}

	a = args{}
	a.add(tsq)
	a.add(terms)
	a.add(idf)
	a.add(avgdl)
	cond = searchFilters(&a, q)
	order := "s.score DESC, a.id DESC"
	if q.ByDate {
		order = "a.sort_time DESC, a.id DESC"
	}
	sql := strings.NewReplacer("{{filters}}", cond, "{{order}}", order, "{{limit}}", a.add(limit(q.Limit)), "{{offset}}", a.add(max(0, q.Offset))).
		Replace(s.q.Get("SearchHits"))
	hitRows, err := s.pool.Query(ctx, sql, a...)
	if err != nil {
		return store.SearchPage{}, fmt.Errorf("postgres: search: %w", err)
	}
	defer hitRows.Close()
	for hitRows.Next() {
		var h store.SearchHit
		if h.Article, err = scanArticle(hitRows, &h.Score); err != nil {
			return store.SearchPage{}, fmt.Errorf("postgres: search: %w", err)
		}
		page.Hits = append(page.Hits, h)
	}
	if err := hitRows.Err(); err != nil {
		return store.SearchPage{}, fmt.Errorf("postgres: search: %w", err)
	}
	return page, nil
}

// hasWordRune mirrors the SQLite store: a term of punctuation alone matches
// nothing there, so it is dropped here too.
func hasWordRune(s string) bool {
	for _, r := range s {
		if r > 0x7f || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
			return true
		}
	}
	return false
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
