package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/urlnorm"
)

// UpsertArticles implements store.Store. Article rows are written one by
// one; the search index is written once for the whole batch, after them:
// FTS5 flushes its pending terms to a new on-disk segment at every later
// statement of the transaction, so indexing per article made one segment
// per article and most of the import's time went to merging them.
func (s *Store) UpsertArticles(ctx context.Context, docs []store.ArticleDoc) ([]store.Upserted, error) {
	if len(docs) == 0 {
		return nil, nil
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("sqlite: upsert: %w", err)
	}
	defer tx.Rollback()
	stmts, err := prepare(ctx, tx, s.q, "ArticleForUpsert", "InsertArticle", "UpdateArticle")
	if err != nil {
		return nil, fmt.Errorf("sqlite: upsert: %w", err)
	}
	defer closeAll(stmts)
	now := s.now().UTC()
	out := make([]store.Upserted, len(docs))
	var fts ftsBatch
	for i, d := range docs {
		res, err := upsertOne(ctx, stmts, d, now)
		if err != nil {
			return nil, fmt.Errorf("sqlite: upsert %s: %w", d.Article.URL, err)
		}
		out[i] = res
		if res.Created || res.Changed {
			fts.add(res.ID, d, res.Changed)
		}
	}
	if err := fts.write(ctx, tx, s.q); err != nil {
		return nil, fmt.Errorf("sqlite: upsert: index: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("sqlite: upsert: %w", err)
	}
	return out, nil
}

func upsertOne(ctx context.Context, st map[string]*sql.Stmt, d store.ArticleDoc, now time.Time) (store.Upserted, error) {
	a := d.Article
	key, err := urlnorm.Key(a.URL)
	if err != nil {
		return store.Upserted{}, err
	}
	var (
		old                 news.Article
		published, modified sql.NullInt64
		id                  int64
	)
	err = st["ArticleForUpsert"].QueryRowContext(ctx, key).Scan(&id, &old.SourceID, &old.Title, &old.Author,
		&published, &modified, &old.Text, &old.HTML, &old.Lang, &old.SiteName, &old.Image, &old.Attribution)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		fetched := a.FetchedAt
		if fetched.IsZero() {
			fetched = now
		}
		sortTime := a.Published
		if sortTime.IsZero() {
			sortTime = fetched
		}
		if err := st["InsertArticle"].QueryRowContext(ctx, a.URL, key, a.SourceID, a.Title, a.Author,
			unix(a.Published), unix(a.Modified), a.Text, a.HTML, a.Lang, a.SiteName, a.Image,
			a.Attribution, fetched.Unix(), now.Unix(), sortTime.Unix()).Scan(&id); err != nil {
			return store.Upserted{}, err
		}
		return store.Upserted{ID: id, Created: true}, nil
	case err != nil:
		return store.Upserted{}, err
	}
	old.Published, old.Modified = fromUnix(published), fromUnix(modified)
	if store.SameContent(old, a) {
		return store.Upserted{ID: id}, nil
	}
	if _, err := st["UpdateArticle"].ExecContext(ctx, a.SourceID, a.Title, a.Author, unix(a.Published),
		unix(a.Modified), a.Text, a.HTML, a.Lang, a.SiteName, a.Image, a.Attribution, now.Unix(),
		unix(a.Published), id); err != nil {
		return store.Upserted{}, err
	}
	return store.Upserted{ID: id, Changed: true}, nil
}

// ftsBatch collects a batch's search-index rows: the last version of each
// article, and which articles already had a row before the batch.
type ftsBatch struct {
	rows    []ftsRow
	at      map[int64]int // id → index in rows
	replace []int64
}

type ftsRow struct {
	id          int64
	title, body []string
}

