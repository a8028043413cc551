package storetest

import (
	"context"
	"database/sql"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
)

// The query language's clauses: phrases, title terms, alternatives and
// exclusions, alone and combined.
func testSearchClauses(t *testing.T, s store.Store) {
	res := mustUpsert(t, s,
		doc("https://e.com/1", "a", "خادم الحرمين يستقبل", "استقبل خادم الحرمين الشريفين الرئيس", t0),
		doc("https://e.com/2", "a", "أمطار غزيرة", "الحرمين خادم كلمات مقلوبة", t0),
		doc("https://e.com/3", "b", "النفط يرتفع", "أسعار النفط والغاز اليوم", t0),
		doc("https://e.com/4", "b", "الغاز", "أسعار الغاز في الأسواق خادم", t0),
	)
	id := func(i int) int64 { return res[i].ID }
	cases := []struct {
		name string
		q    store.SearchQuery
		want []int64
	}{
		{"phrase adjacent only", store.SearchQuery{Phrases: [][]string{{"خادم", "الحرمين"}}}, []int64{id(0)}},
		{"phrase reversed", store.SearchQuery{Phrases: [][]string{{"الحرمين", "خادم"}}}, []int64{id(1)}},
		{"phrase spans nothing", store.SearchQuery{Phrases: [][]string{{"يستقبل", "استقبل"}}}, nil},
		{"title term", store.SearchQuery{TitleTerms: []string{"الغاز"}}, []int64{id(3)}},
		{"title phrase", store.SearchQuery{Any: [][]store.Match{{{Terms: []string{"خادم", "الحرمين"}, Title: true}}}}, []int64{id(0)}},
		{"or", store.SearchQuery{Any: [][]store.Match{{{Terms: []string{"النفط"}}, {Terms: []string{"أمطار"}}}}}, []int64{id(1), id(2)}},
		{"or with phrase", store.SearchQuery{Any: [][]store.Match{{{Terms: []string{"أسعار", "النفط"}}, {Terms: []string{"مقلوبة"}}}}}, []int64{id(1), id(2)}},
		{"and with or", store.SearchQuery{All: []string{"أسعار"}, Any: [][]store.Match{{{Terms: []string{"النفط"}}, {Terms: []string{"خادم"}}}}}, []int64{id(2), id(3)}},
		{"not", store.SearchQuery{All: []string{"خادم"}, Not: []store.Match{{Terms: []string{"أسعار"}}}}, []int64{id(0), id(1)}},
		{"not phrase", store.SearchQuery{All: []string{"خادم"}, Not: []store.Match{{Terms: []string{"خادم", "الحرمين"}}}}, []int64{id(1), id(3)}},
		{"not title", store.SearchQuery{All: []string{"خادم"}, Not: []store.Match{{Terms: []string{"خادم"}, Title: true}}}, []int64{id(1), id(3)}},
		{"only punctuation", store.SearchQuery{All: []string{"!"}, Phrases: [][]string{{"(", ")"}}}, nil},
	}
	for _, c := range cases {
		p := search(t, s, store.SearchQuery{All: c.q.All, Phrases: c.q.Phrases, TitleTerms: c.q.TitleTerms, Any: c.q.Any, Not: c.q.Not, Limit: 10})
		got := hitIDs(p)
		slices.Sort(got)
		if !slices.Equal(got, c.want) || p.Total != len(c.want) {
			t.Errorf("%s: total %d hits %v, want %v", c.name, p.Total, got, c.want)
		}
	}
	// A title match of a phrase outranks a body match of it.
	p := search(t, s, store.SearchQuery{All: []string{"خادم"}, Limit: 10})
	if len(p.Hits) != 3 || p.Hits[0].Article.ID != id(0) {
		t.Errorf("title first: %v", hitIDs(p))
	}
}

func testSearchFacets(t *testing.T, s store.Store) {
	seed(t, s, 30) // hourly from t0 = 10:00 UTC; sources a, b, c in turn
	p := search(t, s, store.SearchQuery{All: []string{"مشترك"}, Facets: true, Limit: 5})
	if p.Total != 30 || len(p.Hits) != 5 {
		t.Fatalf("total %d, hits %d", p.Total, len(p.Hits))
	}
	wantSources := []store.SourceFacet{{Source: "a", Count: 10}, {Source: "b", Count: 10}, {Source: "c", Count: 10}}
	if !slices.Equal(p.Sources, wantSources) {
		t.Errorf("sources %v, want %v", p.Sources, wantSources)
	}
	// 10:00 UTC + 30 h: 14 hours on Aug 5, 16 on Aug 6 (UTC).
	wantDays := []store.DayCount{{Day: "2015-08-05", Count: 14}, {Day: "2015-08-06", Count: 16}}
	if !slices.Equal(p.Days, wantDays) {
		t.Errorf("days (UTC) %v, want %v", p.Days, wantDays)
	}
	// In UTC+3 the day turns at 21:00 UTC: 11 then 19.
	p = search(t, s, store.SearchQuery{All: []string{"مشترك"}, Facets: true, TZOffset: 3 * 3600, SourceIDs: []string{"a", "b"}})
	wantDays = []store.DayCount{{Day: "2015-08-05", Count: 8}, {Day: "2015-08-06", Count: 12}}
	if p.Total != 20 || !slices.Equal(p.Days, wantDays) {
		t.Errorf("UTC+3, sources a and b: total %d days %v, want 20 %v", p.Total, p.Days, wantDays)
	}
	if p := search(t, s, store.SearchQuery{All: []string{"غائب"}, Facets: true}); p.Total != 0 || len(p.Sources) != 0 || len(p.Days) != 0 {
		t.Errorf("no match: %+v", p)
	}
}

