package storetest

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
)

func copyTests() []struct {
	name string
	fn   func(t *testing.T, s store.Store)
} {
	return []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"CopyPrints", testCopyPrints},
		{"CopyBucketsInBulk", testCopyBucketsInBulk},
		{"CopyGroups", testCopyGroups},
		{"CopyTxRollback", testCopyTxRollback},
		{"CopyTxExclusive", testCopyTxExclusive},
		{"CopySeq", testCopySeq},
	}
}

func printOf(id int64, src string, when time.Time, exact int64, buckets ...int64) store.ArticlePrint {
	return store.ArticlePrint{ArticleID: id, SourceID: src, When: when, Credit: "واس", Version: 1, Exact: exact, Words: 40,
		Shingles: []uint32{1, 5, 9, 4000000000}, Numbers: []uint32{7}, Signature: []uint32{3, 2, 1, 0xffffffff}}
}

func copyTx(t *testing.T, s store.Store, fn func(tx store.CopyTx) error) {
	t.Helper()
	if err := s.CopyTx(context.Background(), fn); err != nil {
		t.Fatalf("CopyTx: %v", err)
	}
}

// testCopyBucketsInBulk: fingerprints stored without buckets are found
// once PutBuckets files them, and a later PutPrint removes those rows.
func testCopyBucketsInBulk(t *testing.T, s store.Store) {
	ctx := context.Background()
	res := mustUpsert(t, s,
		doc("https://a.example/b1", "a", "عنوان", "نص", t0),
		doc("https://b.example/b2", "b", "عنوان", "نص", t0.Add(time.Hour)))
	a, b := res[0].ID, res[1].ID
	many := make([]int64, 600) // more rows than one statement takes
	for i := range many {
		many[i] = int64(i*7919) - 2000
	}
	copyTx(t, s, func(tx store.CopyTx) error {
		for _, id := range []int64{a, b} {
			if err := tx.PutPrint(ctx, printOf(id, "a", t0, 0), nil); err != nil {
				return err
			}
		}
		if got, err := tx.CopyCandidates(ctx, 0, []int64{7}, 0, 10, time.Time{}, time.Time{}); err != nil || len(got) != 0 {
			t.Errorf("before PutBuckets: %v, %v; want none", printIDs(got), err)
		}
		if err := tx.PutBuckets(ctx, []int64{b, a}, [][]int64{{7, 8}, append([]int64{8}, many...)}); err != nil {
			return err
		}
		for _, tc := range []struct {
			key  int64
			want []int64
		}{{7, []int64{b}}, {8, []int64{a, b}}, {many[599], []int64{a}}, {many[0], []int64{a}}} {
			got, err := tx.CopyCandidates(ctx, 0, []int64{tc.key}, 0, 10, time.Time{}, time.Time{})
			if err != nil {
				return err
			}
			if ids := printIDs(got); !slices.Equal(ids, tc.want) {
				t.Errorf("bucket %d after PutBuckets = %v, want %v", tc.key, ids, tc.want)
			}
		}
		if err := tx.PutPrint(ctx, printOf(a, "a", t0, 0), []int64{9}); err != nil {
			return err
		}
		for key, want := range map[int64][]int64{8: {b}, many[300]: nil, 9: {a}} {
			got, err := tx.CopyCandidates(ctx, 0, []int64{key}, 0, 10, time.Time{}, time.Time{})
			if err != nil {
				return err
			}
			if ids := printIDs(got); !slices.Equal(ids, want) {
				t.Errorf("bucket %d after replacing %d's print = %v, want %v", key, a, ids, want)
			}
		}
		// An article given twice keeps its last keys.
		if err := tx.PutBuckets(ctx, []int64{b, b}, [][]int64{{70}, {71}}); err != nil {
			return err
		}
		for key, want := range map[int64][]int64{70: nil, 71: {b}} {
			got, err := tx.CopyCandidates(ctx, 0, []int64{key}, 0, 10, time.Time{}, time.Time{})
			if err != nil {
				return err
			}
			if ids := printIDs(got); !slices.Equal(ids, want) {
				t.Errorf("bucket %d after PutBuckets of %d twice = %v, want %v", key, b, ids, want)
			}
		}
		if err := tx.PutBuckets(ctx, []int64{999999}, [][]int64{{1}}); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("PutBuckets of an absent fingerprint = %v, want ErrNotFound", err)
		}
		return nil
	})
}

