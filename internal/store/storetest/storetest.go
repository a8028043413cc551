// Package storetest is the one conformance suite every store.Store
// implementation must pass. Each backend's test calls Run with a function
// that returns a fresh, migrated, empty store.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
)

// Open returns a fresh, migrated, empty store; it registers its own cleanup.
type Open func(t *testing.T) store.Store

// Run runs every conformance test against stores made by open.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"MigrateIdempotent", testMigrateIdempotent},
		{"UpsertAndGet", testUpsertAndGet},
		{"UpsertIdempotent", testUpsertIdempotent},
		{"UpsertUpdates", testUpsertUpdates},
		{"UpsertBatchSameURL", testUpsertBatchSameURL},
		{"URLVariantsAreOneArticle", testURLVariants},
		{"UpsertInvalidURL", testUpsertInvalidURL},
		{"UpsertMixedBatch", testUpsertMixedBatch},
		{"ConcurrentUpserts", testConcurrentUpserts},
		{"NotFound", testNotFound},
		{"ListAndCount", testListAndCount},
		{"Scan", testScan},
		{"Search", testSearch},
		{"SearchReindexOnUpdate", testSearchReindexOnUpdate},
		{"SearchFilters", testSearchFilters},
		{"SearchPaging", testSearchPaging},
		{"SearchOddTerms", testSearchOddTerms},
		{"SearchClauses", testSearchClauses}, {"SearchFacets", testSearchFacets}, {"SearchCollapse", testSearchCollapse}, {"SearchAfterUpdate", testSearchAfterUpdate},
		{"ArticleChanges", testArticleChanges},
		{"Sources", testSources},
		{"SourceStatus", testSourceStatus},
		{"DueSources", testDueSources},
		{"FetchState", testFetchState},
		{"KnownURLs", testKnownURLs},
		{"Runners", testRunners},
		{"HostBudget", testHostBudget},
		{"ReleaseHostsOf", testReleaseHostsOf},
		{"ConcurrentClaims", testConcurrentClaims},
		{"SourceCounts", testSourceCounts},
		{"Stories", testStories},
	}
	tests = append(tests, copyTests()...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
}

var t0 = time.Date(2015, 8, 5, 10, 0, 0, 0, time.UTC)

func doc(url, source, title, text string, published time.Time) store.ArticleDoc {
	return store.ArticleDoc{
		Article: news.Article{
			URL: url, SourceID: source, Title: title, Text: text, Published: published,
			Author: "كاتب", Lang: "ar", SiteName: source, Image: url + "/img.jpg",
			Attribution: "واس", HTML: "<p>" + text + "</p>",
		},
		TitleTerms: words(title),
		BodyTerms:  words(text),
	}
}

// words is a stand-in analyzer: the store must treat terms as opaque.
func words(s string) []string {
	var out []string
	w := ""
	for _, r := range s + " " {
		if r == ' ' || r == '\n' {
			if w != "" {
				out = append(out, w)
			}
			w = ""
			continue
		}
		w += string(r)
	}
	return out
}

func mustUpsert(t *testing.T, s store.Store, docs ...store.ArticleDoc) []store.Upserted {
	t.Helper()
	res, err := s.UpsertArticles(context.Background(), docs)
	if err != nil {
		t.Fatalf("UpsertArticles: %v", err)
	}
	if len(res) != len(docs) {
		t.Fatalf("UpsertArticles returned %d results for %d docs", len(res), len(docs))
	}
	return res
}

func testMigrateIdempotent(t *testing.T, s store.Store) {
	for range 2 {
		if err := s.Migrate(context.Background()); err != nil {
			t.Fatalf("Migrate again: %v", err)
		}
	}
}

func testUpsertAndGet(t *testing.T, s store.Store) {
	ctx := context.Background()
	d := doc("https://example.com/a/1", "src", "خادم الحرمين يستقبل", "نص الخبر\nفقرة ثانية", t0)
	d.Article.Modified = t0.Add(time.Hour)
	res := mustUpsert(t, s, d)
	if !res[0].Created || res[0].ID == 0 {
		t.Fatalf("first upsert = %+v, want Created with an ID", res[0])
	}
	got, err := s.Article(ctx, res[0].ID)
	if err != nil {
		t.Fatalf("Article: %v", err)
	}
	want := d.Article
	want.ID = res[0].ID
	if got.FetchedAt.IsZero() || got.UpdatedAt.IsZero() {
		t.Errorf("FetchedAt/UpdatedAt not set: %+v", got)
	}
	got.FetchedAt, got.UpdatedAt = time.Time{}, time.Time{}
	if !equalArticles(got, want) {
		t.Errorf("Article =\n%+v\nwant\n%+v", got, want)
	}
	byURL, err := s.ArticleByURL(ctx, d.Article.URL)
	if err != nil {
		t.Fatalf("ArticleByURL: %v", err)
	}
	if byURL.ID != res[0].ID {
		t.Errorf("ArticleByURL ID = %d, want %d", byURL.ID, res[0].ID)
	}
}

