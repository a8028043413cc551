package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"time"

	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/store/sqlfile"
)

// CopyTx implements store.Store. The transaction runs on the single write
// connection and takes SQLite's write lock at BEGIN (IMMEDIATE), which
// excludes other writers in this process and in any other on the file.
func (s *Store) CopyTx(ctx context.Context, fn func(tx store.CopyTx) error) error {
	if err := s.copyStmts.prepare(ctx, s.w); err != nil {
		return fmt.Errorf("sqlite: copies: %w", err)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: copies: %w", err)
	}
	defer tx.Rollback()
	ctq := &copyTx{tx: tx, q: s.q, stmts: map[string]*sql.Stmt{}, kept: s.copyStmts, mergeAt: s.mergeAt}
	defer ctq.close()
	if err := tx.QueryRowContext(ctx, s.q.Get("NextCopySeq")).Scan(&ctq.seq); err != nil {
		return fmt.Errorf("sqlite: copies: numbering: %w", err)
	}
	if err := fn(ctq); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: copies: commit: %w", err)
	}
	return nil
}

type copyTx struct {
	tx *sql.Tx
	q  sqlfile.Queries
	// stmts are the transaction's statements: a batch runs the same few
	// hundreds of times. They come from kept (the store's statements,
	// prepared once per process) or, the first time, are prepared here.
	stmts map[string]*sql.Stmt
	kept  *stmtCache
	seq   int64
	// mergeAt is the recent bucket rows' count that triggers a merge.
	mergeAt int
}

func (c *copyTx) Seq() int64 { return c.seq }

