package dedup_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/dedup"
	"github.com/marsad/marsad/internal/extract"
	"github.com/marsad/marsad/internal/ingest"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/store/postgres/pgtest"
	"github.com/marsad/marsad/internal/store/sqlite"
)

var t0 = time.Date(2015, 8, 10, 9, 0, 0, 0, time.UTC)

const spaText = `بريدة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس
يواصل مهرجان تمور بريدة فعالياته وأنشطته من خلال عمليات البيع والشراء اليومية والفعاليات التراثية والثقافية والتوعوية بمركز النخلة داخل السوق إضافة للمعارض المشاركة بالمهرجان.
وأوضح الرئيس التنفيذي للمهرجان أن حجم المبيعات في الأسبوع الأول تجاوز 120 مليون ريال وأن عدد السيارات المحملة بالتمور بلغ 2300 سيارة يوميا.
وأشار إلى أن المهرجان يستقبل الزوار من داخل المملكة وخارجها ويقدم لهم برامج تعريفية بأنواع التمور وطرق زراعة النخيل والعناية بها.`

// corpusOf is a small world: the agency's story, two newspaper copies (one
// cut and retitled, one extended and credited), an unrelated story and two
// market reports of consecutive days (same template, other figures).
func corpusOf() []news.Article {
	lines := strings.Split(spaText, "\n")
	return []news.Article{
		{URL: "https://spa.example/1", SourceID: "was", Title: "مهرجان تمور بريدة يواصل فعالياته", Published: t0, Text: spaText},
		{URL: "https://okaz.example/2", SourceID: "okaz", Title: "120 مليون ريال مبيعات تمور بريدة في أسبوع", Published: t0.Add(20 * time.Hour),
			Text: strings.Join(lines[1:3], "\n")},
		{URL: "https://riyadh.example/3", SourceID: "riyadh", Title: "تمور بريدة", Published: t0.Add(-time.Hour),
			Text: "بريدة (واس)\n" + strings.Join(lines[1:], "\n") + "\nوتشهد أسواق التمور في القصيم حركة نشطة خلال موسم الصرام من كل عام."},
		{URL: "https://sabq.example/4", SourceID: "sabq", Title: "أمطار على جدة", Published: t0,
			Text: "هطلت أمطار غزيرة على مدينة جدة اليوم وسط توقعات باستمرارها خلال الأيام المقبلة بحسب الأرصاد وحماية البيئة التي دعت السكان إلى الحذر والابتعاد عن مجاري السيول والأودية."},
		{URL: "https://spa.example/5", SourceID: "was", Title: "مؤشر السوق يغلق مرتفعا", Published: t0,
			Text: "أغلق مؤشر سوق الأسهم السعودية اليوم عند 8350 نقطة مرتفعا 45 نقطة بنسبة 0.5 في المئة وبلغت قيمة التداول 5.2 مليار ريال.\nوارتفعت أسهم 120 شركة وتراجعت أسهم 40 شركة وبلغ عدد الصفقات 98 ألف صفقة."},
		{URL: "https://spa.example/6", SourceID: "was", Title: "مؤشر السوق يغلق مرتفعا", Published: t0.Add(24 * time.Hour),
			Text: "أغلق مؤشر سوق الأسهم السعودية اليوم عند 8410 نقطة مرتفعا 60 نقطة بنسبة 0.7 في المئة وبلغت قيمة التداول 6.1 مليار ريال.\nوارتفعت أسهم 132 شركة وتراجعت أسهم 31 شركة وبلغ عدد الصفقات 104 آلاف صفقة."},
	}
}

type openFunc func(t *testing.T) store.Store

func backends(t *testing.T) map[string]openFunc {
	b := map[string]openFunc{"sqlite": func(t *testing.T) store.Store {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "m.db"), sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if err := s.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		return s
	}}
	if os.Getenv("MARSAD_TEST_POSTGRES") != "" {
		b["postgres"] = func(t *testing.T) store.Store { return pgtest.Open(t) }
	}
	return b
}