func testCopyPrints(t *testing.T, s store.Store) {
	ctx := context.Background()
	res := mustUpsert(t, s,
		doc("https://a.example/1", "a", "عنوان", "نص", t0),
		doc("https://b.example/2", "b", "عنوان", "نص", t0.Add(time.Hour)),
		doc("https://c.example/3", "c", "عنوان", "نص", t0.Add(2*time.Hour)))
	a, b, c := res[0].ID, res[1].ID, res[2].ID
	copyTx(t, s, func(tx store.CopyTx) error {
		if err := tx.PutPrint(ctx, printOf(a, "a", t0, 11), []int64{100, 200, -5}); err != nil {
			return err
		}
		if err := tx.PutPrint(ctx, printOf(b, "b", t0.Add(time.Hour), 22), []int64{200, 300}); err != nil {
			return err
		}
		p := printOf(c, "c", t0.Add(2*time.Hour), 11)
		p.Signature = nil // too short for near copies: no buckets
		p.Credit = ""
		if err := tx.PutPrint(ctx, p, nil); err != nil {
			return err
		}
		// Reads see the transaction's own writes.
		got, err := tx.CopyCandidates(ctx, 0, []int64{200}, 0, 10, time.Time{}, time.Time{})
		if err != nil {
			return err
		}
		if ids := printIDs(got); !slices.Equal(ids, []int64{a, b}) {
			t.Errorf("bucket 200 candidates = %v, want [%d %d]", ids, a, b)
		}
		// A time window leaves out fingerprints outside it, by bucket and
		// by exact hash alike.
		got, err = tx.CopyCandidates(ctx, 11, []int64{200}, 0, 10, t0.Add(30*time.Minute), t0.Add(3*time.Hour))
		if err != nil {
			return err
		}
		if ids := printIDs(got); !slices.Equal(ids, []int64{b, c}) {
			t.Errorf("exact 11 / bucket 200 in [t0+30m, t0+3h] = %v, want [%d %d]", ids, b, c)
		}
		got, err = tx.CopyCandidates(ctx, 11, []int64{-5, 999}, a, 10, time.Time{}, time.Time{})
		if err != nil {
			return err
		}
		if ids := printIDs(got); !slices.Equal(ids, []int64{c}) {
			t.Errorf("exact 11 / bucket -5 candidates excluding %d = %v, want [%d]", a, ids, c)
		}
		got, err = tx.ArticlePrints(ctx, []int64{a, c, 999999})
		if err != nil {
			return err
		}
		if len(got) != 2 {
			t.Fatalf("ArticlePrints = %d prints, want 2", len(got))
		}
		slices.SortFunc(got, func(x, y store.ArticlePrint) int { return int(x.ArticleID - y.ArticleID) })
		want := printOf(a, "a", t0, 11)
		if g := got[0]; g.SourceID != "a" || !g.When.Equal(t0) || g.Credit != "واس" || g.Exact != 11 || g.Words != 40 ||
			g.Version != 1 || !slices.Equal(g.Shingles, want.Shingles) || !slices.Equal(g.Numbers, want.Numbers) ||
			!slices.Equal(g.Signature, want.Signature) || g.OriginalID != 0 {
			t.Errorf("print round trip = %+v, want %+v", g, want)
		}
		if got[1].Signature != nil || got[1].Credit != "" {
			t.Errorf("short print = %+v, want no signature, no credit", got[1])
		}
		// Replacing a print replaces its buckets.
		if err := tx.PutPrint(ctx, printOf(a, "a", t0, 33), []int64{400}); err != nil {
			return err
		}
		got, err = tx.CopyCandidates(ctx, 0, []int64{100, 200, -5}, 0, 10, time.Time{}, time.Time{})
		if err != nil {
			return err
		}
		if ids := printIDs(got); !slices.Equal(ids, []int64{b}) {
			t.Errorf("after replace, old buckets find %v, want [%d]", ids, b)
		}
		got, err = tx.CopyCandidates(ctx, 0, []int64{400}, 0, 10, time.Time{}, time.Time{})
		if err != nil {
			return err
		}
		if ids := printIDs(got); !slices.Equal(ids, []int64{a}) {
			t.Errorf("after replace, new bucket finds %v, want [%d]", ids, a)
		}
		got, err = tx.CopyCandidates(ctx, 0, nil, 0, 10, time.Time{}, time.Time{})
		if err != nil || len(got) != 0 {
			t.Errorf("no exact, no buckets = %v, %v; want none", printIDs(got), err)
		}
		// The per-key cap keeps the most recently stored of each key.
		if err := tx.PutPrint(ctx, printOf(b, "b", t0, 11), []int64{400, 200}); err != nil {
			return err
		}
		got, err = tx.CopyCandidates(ctx, 0, []int64{400}, 0, 1, time.Time{}, time.Time{})
		if err != nil {
			return err
		}
		if ids := printIDs(got); !slices.Equal(ids, []int64{max(a, b)}) {
			t.Errorf("bucket 400 capped at 1 = %v, want [%d]", ids, max(a, b))
		}
		got, err = tx.CopyCandidates(ctx, 11, []int64{200}, a, 1, time.Time{}, time.Time{})
		if err != nil {
			return err
		}
		if ids := printIDs(got); !slices.Equal(ids, []int64{b, c}) {
			t.Errorf("exact 11 capped at 1, bucket 200 capped at 1, excluding %d = %v, want [%d %d]", a, ids, b, c)
		}
		return nil
	})
}

