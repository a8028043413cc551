package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/store/sqlfile"
)

// CopyTx implements store.Store. A transaction-scoped advisory lock makes
// copy decisions one at a time across every process on the database: two
// workers storing copies of each other at once would otherwise each miss
// the other and both become originals.
func (s *Store) CopyTx(ctx context.Context, fn func(tx store.CopyTx) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: copies: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, s.q.Get("LockCopies")); err != nil {
		return fmt.Errorf("postgres: copies: lock: %w", err)
	}
	ct := &copyTx{tx: tx, q: s.q}
	if err := tx.QueryRow(ctx, s.q.Get("NextCopySeq")).Scan(&ct.seq); err != nil {
		return fmt.Errorf("postgres: copies: numbering: %w", err)
	}
	if err := fn(ct); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: copies: commit: %w", err)
	}
	return nil
}

type copyTx struct {
	tx  pgx.Tx
	q   sqlfile.Queries
	seq int64
}

func (c *copyTx) Seq() int64 { return c.seq }

func (c *copyTx) PrintKeys(ctx context.Context, after int64, fn func(buckets []int64, exact int64)) error {
	rows, err := c.tx.Query(ctx, c.q.Get("PrintKeys"), after)
	if err != nil {
		return fmt.Errorf("postgres: print keys: %w", err)
	}
	defer rows.Close()
	var keys []byte
	var exact int64
	_, err = pgx.ForEachRow(rows, []any{&keys, &exact}, func() error {
		fn(store.DecodeKeys(keys), exact)
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: print keys: %w", err)
	}
	return nil
}

func (c *copyTx) CopyCandidates(ctx context.Context, exact int64, buckets []int64, exclude int64, perKey int, from, to time.Time) ([]store.ArticlePrint, error) {
	var lo, hi *time.Time // nil: no window
	if !from.IsZero() {
		f, t := from.UTC(), to.UTC()
		lo, hi = &f, &t
	}
	rows, err := c.tx.Query(ctx, c.q.Get("CopyCandidates"), exact, nonNil(buckets), exclude, max(1, perKey), lo, hi)
	if err != nil {
		return nil, fmt.Errorf("postgres: copy candidates: %w", err)
	}
	return collectPrints(rows)
}

func (c *copyTx) ArticlePrints(ctx context.Context, ids []int64) ([]store.ArticlePrint, error) {
	rows, err := c.tx.Query(ctx, c.q.Get("ArticlePrints"), nonNil(ids))
	if err != nil {
		return nil, fmt.Errorf("postgres: article prints: %w", err)
	}
	return collectPrints(rows)
}

func (c *copyTx) Originals(ctx context.Context, ids []int64) (map[int64]int64, error) {
	rows, err := c.tx.Query(ctx, c.q.Get("Originals"), nonNil(ids))
	if err != nil {
		return nil, fmt.Errorf("postgres: originals: %w", err)
	}
	defer rows.Close()
	out, err := store.CollectOriginals(rows)
	if err != nil {
		return nil, fmt.Errorf("postgres: originals: %w", err)
	}
	return out, nil
}

func (c *copyTx) GroupOf(ctx context.Context, originalID int64) ([]int64, error) {
	rows, err := c.tx.Query(ctx, c.q.Get("GroupOf"), originalID)
	if err != nil {
		return nil, fmt.Errorf("postgres: group of %d: %w", originalID, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("postgres: group of %d: %w", originalID, err)
	}
	return ids, nil
}

// PutPrint replaces the fingerprint and the article's bucket rows (the
// old ones are found through the keys kept with the old fingerprint).
func (c *copyTx) PutPrint(ctx context.Context, p store.ArticlePrint, buckets []int64) error {
	var old []byte
	err := c.tx.QueryRow(ctx, c.q.Get("PrintBuckets"), p.ArticleID).Scan(&old)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("postgres: put print %d: %w", p.ArticleID, err)
	}
	if err == nil {
		if _, err := c.tx.Exec(ctx, c.q.Get("DeleteBuckets"), p.ArticleID, store.DecodeKeys(old)); err != nil {
			return fmt.Errorf("postgres: put print %d: %w", p.ArticleID, err)
		}
	}
	var sig []byte
	if p.Signature != nil {
		sig = store.EncodeHashes(p.Signature)
	}
	if _, err := c.tx.Exec(ctx, c.q.Get("PutPrint"), p.ArticleID, p.SourceID, p.When.UTC(), p.Credit, p.Version,
		p.Exact, p.Words, store.EncodeHashes(p.Shingles), store.EncodeHashes(p.Numbers), sig, store.EncodeKeys(buckets), c.seq); err != nil {
		return fmt.Errorf("postgres: put print %d: %w", p.ArticleID, err)
	}
	if len(buckets) > 0 {
		if _, err := c.tx.Exec(ctx, c.q.Get("InsertBuckets"), buckets, p.ArticleID); err != nil {
			return fmt.Errorf("postgres: put print %d: %w", p.ArticleID, err)
		}
	}
	return nil
}

// PutBuckets records the keys with the fingerprints and inserts every row,
// in two statements.
func (c *copyTx) PutBuckets(ctx context.Context, ids []int64, buckets [][]int64) error {
	if len(ids) != len(buckets) {
		return fmt.Errorf("postgres: put buckets: %d ids, %d key lists: %w", len(ids), len(buckets), news.ErrInvalid)
	}
	ids, buckets = store.LastKeys(ids, buckets)
	keys := make([][]byte, len(ids))
	var bs, as []int64
	for i, id := range ids {
		keys[i] = store.EncodeKeys(buckets[i])
		for _, b := range buckets[i] {
			bs, as = append(bs, b), append(as, id)
		}
	}
	rows, err := c.tx.Query(ctx, c.q.Get("SetPrintKeys"), ids, keys, c.seq)
	if err != nil {
		return fmt.Errorf("postgres: put buckets: %w", err)
	}
	found, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("postgres: put buckets: %w", err)
	}
	if len(found) != len(ids) {
		return fmt.Errorf("postgres: put buckets: %d of %d fingerprints absent: %w", len(ids)-len(found), len(ids), news.ErrNotFound)
	}
	if len(bs) > 0 {
		if _, err := c.tx.Exec(ctx, c.q.Get("InsertBucketRows"), bs, as); err != nil {
			return fmt.Errorf("postgres: put buckets: %w", err)
		}
	}
	return nil
}

