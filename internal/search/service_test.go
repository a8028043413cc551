package search_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/index"
	"github.com/marsad/marsad/internal/ingest"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/search"
	"github.com/marsad/marsad/internal/store/sqlite"
)

var t0 = time.Date(2015, 8, 5, 10, 0, 0, 0, time.UTC)

type fixture struct {
	svc *search.Service
	st  *sqlite.Store
	ids map[string]int64 // by URL path
}

func newFixture(t *testing.T, arts ...news.Article) fixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "s.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	an := arabic.New()
	res, _, err := ingest.New(st, an, nil).Ingest(ctx, arts)
	if err != nil {
		t.Fatal(err)
	}
	f := fixture{svc: search.New(st, an), st: st, ids: map[string]int64{}}
	for i, a := range arts {
		f.ids[a.URL[strings.LastIndex(a.URL, "/")+1:]] = res[i].ID
	}
	return f
}

func art(name, source, title, text string, at time.Time) news.Article {
	return news.Article{URL: "https://e.com/" + name, SourceID: source, Title: title, Text: text, Published: at}
}

func (f fixture) names(t *testing.T, q string, expand bool) []string {
	t.Helper()
	r, err := f.svc.Search(context.Background(), search.Request{Query: q, Limit: 50, Expand: expand})
	if err != nil {
		t.Fatalf("Search(%q): %v", q, err)
	}
	var out []string
	for _, h := range r.Results {
		for n, id := range f.ids {
			if id == h.Article.ID {
				out = append(out, n)
			}
		}
	}
	slices.Sort(out)
	if expand && len(out) != r.Total {
		t.Errorf("Search(%q): total %d, %d results on one page", q, r.Total, len(out))
	}
	return out
}

func TestSearchLanguage(t *testing.T) {
	t.Parallel()
	f := newFixture(t,
		art("exact", "was", "استقبال", "استقبل خادم الحرمين الشريفين الوفد", t0),
		art("diacritics", "sabq", "خبر", "استقبل خَادِمُ الحَرَمَيْن الشريفين الوفد", t0.Add(time.Hour)),
		art("gap", "okaz", "خبر", "قال خادم في الحرمين إن الوفد وصل", t0.Add(2*time.Hour)),
		art("oil", "sabq", "أسعار النفط", "ارتفعت أسعار النفط اليوم", t0.AddDate(0, 0, 1)),
		art("gas", "okaz", "الغاز", "انخفض سعر الغاز في الأسواق", t0.AddDate(0, 0, 2)),
	)
	cases := []struct {
		q    string
		want []string
	}{
		{`خادم الحرمين`, []string{"diacritics", "exact", "gap"}},
		// The phrase holds in the normalised text only where nothing stands
		// between the words; diacritics do not count.
		{`"خادم الحرمين"`, []string{"diacritics", "exact"}},
		{`"خادم الحرمين" -الوفد`, nil},
		{`"خادم في الحرمين"`, []string{"gap"}},
		{`النفط OR الغاز`, []string{"gas", "oil"}},
		{`"أسعار النفط" OR الغاز`, []string{"gas", "oil"}},
		{`title:النفط`, []string{"oil"}},
		{`title:"أسعار النفط"`, []string{"oil"}},
		{`title:"النفط أسعار"`, nil},
		{`الوفد source:okaz`, []string{"gap"}},
		{`الوفد source:okaz source:was`, []string{"exact", "gap"}},
		{`الوفد -source:x`, nil}, // invalid: checked below
		{`النفط OR الغاز from:2015-08-06 to:2015-08-06`, []string{"oil"}},
		{`النفط OR الغاز from:2015-08-07`, []string{"gas"}},
		{`النفط OR الغاز to:2015-08-05`, nil},
	}
	for _, c := range cases {
		if strings.Contains(c.q, "-source:") {
			continue
		}
		if got := f.names(t, c.q, true); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.q, got, c.want)
		}
	}
	for _, q := range []string{`الوفد -source:x`, `-الوفد`, `"الوفد`, `في من`, `from:2015-01-01`} {
		_, err := f.svc.Search(context.Background(), search.Request{Query: q})
		var qe *search.QueryError
		if !errors.Is(err, news.ErrInvalid) || !errors.As(err, &qe) || qe.Arabic == "" {
			t.Errorf("%s: error %v, want a QueryError", q, err)
		}
	}
}