// setOriginal marks article id as a copy of orig the way copy detection
// does (articles.original_id), through the backend's own handle.
func setOriginal(t *testing.T, s store.Store, id, orig int64) {
	t.Helper()
	ctx := context.Background()
	var err error
	switch db := s.(type) {
	case interface{ DB() *sql.DB }:
		_, err = db.DB().ExecContext(ctx, "UPDATE articles SET original_id = ? WHERE id = ?", orig, id)
	case interface{ Pool() *pgxpool.Pool }:
		_, err = db.Pool().Exec(ctx, "UPDATE articles SET original_id = $1 WHERE id = $2", orig, id)
	default:
		t.Skipf("no way to set original_id on %T", s)
	}
	if err != nil {
		t.Fatal(err)
	}
}

func testSearchCollapse(t *testing.T, s store.Store) {
	res := mustUpsert(t, s,
		// Group 1: an original and two copies; a copy has the title match.
		doc("https://e.com/1", "was", "بيان", "أعلنت الوزارة عن مشروع المطار الجديد", t0),
		doc("https://e.com/2", "a", "مشروع المطار", "أعلنت الوزارة عن مشروع المطار الجديد", t0.Add(time.Hour)),
		doc("https://e.com/3", "b", "خبر", "أعلنت الوزارة عن مشروع المطار الجديد", t0.Add(2*time.Hour)),
		// Group 2: the original does not match, one copy does.
		doc("https://e.com/4", "was", "خبر آخر", "نص مختلف", t0),
		doc("https://e.com/5", "c", "خبر آخر", "نص مختلف عن المطار", t0.Add(30*time.Minute)),
		// An original alone.
		doc("https://e.com/6", "c", "المطار", "المطار المطار", t0.Add(-time.Hour)),
	)
	setOriginal(t, s, res[1].ID, res[0].ID)
	setOriginal(t, s, res[2].ID, res[0].ID)
	setOriginal(t, s, res[4].ID, res[3].ID)

	flat := search(t, s, store.SearchQuery{All: []string{"المطار"}, Limit: 10})
	if flat.Total != 5 {
		t.Fatalf("uncollapsed total %d, want 5", flat.Total)
	}
	p := search(t, s, store.SearchQuery{All: []string{"المطار"}, Collapse: true, Facets: true, Limit: 10})
	if p.Total != 5 || len(p.Hits) != 3 {
		t.Fatalf("collapsed: total %d hits %v, want 5 articles in 3 groups", p.Total, hitIDs(p))
	}
	got := map[int64]int{}
	for _, h := range p.Hits {
		got[h.Article.ID] = h.Copies
	}
	want := map[int64]int{res[0].ID: 2, res[4].ID: 0, res[5].ID: 0}
	if len(got) != len(want) {
		t.Errorf("collapsed hits (id→copies) %v, want %v", got, want)
	}
	for id, n := range want {
		if c, ok := got[id]; !ok || c != n {
			t.Errorf("collapsed hits (id→copies) %v, want %v", got, want)
			break
		}
	}
	// A group scores as its best member (here the copy with the title match).
	best := map[int64]float64{}
	for _, h := range flat.Hits {
		best[h.Article.ID] = h.Score
	}
	for _, h := range p.Hits {
		if h.Article.ID == res[0].ID {
			w := max(best[res[0].ID], best[res[1].ID], best[res[2].ID])
			if d := h.Score - w; d > 1e-9 || d < -1e-9 {
				t.Errorf("group score %v, want its best member's %v", h.Score, w)
			}
		}
	}
	if n := sumSources(p.Sources); n != 5 {
		t.Errorf("facets count %d articles, want all 5 matches", n)
	}
	// Newest first: group 1's newest member is at t0+2h.
	d := search(t, s, store.SearchQuery{All: []string{"المطار"}, Collapse: true, ByDate: true, Limit: 10})
	if ids := hitIDs(d); !slices.Equal(ids, []int64{res[0].ID, res[4].ID, res[5].ID}) {
		t.Errorf("collapsed by date %v, want %v", ids, []int64{res[0].ID, res[4].ID, res[5].ID})
	}
	// Paging over groups (past the last group: nothing).
	if p := search(t, s, store.SearchQuery{All: []string{"المطار"}, Collapse: true, Limit: 2, Offset: 4}); len(p.Hits) != 0 {
		t.Errorf("collapsed page past the groups: %v", hitIDs(p))
	}
	p2 := search(t, s, store.SearchQuery{All: []string{"المطار"}, Collapse: true, Limit: 2, Offset: 2})
	if p2.Total != 5 || len(p2.Hits) != 1 {
		t.Errorf("collapsed page 2: total %d hits %d", p2.Total, len(p2.Hits))
	}
}

