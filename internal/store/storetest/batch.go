package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/marsad/marsad/internal/store"
)

// testUpsertMixedBatch: one batch with a stored article unchanged, one
// changed, a new one given twice under two URL variants, and another new
// one: results in input order, the first-seen URL kept, the last content
// winning, and the search index following the changes.
func testUpsertMixedBatch(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := doc("https://a.example/1", "src", "عنوان أول", "نص", t0)
	b := doc("https://b.example/1", "src", "عنوان ثان", "نص", t0)
	pre := mustUpsert(t, s, a, b)
	b2 := doc("https://b.example/1", "src", "عنوان معدل", "نص", t0)
	c1 := doc("http://www.c.example/1/", "src", "قديم", "نص", t0)
	c2 := doc("https://c.example/1?utm_source=rss", "src", "جديد", "نص", t0)
	d := doc("https://d.example/1", "src", "رابع", "نص", t0)
	res := mustUpsert(t, s, a, b2, c1, c2, d, a)
	want := []store.Upserted{{ID: pre[0].ID}, {ID: pre[1].ID, Changed: true}, {ID: res[2].ID, Created: true},
		{ID: res[2].ID, Changed: true}, {ID: res[4].ID, Created: true}, {ID: pre[0].ID}}
	for i := range want {
		if res[i] != want[i] {
			t.Errorf("result %d = %+v, want %+v", i, res[i], want[i])
		}
	}
	if res[2].ID == 0 || res[4].ID == 0 || res[2].ID == res[4].ID {
		t.Errorf("new IDs %d, %d", res[2].ID, res[4].ID)
	}
	c, err := s.Article(ctx, res[2].ID)
	if err != nil || c.URL != "http://www.c.example/1/" || c.Title != "جديد" {
		t.Errorf("c = %+v, %v; want the first URL and the last title", c, err)
	}
	if n, _ := s.CountArticles(ctx, store.ArticleFilter{}); n != 4 {
		t.Errorf("%d articles, want 4", n)
	}
	for _, q := range []struct {
		term string
		want int
	}{{"قديم", 0}, {"جديد", 1}, {"معدل", 1}, {"ثان", 0}, {"نص", 4}} {
		page, err := s.Search(ctx, store.SearchQuery{All: []string{q.term}})
		if err != nil || page.Total != q.want {
			t.Errorf("search %q: %d hits, %v; want %d", q.term, page.Total, err, q.want)
		}
	}
}

// testConcurrentUpserts: batches sharing articles, stored at once in
// different orders (two imports, or workers), all succeed and agree.
func testConcurrentUpserts(t *testing.T, s store.Store) {
	ctx := context.Background()
	var docs []store.ArticleDoc
	for i := range 40 {
		docs = append(docs, doc(fmt.Sprintf("https://x.example/%d", i), "src", "عنوان", fmt.Sprintf("نص %d", i), t0))
	}
	ids := make([]map[string]int64, 4)
	var wg sync.WaitGroup
	for g := range ids {
		ids[g] = map[string]int64{}
		wg.Go(func() {
			order := rand.Perm(len(docs))
			for i := 0; i < len(order); i += 10 {
				var batch []store.ArticleDoc
				for _, j := range order[i:min(i+10, len(order))] {
					batch = append(batch, docs[j])
				}
				res, err := s.UpsertArticles(ctx, batch)
				if err != nil {
					t.Error(err)
					return
				}
				for k, r := range res {
					ids[g][batch[k].Article.URL] = r.ID
				}
			}
		})
	}
	wg.Wait()
	if n, _ := s.CountArticles(ctx, store.ArticleFilter{}); n != len(docs) {
		t.Errorf("%d articles, want %d", n, len(docs))
	}
	for g := 1; g < len(ids); g++ {
		for u, id := range ids[0] {
			if ids[g][u] != id {
				t.Errorf("%s: IDs %d and %d", u, id, ids[g][u])
			}
		}
	}
	if page, err := s.Search(ctx, store.SearchQuery{All: []string{"عنوان"}}); err != nil || page.Total != len(docs) {
		t.Errorf("search: %d, %v", page.Total, err)
	}
}
