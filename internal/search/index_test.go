package search_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/corpus"
	"github.com/marsad/marsad/internal/index"
	"github.com/marsad/marsad/internal/ingest"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/search"
	"github.com/marsad/marsad/internal/shareddata"
	"github.com/marsad/marsad/internal/store/sqlite"
)

// parityQueries cover words, phrases, alternatives, exclusions, title:,
// sources and dates, and terms the FTS tokenizer splits.
var parityQueries = []string{
	"خادم الحرمين", "ولي العهد", "الهلال", "أسعار النفط", "وزارة الصحة", "داعش", "الأمطار",
	"سوق الأسهم", "اليمن الحوثيين", "كورونا", "أمير منطقة الرياض", "جامعة الملك سعود",
	`"خادم الحرمين الشريفين"`, `"ولي العهد" -الدفاع`, `النفط OR الغاز`, `"أسعار النفط" OR الذهب`, `title:الهلال`,
	`title:"وزارة الصحة"`, `الهلال -النصر source:sabq`, `الملك from:2015-07-21 to:2015-07-21`,
	`الهلال OR النصر to:2015-07-21`, `"الأمن العام" OR title:المرور -الرياض`, `"المسجد الأقصى"`,
	`الرياض -title:الرياض`, `2015`, `"هيئة الأمر بالمعروف"`, `title:السعودية OR title:المملكة الملك`,
}

// TestIndexParity checks that the in-memory index gives exactly the
// store's results (FTS5): totals, approx, facets, copy counts, order and
// scores to the bit, for every query collapsed and expanded, by relevance
// and by date, on the first page and the second; then again after more
// articles arrive through the pipeline stage (new ones and changed ones).
func TestIndexParity(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 3,000 SaudiNewsNet articles")
	}
	t.Parallel()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "p.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	arts := loadArticles(t, 4000)
	an := arabic.New()
	ix := index.New()
	p := ingest.New(st, an, nil, index.Stage{Index: ix, Store: st})
	ingestAll(t, p, arts[:3000])
	// A copy-group fixture: every seventh article is a copy of the one
	// before it (as copy detection would mark it).
	for i := 1; i < 3000; i += 7 {
		orig, err := st.ArticleByURL(ctx, arts[i-1].URL)
		if err != nil {
			t.Fatal(err)
		}
		cp, err := st.ArticleByURL(ctx, arts[i].URL)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.DB().ExecContext(ctx, "UPDATE articles SET original_id = ? WHERE id = ?", orig.ID, cp.ID); err != nil {
			t.Fatal(err)
		}
	}
	follower := &index.Follower{Index: ix, Store: st, Analyzer: an}
	if _, err := follower.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	viaStore, viaIndex := search.New(st, an), search.New(st, an)
	viaIndex.UseIndex(ix)
	compareAll(t, viaStore, viaIndex)

	// Later articles reach the index through the stage: 600 new ones,
	// and 200 changed ones (a different body).
	more := arts[3000:3600]
	for i := 0; i < 200; i++ {
		a := arts[i*5]
		a.Text = arts[3000+i].Text
		more = append(more, a)
	}
	ingestAll(t, p, more)
	compareAll(t, viaStore, viaIndex)

	// What another process stores reaches the index through the
	// follower: 400 new articles, 100 changed, 50 regrouped.
	other := ingest.New(st, an, nil)
	more = arts[3600:]
	for i := 0; i < 100; i++ {
		a := arts[i*7+1]
		a.Title = arts[3600+i].Title
		more = append(more, a)
	}
	ingestAll(t, other, more)
	if _, err := st.DB().ExecContext(ctx, "UPDATE articles SET original_id = id - 1 WHERE id % 60 = 0"); err != nil {
		t.Fatal(err)
	}
	n, err := follower.CatchUp(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// New, changed and regrouped, plus the 800 the stage indexed (whose
	// change numbers the follower records without re-analysing them).
	if n < 400+100+50 {
		t.Errorf("the follower indexed %d articles", n)
	}
	compareAll(t, viaStore, viaIndex)
	if n, err := follower.CatchUp(ctx); err != nil || n != 0 {
		t.Errorf("a second catch-up indexed %d (%v), want 0", n, err)
	}
}

func compareAll(t *testing.T, viaStore, viaIndex *search.Service) {
	t.Helper()
	ctx := context.Background()
	searches := 0
	for _, q := range parityQueries {
		for _, req := range []search.Request{
			{Query: q, Limit: 10, Expand: true, Facets: true, DayOffset: 3 * 3600},
			{Query: q, Limit: 10, Facets: true},
			{Query: q, Limit: 10, Offset: 10},
			{Query: q, Limit: 10, SortByDate: true},
			{Query: q, Limit: 5, Offset: 5, SortByDate: true, Expand: true},
		} {
			a, err := viaStore.Search(ctx, req)
			if err != nil {
				t.Fatalf("%+v: %v", req, err)
			}
			b, err := viaIndex.Search(ctx, req)
			if err != nil {
				t.Fatalf("%+v: %v", req, err)
			}
			if a.Indexed || !b.Indexed {
				t.Fatalf("%+v: store path indexed=%v, index path indexed=%v", req, a.Indexed, b.Indexed)
			}
			searches++
			if a.Total != b.Total || a.Approx != b.Approx {
				t.Errorf("%+v: store finds %d (approx %v), index %d (approx %v)", req, a.Total, a.Approx, b.Total, b.Approx)
			}
			if !reflect.DeepEqual(a.Sources, b.Sources) || !reflect.DeepEqual(a.Days, b.Days) {
				t.Errorf("%+v: facets differ:\n%v %v\n%v %v", req, a.Sources, a.Days, b.Sources, b.Days)
			}
			if len(a.Results) != len(b.Results) {
				t.Errorf("%+v: store shows %d results, index %d", req, len(a.Results), len(b.Results))
				continue
			}
			for i := range a.Results {
				x, y := a.Results[i], b.Results[i]
				if x.Article.ID != y.Article.ID || x.Score != y.Score || x.Copies != y.Copies {
					t.Errorf("%+v: result %d: store %d (score %v, %d copies), index %d (score %v, %d copies)",
						req, i, x.Article.ID, x.Score, x.Copies, y.Article.ID, y.Score, y.Copies)
				}
			}
		}
	}
	t.Logf("%d searches compared", searches)
}

func loadArticles(t *testing.T, n int) []news.Article {
	t.Helper()
	arts, err := corpus.Load(context.Background(), shareddata.Path(t, "saudinewsnet", "articles.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	return arts[:n]
}

func ingestAll(t *testing.T, p *ingest.Pipeline, arts []news.Article) {
	t.Helper()
	for i := 0; i < len(arts); i += 500 {
		if _, _, err := p.Ingest(context.Background(), arts[i:min(i+500, len(arts))]); err != nil {
			t.Fatal(err)
		}
	}
}