func equalArticles(a, b news.Article) bool {
	ta, tb := a, b
	ta.Published, tb.Published = time.Time{}, time.Time{}
	ta.Modified, tb.Modified = time.Time{}, time.Time{}
	return ta == tb && a.Published.Equal(b.Published) && a.Modified.Equal(b.Modified)
}

func testUpsertIdempotent(t *testing.T, s store.Store) {
	ctx := context.Background()
	d := doc("https://example.com/a/1", "src", "عنوان", "نص", t0)
	first := mustUpsert(t, s, d)
	second := mustUpsert(t, s, d)
	if second[0].ID != first[0].ID || second[0].Created || second[0].Changed {
		t.Errorf("second upsert of identical doc = %+v, want same ID, not created, not changed", second[0])
	}
	if n, err := s.CountArticles(ctx, store.ArticleFilter{}); err != nil || n != 1 {
		t.Errorf("CountArticles = %d, %v; want 1", n, err)
	}
}

func testUpsertUpdates(t *testing.T, s store.Store) {
	ctx := context.Background()
	d := doc("https://example.com/a/1", "src", "عنوان أول", "نص", t0)
	first := mustUpsert(t, s, d)
	before, err := s.Article(ctx, first[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	d.Article.Title = "عنوان معدل"
	second := mustUpsert(t, s, d)
	if second[0].ID != first[0].ID || second[0].Created || !second[0].Changed {
		t.Fatalf("upsert of changed doc = %+v, want same ID, Changed", second[0])
	}
	got, err := s.Article(ctx, first[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "عنوان معدل" {
		t.Errorf("Title = %q after update", got.Title)
	}
	if !got.FetchedAt.Equal(before.FetchedAt) {
		t.Errorf("FetchedAt changed on update: %v -> %v", before.FetchedAt, got.FetchedAt)
	}
}

func testUpsertBatchSameURL(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := doc("https://example.com/x", "src", "قديم", "نص", t0)
	b := doc("https://example.com/x", "src", "جديد", "نص", t0)
	res := mustUpsert(t, s, a, b)
	if res[0].ID != res[1].ID || !res[0].Created || res[1].Created {
		t.Errorf("same URL twice in a batch = %+v", res)
	}
	got, err := s.Article(ctx, res[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "جديد" {
		t.Errorf("last write should win; Title = %q", got.Title)
	}
}

func testURLVariants(t *testing.T, s store.Store) {
	ctx := context.Background()
	first := mustUpsert(t, s, doc("http://www.example.com/أخبار/1/", "src", "عنوان", "نص", t0))
	again := mustUpsert(t, s, doc("https://example.com/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/1?utm_source=rss#x", "src", "عنوان", "نص", t0))
	if again[0].ID != first[0].ID || again[0].Created {
		t.Errorf("URL variant made a new article: %+v vs %+v", again[0], first[0])
	}
	got, err := s.ArticleByURL(ctx, "https://m.example.com/أخبار/1")
	if err != nil || got.ID != first[0].ID {
		t.Fatalf("ArticleByURL(variant) = %d, %v", got.ID, err)
	}
	if got.URL != "http://www.example.com/أخبار/1/" {
		t.Errorf("URL = %q, want the first-seen form", got.URL)
	}
}

func testUpsertInvalidURL(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, err := s.UpsertArticles(ctx, []store.ArticleDoc{doc("https://ok.example/1", "a", "t", "x", t0), doc("not a url", "a", "t", "x", t0)})
	if !errors.Is(err, news.ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
	if n, _ := s.CountArticles(ctx, store.ArticleFilter{}); n != 0 {
		t.Errorf("a failed batch stored %d articles, want 0 (one transaction)", n)
	}
}

func testNotFound(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.Article(ctx, 12345); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("Article(missing) err = %v, want ErrNotFound", err)
	}
	if _, err := s.ArticleByURL(ctx, "https://nope.example/"); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("ArticleByURL(missing) err = %v, want ErrNotFound", err)
	}
}

func seed(t *testing.T, s store.Store, n int) []store.Upserted {
	t.Helper()
	var docs []store.ArticleDoc
	for i := range n {
		src := []string{"a", "b", "c"}[i%3]
		docs = append(docs, doc(fmt.Sprintf("https://example.com/%d", i), src,
			fmt.Sprintf("عنوان %d", i), "نص مشترك", t0.Add(time.Duration(i)*time.Hour)))
	}
	return mustUpsert(t, s, docs...)
}

func testListAndCount(t *testing.T, s store.Store) {
	ctx := context.Background()
	seed(t, s, 10)
	all, err := s.Articles(ctx, store.ArticleFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 10 {
		t.Fatalf("Articles = %d, want 10", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i].When().After(all[i-1].When()) {
			t.Errorf("Articles not newest first at %d", i)
		}
	}
	page, err := s.Articles(ctx, store.ArticleFilter{Limit: 3, Offset: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 3 || page[0].ID != all[3].ID {
		t.Errorf("page 2 of 3 = %v, want starting at %d", ids(page), all[3].ID)
	}
	bySource, err := s.Articles(ctx, store.ArticleFilter{SourceID: "b", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range bySource {
		if a.SourceID != "b" {
			t.Errorf("source filter returned %q", a.SourceID)
		}
	}
	if n, _ := s.CountArticles(ctx, store.ArticleFilter{SourceID: "b"}); n != len(bySource) || n != 3 {
		t.Errorf("CountArticles(source b) = %d, listed %d, want 3", n, len(bySource))
	}
	window, err := s.Articles(ctx, store.ArticleFilter{After: t0.Add(2 * time.Hour), Before: t0.Add(5 * time.Hour), Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(window) != 3 {
		t.Errorf("time window [2h,5h) = %d articles, want 3", len(window))
	}
	// t0 is 10:00 UTC; articles are an hour apart: in UTC+3, 0…10 land on
	// 2015-08-05 up to 20:00 UTC (23:00 local), and hours 14+ would be the 6th.
	days, err := s.ArticleDays(ctx, store.ArticleFilter{}, 3*3600)
	if err != nil {
		t.Fatal(err)
	}
	if len(days) != 1 || days[0] != (store.DayCount{Day: "2015-08-05", Count: 10}) {
		t.Errorf("ArticleDays(+3h) = %+v", days)
	}
	days, err = s.ArticleDays(ctx, store.ArticleFilter{SourceID: "a"}, 12*3600)
	if err != nil {
		t.Fatal(err)
	}
	// +12h: 10:00–11:00 UTC is the 5th's 22:00–23:00; 12:00 on is the 6th. Source a has hours 0, 3, 6, 9.
	if want := []store.DayCount{{Day: "2015-08-05", Count: 1}, {Day: "2015-08-06", Count: 3}}; len(days) != 2 || days[0] != want[0] || days[1] != want[1] {
		t.Errorf("ArticleDays(source a, +12h) = %+v, want %+v", days, want)
	}
}

func ids(as []news.Article) []int64 {
	var out []int64
	for _, a := range as {
		out = append(out, a.ID)
	}
	return out
}

func testScan(t *testing.T, s store.Store) {
	ctx := context.Background()
	res := seed(t, s, 1203) // crosses internal page boundaries
	var got []int64
	if err := s.ScanArticles(ctx, func(a news.Article) error {
		got = append(got, a.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var want []int64
	for _, r := range res {
		want = append(want, r.ID)
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("ScanArticles visited %d articles, want %d in ID order", len(got), len(want))
	}
	stop := errors.New("stop")
	n := 0
	err := s.ScanArticles(ctx, func(news.Article) error {
		n++
		if n == 5 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 5 {
		t.Errorf("ScanArticles with stopping fn: err=%v after %d calls", err, n)
	}
}

func search(t *testing.T, s store.Store, q store.SearchQuery) store.SearchPage {
	t.Helper()
	p, err := s.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	return p
}

func testSearch(t *testing.T, s store.Store) {
	res := mustUpsert(t, s,
		doc("https://e.com/1", "a", "خادم الحرمين يستقبل الرئيس", "استقبل خادم الحرمين الشريفين اليوم", t0),
		doc("https://e.com/2", "b", "أمطار غزيرة", "توقعات الطقس في الأيام المقبلة خادم", t0),
		doc("https://e.com/3", "c", "الرياضة", "مباراة الهلال والنصر", t0),
	)
	p := search(t, s, store.SearchQuery{All: []string{"خادم", "الحرمين"}})
	if p.Total != 1 || len(p.Hits) != 1 || p.Hits[0].Article.ID != res[0].ID {
		t.Fatalf("AND query: total=%d hits=%v, want only article %d", p.Total, hitIDs(p), res[0].ID)
	}
	if p.Hits[0].Score <= 0 {
		t.Errorf("score = %v, want > 0 (higher is better)", p.Hits[0].Score)
	}
	if p.Hits[0].Article.Text == "" {
		t.Errorf("search hits must carry the article text (for snippets)")
	}
	// Title matches outrank body-only matches.
	p = search(t, s, store.SearchQuery{All: []string{"خادم"}})
	if p.Total != 2 || p.Hits[0].Article.ID != res[0].ID {
		t.Errorf("single term: hits=%v, want %d first", hitIDs(p), res[0].ID)
	}
	if p := search(t, s, store.SearchQuery{All: []string{"غائب"}}); p.Total != 0 || len(p.Hits) != 0 {
		t.Errorf("absent term matched %v", hitIDs(p))
	}
	if p := search(t, s, store.SearchQuery{}); p.Total != 0 {
		t.Errorf("empty query matched %v", hitIDs(p))
	}
}

func hitIDs(p store.SearchPage) []int64 {
	var out []int64
	for _, h := range p.Hits {
		out = append(out, h.Article.ID)
	}
	return out
}

func testSearchReindexOnUpdate(t *testing.T, s store.Store) {
	d := doc("https://e.com/1", "a", "قديم", "كلمة_أولى", t0)
	mustUpsert(t, s, d)
	d.Article.Text = "كلمة_ثانية"
	d.BodyTerms = []string{"كلمة_ثانية"}
	mustUpsert(t, s, d)
	if p := search(t, s, store.SearchQuery{All: []string{"كلمة_أولى"}}); p.Total != 0 {
		t.Errorf("old body term still matches after update: %v", hitIDs(p))
	}
	if p := search(t, s, store.SearchQuery{All: []string{"كلمة_ثانية"}}); p.Total != 1 {
		t.Errorf("new body term: total %d, want 1", p.Total)
	}
}

func testSearchFilters(t *testing.T, s store.Store) {
	seed(t, s, 12)
	p := search(t, s, store.SearchQuery{All: []string{"مشترك"}, SourceIDs: []string{"a", "c"}, Limit: 100})
	if p.Total != 8 || len(p.Hits) != 8 {
		t.Errorf("source filter: total=%d hits=%d, want 8", p.Total, len(p.Hits))
	}
	for _, h := range p.Hits {
		if h.Article.SourceID == "b" {
			t.Errorf("source filter let b through")
		}
	}
	p = search(t, s, store.SearchQuery{All: []string{"مشترك"}, From: t0.Add(3 * time.Hour), To: t0.Add(6 * time.Hour), Limit: 100})
	if p.Total != 3 {
		t.Errorf("date filter [3h,6h): total=%d, want 3", p.Total)
	}
}

func testSearchPaging(t *testing.T, s store.Store) {
	seed(t, s, 25)
	p1 := search(t, s, store.SearchQuery{All: []string{"مشترك"}, Limit: 10})
	p3 := search(t, s, store.SearchQuery{All: []string{"مشترك"}, Limit: 10, Offset: 20})
	if p1.Total != 25 || len(p1.Hits) != 10 || len(p3.Hits) != 5 {
		t.Errorf("paging: total=%d page1=%d page3=%d", p1.Total, len(p1.Hits), len(p3.Hits))
	}
	seen := map[int64]bool{}
	for off := 0; off < 25; off += 10 {
		for _, h := range search(t, s, store.SearchQuery{All: []string{"مشترك"}, Limit: 10, Offset: off}).Hits {
			if seen[h.Article.ID] {
				t.Errorf("article %d on two pages", h.Article.ID)
			}
			seen[h.Article.ID] = true
		}
	}
	if len(seen) != 25 {
		t.Errorf("pages covered %d articles, want 25", len(seen))
	}
	byDate := search(t, s, store.SearchQuery{All: []string{"مشترك"}, ByDate: true, Limit: 25})
	for i := 1; i < len(byDate.Hits); i++ {
		if byDate.Hits[i].Article.When().After(byDate.Hits[i-1].Article.When()) {
			t.Fatalf("ByDate results not newest first at %d", i)
		}
	}
	if len(byDate.Hits) != 25 {
		t.Errorf("ByDate returned %d hits, want 25", len(byDate.Hits))
	}
}

// Terms are opaque to the store: query syntax characters must not break it.
func testSearchOddTerms(t *testing.T, s store.Store) {
	d := doc("https://e.com/1", "a", "t", "x", t0)
	d.BodyTerms = []string{"user@example.com", "#هاشتاق", `a"b`, "NEAR", "AND", "OR", "NOT", "*"}
	mustUpsert(t, s, d)
	for _, q := range [][]string{{"user@example.com"}, {"#هاشتاق"}, {`a"b`}, {"NEAR"}, {"AND"}, {"OR", "NOT"}} {
		if p := search(t, s, store.SearchQuery{All: q}); p.Total != 1 {
			t.Errorf("query %q: total %d, want 1", q, p.Total)
		}
	}
	for _, q := range [][]string{{"*"}, {`"`}, {"("}, {"-"}, {""}} {
		if _, err := s.Search(context.Background(), store.SearchQuery{All: q}); err != nil {
			t.Errorf("query %q: %v, want no error", q, err)
		}
	}
}