func (c *copyTx) LinkCopy(ctx context.Context, l news.Copy) error {
	if l.ArticleID == 0 || l.OriginalID == 0 || l.ArticleID == l.OriginalID {
		return fmt.Errorf("postgres: link copy %d → %d: %w", l.ArticleID, l.OriginalID, news.ErrInvalid)
	}
	if _, err := c.tx.Exec(ctx, c.q.Get("LinkCopy"), l.ArticleID, l.OriginalID, l.Similarity, l.Contained, l.Exact,
		l.TitleChanged, l.SentencesAdded, l.SentencesRemoved, l.Rule, l.DetectedAt.UTC()); err != nil {
		return fmt.Errorf("postgres: link copy %d: %w", l.ArticleID, err)
	}
	if _, err := c.tx.Exec(ctx, c.q.Get("SetOriginal"), l.OriginalID, l.ArticleID); err != nil {
		return fmt.Errorf("postgres: link copy %d: %w", l.ArticleID, err)
	}
	return nil
}

func (c *copyTx) Article(ctx context.Context, id int64) (news.Article, error) {
	a, err := scanArticle(c.tx.QueryRow(ctx, c.q.Get("ArticleByID"), id))
	if errors.Is(err, pgx.ErrNoRows) {
		return news.Article{}, fmt.Errorf("article %d: %w", id, news.ErrNotFound)
	}
	if err != nil {
		return news.Article{}, fmt.Errorf("postgres: article %d: %w", id, err)
	}
	return a, nil
}

func (c *copyTx) MakeOriginal(ctx context.Context, id int64) error {
	if _, err := c.tx.Exec(ctx, c.q.Get("DeleteLink"), id); err != nil {
		return fmt.Errorf("postgres: make original %d: %w", id, err)
	}
	if _, err := c.tx.Exec(ctx, c.q.Get("SetOriginal"), 0, id); err != nil {
		return fmt.Errorf("postgres: make original %d: %w", id, err)
	}
	return nil
}

