package dedup

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/news"
)

// One analyzer for the package's tests: building it loads the lexicon.
var testAnalyzer = arabic.New()

const wire = `الرياض 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس
رعى صاحب السمو الملكي أمير منطقة الرياض حفل تخريج الدفعة الثالثة من طلاب كلية التقنية بالرياض مساء اليوم في مقر الكلية.
وألقى عميد الكلية كلمة رحب فيها بسموه وأكد أن الكلية خرجت هذا العام 1250 متدربا في تخصصات الحاسب والكهرباء والميكانيكا.
وفي ختام الحفل سلم سموه الشهادات للخريجين وكرم الجهات الداعمة لبرامج التدريب في المنطقة.`

func TestFingerprint(t *testing.T) {
	t.Parallel()
	f := NewFingerprinter(testAnalyzer)
	withLine := f.Of(wire)
	without := f.Of(wire[strings.Index(wire, "\n")+1:])
	if withLine.Exact != without.Exact || !slices.Equal(withLine.Shingles, without.Shingles) {
		t.Error("the agency dateline changes the fingerprint; it should be left out")
	}
	if !withLine.Near() || len(withLine.Signature) != NumHashes || len(Buckets(withLine.Signature)) != Bands {
		t.Fatalf("fingerprint = %d shingles, signature %d; want a near-copy fingerprint", len(withLine.Shingles), len(withLine.Signature))
	}
	if len(withLine.Numbers) != 1 {
		t.Errorf("numbers = %v, want one (1250)", withLine.Numbers)
	}
	// Spelling variants, diacritics and Arabic-Indic digits analyse the same.
	variant := strings.NewReplacer("1250", "١٢٥٠", "الحفل", "الحفلِ", "أمير", "امير").Replace(wire)
	if f.Of(variant).Exact != withLine.Exact {
		t.Error("a spelling variant is not an exact copy")
	}
	if short := f.Of("خبر قصير جدا"); short.Exact != 0 || short.Near() {
		t.Errorf("a three-word text takes part in copy detection: %+v", short)
	}
	// Identical signatures for identical sets; the signature estimates Jaccard.
	if !slices.Equal(f.Signature(withLine.Shingles), withLine.Signature) {
		t.Error("signature is not deterministic")
	}
}

func TestSignatureEstimatesJaccard(t *testing.T) {
	t.Parallel()
	f := NewFingerprinter(testAnalyzer)
	a := make([]uint32, 0, 400)
	b := make([]uint32, 0, 400)
	for i := range uint32(400) {
		a = append(a, i*2654435761)
		b = append(b, (i+200)*2654435761) // 200 shared of 600: J = 1/3
	}
	sa, sb := f.Signature(sortUnique(a)), f.Signature(sortUnique(b))
	eq := 0
	for i := range sa {
		if sa[i] == sb[i] {
			eq++
		}
	}
	if est := float64(eq) / NumHashes; est < 0.2 || est > 0.47 {
		t.Errorf("MinHash estimate %.2f for Jaccard 0.33 (128 hashes: ±0.13 is 3σ)", est)
	}
}

func TestCompareAndRule(t *testing.T) {
	t.Parallel()
	f := NewFingerprinter(testAnalyzer)
	paras := strings.Split(wire, "\n")
	cut := strings.Join(paras[1:3], "\n")
	extended := wire + "\nوأشار إلى أن الكلية ستفتح باب القبول للفصل الدراسي المقبل عبر بوابتها الإلكترونية ابتداء من الأسبوع المقبل."
	report := `أعلنت وزارة التعليم أمس نتائج القبول في الجامعات السعودية للعام الدراسي الجديد وبلغ عدد المقبولين أكثر من مئة ألف طالب وطالبة في مختلف التخصصات العلمية والإنسانية.`
	otherDay := strings.ReplaceAll(wire, "1250", "980")
	otherDay = strings.ReplaceAll(otherDay, "الثالثة", "الرابعة")
	market := "أغلق مؤشر السوق عند 8350 نقطة بارتفاع 45 نقطة وبلغت قيمة التداول 5.2 مليار ريال وارتفعت أسهم 120 شركة وتراجعت أسهم 40 شركة في تداولات اليوم"
	market2 := "أغلق مؤشر السوق عند 8410 نقطة بارتفاع 60 نقطة وبلغت قيمة التداول 6.1 مليار ريال وارتفعت أسهم 132 شركة وتراجعت أسهم 31 شركة في تداولات اليوم"
	r := DefaultRule()
	tests := []struct {
		name string
		a, b string
		copy bool
	}{
		{"identical", wire, wire, true},
		{"cut", wire, cut, true},
		{"extended", wire, extended, true},
		{"unrelated", wire, report, false},
		{"one changed figure of a long text", wire, otherDay, true},
		{"market report of another day", market, market2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fa, fb := f.Of(tt.a), f.Of(tt.b)
			s := Compare(fa, fb)
			if got := r.Copy(fa, fb, s, func() Alignment { return Align(f.Layout(tt.a), f.Layout(tt.b)) }); got != tt.copy {
				t.Errorf("copy = %v, want %v (%+v)", got, tt.copy, s)
			}
			if back := Compare(fb, fa); back.Jaccard != s.Jaccard || back.InA != s.InB || back.Numbers != s.Numbers {
				t.Errorf("Compare is not symmetric: %+v vs %+v", s, back)
			}
		})
	}
}

