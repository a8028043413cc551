package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/urlnorm"
)

// UpsertArticles implements store.Store.
func (s *Store) UpsertArticles(ctx context.Context, docs []store.ArticleDoc) ([]store.Upserted, error) {
	if len(docs) == 0 {
		return nil, nil
	}
	now := s.now().UTC().Truncate(time.Second)
	out := make([]store.Upserted, len(docs))
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var dDocs, dLen int64
		for i, d := range docs {
			res, docDelta, lenDelta, err := s.upsertOne(ctx, tx, d, now)
			if err != nil {
				return fmt.Errorf("upsert %s: %w", d.Article.URL, err)
			}
			out[i] = res
			dDocs += docDelta
			dLen += lenDelta
		}
		if dDocs != 0 || dLen != 0 {
			if _, err := tx.Exec(ctx, s.q.Get("UpdateStats"), dDocs, dLen); err != nil {
				return fmt.Errorf("search stats: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return out, nil
}

func (s *Store) upsertOne(ctx context.Context, tx pgx.Tx, d store.ArticleDoc, now time.Time) (res store.Upserted, docDelta, lenDelta int64, err error) {
	a := d.Article
	key, err := urlnorm.Key(a.URL)
	if err != nil {
		return res, 0, 0, err
	}
	fts, docLen := tsvector(d.TitleTerms, d.BodyTerms)
	published, modified := nullTime(a.Published.Truncate(time.Second)), nullTime(a.Modified.Truncate(time.Second))
	// A concurrent insert of the same URL makes ON CONFLICT return no row;
	// the second round then finds and updates it.
	for range 2 {
		var (
			old            news.Article
			id             int64
			oldPub, oldMod *time.Time
			oldLen         int64
		)
		err = tx.QueryRow(ctx, s.q.Get("ArticleForUpsert"), key).Scan(&id, &old.SourceID, &old.Title, &old.Author,
			&oldPub, &oldMod, &old.Text, &old.HTML, &old.Lang, &old.SiteName, &old.Image, &old.Attribution, &oldLen)
		if errors.Is(err, pgx.ErrNoRows) {
			fetched := a.FetchedAt.UTC().Truncate(time.Second)
			if fetched.IsZero() {
				fetched = now
			}
			sortTime := a.Published.UTC().Truncate(time.Second)
			if sortTime.IsZero() {
				sortTime = fetched
			}
			err = tx.QueryRow(ctx, s.q.Get("InsertArticle"), a.URL, key, a.SourceID, a.Title, a.Author,
				published, modified, a.Text, a.HTML, a.Lang, a.SiteName, a.Image, a.Attribution,
				fetched, now, sortTime, fts, docLen).Scan(&id)
			if errors.Is(err, pgx.ErrNoRows) {
				continue
			}
			if err != nil {
				return res, 0, 0, err
			}
			return store.Upserted{ID: id, Created: true}, 1, int64(docLen), nil
		}
		if err != nil {
			return res, 0, 0, err
		}
		old.Published, old.Modified = fromNull(oldPub), fromNull(oldMod)
		if store.SameContent(old, a) {
			return store.Upserted{ID: id}, 0, 0, nil
		}
		if _, err := tx.Exec(ctx, s.q.Get("UpdateArticle"), a.SourceID, a.Title, a.Author, published, modified,
			a.Text, a.HTML, a.Lang, a.SiteName, a.Image, a.Attribution, now, fts, docLen, id); err != nil {
			return res, 0, 0, err
		}
		return store.Upserted{ID: id, Changed: true}, 0, int64(docLen) - oldLen, nil
	}
	return res, 0, 0, errors.New("concurrent upserts of the same URL did not settle")
}

// tsvector renders the analysed terms as a tsvector literal: each lexeme is
// exactly a term (quoted, so no parser touches it), title positions carry
// weight A, and body positions start after a gap so a phrase never spans
// title and body. It returns the literal and the number of terms.
func tsvector(title, body []string) (string, int) {
	type entry struct {
		pos []string
	}
	lex := map[string]*entry{}
	var order []string
	add := func(term string, pos int, weight string) {
		if pos > 16383 { // PostgreSQL's largest position
			pos = 16383
		}
		e := lex[term]
		if e == nil {
			e = &entry{}
			lex[term] = e
			order = append(order, term)
		}
		e.pos = append(e.pos, fmt.Sprintf("%d%s", pos, weight))
	}
	for i, t := range title {
		add(t, i+1, "A")
	}
	for i, t := range body {
		add(t, len(title)+2+i, "")
	}
	var b strings.Builder
	for _, t := range order {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(quoteLexeme(t))
		b.WriteByte(':')
		b.WriteString(strings.Join(dedupe(lex[t].pos), ","))
	}
	return b.String(), len(title) + len(body)
}

// dedupe drops repeated clamped positions, which PostgreSQL would reject as
// ambiguous weights or silently merge.
func dedupe(pos []string) []string {
	out := pos[:0]
	seen := map[string]bool{}
	for _, p := range pos {
		n := strings.TrimRight(p, "A")
		if seen[n] {
			continue
		}
		seen[n] = true
		out = append(out, p)
	}
	return out
}

// quoteLexeme quotes a term for a tsvector or tsquery literal.
func quoteLexeme(t string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(t) + "'"
}

// Article implements store.Store.
func (s *Store) Article(ctx context.Context, id int64) (news.Article, error) {
	a, err := scanArticle(s.pool.QueryRow(ctx, s.q.Get("ArticleByID"), id))
	if errors.Is(err, pgx.ErrNoRows) {
		return news.Article{}, fmt.Errorf("article %d: %w", id, errNotFound)
	}
	if err != nil {
		return news.Article{}, fmt.Errorf("postgres: article %d: %w", id, err)
	}
	return a, nil
}

// ArticleByURL implements store.Store.
func (s *Store) ArticleByURL(ctx context.Context, u string) (news.Article, error) {
	key, err := urlnorm.Key(u)
	if err != nil {
		return news.Article{}, fmt.Errorf("article %s: %w", u, errNotFound)
	}
	a, err := scanArticle(s.pool.QueryRow(ctx, s.q.Get("ArticleByURL"), key))
	if errors.Is(err, pgx.ErrNoRows) {
		return news.Article{}, fmt.Errorf("article %s: %w", u, errNotFound)
	}
	if err != nil {
		return news.Article{}, fmt.Errorf("postgres: article %s: %w", u, err)
	}
	return a, nil
}

// Articles implements store.Store.
func (s *Store) Articles(ctx context.Context, f store.ArticleFilter) ([]news.Article, error) {
	var a args
	cond := articleFilters(&a, f)
	sql := strings.NewReplacer("{{filters}}", cond, "{{limit}}", a.add(limit(f.Limit)), "{{offset}}", a.add(max(0, f.Offset))).
		Replace(s.q.Get("ListArticles"))
	rows, err := s.pool.Query(ctx, sql, a...)
	if err != nil {
		return nil, fmt.Errorf("postgres: articles: %w", err)
	}
	return collectArticles(rows)
}

// CountArticles implements store.Store.
func (s *Store) CountArticles(ctx context.Context, f store.ArticleFilter) (int, error) {
	var a args
	cond := articleFilters(&a, f)
	var n int
	if err := s.pool.QueryRow(ctx, strings.Replace(s.q.Get("CountArticles"), "{{filters}}", cond, 1), a...).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count articles: %w", err)
	}
	return n, nil
}

// ScanArticles implements store.Store, paging by ID so no transaction stays
// open while fn runs.
func (s *Store) ScanArticles(ctx context.Context, fn func(news.Article) error) error {
	const page = 500
	var after int64
	for {
		rows, err := s.pool.Query(ctx, s.q.Get("ScanArticles"), after, page)
		if err != nil {
			return fmt.Errorf("postgres: scan articles: %w", err)
		}
		batch, err := collectArticles(rows)
		if err != nil {
			return err
		}
		for _, a := range batch {
			if err := fn(a); err != nil {
				return err
			}
			after = a.ID
		}
		if len(batch) < page {
			return nil
		}
	}
}

func articleFilters(a *args, f store.ArticleFilter) string {
	var b strings.Builder
	if f.SourceID != "" {
		b.WriteString(" AND a.source_id = " + a.add(f.SourceID))
	}
	if f.StoryID != 0 {
		b.WriteString(" AND a.story_id = " + a.add(f.StoryID))
	}
	if !f.After.IsZero() {
		b.WriteString(" AND a.sort_time >= " + a.add(f.After.UTC()))
	}
	if !f.Before.IsZero() {
		b.WriteString(" AND a.sort_time < " + a.add(f.Before.UTC()))
	}
	return b.String()
}

func limit(n int) int {
	if n <= 0 {
		return store.DefaultLimit
	}
	return n
}

// scanArticle reads the ArticleColumns list, in order, plus extra
// trailing destinations.
func scanArticle(r pgx.Row, extra ...any) (news.Article, error) {
	var (
		a                   news.Article
		published, modified *time.Time
	)
	dest := append([]any{&a.ID, &a.URL, &a.SourceID, &a.Title, &a.Author, &published, &modified, &a.Text,
		&a.HTML, &a.Lang, &a.SiteName, &a.Image, &a.Attribution, &a.FetchedAt, &a.UpdatedAt, &a.StoryID,
		&a.OriginalID}, extra...)
	if err := r.Scan(dest...); err != nil {
		return news.Article{}, err
	}
	a.Published, a.Modified = fromNull(published), fromNull(modified)
	a.FetchedAt, a.UpdatedAt = a.FetchedAt.UTC(), a.UpdatedAt.UTC()
	return a, nil
}

func collectArticles(rows pgx.Rows) ([]news.Article, error) {
	defer rows.Close()
	var out []news.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: read article: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: read articles: %w", err)
	}
	return out, nil
}