// CopyLinks implements store.Store.
func (s *Store) CopyLinks(ctx context.Context, originalID int64) ([]news.Copy, error) {
	rows, err := s.pool.Query(ctx, s.q.Get("CopyLinks"), originalID)
	if err != nil {
		return nil, fmt.Errorf("postgres: copy links of %d: %w", originalID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (news.Copy, error) { return scanLink(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: copy links of %d: %w", originalID, err)
	}
	return out, nil
}

// CopyLink implements store.Store.
func (s *Store) CopyLink(ctx context.Context, id int64) (news.Copy, error) {
	l, err := scanLink(s.pool.QueryRow(ctx, s.q.Get("CopyLink"), id))
	if errors.Is(err, pgx.ErrNoRows) {
		return news.Copy{}, fmt.Errorf("copy link %d: %w", id, news.ErrNotFound)
	}
	if err != nil {
		return news.Copy{}, fmt.Errorf("postgres: copy link %d: %w", id, err)
	}
	return l, nil
}

// CopyGroups implements store.Store.
func (s *Store) CopyGroups(ctx context.Context, lim, offset int) ([]store.CopyGroup, error) {
	var limArg any
	if lim > 0 {
		limArg = lim
	}
	rows, err := s.pool.Query(ctx, s.q.Get("GroupOriginals"), limArg, max(0, offset))
	if err != nil {
		return nil, fmt.Errorf("postgres: copy groups: %w", err)
	}
	origs, err := pgx.CollectRows(rows, scanBrief)
	if err != nil {
		return nil, fmt.Errorf("postgres: copy groups: %w", err)
	}
	ids := make([]int64, len(origs))
	at := make(map[int64]int, len(origs))
	out := make([]store.CopyGroup, len(origs))
	for i, o := range origs {
		ids[i], at[o.ID] = o.ID, i
		out[i].Original = o
	}
	rows, err = s.pool.Query(ctx, s.q.Get("GroupCopies"), nonNil(ids))
	if err != nil {
		return nil, fmt.Errorf("postgres: copy groups: %w", err)
	}
	cps, err := pgx.CollectRows(rows, scanBrief)
	if err != nil {
		return nil, fmt.Errorf("postgres: copy groups: %w", err)
	}
	for _, c := range cps {
		g := &out[at[c.OriginalID]]
		g.Copies = append(g.Copies, c)
	}
	return out, nil
}

func scanBrief(r pgx.CollectableRow) (news.Article, error) {
	var a news.Article
	var pub, fetched *time.Time
	err := r.Scan(&a.ID, &a.URL, &a.SourceID, &a.Title, &pub, &fetched, &a.OriginalID)
	a.Published, a.FetchedAt = fromNull(pub), fromNull(fetched)
	return a, err
}

func scanLink(r pgx.Row) (news.Copy, error) {
	var l news.Copy
	err := r.Scan(&l.ArticleID, &l.OriginalID, &l.Similarity, &l.Contained, &l.Exact, &l.TitleChanged,
		&l.SentencesAdded, &l.SentencesRemoved, &l.Rule, &l.DetectedAt, &l.SourceID)
	l.DetectedAt = l.DetectedAt.UTC()
	return l, err
}

func collectPrints(rows pgx.Rows) ([]store.ArticlePrint, error) {
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.ArticlePrint, error) {
		var p store.ArticlePrint
		var sh, nums, sig []byte
		if err := r.Scan(&p.ArticleID, &p.SourceID, &p.When, &p.Credit, &p.Version, &p.Exact, &p.Words, &sh, &nums, &sig, &p.OriginalID); err != nil {
			return p, err
		}
		p.When = p.When.UTC()
		p.Shingles, p.Numbers = store.DecodeHashes(sh), store.DecodeHashes(nums)
		if sig != nil {
			p.Signature = store.DecodeHashes(sig)
		}
		return p, nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: fingerprints: %w", err)
	}
	return out, nil
}

func nonNil(v []int64) []int64 {
	if v == nil {
		return []int64{}
	}
	return v
}