// groupsOf renders the store's groups as "original ← copy, copy" by URL.
func groupsOf(t *testing.T, s store.Store) []string {
	t.Helper()
	gs, err := s.CopyGroups(context.Background(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, g := range gs {
		var cs []string
		for _, c := range g.Copies {
			cs = append(cs, c.URL)
		}
		slices.Sort(cs)
		out = append(out, g.Original.URL+" ← "+strings.Join(cs, ", "))
	}
	slices.Sort(out)
	return out
}

func newPipeline(s store.Store, an *arabic.Analyzer) *ingest.Pipeline {
	return ingest.New(s, an, nil, dedup.NewStage(dedup.Options{Store: s, Analyzer: an, Credit: extract.Credit,
		Now: func() time.Time { return t0.Add(30 * 24 * time.Hour) }}))
}

// TestStageArrivalOrder: every arrival order (one article at a time, in
// any order, or all in one batch) gives the same groups and originals:
// the agency's story is the original although a newspaper's copy was
// published an hour earlier (it credits واس), the other day's look-alike
// and the unrelated story are not copies.
func TestStageArrivalOrder(t *testing.T) {
	t.Parallel()
	an := arabic.New()
	want := []string{"https://spa.example/1 ← https://okaz.example/2, https://riyadh.example/3"}
	orders := [][]int{{0, 1, 2, 3, 4, 5}, {1, 2, 0, 3, 5, 4}, {2, 1, 4, 3, 0, 5}, {5, 4, 3, 2, 1, 0}}
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, order := range orders {
				s := open(t)
				p := newPipeline(s, an)
				arts := corpusOf()
				for _, i := range order {
					if _, _, err := p.Ingest(context.Background(), []news.Article{arts[i]}); err != nil {
						t.Fatal(err)
					}
				}
				if got := groupsOf(t, s); !slices.Equal(got, want) {
					t.Errorf("order %v: groups %q, want %q", order, got, want)
				}
			}
			s := open(t)
			if _, _, err := newPipeline(s, an).Ingest(context.Background(), corpusOf()); err != nil {
				t.Fatal(err)
			}
			if got := groupsOf(t, s); !slices.Equal(got, want) {
				t.Errorf("one batch: groups %q, want %q", got, want)
			}
			checkLinks(t, s)
		})
	}
}

func checkLinks(t *testing.T, s store.Store) {
	ctx := context.Background()
	orig, err := s.ArticleByURL(ctx, "https://spa.example/1")
	if err != nil {
		t.Fatal(err)
	}
	links, err := s.CopyLinks(ctx, orig.ID)
	if err != nil || len(links) != 2 {
		t.Fatalf("CopyLinks = %+v, %v; want 2", links, err)
	}
	by := map[int64]news.Copy{}
	for _, l := range links {
		by[l.ArticleID] = l
	}
	cut, _ := s.ArticleByURL(ctx, "https://okaz.example/2")
	ext, _ := s.ArticleByURL(ctx, "https://riyadh.example/3")
	if cut.OriginalID != orig.ID || ext.OriginalID != orig.ID {
		t.Errorf("OriginalID of copies = %d, %d; want %d", cut.OriginalID, ext.OriginalID, orig.ID)
	}
	if l := by[cut.ID]; !l.TitleChanged || l.SentencesRemoved != 2 || l.SentencesAdded != 0 || l.Contained < 0.99 || l.Rule != dedup.RuleCredited {
		t.Errorf("cut copy link = %+v; want title changed, 2 sentences removed (the dateline and the last), contained, rule credited", l)
	}
	if l := by[ext.ID]; l.SentencesAdded != 2 || l.Similarity < 0.5 {
		t.Errorf("extended copy link = %+v; want 2 sentences added (its dateline and the last)", l)
	}
}

// TestStageRepoints: a copy stored first is an original until its own
// original arrives; then the whole group points at the newcomer.
func TestStageRepoints(t *testing.T) {
	t.Parallel()
	an := arabic.New()
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := open(t)
			p := newPipeline(s, an)
			arts := corpusOf()
			ctx := context.Background()
			if _, _, err := p.Ingest(ctx, []news.Article{arts[1], arts[2]}); err != nil {
				t.Fatal(err)
			}
			if got := groupsOf(t, s); !slices.Equal(got, []string{"https://riyadh.example/3 ← https://okaz.example/2"}) {
				t.Fatalf("before the original: %q", got)
			}
			res, _, err := p.Ingest(ctx, []news.Article{arts[0]})
			if err != nil {
				t.Fatal(err)
			}
			if got := groupsOf(t, s); !slices.Equal(got, []string{"https://spa.example/1 ← https://okaz.example/2, https://riyadh.example/3"}) {
				t.Fatalf("after the original: %q", got)
			}
			if a, _ := s.Article(ctx, res[0].ID); a.OriginalID != 0 {
				t.Errorf("original's OriginalID = %d", a.OriginalID)
			}
			// Re-ingesting changes nothing.
			if _, _, err := p.Ingest(ctx, corpusOf()); err != nil {
				t.Fatal(err)
			}
			if got := groupsOf(t, s); len(got) != 1 {
				t.Errorf("after re-ingest: %q", got)
			}
		})
	}
}