func sumSources(cs []store.SourceFacet) int {
	n := 0
	for _, c := range cs {
		n += c.Count
	}
	return n
}

// An update that moves an article to another source or time moves it in
// search filters too.
func testSearchAfterUpdate(t *testing.T, s store.Store) {
	d := doc("https://e.com/1", "a", "عنوان", "كلمة_مميزة", t0)
	mustUpsert(t, s, d)
	d.Article.SourceID, d.Article.Published = "b", t0.Add(48*time.Hour)
	mustUpsert(t, s, d)
	if p := search(t, s, store.SearchQuery{All: []string{"كلمة_مميزة"}, SourceIDs: []string{"a"}}); p.Total != 0 {
		t.Errorf("old source still matches: %v", hitIDs(p))
	}
	p := search(t, s, store.SearchQuery{All: []string{"كلمة_مميزة"}, SourceIDs: []string{"b"}, From: t0.Add(24 * time.Hour), Facets: true})
	if p.Total != 1 || len(p.Hits) != 1 || p.Hits[0].Article.SourceID != "b" || len(p.Days) != 1 || p.Days[0].Day != "2015-08-07" {
		t.Errorf("after update: %+v", p)
	}
}

// testArticleChanges: inserts, content updates and copy links each give the
// article a new, higher change number; unchanged upserts do not.
func testArticleChanges(t *testing.T, s store.Store) {
	ctx := context.Background()
	changes := func(after int64) []store.ArticleChange {
		t.Helper()
		cs, err := s.ArticleChanges(ctx, after, 100)
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(cs); i++ {
			if cs[i].Seq <= cs[i-1].Seq {
				t.Fatalf("changes out of order: %v", cs)
			}
		}
		return cs
	}
	ids := func(cs []store.ArticleChange) []int64 {
		var out []int64
		for _, c := range cs {
			out = append(out, c.ID)
		}
		slices.Sort(out)
		return out
	}
	a := doc("https://example.com/c/1", "src", "نفط", "اسعار النفط", t0)
	b := doc("https://example.com/c/2", "src", "ذهب", "اسعار الذهب", t0)
	c := doc("https://example.com/c/3", "src", "نفط", "اسعار النفط اليوم", t0)
	res := mustUpsert(t, s, a, b, c)
	all := changes(0)
	if got, want := ids(all), []int64{res[0].ID, res[1].ID, res[2].ID}; !slices.Equal(got, want) {
		t.Fatalf("changes after inserts: %v, want %v", got, want)
	}
	if page, _ := s.ArticleChanges(ctx, 0, 2); len(page) != 2 || page[1] != all[1] {
		t.Errorf("a page of 2: %v", page)
	}
	last := all[len(all)-1].Seq
	mustUpsert(t, s, a)
	if cs := changes(last); len(cs) != 0 {
		t.Errorf("an unchanged upsert changed %v", cs)
	}
	b.Article.Text = "اسعار الفضة"
	b.BodyTerms = words(b.Article.Text)
	mustUpsert(t, s, b)
	cs := changes(last)
	if len(cs) != 1 || cs[0].ID != res[1].ID {
		t.Fatalf("changes after an update: %v", cs)
	}
	last = cs[0].Seq
	if err := s.CopyTx(ctx, func(tx store.CopyTx) error {
		return tx.LinkCopy(ctx, news.Copy{ArticleID: res[2].ID, OriginalID: res[0].ID, Similarity: 1, Contained: 1})
	}); err != nil {
		t.Fatal(err)
	}
	if cs := changes(last); len(cs) != 1 || cs[0].ID != res[2].ID {
		t.Fatalf("changes after a copy link: %v", cs)
	}

	arts, err := s.ArticlesByID(ctx, []int64{res[2].ID, res[0].ID, res[2].ID + 1000})
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]news.Article{}
	for _, x := range arts {
		got[x.ID] = x
	}
	if len(arts) != 2 || got[res[0].ID].Title != "نفط" || got[res[2].ID].OriginalID != res[0].ID || got[res[2].ID].Text != c.Article.Text ||
		got[res[0].ID].Image != a.Article.Image || got[res[0].ID].Attribution != a.Article.Attribution {
		t.Errorf("ArticlesByID: %+v", arts)
	}
	// Without the HTML (it lists articles), which Article still reads.
	if got[res[0].ID].HTML != "" {
		t.Errorf("ArticlesByID read the HTML: %q", got[res[0].ID].HTML)
	}
	if full, err := s.Article(ctx, res[0].ID); err != nil || full.HTML != a.Article.HTML {
		t.Errorf("Article: HTML %q, %v; want %q", full.HTML, err, a.Article.HTML)
	}
}
