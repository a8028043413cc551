package store

import (
	"context"
	"encoding/binary"
	"time"

	"github.com/marsad/marsad/internal/news"
)

// Copies keeps copy detection's state: a fingerprint per article (exact
// hash, shingles, MinHash signature and its LSH buckets) and the copy
// groups (articles.original_id plus one link row per copy).
type Copies interface {
	// CopyTx runs fn in one write transaction that excludes every other
	// CopyTx on the database, in this process and in others (SQLite's
	// write lock; a transaction-scoped advisory lock on PostgreSQL), so
	// that deciding an article's group and writing it cannot interleave
	// with another decision. fn's error rolls everything back.
	CopyTx(ctx context.Context, fn func(tx CopyTx) error) error
	// CopyGroups lists copy groups (originals with at least one copy),
	// newest original first; limit <= 0 lists them all.
	CopyGroups(ctx context.Context, limit, offset int) ([]CopyGroup, error)
	// CopyLinks returns the links of the copies of original id, earliest
	// copy first; empty when it has none.
	CopyLinks(ctx context.Context, originalID int64) ([]news.Copy, error)
	// CopyLink returns the link of copy id; news.ErrNotFound when id is
	// not a copy.
	CopyLink(ctx context.Context, id int64) (news.Copy, error)
}

// CopyTx is the transaction CopyTx hands out; its reads see its own writes.
type CopyTx interface {
	// CopyCandidates returns the stored fingerprints with the exact hash
	// exact (when non-zero) or sharing at least one of the buckets,
	// except article exclude's own: of each bucket, and of the exact
	// hash, only the perKey most recently stored, so a huge group of
	// look-alikes costs a bounded lookup (any of its members leads to the
	// group). When from is not zero, only fingerprints whose time lies in
	// [from, to] are returned (the per-key cap applies first): those
	// outside are not read at all.
	CopyCandidates(ctx context.Context, exact int64, buckets []int64, exclude int64, perKey int, from, to time.Time) ([]ArticlePrint, error)
	// Seq is the transaction's number: CopyTx transactions exclude each
	// other and take numbers in the order they run (1, 2, …; the number
	// of one rolled back is taken again), and every fingerprint written
	// records the number of the transaction that last wrote it.
	Seq() int64
	// PrintKeys calls fn with the bucket keys and the exact hash of each
	// fingerprint last written by a transaction numbered above after (all
	// of them for after < 0): what a process that caches which keys exist
	// has to add since its last look.
	PrintKeys(ctx context.Context, after int64, fn func(buckets []int64, exact int64)) error
	// ArticlePrints returns the stored fingerprints of the given articles
	// (absent ones are left out).
	ArticlePrints(ctx context.Context, ids []int64) ([]ArticlePrint, error)
	// Originals returns the original_id of each given article that exists
	// (0 for an original): a batch's links, read back without its
	// fingerprints.
	Originals(ctx context.Context, ids []int64) (map[int64]int64, error)
	// GroupOf returns the IDs of the copies of original id.
	GroupOf(ctx context.Context, originalID int64) ([]int64, error)
	// PutPrint stores (replaces) an article's fingerprint and buckets.
	PutPrint(ctx context.Context, p ArticlePrint, buckets []int64) error
	// PutBuckets files articles under their bucket keys in bulk (ids[i]
	// under buckets[i]), for fingerprints PutPrint stored without
	// buckets: a batch writes its tens of thousands of bucket rows at
	// once, in key order, instead of 64 scattered index inserts per
	// article. The keys are recorded with each fingerprint, so a later
	// PutPrint removes them. Absent fingerprints are an error.
	PutBuckets(ctx context.Context, ids []int64, buckets [][]int64) error
	// LinkCopy records c.ArticleID as a copy of c.OriginalID: it sets
	// articles.original_id and replaces the copy's link row.
	LinkCopy(ctx context.Context, c news.Copy) error
	// Article reads an article inside the transaction (callers must not
	// use the store's own pool while holding the copies lock: a pool
	// drained by waiting transactions would never give it a connection).
	// news.ErrNotFound when absent.
	Article(ctx context.Context, id int64) (news.Article, error)
	// MakeOriginal clears id's link: original_id 0, no link row.
	MakeOriginal(ctx context.Context, id int64) error
}

// ArticlePrint is an article's stored fingerprint with what provenance
// needs of the article.
type ArticlePrint struct {
	ArticleID  int64
	OriginalID int64
	SourceID   string
	// When is the article's time (published, else fetched).
	When time.Time
	// Credit is the agency or outlet the text credits; "" when none.
	Credit string
	// Version is the fingerprint scheme (dedup.SignatureVersion).
	Version   int
	Exact     int64
	Words     int
	Shingles  []uint32
	Numbers   []uint32
	Signature []uint32
}

// CopyGroup is an original and its copies, earliest copy first. Only
// ID, URL, SourceID, Title, Published, FetchedAt and OriginalID are set.
type CopyGroup struct {
	Original news.Article
	Copies   []news.Article
}

// LastKeys drops from PutBuckets' arguments all but the last of an
// article given more than once (one URL twice in a batch).
func LastKeys(ids []int64, buckets [][]int64) ([]int64, [][]int64) {
	last := make(map[int64]int, len(ids))
	for i, id := range ids {
		last[id] = i
	}
	if len(last) == len(ids) {
		return ids, buckets
	}
	var uids []int64
	var ukeys [][]int64
	for i, id := range ids {
		if last[id] == i {
			uids, ukeys = append(uids, id), append(ukeys, buckets[i])
		}
	}
	return uids, ukeys
}

// EncodeHashes packs a hash set as little-endian uint32s (the stored form).
func EncodeHashes(h []uint32) []byte {
	b := make([]byte, 0, 4*len(h))
	for _, v := range h {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b
}

// DecodeHashes is EncodeHashes' inverse; a trailing partial value is ignored.
func DecodeHashes(b []byte) []uint32 {
	out := make([]uint32, len(b)/4)
	for i := range out {
		out[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	return out
}

// EncodeKeys packs bucket keys as little-endian int64s.
func EncodeKeys(k []int64) []byte {
	b := make([]byte, 0, 8*len(k))
	for _, v := range k {
		b = binary.LittleEndian.AppendUint64(b, uint64(v))
	}
	return b
}

// DecodeKeys is EncodeKeys' inverse.
func DecodeKeys(b []byte) []int64 {
	out := make([]int64, len(b)/8)
	for i := range out {
		out[i] = int64(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return out
}