func TestOriginal(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2015, 8, 5, 10, 0, 0, 0, time.UTC)
	ag := map[string]string{"واس": "was", "سبق": "sabq"}
	m := func(id int64, src string, at time.Duration, credit string, size int) Member {
		return Member{ID: id, SourceID: src, When: t0.Add(at), Credit: credit, Shingles: size}
	}
	tests := []struct {
		name    string
		members []Member
		want    int64
		rule    string
	}{
		{"earliest", []Member{m(1, "okaz", time.Hour, "", 50), m(2, "riyadh", 0, "", 40)}, 2, RuleEarliest},
		{"wire agency beats an earlier newspaper", []Member{m(1, "okaz", 0, "واس", 50), m(2, "was", time.Hour, "", 40)}, 2, RuleCredited},
		{"credited outlet", []Member{m(1, "okaz", 0, "سبق", 50), m(2, "sabq", time.Hour, "", 40), m(3, "riyadh", 2*time.Hour, "", 45)}, 2, RuleCredited},
		{"same second: the longer text", []Member{m(1, "okaz", 0, "", 40), m(2, "riyadh", 500*time.Millisecond, "", 60)}, 2, RuleLongest},
		{"all equal: the first stored", []Member{m(7, "okaz", 0, "", 40), m(3, "riyadh", 0, "", 40)}, 3, RuleFirstID},
		{"two agency copies: the earlier", []Member{m(4, "was", time.Hour, "", 40), m(5, "was", 0, "", 40), m(6, "okaz", -time.Hour, "", 40)}, 5, RuleCredited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 3 { // any order gives the same original
				got, rule := Original(tt.members, ag)
				if got.ID != tt.want || rule != tt.rule {
					t.Errorf("Original = %d (%s), want %d (%s)", got.ID, rule, tt.want, tt.rule)
				}
				tt.members = append(tt.members[1:], tt.members[0])
			}
		})
	}
}

// TestCountMatchesDiff: Base.Count gives Diff's counts, over texts made
// of the same few sentences in many orders and subsets.
func TestCountMatchesDiff(t *testing.T) {
	t.Parallel()
	d := NewDiffer(testAnalyzer)
	pool := []string{"الجملة الأولى عن الحفل.", "الجملة الثانية عن الخريجين 3.5 بالمئة.", "الجملة الثالثة عن الختام.",
		"جملة جديدة أضافتها الصحيفة!", "الجملة الأولى عن الحفلِ.", "", "المصدر: واس"}
	titles := []string{"أمير الرياض يرعى الحفل", "أمير الرياض يرعى الحفلَ", "عنوان آخر", ""}
	rnd := rand.New(rand.NewPCG(1, 2))
	text := func() string {
		var b strings.Builder
		for range rnd.IntN(8) {
			b.WriteString(pool[rnd.IntN(len(pool))])
			b.WriteString([]string{" ", "\n"}[rnd.IntN(2)])
		}
		return b.String()
	}
	for range 500 {
		ot, ox := titles[rnd.IntN(len(titles))], text()
		base := d.Against(ot, ox)
		for range 4 {
			ct, cx := titles[rnd.IntN(len(titles))], text()
			want := d.Diff(ot, ox, ct, cx)
			got := base.Count(ct, cx)
			if got.TitleChanged != want.TitleChanged || got.Added != want.Added || got.Removed != want.Removed {
				t.Fatalf("Count(%q, %q) against (%q, %q) = %v +%d −%d, Diff %v +%d −%d", ct, cx, ot, ox,
					got.TitleChanged, got.Added, got.Removed, want.TitleChanged, want.Added, want.Removed)
			}
		}
	}
}

func TestDiff(t *testing.T) {
	t.Parallel()
	d := NewDiffer(testAnalyzer)
	orig := "الجملة الأولى عن الحفل. الجملة الثانية عن الخريجين 3.5 بالمئة.\nالجملة الثالثة عن الختام."
	cp := "الجملة الأولى عن الحفلِ. الجملة الثالثة عن الختام. جملة جديدة أضافتها الصحيفة!"
	c := d.Diff("أمير الرياض يرعى الحفل", orig, "أمير الرياض يرعى الحفل", cp)
	if c.TitleChanged || c.Added != 1 || c.Removed != 1 {
		t.Fatalf("diff = title changed %v, +%d −%d; want same title, +1 −1: %+v", c.TitleChanged, c.Added, c.Removed, c.Lines)
	}
	want := []Op{Same, Removed, Same, Added}
	var got []Op
	for _, l := range c.Lines {
		got = append(got, l.Op)
	}
	if !slices.Equal(got, want) || c.Lines[1].Text != "الجملة الثانية عن الخريجين 3.5 بالمئة." {
		t.Errorf("lines = %+v, want ops %v with the decimal kept whole", c.Lines, want)
	}
	if c := d.Diff("عنوان الوكالة", orig, "عنوان الصحيفة الجديد", orig); !c.TitleChanged || c.Added+c.Removed != 0 {
		t.Errorf("new headline, same text = %+v", c)
	}
}

// TestBaseCache: an original's prepared sentences are reused while its
// title and text stay the same, and prepared again when either changes.
func TestBaseCache(t *testing.T) {
	t.Parallel()
	s := NewStage(Options{Analyzer: testAnalyzer})
	a := news.Article{ID: 7, Title: "أمير الرياض يرعى الحفل", Text: "الجملة الأولى عن الحفل. الجملة الثانية."}
	b := s.base(a)
	if s.base(a) != b {
		t.Error("same article: prepared again")
	}
	for _, changed := range []news.Article{
		{ID: 7, Title: a.Title + " اليوم", Text: a.Text},
		{ID: 7, Title: a.Title, Text: a.Text + " الجملة الثالثة."},
		{ID: 8, Title: a.Title, Text: a.Text},
	} {
		if s.base(changed) == b {
			t.Errorf("%+v: the cached base of another version", changed)
		}
	}
	if got := b.Count(a.Title, a.Text); got.TitleChanged || got.Added+got.Removed != 0 {
		t.Errorf("a text against itself: %+v", got)
	}
}
