package search_test

import (
	"context"
	"path/filepath"
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
// diacritics, tatweel. The first spelling is the reference.
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
	{"الحوثيين في اليمن", "الحوثيّين في اليَمَن"},
	{"الإرهاب", "الارهاب", "الإرهـاب"},
	{"تأشيرة العمرة", "تاشيره العمره"},
	{"هطول أمطار", "هطول امطار", "هُطُولُ أَمْطَارٍ"},
	{"مكافحة الفساد", "مكافحه الفساد"},
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
	top := func(q string) []int64 {
		r, err := svc.Search(ctx, search.Request{Query: q, Limit: 10})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		ids := make([]int64, 0, len(r.Results))
		for _, h := range r.Results {
			ids = append(ids, h.Article.ID)
		}
		return ids
	}
	var sum float64
	var n int
	for _, vs := range spellingVariants {
		ref := top(vs[0])
		if len(ref) == 0 {
			t.Errorf("%q: no results", vs[0])
			continue
		}
		in := map[int64]bool{}
		for _, id := range ref {
			in[id] = true
		}
		for _, v := range vs[1:] {
			got := top(v)
			common := 0
			for _, id := range got {
				if in[id] {
					common++
				}
			}
			overlap := float64(common) / float64(max(len(ref), len(got)))
			if overlap < 1 {
				t.Logf("%q vs %q: top-10 overlap %.2f", vs[0], v, overlap)
			}
			sum += overlap
			n++
		}
	}
	mean := sum / float64(n)
	t.Logf("%d queries, %d variant pairs: mean top-10 overlap %.3f", len(spellingVariants), n, mean)
	if mean < 0.95 {
		t.Errorf("mean top-10 overlap %.3f, want ≥ 0.95", mean)
	}
}