// add records d's terms under id; replace: the article was indexed before
// (a second version in the same batch replaces the first, still pending).
func (b *ftsBatch) add(id int64, d store.ArticleDoc, replace bool) {
	row := ftsRow{id: id, title: d.TitleTerms, body: d.BodyTerms}
	if i, ok := b.at[id]; ok {
		b.rows[i] = row
		return
	}
	if b.at == nil {
		b.at = map[int64]int{}
	}
	b.at[id] = len(b.rows)
	b.rows = append(b.rows, row)
	if replace {
		b.replace = append(b.replace, id)
	}
}

// write deletes the replaced rows and inserts all rows, each in one
// statement over a JSON array (so FTS5 builds one segment per batch).
func (b *ftsBatch) write(ctx context.Context, tx *sql.Tx, q interface{ Get(string) string }) error {
	if len(b.replace) > 0 {
		ids, err := json.Marshal(b.replace)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, q.Get("DeleteFTSBatch"), string(ids)); err != nil {
			return err
		}
	}
	if len(b.rows) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, q.Get("InsertFTSBatch"), string(b.json()))
	return err
}

// json renders the rows as InsertFTSBatch reads them: [[id, "title
// terms", "body terms"], …], the terms space-joined. Written by hand: it
// runs on the one writer's goroutine, where encoding/json's reflection
// and the joined strings were a tenth of the index writes.
func (b *ftsBatch) json() []byte {
	n := 2
	for _, r := range b.rows {
		n += 32
		for _, t := range r.title {
			n += len(t) + 1
		}
		for _, t := range r.body {
			n += len(t) + 1
		}
	}
	out := make([]byte, 0, n)
	out = append(out, '[')
	for i, r := range b.rows {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, '[')
		out = strconv.AppendInt(out, r.id, 10)
		out = appendTerms(append(out, ','), r.title)
		out = appendTerms(append(out, ','), r.body)
		out = append(out, ']')
	}
	return append(out, ']')
}

// appendTerms appends terms space-joined as one JSON string.
func appendTerms(dst []byte, terms []string) []byte {
	dst = append(dst, '"')
	for i, t := range terms {
		if i > 0 {
			dst = append(dst, ' ')
		}
		if !utf8.ValidString(t) {
			t = strings.ToValidUTF8(t, "\uFFFD")
		}
		for j := 0; j < len(t); j++ {
			switch c := t[j]; {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c < 0x20:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				dst = append(dst, c)
			}
		}
	}
	return append(dst, '"')
}

const hex = "0123456789abcdef"

// Article implements store.Store.
func (s *Store) Article(ctx context.Context, id int64) (news.Article, error) {
	a, err := scanArticle(s.queryRow(ctx, "ArticleByID", id))
	if errors.Is(err, sql.ErrNoRows) {
		return news.Article{}, fmt.Errorf("article %d: %w", id, news.ErrNotFound)
	}
	if err != nil {
		return news.Article{}, fmt.Errorf("sqlite: article %d: %w", id, err)
	}
	return a, nil
}

// ArticleByURL implements store.Store.
func (s *Store) ArticleByURL(ctx context.Context, u string) (news.Article, error) {
	key, err := urlnorm.Key(u)
	if err != nil {
		return news.Article{}, fmt.Errorf("article %s: %w", u, news.ErrNotFound)
	}
	a, err := scanArticle(s.queryRow(ctx, "ArticleByURL", key))
	if errors.Is(err, sql.ErrNoRows) {
		return news.Article{}, fmt.Errorf("article %s: %w", u, news.ErrNotFound)
	}
	if err != nil {
		return news.Article{}, fmt.Errorf("sqlite: article %s: %w", u, err)
	}
	return a, nil
}

// Articles implements store.Store.
func (s *Store) Articles(ctx context.Context, f store.ArticleFilter) ([]news.Article, error) {
	cond, args := articleFilters(f)
	args = append(args, limit(f.Limit), max(0, f.Offset))
	rows, err := s.r.QueryContext(ctx, strings.Replace(s.q.Get("ListArticles"), "{{filters}}", cond, 1), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: articles: %w", err)
	}
	return collectArticles(rows)
}