// TestStageConcurrent: batches ingested at once from several goroutines
// (as crawl workers do) give the same groups as one batch.
func TestStageConcurrent(t *testing.T) {
	t.Parallel()
	an := arabic.New()
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := open(t)
			arts := corpusOf()
			errs := make(chan error, len(arts))
			for _, a := range arts {
				go func() {
					_, _, err := newPipeline(s, an).Ingest(context.Background(), []news.Article{a})
					errs <- err
				}()
			}
			for range arts {
				if err := <-errs; err != nil {
					t.Fatal(err)
				}
			}
			want := []string{"https://spa.example/1 ← https://okaz.example/2, https://riyadh.example/3"}
			if got := groupsOf(t, s); !slices.Equal(got, want) {
				t.Errorf("groups %q, want %q", got, want)
			}
			_ = fmt.Sprint()
		})
	}
}

// TestStageTemplateSeries: the same wording weeks apart is a template (a
// weekly relief flight, a monthly cable), not a republication: a group
// does not grow along it (Rule.MaxGap), while a copy the next day joins.
func TestStageTemplateSeries(t *testing.T) {
	t.Parallel()
	an := arabic.New()
	week := func(n int) news.Article {
		return news.Article{URL: fmt.Sprintf("https://spa.example/w%d", n), SourceID: "was", Title: "مهرجان تمور بريدة",
			Published: t0.Add(time.Duration(n) * 7 * 24 * time.Hour), Text: spaText}
	}
	next := news.Article{URL: "https://okaz.example/next", SourceID: "okaz", Title: "تمور بريدة",
		Published: t0.Add(26 * time.Hour), Text: spaText}
	want := []string{"https://spa.example/w0 ← https://okaz.example/next"}
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := open(t)
			p := newPipeline(s, an)
			for _, a := range []news.Article{week(0), next, week(2), week(3)} {
				if _, _, err := p.Ingest(context.Background(), []news.Article{a}); err != nil {
					t.Fatal(err)
				}
			}
			if got := groupsOf(t, s); !slices.Equal(got, want) {
				t.Errorf("groups %q, want %q", got, want)
			}
		})
	}
}

// TestStageProcesses: two processes (each its own stage and so its own
// key set) taking turns on one store find each other's articles: the key
// set loads what the other wrote since its last look. Process A must find
// the agency's story that B stored although A's own articles share no key
// with it.
func TestStageProcesses(t *testing.T) {
	t.Parallel()
	an := arabic.New()
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := open(t)
			ps := []*ingest.Pipeline{newPipeline(s, an), newPipeline(s, an)}
			arts := corpusOf()
			for k, step := range []struct {
				article int
				want    []string
			}{
				{3, nil},
				{0, nil},
				{1, []string{"https://spa.example/1 ← https://okaz.example/2"}},
				{2, []string{"https://spa.example/1 ← https://okaz.example/2, https://riyadh.example/3"}},
				{4, []string{"https://spa.example/1 ← https://okaz.example/2, https://riyadh.example/3"}},
			} {
				if _, _, err := ps[k%2].Ingest(context.Background(), []news.Article{arts[step.article]}); err != nil {
					t.Fatal(err)
				}
				if got := groupsOf(t, s); !slices.Equal(got, step.want) {
					t.Errorf("after article %d by process %d: groups %q, want %q", step.article, k%2, got, step.want)
				}
			}
		})
	}
}

// TestStageShortTwinsInOneBatch: texts too short for near-copy detection
// are matched by their exact hash, also within one batch (the key set
// learns a hash as soon as its print is stored).
func TestStageShortTwinsInOneBatch(t *testing.T) {
	t.Parallel()
	an := arabic.New()
	text := "أعلنت وزارة الصحة تسجيل حالات شفاء جديدة من المرض في مناطق المملكة اليوم"
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := open(t)
			arts := []news.Article{
				{URL: "https://spa.example/s1", SourceID: "was", Title: "حالات شفاء", Published: t0, Text: text},
				{URL: "https://sabq.example/s2", SourceID: "sabq", Title: "الصحة: حالات شفاء", Published: t0.Add(time.Hour), Text: text},
			}
			if _, _, err := newPipeline(s, an).Ingest(context.Background(), arts); err != nil {
				t.Fatal(err)
			}
			want := []string{"https://spa.example/s1 ← https://sabq.example/s2"}
			if got := groupsOf(t, s); !slices.Equal(got, want) {
				t.Errorf("groups %q, want %q", got, want)
			}
		})
	}
}
