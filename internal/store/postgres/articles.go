package postgres

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/urlnorm"
)

// UpsertArticles implements store.Store, set-based: one locking read of
// the batch's existing rows, then one multi-row INSERT and one multi-row
// UPDATE (arrays unnested server-side), so a batch of 500 costs a handful
// of round trips instead of two per article. A URL another transaction
// inserts at the same moment falls back to the one-at-a-time path; a
// deadlock between two concurrent batches retries the batch.
func (s *Store) UpsertArticles(ctx context.Context, docs []store.ArticleDoc) ([]store.Upserted, error) {
	if len(docs) == 0 {
		return nil, nil
	}
	keys := make([]string, len(docs))
	for i, d := range docs {
		k, err := urlnorm.Key(d.Article.URL)
		if err != nil {
			return nil, fmt.Errorf("postgres: upsert %s: %w", d.Article.URL, err)
		}
		keys[i] = k
	}
	now := s.now().UTC().Truncate(time.Second)
	var out []store.Upserted
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			if len(docs) >= bulkBatch {
				// Bulk loads add a batch's postings to the search index's
				// pending list and merge them in larger runs (a third less
				// server CPU); Optimize merges what is left.
				if _, err := tx.Exec(ctx, s.q.Get("BulkPendingList")); err != nil {
					return err
				}
			}
			out, err = s.upsertBatch(ctx, tx, docs, keys, now)
			return err
		})
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "40P01" { // deadlock_detected
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return out, nil
}

// bulkBatch is the batch size from which an upsert counts as a bulk load.
const bulkBatch = 100

// keyPlan is what a batch does with one URL identity.
type keyPlan struct {
	docs   []int            // indices of the batch's documents with this key, in order
	id     int64            // the stored row (0 until inserted)
	exists bool             // stored before the batch
	dirty  bool             // content to write
	cur    news.Article     // latest content (times at stored precision)
	doc    store.ArticleDoc // the document to write
	oldLen int64            // doc_len before the batch
	// A new row keeps its first document's URL and fetch time.
	url   string
	fetch time.Time
}

