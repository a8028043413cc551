package dedup

import (
	"strings"
	"testing"
)

// TestSecondStage: the pairs the shingles leave open. A release each
// outlet rewrote word by word keeps its sentences and most word pairs; a
// roundup that carries the story after another one contains it but does
// not start with it; a sentence another outlet split in two still has a
// counterpart.
func TestSecondStage(t *testing.T) {
	t.Parallel()
	f := NewFingerprinter(testAnalyzer)
	release := `أبرمت أمانة العاصمة المقدسة عقد مشروع تحسين وتجميل المداخل بمكة المكرمة في إطار خطتها للارتقاء بالخدمات وتطوير المرافق العامة بتكلفة تبلغ 32 مليون ريال.
وأكد أمين العاصمة المقدسة الدكتور أسامة البار أن الأمانة حريصة على تطوير الخدمات المختلفة وتحقيق أكبر قدر من الفائدة للأهالي والسكان والزوار.
وأوضح أن المشروع يشمل زراعة الأشجار وتركيب وحدات الإنارة الحديثة وتنفيذ أعمال الأرصفة والجزر الوسطية على الطرق الرئيسية المؤدية إلى المدينة.
وبين أن مدة تنفيذ المشروع ثمانية عشر شهرا تبدأ من تاريخ تسليم الموقع للمقاول المنفذ.`
	rewritten := `أبرمت أمانة العاصمة المقدسة عقدا جديدا لمشروع تحسين وتجميل مداخل مكة المكرمة ضمن خطتها للارتقاء بالصورة الحضارية وتطوير المرافق العامة بتكلفة 32 مليون ريال.
وقال أمين العاصمة المقدسة الدكتور أسامة البار إن الأمانة حريصة على تطوير الخدمات وتحقيق أكبر قدر من الفائدة للسكان والزوار.
وأضاف أن المشروع يتضمن زراعة الأشجار وتركيب وحدات إنارة حديثة وتنفيذ الأرصفة والجزر الوسطية في الطرق الرئيسية المؤدية للمدينة.
وأشار إلى أن مدة التنفيذ ثمانية عشر شهرا من تاريخ تسليم الموقع للمقاول.`
	other := `شهدت أسواق الخضار والفواكه في جدة إقبالا كبيرا من المتسوقين خلال عطلة نهاية الأسبوع وسط وفرة في المعروض واستقرار في الأسعار.
وقال عدد من الباعة إن الطلب تركز على الفواكه الموسمية القادمة من المزارع المحلية في الطائف والباحة.
وأشار مراقبو البلدية إلى تكثيف الجولات الرقابية على المحلات للتأكد من سلامة المعروض والتزام الباعة بالأسعار المعلنة.
ودعت الأمانة المستهلكين إلى الإبلاغ عن أي مخالفات عبر الرقم الموحد لاستقبال البلاغات على مدار الساعة.`
	other2 := `وفي سياق متصل أطلقت الأمانة حملة لتنظيف الأسواق الشعبية ورفع المخلفات من الشوارع المحيطة بها بمشاركة مئات العمال والمعدات.
وأوضحت أن الحملة تستمر أسبوعين وتشمل الأحياء الجنوبية والشرقية من المدينة إلى جانب المنطقة التاريخية.`
	lines := strings.Split(release, "\n")
	// The roundup's own story is longer than the one it picks up, as in
	// the labelled pairs (a Jaccard of 0.4 or more is a copy outright).
	roundup := other + "\n" + other2 + "\nمن جهة أخرى " + strings.Join(lines[:2], "\n")
	split := strings.Replace(release, "حريصة على تطوير", "حريصة.\nوتعمل على تطوير", 1)
	r := DefaultRule()
	tests := []struct {
		name     string
		a, b     string
		verdict  Verdict
		copy     bool
		maxLead  float64
		minAlign float64
	}{
		{"rewritten release", release, rewritten, Open, true, 0, 0.9},
		{"cut copy", release, strings.Join(lines[:2], "\n"), IsCopy, true, 0, 1},
		{"story inside a roundup", strings.Join(lines[:2], "\n"), roundup, Open, false, 1, 1},
		{"sentence split in two", release, split, IsCopy, true, 0, 1},
		{"unrelated", release, other, NotCopy, false, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fa, fb := f.Of(tt.a), f.Of(tt.b)
			s := Compare(fa, fb)
			al := Align(f.Layout(tt.a), f.Layout(tt.b))
			if v := r.Judge(fa, fb, s); v != tt.verdict {
				t.Errorf("first stage %v, want %v (%+v)", v, tt.verdict, s)
			}
			if got := r.Copy(fa, fb, s, func() Alignment { return al }); got != tt.copy {
				t.Errorf("copy = %v, want %v (%+v, %+v)", got, tt.copy, s, al)
			}
			if al.Aligned < tt.minAlign {
				t.Errorf("aligned %.2f, want ≥ %.2f", al.Aligned, tt.minAlign)
			}
			if tt.copy && al.Lead > tt.maxLead {
				t.Errorf("lead %.2f, want ≤ %.2f", al.Lead, tt.maxLead)
			}
			if !tt.copy && tt.verdict == Open && al.Lead <= r.Lead {
				t.Errorf("lead %.2f: a roundup must not start with the story", al.Lead)
			}
			if back := Align(f.Layout(tt.b), f.Layout(tt.a)); back != al {
				t.Errorf("Align is not symmetric: %+v vs %+v", al, back)
			}
		})
	}
}