func printIDs(ps []store.ArticlePrint) []int64 {
	var ids []int64
	for _, p := range ps {
		ids = append(ids, p.ArticleID)
	}
	slices.Sort(ids)
	return ids
}

func testCopyGroups(t *testing.T, s store.Store) {
	ctx := context.Background()
	res := mustUpsert(t, s,
		doc("https://was.example/1", "was", "الأصل", "نص", t0),
		doc("https://b.example/2", "b", "نسخة", "نص", t0.Add(time.Hour)),
		doc("https://c.example/3", "c", "نسخة أخرى", "نص", t0.Add(2*time.Hour)),
		doc("https://d.example/4", "d", "وحيد", "نص", t0.Add(3*time.Hour)))
	o, b, c, d := res[0].ID, res[1].ID, res[2].ID, res[3].ID
	at := t0.Add(24 * time.Hour)
	link := news.Copy{ArticleID: c, OriginalID: o, Similarity: 0.75, Contained: 0.9, TitleChanged: true,
		SentencesAdded: 2, SentencesRemoved: 1, Rule: "earliest", DetectedAt: at}
	copyTx(t, s, func(tx store.CopyTx) error {
		if err := tx.LinkCopy(ctx, news.Copy{ArticleID: b, OriginalID: o, Similarity: 1, Contained: 1, Exact: true,
			Rule: "credited", DetectedAt: at}); err != nil {
			return err
		}
		if err := tx.LinkCopy(ctx, link); err != nil {
			return err
		}
		ids, err := tx.GroupOf(ctx, o)
		if err != nil {
			return err
		}
		if !slices.Equal(ids, []int64{b, c}) {
			t.Errorf("GroupOf(%d) = %v, want [%d %d]", o, ids, b, c)
		}
		origs, err := tx.Originals(ctx, []int64{o, b, c, d, 987654})
		if err != nil {
			return err
		}
		if want := map[int64]int64{o: 0, b: o, c: o, d: 0}; !maps.Equal(origs, want) {
			t.Errorf("Originals = %v, want %v (the missing ID left out)", origs, want)
		}
		if err := tx.LinkCopy(ctx, news.Copy{ArticleID: d, OriginalID: d}); !errors.Is(err, news.ErrInvalid) {
			t.Errorf("self link: %v, want ErrInvalid", err)
		}
		// Reads inside the transaction see its writes.
		if a, err := tx.Article(ctx, c); err != nil || a.Title != "نسخة أخرى" || a.OriginalID != o {
			t.Errorf("tx.Article = %+v, %v; want the copy with OriginalID %d", a, err, o)
		}
		if _, err := tx.Article(ctx, 987654); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("tx.Article of a missing ID: %v, want ErrNotFound", err)
		}
		return nil
	})
	if a, _ := s.Article(ctx, c); a.OriginalID != o {
		t.Errorf("copy's OriginalID = %d, want %d", a.OriginalID, o)
	}
	if a, _ := s.Article(ctx, o); a.OriginalID != 0 {
		t.Errorf("original's OriginalID = %d, want 0", a.OriginalID)
	}
	got, err := s.CopyLink(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	link.SourceID = "c"
	if got != link {
		t.Errorf("CopyLink = %+v, want %+v", got, link)
	}
	if _, err := s.CopyLink(ctx, d); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("CopyLink of an original: %v, want ErrNotFound", err)
	}
	links, err := s.CopyLinks(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(links) != 2 || links[0].ArticleID != b || !links[0].Exact || links[0].SourceID != "b" || links[1].ArticleID != c {
		t.Errorf("CopyLinks = %+v, want b (exact) then c", links)
	}
	groups, err := s.CopyGroups(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 1 || groups[0].Original.ID != o || groups[0].Original.URL != "https://was.example/1" ||
		len(groups[0].Copies) != 2 || groups[0].Copies[0].ID != b || groups[0].Copies[1].URL != "https://c.example/3" ||
		!groups[0].Copies[1].Published.Equal(t0.Add(2*time.Hour)) {
		t.Fatalf("CopyGroups = %+v, want one group: original %d, copies %d %d", groups, o, b, c)
	}
	// Re-pointing: c becomes the original of o and b.
	copyTx(t, s, func(tx store.CopyTx) error {
		if err := tx.MakeOriginal(ctx, c); err != nil {
			return err
		}
		for _, id := range []int64{o, b} {
			if err := tx.LinkCopy(ctx, news.Copy{ArticleID: id, OriginalID: c, Rule: "earliest", DetectedAt: at}); err != nil {
				return err
			}
		}
		return nil
	})
	if _, err := s.CopyLink(ctx, c); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("after MakeOriginal, CopyLink: %v, want ErrNotFound", err)
	}
	groups, err = s.CopyGroups(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 1 || groups[0].Original.ID != c || len(groups[0].Copies) != 2 || groups[0].Copies[0].ID != o {
		t.Fatalf("after re-pointing, CopyGroups = %+v, want original %d with copies %d %d", groups, c, o, b)
	}
	if g, err := s.CopyGroups(ctx, 1, 1); err != nil || len(g) != 0 {
		t.Errorf("CopyGroups(limit 1, offset 1) = %v, %v; want none", g, err)
	}
}

func testCopyTxRollback(t *testing.T, s store.Store) {
	ctx := context.Background()
	res := mustUpsert(t, s, doc("https://a.example/1", "a", "عنوان", "نص", t0), doc("https://b.example/2", "b", "عنوان", "نص", t0))
	boom := errors.New("boom")
	err := s.CopyTx(ctx, func(tx store.CopyTx) error {
		if err := tx.PutPrint(ctx, printOf(res[0].ID, "a", t0, 5), []int64{1}); err != nil {
			return err
		}
		if err := tx.LinkCopy(ctx, news.Copy{ArticleID: res[1].ID, OriginalID: res[0].ID, DetectedAt: t0}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("CopyTx = %v, want the callback's error", err)
	}
	if a, _ := s.Article(ctx, res[1].ID); a.OriginalID != 0 {
		t.Errorf("rolled back link left OriginalID %d", a.OriginalID)
	}
	copyTx(t, s, func(tx store.CopyTx) error {
		got, err := tx.CopyCandidates(ctx, 5, []int64{1}, 0, 10, time.Time{}, time.Time{})
		if len(got) != 0 {
			t.Errorf("rolled back print is found: %v", printIDs(got))
		}
		return err
	})
}

// testCopyTxExclusive checks that CopyTx calls do not interleave: each
// reads a counter (the number of prints) and writes one print named after
// it; interleaving would give two prints the same number.
func testCopyTxExclusive(t *testing.T, s store.Store) {
	ctx := context.Background()
	const n = 8
	docs := make([]store.ArticleDoc, n)
	for i := range docs {
		docs[i] = doc("https://x.example/"+string(rune('a'+i)), "x", "عنوان", "نص", t0)
	}
	res := mustUpsert(t, s, docs...)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			errs <- s.CopyTx(ctx, func(tx store.CopyTx) error {
				seen, err := tx.CopyCandidates(ctx, 0, []int64{42}, 0, 10, time.Time{}, time.Time{})
				if err != nil {
					return err
				}
				time.Sleep(5 * time.Millisecond) // widen the window a race would need
				return tx.PutPrint(ctx, printOf(res[i].ID, "x", t0, int64(1000+len(seen))), []int64{42})
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	copyTx(t, s, func(tx store.CopyTx) error {
		got, err := tx.CopyCandidates(ctx, 0, []int64{42}, 0, 10, time.Time{}, time.Time{})
		var exact []int64
		for _, p := range got {
			exact = append(exact, p.Exact)
		}
		slices.Sort(exact)
		want := []int64{1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007}
		if !slices.Equal(exact, want) {
			t.Errorf("counters = %v, want %v (CopyTx interleaved)", exact, want)
		}
		return err
	})
}

// testCopySeq: copy transactions are numbered in order (a rolled-back
// number is taken again) and PrintKeys returns the keys of the prints
// written after a number, including the transaction's own.
func testCopySeq(t *testing.T, s store.Store) {
	ctx := context.Background()
	res := mustUpsert(t, s,
		doc("https://a.example/s1", "a", "عنوان", "نص", t0),
		doc("https://b.example/s2", "b", "عنوان", "نص", t0.Add(time.Hour)))
	a, b := res[0].ID, res[1].ID
	read := func(tx store.CopyTx, after int64) []printKeys {
		var out []printKeys
		if err := tx.PrintKeys(ctx, after, func(bs []int64, exact int64) {
			out = append(out, printKeys{slices.Clone(bs), exact})
		}); err != nil {
			t.Fatalf("PrintKeys(%d): %v", after, err)
		}
		slices.SortFunc(out, func(x, y printKeys) int { return int(x.exact - y.exact) })
		return out
	}
	var first int64
	copyTx(t, s, func(tx store.CopyTx) error {
		first = tx.Seq()
		if first < 1 {
			t.Errorf("first Seq = %d, want ≥ 1", first)
		}
		return tx.PutPrint(ctx, printOf(a, "a", t0, 11), []int64{1, 2})
	})
	copyTx(t, s, func(tx store.CopyTx) error {
		if got := tx.Seq(); got != first+1 {
			t.Errorf("second Seq = %d, want %d", got, first+1)
		}
		if got := read(tx, first); len(got) != 0 {
			t.Errorf("PrintKeys after the first = %v, want none", got)
		}
		if got, want := read(tx, -1), []printKeys{{[]int64{1, 2}, 11}}; !equalKeys(got, want) {
			t.Errorf("PrintKeys(-1) = %v, want %v", got, want)
		}
		if err := tx.PutPrint(ctx, printOf(b, "b", t0, 22), nil); err != nil {
			return err
		}
		if err := tx.PutBuckets(ctx, []int64{b}, [][]int64{{3}}); err != nil {
			return err
		}
		// Its own writes, numbered with it.
		if got, want := read(tx, first), []printKeys{{[]int64{3}, 22}}; !equalKeys(got, want) {
			t.Errorf("PrintKeys after the first, in the second = %v, want %v", got, want)
		}
		return nil
	})
	boom := errors.New("boom")
	var rolled int64
	if err := s.CopyTx(ctx, func(tx store.CopyTx) error {
		rolled = tx.Seq()
		if err := tx.PutPrint(ctx, printOf(a, "a", t0, 33), []int64{9}); err != nil {
			return err
		}
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("CopyTx = %v, want the callback's error", err)
	}
	copyTx(t, s, func(tx store.CopyTx) error {
		if rolled != first+2 || tx.Seq() != rolled {
			t.Errorf("Seq of a rolled-back transaction %d and of the next %d, want both %d", rolled, tx.Seq(), first+2)
		}
		if got, want := read(tx, -1), []printKeys{{[]int64{1, 2}, 11}, {[]int64{3}, 22}}; !equalKeys(got, want) {
			t.Errorf("PrintKeys(-1) after a rollback = %v, want %v", got, want)
		}
		return nil
	})
}

// printKeys is what PrintKeys hands out for one print.
type printKeys struct {
	buckets []int64
	exact   int64
}

func equalKeys(got, want []printKeys) bool {
	return slices.EqualFunc(got, want, func(x, y printKeys) bool {
		return x.exact == y.exact && slices.Equal(x.buckets, y.buckets)
	})
}