func (s *Store) upsertBatch(ctx context.Context, tx pgx.Tx, docs []store.ArticleDoc, keys []string, now time.Time) ([]store.Upserted, error) {
	out := make([]store.Upserted, len(docs))
	plans := map[string]*keyPlan{}
	var order []string
	for i, k := range keys {
		if plans[k] == nil {
			plans[k] = &keyPlan{}
			order = append(order, k)
		}
		plans[k].docs = append(plans[k].docs, i)
	}
	// Queue behind any concurrent batch sharing a key, then lock the
	// existing rows in key order: batches inserting the same new keys in
	// their own orders deadlocked (UpsertArticles retries a deadlocked
	// batch, but three tries were not always enough).
	sorted := slices.Sorted(maps.Keys(plans))
	if _, err := tx.Exec(ctx, s.q.Get("LockArticleKeys"), sorted); err != nil {
		return nil, fmt.Errorf("lock article keys: %w", err)
	}
	rows, err := tx.Query(ctx, s.q.Get("ArticlesForUpsert"), sorted)
	if err != nil {
		return nil, fmt.Errorf("lock articles: %w", err)
	}
	for rows.Next() {
		var (
			key            string
			old            news.Article
			id, oldLen     int64
			oldPub, oldMod *time.Time
		)
		if err := rows.Scan(&key, &id, &old.SourceID, &old.Title, &old.Author, &oldPub, &oldMod, &old.Text, &old.HTML,
			&old.Lang, &old.SiteName, &old.Image, &old.Attribution, &oldLen); err != nil {
			rows.Close()
			return nil, fmt.Errorf("lock articles: %w", err)
		}
		old.Published, old.Modified = fromNull(oldPub), fromNull(oldMod)
		if p := plans[key]; p != nil {
			p.id, p.exists, p.cur, p.oldLen = id, true, old, oldLen
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("lock articles: %w", err)
	}
	// Walk each key's documents in order: the first of a new key creates
	// it, later ones (and any of a stored key) change it when they differ
	// from the latest content; the last write wins.
	for _, k := range order {
		p := plans[k]
		for n, i := range p.docs {
			a := docs[i].Article
			if !p.exists && n == 0 {
				out[i].Created = true
				p.url, p.fetch = a.URL, a.FetchedAt.UTC().Truncate(time.Second)
				if p.fetch.IsZero() {
					p.fetch = now
				}
			} else if store.SameContent(p.cur, a) {
				continue
			} else {
				out[i].Changed = true
			}
			a.Published, a.Modified = a.Published.Truncate(time.Second), a.Modified.Truncate(time.Second)
			p.cur, p.doc, p.dirty = a, docs[i], true
		}
	}
	var dDocs, dLen int64
	inserted, err := s.insertNew(ctx, tx, order, plans, now)
	if err != nil {
		return nil, err
	}
	var lost []string
	for _, k := range order {
		p := plans[k]
		if p.exists {
			continue
		}
		id, ok := inserted[k]
		if !ok {
			lost = append(lost, k) // inserted meanwhile by another transaction
			continue
		}
		p.id = id
		dDocs++
		dLen += int64(docLength(p.doc.TitleTerms, p.doc.BodyTerms))
	}
	updated, err := s.updateChanged(ctx, tx, order, plans, now)
	if err != nil {
		return nil, err
	}
	dLen += updated
	for _, k := range order {
		for _, i := range plans[k].docs {
			out[i].ID = plans[k].id
		}
	}
	for _, k := range lost {
		for _, i := range plans[k].docs {
			res, docDelta, lenDelta, err := s.upsertOne(ctx, tx, docs[i], now)
			if err != nil {
				return nil, fmt.Errorf("upsert %s: %w", docs[i].Article.URL, err)
			}
			out[i] = res
			dDocs += docDelta
			dLen += lenDelta
		}
	}
	if dDocs != 0 || dLen != 0 {
		if _, err := tx.Exec(ctx, s.q.Get("UpdateStats"), dDocs, dLen); err != nil {
			return nil, fmt.Errorf("search stats: %w", err)
		}
	}
	return out, nil
}

// insertNew inserts the batch's new keys in one statement and returns
// their IDs by key; a key another transaction inserted first is absent.
func (s *Store) insertNew(ctx context.Context, tx pgx.Tx, order []string, plans map[string]*keyPlan, now time.Time) (map[string]int64, error) {
	var c articleCols
	for _, k := range order {
		if p := plans[k]; !p.exists {
			a := p.cur
			sortTime := a.Published.UTC()
			if sortTime.IsZero() {
				sortTime = p.fetch
			}
			c.add(p.doc, a, k)
			c.url[len(c.url)-1] = p.url
			c.fetched = append(c.fetched, p.fetch)
			c.sortTime = append(c.sortTime, sortTime)
		}
	}
	if len(c.key) == 0 {
		return nil, nil
	}
	rows, err := tx.Query(ctx, s.q.Get("InsertArticles"), c.url, c.key, c.source, c.title, c.author, c.published,
		c.modified, c.body, c.html, c.lang, c.site, c.image, c.attribution, c.fetched, now, c.sortTime, c.fts, c.docLen)
	if err != nil {
		return nil, fmt.Errorf("insert articles: %w", err)
	}
	ids := make(map[string]int64, len(c.key))
	for rows.Next() {
		var k string
		var id int64
		if err := rows.Scan(&k, &id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("insert articles: %w", err)
		}
		ids[k] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("insert articles: %w", err)
	}
	return ids, nil
}

// updateChanged rewrites the stored keys whose content changed, in one
// statement, and returns the change in indexed length.
func (s *Store) updateChanged(ctx context.Context, tx pgx.Tx, order []string, plans map[string]*keyPlan, now time.Time) (int64, error) {
	var c articleCols
	var ids []int64
	var dLen int64
	for _, k := range order {
		if p := plans[k]; p.exists && p.dirty {
			c.add(p.doc, p.cur, k)
			ids = append(ids, p.id)
			dLen += int64(c.docLen[len(c.docLen)-1]) - p.oldLen
		}
	}
	if len(ids) == 0 {
		return 0, nil
	}
	if _, err := tx.Exec(ctx, s.q.Get("UpdateArticles"), ids, c.source, c.title, c.author, c.published, c.modified,
		c.body, c.html, c.lang, c.site, c.image, c.attribution, now, c.fts, c.docLen); err != nil {
		return 0, fmt.Errorf("update articles: %w", err)
	}
	return dLen, nil
}

// articleCols holds a batch column by column, for unnest().
type articleCols struct {
	url, key, source, title, author            []string
	published, modified                        []*time.Time
	body, html, lang, site, image, attribution []string
	fetched, sortTime                          []time.Time
	fts                                        []string
	docLen                                     []int32
}

func (c *articleCols) add(d store.ArticleDoc, a news.Article, key string) {
	fts, n := tsvector(d.TitleTerms, d.BodyTerms)
	c.url = append(c.url, d.Article.URL)
	c.key = append(c.key, key)
	c.source = append(c.source, a.SourceID)
	c.title = append(c.title, a.Title)
	c.author = append(c.author, a.Author)
	c.published = append(c.published, timePtr(a.Published))
	c.modified = append(c.modified, timePtr(a.Modified))
	c.body = append(c.body, a.Text)
	c.html = append(c.html, a.HTML)
	c.lang = append(c.lang, a.Lang)
	c.site = append(c.site, a.SiteName)
	c.image = append(c.image, a.Image)
	c.attribution = append(c.attribution, a.Attribution)
	c.fts = append(c.fts, fts)
	c.docLen = append(c.docLen, int32(n))
}

// timePtr is a nullable timestamp: nil for the zero time.
func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
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
// title and body. It returns the literal and the document's length as
// FTS5 counts it.
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
	return b.String(), docLength(title, body)
}

