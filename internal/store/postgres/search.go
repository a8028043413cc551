package postgres

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/marsad/marsad/internal/news"
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

	if q.Collapse {
		hits, err := store.Collapse(ctx, s, q)
		if err != nil {
			return store.SearchPage{}, err
		}
		page.Hits = hits
		return page, s.fillArticles(ctx, page.Hits)
	}
	sc, err := s.scoring(ctx, q, must, tsq)
	if err != nil {
		return store.SearchPage{}, err
	}
	order := "m.score DESC, m.url_key"
	if q.ByDate {
		order = "m.sort_time DESC, m.url_key"
	}
	sql, a := sc.sql(s.q.Get("SearchSelectHits"), order, limit(q.Limit), max(0, q.Offset))
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

// Ranked implements store.RankSource.
func (s *Store) Ranked(ctx context.Context, q store.SearchQuery, offset, n int) ([]store.Ranked, error) {
	must, not := q.Clauses()
	if len(must) == 0 {
		return nil, nil
	}
	sc, err := s.scoring(ctx, q, must, tsqueryOf(must, not))
	if err != nil {
		return nil, err
	}
	order := "m.score DESC, m.url_key"
	if q.ByDate {
		order = "m.sort_time DESC, m.url_key"
	}
	sql, a := sc.sql(s.q.Get("SearchSelectRanked"), order, n, offset)
	rows, err := s.pool.Query(ctx, sql, a...)
	if err != nil {
		return nil, fmt.Errorf("postgres: search: %w", err)
	}
	defer rows.Close()
	out, err := store.Collect(rows, store.ScanRanked)
	if err != nil {
		return nil, fmt.Errorf("postgres: search: %w", err)
	}
	return out, nil
}

// GroupMatches implements store.RankSource.
func (s *Store) GroupMatches(ctx context.Context, q store.SearchQuery, groups []int64) (map[int64]store.GroupMatch, error) {
	must, not := q.Clauses()
	a := args{tsqueryOf(must, not), groups}
	cond := searchFilters(&a, q)
	rows, err := s.pool.Query(ctx, strings.Replace(s.q.Get("SearchGroupMatches"), "{{filters}}", cond, 1), a...)
	if err != nil {
		return nil, fmt.Errorf("postgres: search groups: %w", err)
	}
	defer rows.Close()
	out := map[int64]store.GroupMatch{}
	for rows.Next() {
		var g int64
		var m store.GroupMatch
		if err := rows.Scan(&g, &m.Members, &m.Original); err != nil {
			return nil, fmt.Errorf("postgres: search groups: %w", err)
		}
		out[g] = m
	}
	return out, rows.Err()
}

// ArticleChanges implements store.Store.
func (s *Store) ArticleChanges(ctx context.Context, after int64, limit int) ([]store.ArticleChange, error) {
	rows, err := s.pool.Query(ctx, s.q.Get("ArticleChanges"), after, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: article changes: %w", err)
	}
	defer rows.Close()
	out, err := store.Collect(rows, store.ScanArticleChange)
	if err != nil {
		return nil, fmt.Errorf("postgres: article changes: %w", err)
	}
	return out, nil
}

// ArticlesByID implements store.Store, in one query.
func (s *Store) ArticlesByID(ctx context.Context, ids []int64) ([]news.Article, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, s.q.Get("SearchArticles"), ids)
	if err != nil {
		return nil, fmt.Errorf("postgres: articles by id: %w", err)
	}
	defer rows.Close()
	var out []news.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: articles by id: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: articles by id: %w", err)
	}
	return out, nil
}

// fillArticles reads the page's articles in one query.
func (s *Store) fillArticles(ctx context.Context, hits []store.SearchHit) error {
	if len(hits) == 0 {
		return nil
	}
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.Article.ID
	}
	arts, err := s.ArticlesByID(ctx, ids)
	if err != nil {
		return fmt.Errorf("postgres: search: %w", err)
	}
	if err := store.FillHits(hits, arts); err != nil {
		return fmt.Errorf("postgres: search: %w", err)
	}
	return nil
}

// scoring holds a query's BM25 inputs: every alternative of every group is
// a match with its own IDF (NOT matches never occur in a hit, so they add
// nothing).
type scoring struct {
	q      store.SearchQuery
	tsq    string
	terms  []string
	midx   []int32
	offs   []int32
	titles []bool
	lens   []int32
	idf    []float64
	avgdl  float64
	tmpl   string
}

func (s *Store) scoring(ctx context.Context, q store.SearchQuery, must [][]store.Match, tsq string) (*scoring, error) {
	var matches []store.Match
	for _, g := range must {
		matches = append(matches, g...)
	}
	var docs, totalLen int64
	if err := s.pool.QueryRow(ctx, s.q.Get("SearchStats")).Scan(&docs, &totalLen); err != nil {
		return nil, fmt.Errorf("postgres: search stats: %w", err)
	}
	lits := make([]string, len(matches))
	for i, m := range matches {
		lits[i] = matchQuery(m)
	}
	hits := make([]int64, len(matches))
	rows, err := s.pool.Query(ctx, s.q.Get("TermDocs"), lits)
	if err != nil {
		return nil, fmt.Errorf("postgres: term counts: %w", err)
	}
	for i := 0; rows.Next(); i++ {
		if err := rows.Scan(&hits[i]); err != nil {
			rows.Close()
			return nil, fmt.Errorf("postgres: term counts: %w", err)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: term counts: %w", err)
	}
	sc := &scoring{q: q, tsq: tsq, lens: make([]int32, len(matches)), idf: make([]float64, len(matches)), tmpl: s.q.Get("SearchScored")}
	for i, m := range matches {
		for j, t := range m.Terms {
			sc.terms, sc.midx, sc.offs, sc.titles = append(sc.terms, t), append(sc.midx, int32(i+1)), append(sc.offs, int32(j)), append(sc.titles, m.Title)
		}
		sc.lens[i] = int32(len(m.Terms))
		n := float64(hits[i])
		sc.idf[i] = math.Log((float64(docs) - n + 0.5) / (n + 0.5))
		if sc.idf[i] <= 0 {
			sc.idf[i] = 1e-6 // FTS5's floor for matches in over half the documents
		}
	}
	sc.avgdl = float64(totalLen) / float64(max(docs, 1))
	if sc.avgdl <= 0 {
		sc.avgdl = 1
	}
	return sc, nil
}

// sql renders the scored query with a select over m (the scored matches).
func (sc *scoring) sql(sel, order string, n, offset int) (string, args) {
	a := args{sc.tsq, sc.terms, sc.midx, sc.offs, sc.lens, sc.titles, sc.idf, sc.avgdl}
	cond := searchFilters(&a, sc.q)
	return strings.NewReplacer("{{filters}}", cond, "{{select}}", sel, "{{order}}", order,
		"{{limit}}", a.add(n), "{{offset}}", a.add(offset)).Replace(sc.tmpl), a
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
		return nil
	}
	a := args{tsq}
	cond := searchFilters(&a, q)
	if err := s.pool.QueryRow(ctx, strings.Replace(s.q.Get("SearchCount"), "{{filters}}", cond, 1), a...).Scan(&page.Total); err != nil {
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
