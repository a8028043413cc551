package extract

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func TestAttribution(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		lines        []string
		author, site string
		want         string
	}{
		{"source line", []string{"نص الخبر.", "المصدر: سبوتنيك"}, "", "", "سبوتنيك"},
		{"last of two source lines", []string{"المصدر: روسيا اليوم", "نص.", "المصدر : سبوتنيك"}, "", "", "سبوتنيك"},
		{"outlet prefix dropped", []string{"نص.", "المصدر: صحيفة عكاظ"}, "", "", "عكاظ"},
		{"agency alias", []string{"نص.", "المصدر: وكالة الأنباء السعودية"}, "", "", "واس"},
		{"quoted from", []string{"نص.", "نقلاً عن رويترز"}, "", "", "رويترز"},
		{"byline agency first", []string{"نص."}, "واس - الرياض", "", "واس"},
		{"byline agency last", []string{"نص."}, "الوئام - رويترز", "", "رويترز"},
		{"byline dotted", []string{"نص."}, "أ. ف. ب", "", "أ ف ب"},
		{"byline dpa spelling", []string{"نص."}, "د ب ا", "", "د ب أ"},
		{"byline outlet only", []string{"نص."}, "الجزيرة - الرياض", "", ""},
		{"dateline", []string{"المنامة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس", "نص."}, "", "", "واس"},
		{"paren dateline", []string{"القاهرة (أ ف ب) - ارتفعت صادرات القطن خلال الموسم الحالي بنسبة كبيرة مقارنة بالموسم الماضي، بحسب بيانات رسمية صدرت اليوم عن الجهات المختصة في البلاد بعد اجتماع مطول.", "نص."}, "", "", "أ ف ب"},
		{"sign-off paren", []string{"نص.", "وقال الوزير إن العمل مستمر. (واس)"}, "", "", "واس"},
		{"sign-off dash", []string{"نص.", "انتهى الاجتماع - رويترز"}, "", "", "رويترز"},
		{"agencies", []string{"نص.", "وكالات"}, "", "", "وكالات"},
		{"agency site credits itself", []string{"نص."}, "", "وكالة الأنباء السعودية", "واس"},
		{"common word not an agency", []string{"وقال إنه لا بد من العمل معا ومع الشركاء.", "ونحن بنا حاجة إلى ذلك."}, "", "", ""},
		{"long source sentence", []string{"نص.", "المصدر: قال مسؤول كبير في الوزارة إن المشروع سيكتمل خلال عامين من الآن"}, "", "", ""},
	}
	for _, tt := range tests {
		if got := attribution(tt.lines, tt.author, tt.site); got != tt.want {
			t.Errorf("%s: attribution = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestRelatedPhrases(t *testing.T) {
	t.Parallel()
	heads := []struct {
		in   string
		want bool
	}{
		{"اقرأ أيضاً", true}, {"إقرأ أيضا", true}, {"مقالات مشابهة", true}, {"أخبار ذات صلة", true},
		{"اخترنا لك", true}, {"الأكثر قراءة", true}, {"التعليقات (3)", true}, {"Related Stories", true},
		{"More from Politics", true}, {"اقرأ أيضاً في الاقتصاد", true}, {"Você pode gostar...", true},
		{"وزير الطاقة يفتتح محطة الرياح", false}, {"Related party transactions rose sharply in the third quarter of the year", false},
	}
	for _, h := range heads {
		if got := relatedHeading(fold(h.in)); got != h.want {
			t.Errorf("relatedHeading(%q) = %v", h.in, got)
		}
	}
	leads := []struct {
		in   string
		want bool
	}{
		{"اقرأ أيضاً: عنوان خبر آخر", true}, {"طالع أيضاً - عنوان", true}, {"للمزيد: تغطية خاصة", true},
		{"Read more: Downtown parking rates", true}, {"اقرأ أيضاً", true},
		{"اقرأ التقرير كاملاً في الصفحة الثالثة من العدد", false}, {"للمزيد من المعلومات يرجى زيارة الموقع الرسمي", false},
		{"Read the full report later", false},
	}
	for _, l := range leads {
		if got := relatedLead(l.in, fold(l.in)); got != l.want {
			t.Errorf("relatedLead(%q) = %v", l.in, got)
		}
	}
}

func TestOnlyDate(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{
		"الخميس 21 شوال 1436هـ":                               true,
		"نشر في: 2015/08/06 - 01:26 ص":                        true,
		"Posted: Fri 6:45 PM, Feb 16, 2018":                   true,
		"المنامة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس": false,
		"19:52 ت م": false,
		"وصل الوزير في 6 أغسطس 2015": false,
	} {
		if got := onlyDate(fold(in)); got != want {
			t.Errorf("onlyDate(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestClassBoiler(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tag   atom.Atom
		class string
		want  boilerKind
	}{
		{atom.Div, "comment-list", boilerStrong},
		{atom.Div, "share-buttons top", boilerStrong},
		{atom.Div, "relatedPosts", boilerStrong},
		{atom.Div, "read-more-box", boilerStrong},
		{atom.Div, "article-comments", boilerStrong},
		{atom.Div, "sidebar-widget", boilerLayout},
		{atom.Div, "content-with-sidebar", notBoiler},
		{atom.Div, "field-label-hidden", notBoiler},
		{atom.Div, "article-body", notBoiler},
		{atom.Div, "header-wrapper", boilerLayout},
		{atom.Div, "masthead", boilerLayout},
		{atom.Aside, "", boilerLayout},
		{atom.Div, "readability-styled", notBoiler},
	}
	for _, tt := range tests {
		h := &html.Node{Type: html.ElementNode, DataAtom: tt.tag, Data: tt.tag.String(), Attr: []html.Attribute{{Key: "class", Val: tt.class}}}
		n := &node{h: h, tag: tt.tag, words: classWords(h)}
		if got := classBoiler(n); got != tt.want {
			t.Errorf("classBoiler(<%s class=%q>) = %v, want %v", tt.tag, tt.class, got, tt.want)
		}
	}
}

// agencyOfSlow is agencyOf without the bound on folding.
func agencyOfSlow(s string) (string, bool) {
	a, ok := agencies[fold(s)]
	return a, ok
}

// FuzzAgencyOf: the bounded fold finds exactly the agencies a whole fold
// does.
func FuzzAgencyOf(f *testing.F) {
	for _, s := range []string{"واس", "(واس)", " وكالة الأنباء السعودية. ", "Agence France-Presse", "ـواسـ",
		strings.Repeat("الرياض ", 40) + "- رويترز", "أ. ف. ب", "", "Ⱥ", "İ وكالات"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, ok := agencyOf(s)
		b, okb := agencyOfSlow(s)
		if a != b || ok != okb {
			t.Errorf("agencyOf(%q) = %q %v, want %q %v", s, a, ok, b, okb)
		}
	})
}
