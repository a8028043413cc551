package postgres_test

import (
	"context"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/ingest"
	"github.com/marsad/marsad/internal/search"
	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/store/postgres"
	"github.com/marsad/marsad/internal/store/sqlite"
)

// TestSearchParity imports the same SaudiNewsNet articles into SQLite and
// PostgreSQL and checks that search gives the same results on both (issue
// 8): the same totals, facets, copy counts and order, for plain words and
// for the query language, collapsed, expanded and by date.
func TestSearchParity(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping corpus test in -short mode")
	}
	t.Parallel()
	ctx := context.Background()
	pg := Open(t)
	lite, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "m.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	if err := lite.Migrate(ctx); err != nil {
		t.Fatal(err)
	}

	batch := corpusArticles(t, 3000)
	an := arabic.New()
	for _, s := range []store.Store{lite, pg} {
		p := ingest.New(s, an, nil)
		for i := 0; i < len(batch); i += 500 {
			if _, _, err := p.Ingest(ctx, batch[i:min(i+500, len(batch))]); err != nil {
				t.Fatal(err)
			}
		}
	}

	// A copy-group fixture the same on both: every seventh article is
	// marked a copy of the one before it (as copy detection would).
	for _, st := range []store.Store{lite, pg} {
		for i := 1; i < len(batch); i += 7 {
			orig, err := st.ArticleByURL(ctx, batch[i-1].URL)
			if err != nil {
				t.Fatal(err)
			}
			cp, err := st.ArticleByURL(ctx, batch[i].URL)
			if err != nil {
				t.Fatal(err)
			}
			markCopy(t, st, cp.ID, orig.ID)
		}
	}

	queries := []string{"خادم الحرمين", "ولي العهد", "الهلال", "أسعار النفط", "وزارة الصحة", "داعش", "الأمطار",
		"سوق الأسهم", "اليمن الحوثيين", "كورونا",
		// The query language: phrases, alternatives, exclusions, title, filters.
		`"خادم الحرمين الشريفين"`, `"ولي العهد" -الدفاع`, `النفط OR الغاز`, `"أسعار النفط" OR الذهب`, `title:الهلال`,
		`title:"وزارة الصحة"`, `الهلال -النصر source:sabq`, `الملك from:2015-07-21 to:2015-07-21`, `الهلال OR النصر to:2015-07-21`, `"الأمن العام" OR title:المرور -الرياض`}
	var overlapSum, maxDiff float64
	exact := 0
	svcLite, svcPG := search.New(lite, an), search.New(pg, an)
	for _, q := range queries {
		for _, req := range []search.Request{
			{Query: q, Limit: 10, Expand: true, Facets: true, DayOffset: 3 * 3600},
			{Query: q, Limit: 10, Facets: true},
			{Query: q, Limit: 10, SortByDate: true},
		} {
			a, err := svcLite.Search(ctx, req)
			if err != nil {
				t.Fatalf("%+v: %v", req, err)
			}
			b, err := svcPG.Search(ctx, req)
			if err != nil {
				t.Fatalf("%+v: %v", req, err)
			}
			if a.Total != b.Total || a.Approx != b.Approx {
				t.Errorf("%+v: SQLite finds %d, PostgreSQL %d", req, a.Total, b.Total)
			}
			if !reflect.DeepEqual(a.Sources, b.Sources) || !reflect.DeepEqual(a.Days, b.Days) {
				t.Errorf("%+v: facets differ:\n%v %v\n%v %v", req, a.Sources, a.Days, b.Sources, b.Days)
			}
			if a.Total == 0 && !strings.Contains(q, "كورونا") {
				t.Errorf("%+v: no results; the parity check needs some", req)
			}
			ov := overlap(a, b)
			overlapSum += ov
			if ov == 1 && sameOrder(a, b) {
				exact++
				for i := range a.Results {
					// Relative difference of the two stores' BM25 scores.
					d := math.Abs(a.Results[i].Score-b.Results[i].Score) / math.Max(math.Abs(a.Results[i].Score), 1e-12)
					maxDiff = math.Max(maxDiff, d)
					if a.Results[i].Copies != b.Results[i].Copies {
						t.Errorf("%+v: result %d has %d copies on SQLite, %d on PostgreSQL", req, i, a.Results[i].Copies, b.Results[i].Copies)
					}
				}
			} else {
				t.Errorf("%+v: different results (top-10 overlap %.2f)", req, ov)
			}
		}
		t.Logf("%q: total %d", q, must(svcLite.Search(ctx, search.Request{Query: q})).Total)
	}
	n := 3 * len(queries)
	mean := overlapSum / float64(n)
	t.Logf("mean top-10 overlap %.3f; identical order on %d/%d searches; largest relative score difference %.1e",
		mean, exact, n, maxDiff)
	if mean < 1 {
		t.Errorf("mean top-10 overlap %.3f < 1", mean)
	}
}

func must(r search.Results, err error) search.Results {
	if err != nil {
		panic(err)
	}
	return r
}

// markCopy sets original_id as copy detection does.
func markCopy(t *testing.T, s store.Store, id, orig int64) {
	t.Helper()
	ctx := context.Background()
	var err error
	switch st := s.(type) {
	case *sqlite.Store:
		_, err = st.DB().ExecContext(ctx, "UPDATE articles SET original_id = ? WHERE id = ?", orig, id)
	case *postgres.Store:
		_, err = st.Pool().Exec(ctx, "UPDATE articles SET original_id = $1 WHERE id = $2", orig, id)
	}
	if err != nil {
		t.Fatal(err)
	}
}

func overlap(a, b search.Results) float64 {
	if len(a.Results) == 0 && len(b.Results) == 0 {
		return 1
	}
	in := map[string]bool{}
	for _, h := range a.Results {
		in[h.Article.URL] = true
	}
	n := 0
	for _, h := range b.Results {
		if in[h.Article.URL] {
			n++
		}
	}
	return float64(n) / float64(max(len(a.Results), len(b.Results)))
}

func sameOrder(a, b search.Results) bool {
	if len(a.Results) != len(b.Results) {
		return false
	}
	for i := range a.Results {
		if a.Results[i].Article.URL != b.Results[i].Article.URL {
			return false
		}
	}
	return true
}