func TestSearchCollapseAndFacets(t *testing.T) {
	t.Parallel()
	f := newFixture(t,
		art("orig", "was", "افتتاح المطار", "افتتح أمير المنطقة المطار الجديد", t0),
		art("copy1", "sabq", "افتتاح المطار الجديد", "افتتح أمير المنطقة المطار الجديد", t0.Add(time.Hour)),
		art("copy2", "okaz", "افتتاح", "افتتح أمير المنطقة المطار الجديد", t0.Add(26*time.Hour)),
		art("other", "okaz", "المطار", "رحلات المطار", t0.Add(3*time.Hour)),
		art("gap", "alyaum", "زيارة", "وصل أمير في المنطقة", t0.Add(50*time.Hour)),
	)
	ctx := context.Background()
	for _, c := range []string{"copy1", "copy2"} {
		if _, err := f.st.DB().ExecContext(ctx, "UPDATE articles SET original_id = ? WHERE id = ?", f.ids["orig"], f.ids[c]); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.names(t, "المطار", false); !slices.Equal(got, []string{"orig", "other"}) {
		t.Errorf("collapsed: %v", got)
	}
	if got := f.names(t, "المطار", true); len(got) != 4 {
		t.Errorf("expanded: %v", got)
	}
	r, err := f.svc.Search(ctx, search.Request{Query: "المطار", Facets: true, DayOffset: 3 * 3600})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range r.Results {
		if h.Article.ID == f.ids["orig"] && h.Copies != 2 {
			t.Errorf("original shows %d copies, want 2", h.Copies)
		}
	}
	if len(r.Sources) != 3 || r.Sources[0].Source != "okaz" || r.Sources[0].Count != 2 {
		t.Errorf("source facet %v", r.Sources)
	}
	if len(r.Days) != 2 || r.Days[0].Count != 3 || r.Days[1].Count != 1 {
		t.Errorf("day facet %v", r.Days)
	}
	// Phrase queries take rejected candidates off the facets too.
	r, err = f.svc.Search(ctx, search.Request{Query: `"رحلات المطار" OR "المطار الجديد"`, Facets: true, Expand: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 4 || len(r.Results) != 4 {
		t.Errorf("phrase OR phrase: total %d", r.Total)
	}
	// The index matches "أمير في المنطقة" too (stopwords are not indexed);
	// the check on the normalised text drops it, from the facets as well.
	r, err = f.svc.Search(ctx, search.Request{Query: `"أمير المنطقة"`, Facets: true, Expand: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 3 || len(r.Results) != 3 || r.Approx {
		t.Errorf("phrase: total %d (approx %v), %d results, want 3", r.Total, r.Approx, len(r.Results))
	}
	if n := len(r.Sources); n != 3 || len(r.Days) != 2 {
		t.Errorf("phrase facets %v %v, want the gap article's source and day gone", r.Sources, r.Days)
	}
}

// TestSearchPhraseBatches: a phrase whose best-ranked candidates fail the
// check on the normalised text is paged through batch after batch, and
// the index path (which ranks several batches at a time, then further)
// gives the store path's page.
func TestSearchPhraseBatches(t *testing.T) {
	t.Parallel()
	var arts []news.Article
	// Short, so they rank first: the index matches "أمير في المنطقة"
	// (stopwords are not indexed), the check drops it.
	for i := range 150 {
		arts = append(arts, art(fmt.Sprintf("gap%d", i), "okaz", "زيارة", "وصل أمير في المنطقة", t0.Add(time.Duration(i)*time.Minute)))
	}
	// Long, so they rank last: the phrase as written.
	filler := strings.Repeat("وتحدث المسؤولون عن خطط التنمية والمشاريع الجديدة. ", 40)
	for i := range 12 {
		arts = append(arts, art(fmt.Sprintf("hold%d", i), "sabq", "جولة", filler+"وصل أمير المنطقة", t0.Add(time.Duration(i)*time.Hour)))
	}
	f := newFixture(t, arts...)
	ctx := context.Background()
	an := arabic.New()
	ix := index.New()
	if err := index.Build(ctx, f.st, an, ix, nil); err != nil {
		t.Fatal(err)
	}
	viaIndex := search.New(f.st, an)
	viaIndex.UseIndex(ix)
	for _, req := range []search.Request{
		{Query: `"أمير المنطقة"`, Limit: 10, Expand: true, Facets: true},
		{Query: `"أمير المنطقة"`, Limit: 5, Offset: 5, Expand: true},
		{Query: `"أمير المنطقة"`, Limit: 10, SortByDate: true, Expand: true},
	} {
		a, err := f.svc.Search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		b, err := viaIndex.Search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if !b.Indexed || a.Indexed {
			t.Fatalf("%+v: indexed %v/%v", req, a.Indexed, b.Indexed)
		}
		var want, got []int64
		for i := range a.Results {
			want = append(want, a.Results[i].Article.ID)
		}
		for i := range b.Results {
			got = append(got, b.Results[i].Article.ID)
		}
		if len(want) != req.Limit || !slices.Equal(got, want) || a.Total != b.Total || a.Approx != b.Approx ||
			!slices.Equal(a.Sources, b.Sources) {
			t.Errorf("%+v: store %v (total %d, approx %v, %v), index %v (total %d, approx %v, %v)",
				req, want, a.Total, a.Approx, a.Sources, got, b.Total, b.Approx, b.Sources)
		}
		for i, r := range b.Results {
			if !strings.Contains(r.Snippet.String(), "أمير المنطقة") {
				t.Errorf("%+v: result %d's snippet %q lacks the phrase", req, i, r.Snippet.String())
			}
		}
	}
}