func (c *copyTx) PrintKeys(ctx context.Context, after int64, fn func(buckets []int64, exact int64)) error {
	rows, err := c.query(ctx, "PrintKeys", after)
	if err != nil {
		return fmt.Errorf("sqlite: print keys: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var keys []byte
		var exact int64
		if err := rows.Scan(&keys, &exact); err != nil {
			return fmt.Errorf("sqlite: print keys: %w", err)
		}
		fn(store.DecodeKeys(keys), exact)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: print keys: %w", err)
	}
	return nil
}

func (c *copyTx) stmt(ctx context.Context, key, query string) (*sql.Stmt, error) {
	return c.stmtOf(ctx, key, func() string { return query })
}

// stmtOf is stmt for a query whose text is built only when needed.
func (c *copyTx) stmtOf(ctx context.Context, key string, query func() string) (*sql.Stmt, error) {
	if st, ok := c.stmts[key]; ok {
		return st, nil
	}
	var st *sql.Stmt
	if kept := c.kept.get(key); kept != nil {
		st = c.tx.StmtContext(ctx, kept)
	} else {
		q := query()
		c.kept.note(key, q)
		var err error
		if st, err = c.tx.PrepareContext(ctx, q); err != nil {
			return nil, err
		}
	}
	c.stmts[key] = st
	return st, nil
}

func (c *copyTx) close() {
	for _, st := range c.stmts {
		st.Close()
	}
}

func (c *copyTx) query(ctx context.Context, name string, args ...any) (*sql.Rows, error) {
	st, err := c.stmt(ctx, name, c.q.Get(name))
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (c *copyTx) exec(ctx context.Context, name string, args ...any) error {
	st, err := c.stmt(ctx, name, c.q.Get(name))
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, args...)
	return err
}

func (c *copyTx) CopyCandidates(ctx context.Context, exact int64, buckets []int64, exclude int64, perKey int, from, to time.Time) ([]store.ArticlePrint, error) {
	if exact == 0 && len(buckets) == 0 {
		return nil, nil
	}
	var lo, hi int64
	window := ""
	if !from.IsZero() {
		lo, hi = from.Unix(), to.Unix()
		window = " AND p.sort_time BETWEEN ?4 AND ?5"
	}
	perKey = max(1, perKey)
	args := []any{exact, exclude, nil, lo, hi}
	// The statement has one subquery per key; padding the keys to a power
	// of two (repeating the last: UNION drops the repeat) keeps a batch's
	// transaction to a few prepared forms instead of one per count.
	if n := len(buckets); n > 0 {
		buckets = slices.Clip(buckets) // never append into the caller's array
		for p := 1 << bits.Len(uint(n-1)); len(buckets) < p; {
			buckets = append(buckets, buckets[n-1])
		}
	}
	for _, b := range buckets {
		args = append(args, b)
	}
	key := fmt.Sprintf("CopyCandidates/%d/%d/%t/%t", len(buckets), perKey, exact != 0, window != "")
	// The text is built only for a statement not yet prepared (at 310k,
	// building it for every lookup took 3% of the copy stage).
	st, err := c.stmtOf(ctx, key, func() string {
		var keys []string
		for i := range buckets {
			// The perKey most recent of both tables together: a compound
			// ordered by the key's index order merges the two index walks
			// without sorting.
			keys = append(keys, fmt.Sprintf("SELECT * FROM (SELECT article_id FROM copy_buckets WHERE bucket = ?%[1]d AND article_id <> ?2 UNION ALL "+
				"SELECT article_id FROM copy_buckets_recent WHERE bucket = ?%[1]d AND article_id <> ?2 ORDER BY 1 DESC LIMIT %[2]d)", 6+i, perKey))
		}
		if exact != 0 {
			keys = append(keys, fmt.Sprintf("SELECT * FROM (SELECT e.article_id FROM copy_prints e WHERE e.exact = ?1 AND e.article_id <> ?2 "+
				"ORDER BY e.article_id DESC LIMIT %d)", perKey))
		}
		return strings.NewReplacer("{{keys}}", strings.Join(keys, " UNION "), "{{window}}", window).Replace(c.q.Get("CopyCandidates"))
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: copy candidates: %w", err)
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: copy candidates: %w", err)
	}
	return collectPrints(rows)
}

func (c *copyTx) ArticlePrints(ctx context.Context, ids []int64) ([]store.ArticlePrint, error) {
	rows, err := c.query(ctx, "ArticlePrints", jsonInts(ids))
	if err != nil {
		return nil, fmt.Errorf("sqlite: article prints: %w", err)
	}
	return collectPrints(rows)
}

func (c *copyTx) Originals(ctx context.Context, ids []int64) (map[int64]int64, error) {
	rows, err := c.query(ctx, "Originals", jsonInts(ids))
	if err != nil {
		return nil, fmt.Errorf("sqlite: originals: %w", err)
	}
	defer rows.Close()
	out, err := store.CollectOriginals(rows)
	if err != nil {
		return nil, fmt.Errorf("sqlite: originals: %w", err)
	}
	return out, nil
}

func (c *copyTx) GroupOf(ctx context.Context, originalID int64) ([]int64, error) {
	rows, err := c.query(ctx, "GroupOf", originalID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: group of %d: %w", originalID, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sqlite: group of %d: %w", originalID, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: group of %d: %w", originalID, err)
	}
	return ids, nil
}

// PutPrint replaces the fingerprint and the article's bucket rows (the
// old ones are found through the keys kept with the old fingerprint).
func (c *copyTx) PutPrint(ctx context.Context, p store.ArticlePrint, buckets []int64) error {
	var old []byte
	st, err := c.stmt(ctx, "PrintBuckets", c.q.Get("PrintBuckets"))
	if err != nil {
		return fmt.Errorf("sqlite: put print %d: %w", p.ArticleID, err)
	}
	err = st.QueryRowContext(ctx, p.ArticleID).Scan(&old)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("sqlite: put print %d: %w", p.ArticleID, err)
	}
	if err == nil {
		keys := jsonInts(store.DecodeKeys(old))
		for _, q := range []string{"DeleteBuckets", "DeleteRecentBuckets"} {
			if err := c.exec(ctx, q, p.ArticleID, keys); err != nil {
				return fmt.Errorf("sqlite: put print %d: %w", p.ArticleID, err)
			}
		}
	}
	var sig any
	if p.Signature != nil {
		sig = store.EncodeHashes(p.Signature)
	}
	if err := c.exec(ctx, "PutPrint", p.ArticleID, p.SourceID, p.When.Unix(), p.Credit, p.Version,
		p.Exact, p.Words, store.EncodeHashes(p.Shingles), store.EncodeHashes(p.Numbers), sig, store.EncodeKeys(buckets), c.seq); err != nil {
		return fmt.Errorf("sqlite: put print %d: %w", p.ArticleID, err)
	}
	rows := make([]bucketRow, len(buckets))
	for i, b := range buckets {
		rows[i] = bucketRow{b, p.ArticleID}
	}
	if err := c.insertBuckets(ctx, rows); err != nil {
		return fmt.Errorf("sqlite: put print %d: %w", p.ArticleID, err)
	}
	if len(rows) == 0 {
		return nil
	}
	return c.mergeBuckets(ctx)
}

// PutBuckets records each article's keys with its fingerprint, then
// inserts all rows sorted by key: consecutive inserts then land on
// neighbouring index pages instead of 64 random ones per article.
func (c *copyTx) PutBuckets(ctx context.Context, ids []int64, buckets [][]int64) error {
	if len(ids) != len(buckets) {
		return fmt.Errorf("sqlite: put buckets: %d ids, %d key lists: %w", len(ids), len(buckets), news.ErrInvalid)
	}
	ids, buckets = store.LastKeys(ids, buckets)
	var rows []bucketRow
	for i, id := range ids {
		for _, b := range buckets[i] {
			rows = append(rows, bucketRow{b, id})
		}
	}
	// The keys are recorded with the prints bucketChunk at a time.
	args := make([]any, 0, 1+2*min(len(ids), bucketChunk))
	for from := 0; from < len(ids); from += bucketChunk {
		part := ids[from:min(from+bucketChunk, len(ids))]
		key := fmt.Sprintf("SetPrintKeys/%d", len(part))
		st, ok := c.stmts[key]
		if !ok {
			q := strings.Replace(c.q.Get("SetPrintKeys"), "{{rows}}", strings.TrimSuffix(strings.Repeat("(?, ?), ", len(part)), ", "), 1)
			var err error
			if st, err = c.stmt(ctx, key, q); err != nil {
				return fmt.Errorf("sqlite: put buckets: %w", err)
			}
		}
		args = append(args[:0], c.seq)
		for k, id := range part {
			args = append(args, id, store.EncodeKeys(buckets[from+k]))
		}
		res, err := st.ExecContext(ctx, args...)
		if err != nil {
			return fmt.Errorf("sqlite: put buckets: %w", err)
		}
		if n, err := res.RowsAffected(); err == nil && n != int64(len(part)) {
			return fmt.Errorf("sqlite: put buckets: %d of %d fingerprints absent: %w", int64(len(part))-n, len(part), news.ErrNotFound)
		}
	}
	slices.SortFunc(rows, func(a, b bucketRow) int {
		if a.bucket != b.bucket { // nearly always: keys are 64-bit hashes
			return cmp.Compare(a.bucket, b.bucket)
		}
		return cmp.Compare(a.id, b.id)
	})
	if err := c.insertBuckets(ctx, rows); err != nil {
		return fmt.Errorf("sqlite: put buckets: %w", err)
	}
	return c.mergeBuckets(ctx)
}

// recentBuckets is how many rows copy_buckets_recent gathers before they
// are merged into copy_buckets (a few MB: about eight batches of 500
// articles). The merge writes each of copy_buckets' pages about once.
const recentBuckets = 1 << 18

// mergeBuckets moves the recent rows into copy_buckets once there are
// enough of them.
func (c *copyTx) mergeBuckets(ctx context.Context) error {
	st, err := c.stmt(ctx, "RecentBuckets", c.q.Get("RecentBuckets"))
	if err != nil {
		return fmt.Errorf("sqlite: merge buckets: %w", err)
	}
	var n int
	if err := st.QueryRowContext(ctx).Scan(&n); err != nil {
		return fmt.Errorf("sqlite: merge buckets: %w", err)
	}
	if n < c.mergeAt {
		return nil
	}
	for _, q := range []string{"MergeBuckets", "ClearRecentBuckets"} {
		if _, err := c.tx.ExecContext(ctx, c.q.Get(q)); err != nil {
			return fmt.Errorf("sqlite: merge buckets: %w", err)
		}
	}
	return nil
}

type bucketRow struct{ bucket, id int64 }

// bucketChunk is the most rows per INSERT (two parameters each, far below
// SQLite's 32,766).
const bucketChunk = 256

// insertBuckets writes rows with multi-row INSERTs, prepared once per
// chunk size in the transaction.
func (c *copyTx) insertBuckets(ctx context.Context, rows []bucketRow) error {
	args := make([]any, 0, 2*min(len(rows), bucketChunk))
	for len(rows) > 0 {
		n := min(len(rows), bucketChunk)
		key := fmt.Sprintf("InsertBuckets/%d", n)
		st, ok := c.stmts[key]
		if !ok {
			q := strings.Replace(c.q.Get("InsertBuckets"), "{{rows}}", strings.TrimSuffix(strings.Repeat("(?, ?), ", n), ", "), 1)
			var err error
			if st, err = c.stmt(ctx, key, q); err != nil {
				return err
			}
		}
		args = args[:0]
		for _, r := range rows[:n] {
			args = append(args, r.bucket, r.id)
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

func (c *copyTx) LinkCopy(ctx context.Context, l news.Copy) error {
	if l.ArticleID == 0 || l.OriginalID == 0 || l.ArticleID == l.OriginalID {
		return fmt.Errorf("sqlite: link copy %d → %d: %w", l.ArticleID, l.OriginalID, news.ErrInvalid)
	}
	if err := c.exec(ctx, "LinkCopy", l.ArticleID, l.OriginalID, l.Similarity, l.Contained, l.Exact,
		l.TitleChanged, l.SentencesAdded, l.SentencesRemoved, l.Rule, l.DetectedAt.Unix()); err != nil {
		return fmt.Errorf("sqlite: link copy %d: %w", l.ArticleID, err)
	}
	if err := c.exec(ctx, "SetOriginal", l.OriginalID, l.ArticleID); err != nil {
		return fmt.Errorf("sqlite: link copy %d: %w", l.ArticleID, err)
	}
	return nil
}

func (c *copyTx) Article(ctx context.Context, id int64) (news.Article, error) {
	st, err := c.stmt(ctx, "ArticleByID", c.q.Get("ArticleByID"))
	if err != nil {
		return news.Article{}, fmt.Errorf("sqlite: article %d: %w", id, err)
	}
	a, err := scanArticle(st.QueryRowContext(ctx, id))
	if errors.Is(err, sql.ErrNoRows) {
		return news.Article{}, fmt.Errorf("article %d: %w", id, news.ErrNotFound)
	}
	if err != nil {
		return news.Article{}, fmt.Errorf("sqlite: article %d: %w", id, err)
	}
	return a, nil
}

func (c *copyTx) MakeOriginal(ctx context.Context, id int64) error {
	if err := c.exec(ctx, "DeleteLink", id); err != nil {
		return fmt.Errorf("sqlite: make original %d: %w", id, err)
	}
	if err := c.exec(ctx, "SetOriginal", 0, id); err != nil {
		return fmt.Errorf("sqlite: make original %d: %w", id, err)
	}
	return nil
}

// CopyLinks implements store.Store.
func (s *Store) CopyLinks(ctx context.Context, originalID int64) ([]news.Copy, error) {
	rows, err := s.query(ctx, "CopyLinks", originalID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: copy links of %d: %w", originalID, err)
	}
	defer rows.Close()
	var out []news.Copy
	for rows.Next() {
		l, err := scanLink(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: copy links of %d: %w", originalID, err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: copy links of %d: %w", originalID, err)
	}
	return out, nil
}

// CopyLink implements store.Store.
func (s *Store) CopyLink(ctx context.Context, id int64) (news.Copy, error) {
	l, err := scanLink(s.queryRow(ctx, "CopyLink", id))
	if errors.Is(err, sql.ErrNoRows) {
		return news.Copy{}, fmt.Errorf("copy link %d: %w", id, news.ErrNotFound)
	}
	if err != nil {
		return news.Copy{}, fmt.Errorf("sqlite: copy link %d: %w", id, err)
	}
	return l, nil
}

// CopyGroups implements store.Store.
func (s *Store) CopyGroups(ctx context.Context, lim, offset int) ([]store.CopyGroup, error) {
	if lim <= 0 {
		lim = -1
	}
	rows, err := s.query(ctx, "GroupOriginals", lim, max(0, offset))
	if err != nil {
		return nil, fmt.Errorf("sqlite: copy groups: %w", err)
	}
	origs, err := collectBrief(rows)
	if err != nil {
		return nil, fmt.Errorf("sqlite: copy groups: %w", err)
	}
	ids := make([]int64, len(origs))
	at := make(map[int64]int, len(origs))
	out := make([]store.CopyGroup, len(origs))
	for i, o := range origs {
		ids[i], at[o.ID] = o.ID, i
		out[i].Original = o
	}
	rows, err = s.query(ctx, "GroupCopies", jsonInts(ids))
	if err != nil {
		return nil, fmt.Errorf("sqlite: copy groups: %w", err)
	}
	cps, err := collectBrief(rows)
	if err != nil {
		return nil, fmt.Errorf("sqlite: copy groups: %w", err)
	}
	for _, c := range cps {
		g := &out[at[c.OriginalID]]
		g.Copies = append(g.Copies, c)
	}
	return out, nil
}

func collectBrief(rows *sql.Rows) ([]news.Article, error) {
	defer rows.Close()
	var out []news.Article
	for rows.Next() {
		var a news.Article
		var pub, fetched sql.NullInt64
		if err := rows.Scan(&a.ID, &a.URL, &a.SourceID, &a.Title, &pub, &fetched, &a.OriginalID); err != nil {
			return nil, err
		}
		a.Published, a.FetchedAt = fromUnix(pub), fromUnix(fetched)
		out = append(out, a)
	}
	return out, rows.Err()
}

func scanLink(r rowScanner) (news.Copy, error) {
	var l news.Copy
	var at int64
	err := r.Scan(&l.ArticleID, &l.OriginalID, &l.Similarity, &l.Contained, &l.Exact, &l.TitleChanged,
		&l.SentencesAdded, &l.SentencesRemoved, &l.Rule, &at, &l.SourceID)
	l.DetectedAt = time.Unix(at, 0).UTC()
	return l, err
}

func collectPrints(rows *sql.Rows) ([]store.ArticlePrint, error) {
	defer rows.Close()
	var out []store.ArticlePrint
	for rows.Next() {
		var p store.ArticlePrint
		var when int64
		var sh, nums, sig []byte
		var orig sql.NullInt64
		if err := rows.Scan(&p.ArticleID, &p.SourceID, &when, &p.Credit, &p.Version, &p.Exact, &p.Words, &sh, &nums, &sig, &orig); err != nil {
			return nil, fmt.Errorf("sqlite: fingerprints: %w", err)
		}
		p.When = time.Unix(when, 0).UTC()
		p.Shingles, p.Numbers = store.DecodeHashes(sh), store.DecodeHashes(nums)
		if sig != nil {
			p.Signature = store.DecodeHashes(sig)
		}
		p.OriginalID = orig.Int64
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: fingerprints: %w", err)
	}
	return out, nil
}

// jsonInts passes a list of integers as one parameter (json_each).
func jsonInts(v []int64) string {
	if v == nil {
		v = []int64{}
	}
	b, _ := json.Marshal(v)
	return string(b)
}
