package search_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/ingest"
	"github.com/marsad/marsad/internal/search"
	"github.com/marsad/marsad/internal/shareddata"
	"github.com/marsad/marsad/internal/store/sqlite"
)

// Each query in two or three spellings that Arabic writers use
// interchangeably: hamza forms, ta marbuta, alef maqsura, ؤ/ئ seats,
// diacritics, tatweel, extra spaces. The first spelling is the reference.
var spellingVariants = [][]string{
	{"أمير منطقة الرياض", "امير منطقه الرياض", "أَمِيرُ مِنْطَقَةِ الرِّيَاضِ"},
	{"وزارة الصحة", "وزاره الصحه", "وزارة الصـحـة"},
	{"مستشفى الملك فهد", "مستشفي الملك فهد", "مُسْتَشْفَى الملك فهد"},
	{"هيئة الأمر بالمعروف", "هيئه الامر بالمعروف"},
	{"إيران", "ايران", "إيـران"},
	{"الأمم المتحدة", "الامم المتحده", "الأُمَمُ المُتَّحِدَةُ"},
	{"مسؤول", "مسئول"},
	{"شؤون الحرمين", "شئون الحرمين"},
	{"الرئيس الروسي بوتين", "الرئيس الروسى بوتين", "الرَّئِيسُ الرُّوسِيُّ بُوتِين"},
	{"جامعة الملك عبدالعزيز", "جامعه الملك عبدالعزيز"},
	{"الدفاع المدني", "الدفاع المدنى", "الدِّفَاعُ المَدَنِيُّ"},
	{"أسعار النفط", "اسعار النفط", "أسـعـار النفـط"},
	{"كأس العالم", "كاس العالم", "كَأْسُ العَالَمِ"},
	{"مجلس الشورى", "مجلس الشوري"},
	{"المسجد الأقصى", "المسجد الاقصي", "المَسْجِدُ الأَقْصَى"},
	{"وزير الخارجية", "وزير الخارجيه", "وَزِيرُ الخَارِجِيَّةِ"},
	{"الحوثيين في اليمن", "الحوثيّين في اليَمَن", "الحوثيين   في   اليمن"},
	{"الإرهاب", "الارهاب", "الإرهـاب"},
	{"تأشيرة العمرة", "تاشيره العمره", "تأشيرة\tالعمرة "},
	{"هطول أمطار", "هطول امطار", "هُطُولُ أَمْطَارٍ"},
	{"مكافحة الفساد", "مكافحه الفساد", "  مكافحة    الفساد  "},
	{"الهلال والنصر", "الهلال والنَّصر", "الهـلال والنـصر"},
	{"رؤية المملكة", "رؤيه المملكه"},
	{"مصطفى", "مصطفي", "مُصْطَفَى"},
	{"إطلاق النار", "اطلاق النار", "إِطْلاقُ النَّارِ"},
}

// TestSpellingVariantRecall imports all of SaudiNewsNet through the ingest
// pipeline into a temporary SQLite database and checks that every spelling
// of a query returns the same top 10 as the reference spelling (mean
// overlap ≥ 0.95, never empty).
func TestSpellingVariantRecall(t *testing.T) {
	if testing.Short() {
		t.Skip("imports all of SaudiNewsNet (~30 s)")
	}
	data := shareddata.Path(t, "saudinewsnet", "articles.jsonl.gz")
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "recall.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	an := arabic.New()
	start := time.Now()
	res, err := ingest.New(st, an, nil).ImportFiles(ctx, []string{data}, ingest.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("imported %d articles in %s", res.Articles, time.Since(start).Round(time.Millisecond))
	svc := search.New(st, an)
	top := func(q string) search.Results {
		r, err := svc.Search(ctx, search.Request{Query: q, Limit: 10})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		return r
	}
	ids := func(r search.Results) []int64 {
		out := make([]int64, 0, len(r.Results))
		for _, h := range r.Results {
			out = append(out, h.Article.ID)
		}
		return out
	}
	var sum float64
	var n, phrases, phraseHits int
	for _, vs := range spellingVariants {
		// Each group as words, and (several words) as a quoted phrase.
		forms := [][]string{vs}
		if len(strings.Fields(vs[0])) > 1 {
			quoted := make([]string, len(vs))
			for i, v := range vs {
				quoted[i] = `"` + v + `"`
			}
			forms = append(forms, quoted)
		}
		for _, qs := range forms {
			refRes := top(qs[0])
			ref := ids(refRes)
			if len(ref) == 0 {
				t.Errorf("%q: no results", qs[0])
				continue
			}
			in := map[int64]bool{}
			for _, id := range ref {
				in[id] = true
			}
			for _, v := range qs[1:] {
				res := top(v)
				got := ids(res)
				if len(got) == 0 {
					t.Errorf("%q: no results", v)
				}
				common := 0
				for _, id := range got {
					if in[id] {
						common++
					}
				}
				overlap := float64(common) / float64(max(len(ref), len(got)))
				if overlap < 1 {
					t.Logf("%q vs %q: top-10 overlap %.2f", qs[0], v, overlap)
				}
				sum += overlap
				n++
				if strings.HasPrefix(v, `"`) {
					phrases++
					// Every hit holds the phrase: its normalised words in a
					// row, in the normalised title or body.
					want := " " + normWords(an, strings.Trim(v, `"`)) + " "
					for _, h := range res.Results {
						phraseHits++
						if !strings.Contains(" "+normWords(an, h.Article.Title)+" ", want) &&
							!strings.Contains(" "+normWords(an, h.Article.Text)+" ", want) {
							t.Errorf("%s: article %d does not hold the phrase", v, h.Article.ID)
						}
					}
				}
			}
		}
	}
	mean := sum / float64(n)
	t.Logf("%d query groups, %d variant pairs (%d of them phrases, %d phrase hits checked): mean top-10 overlap %.3f",
		len(spellingVariants), n, phrases, phraseHits, mean)
	if mean < 0.95 {
		t.Errorf("mean top-10 overlap %.3f, want ≥ 0.95", mean)
	}
}

// normWords is s's words after the analyzer's character layer, stopwords
// included, space-separated.
func normWords(an *arabic.Analyzer, s string) string {
	var b strings.Builder
	for _, t := range an.Tokens(nil, s) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.Norm)
	}
	return b.String()
}