// docLength is a document's length for BM25 as FTS5 counts it.
func docLength(title, body []string) int {
	n := 0
	for _, t := range title {
		n += fts5Tokens(t)
	}
	for _, t := range body {
		n += fts5Tokens(t)
	}
	return n
}

// fts5Tokens is how many tokens SQLite's tokenizer (ascii, or unicode61 in
// older databases: alike on the analyzer's terms) makes of a term (a
// decimal or an e-mail address is several): BM25's document length counts
// them, so PostgreSQL counts the same and both stores score alike.
func fts5Tokens(term string) int {
	n, in := 0, false
	for _, r := range term {
		tok := unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r) || unicode.Is(unicode.Mn, r) && in
		if tok && !in {
			n++
		}
		in = tok
	}
	return n
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
	if strings.ContainsAny(t, `\'`) {
		t = strings.ReplaceAll(strings.ReplaceAll(t, `\`, `\\`), `'`, `''`)
	}
	return "'" + t + "'"
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

// ArticleDays implements store.Store.
func (s *Store) ArticleDays(ctx context.Context, f store.ArticleFilter, offsetSeconds int) ([]store.DayCount, error) {
	a := args{offsetSeconds}
	cond := articleFilters(&a, f)
	rows, err := s.pool.Query(ctx, strings.Replace(s.q.Get("ArticleDays"), "{{filters}}", cond, 1), a...)
	if err != nil {
		return nil, fmt.Errorf("postgres: article days: %w", err)
	}
	defer rows.Close()
	var out []store.DayCount
	for rows.Next() {
		var d store.DayCount
		if err := rows.Scan(&d.Day, &d.Count); err != nil {
			return nil, fmt.Errorf("postgres: article days: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
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