// CountArticles implements store.Store.
func (s *Store) CountArticles(ctx context.Context, f store.ArticleFilter) (int, error) {
	cond, args := articleFilters(f)
	var n int
	if err := s.r.QueryRowContext(ctx, strings.Replace(s.q.Get("CountArticles"), "{{filters}}", cond, 1), args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: count articles: %w", err)
	}
	return n, nil
}

// ArticleDays implements store.Store.
func (s *Store) ArticleDays(ctx context.Context, f store.ArticleFilter, offsetSeconds int) ([]store.DayCount, error) {
	cond, args := articleFilters(f)
	// ?1 is named by number, so the filters' plain ? continue after it.
	rows, err := s.r.QueryContext(ctx, strings.Replace(s.q.Get("ArticleDays"), "{{filters}}", cond, 1), append([]any{offsetSeconds}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: article days: %w", err)
	}
	defer rows.Close()
	var out []store.DayCount
	for rows.Next() {
		var d store.DayCount
		if err := rows.Scan(&d.Day, &d.Count); err != nil {
			return nil, fmt.Errorf("sqlite: article days: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// ScanArticles implements store.Store. It pages by ID so no read transaction
// stays open while fn runs (fn may be slow, e.g. writing to a pipe).
func (s *Store) ScanArticles(ctx context.Context, fn func(news.Article) error) error {
	const page = 500
	var after int64
	for {
		rows, err := s.query(ctx, "ScanArticles", after, page)
		if err != nil {
			return fmt.Errorf("sqlite: scan articles: %w", err)
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

func articleFilters(f store.ArticleFilter) (string, []any) {
	var b strings.Builder
	var args []any
	if f.SourceID != "" {
		b.WriteString(" AND a.source_id = ?")
		args = append(args, f.SourceID)
	}
	if f.StoryID != 0 {
		b.WriteString(" AND a.story_id = ?")
		args = append(args, f.StoryID)
	}
	if !f.After.IsZero() {
		b.WriteString(" AND a.sort_time >= ?")
		args = append(args, f.After.Unix())
	}
	if !f.Before.IsZero() {
		b.WriteString(" AND a.sort_time < ?")
		args = append(args, f.Before.Unix())
	}
	return b.String(), args
}

func limit(n int) int {
	if n <= 0 {
		return store.DefaultLimit
	}
	return n
}

type rowScanner interface{ Scan(dest ...any) error }

// scanArticle reads the ArticleColumns list, in order, plus extra trailing
// destinations.
func scanArticle(r rowScanner, extra ...any) (news.Article, error) {
	var (
		a                                     news.Article
		published, modified, fetched, updated sql.NullInt64
	)
	dest := append([]any{&a.ID, &a.URL, &a.SourceID, &a.Title, &a.Author, &published, &modified, &a.Text,
		&a.HTML, &a.Lang, &a.SiteName, &a.Image, &a.Attribution, &fetched, &updated, &a.StoryID,
		&a.OriginalID}, extra...)
	if err := r.Scan(dest...); err != nil {
		return news.Article{}, err
	}
	a.Published, a.Modified = fromUnix(published), fromUnix(modified)
	a.FetchedAt, a.UpdatedAt = fromUnix(fetched), fromUnix(updated)
	return a, nil
}

func collectArticles(rows *sql.Rows) ([]news.Article, error) {
	defer rows.Close()
	var out []news.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: read article: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: read articles: %w", err)
	}
	return out, nil
}

func prepare(ctx context.Context, tx *sql.Tx, q interface{ Get(string) string }, names ...string) (map[string]*sql.Stmt, error) {
	m := make(map[string]*sql.Stmt, len(names))
	for _, n := range names {
		st, err := tx.PrepareContext(ctx, q.Get(n))
		if err != nil {
			closeAll(m)
			return nil, fmt.Errorf("prepare %s: %w", n, err)
		}
		m[n] = st
	}
	return m, nil
}

func closeAll(m map[string]*sql.Stmt) {
	for _, st := range m {
		st.Close()
	}
}
