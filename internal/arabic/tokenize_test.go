package arabic

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// tok renders a token as kind:surface>norm>term (! for a stopword).
func tok(t Token) string {
	if t.Stop {
		return fmt.Sprintf("%v:%s>%s!", t.Kind, t.Surface, t.Norm)
	}
	return fmt.Sprintf("%v:%s>%s>%s", t.Kind, t.Surface, t.Norm, t.Term)
}

func TestTokens(t *testing.T) {
	t.Parallel()
	a := New()
	tests := []struct {
		name, in string
		want     []string
	}{
		{"Arabic words, diacritics kept in surface", "خَادِمُ الحرمين", []string{"word:خَادِمُ>خادم>خادم", "word:الحرمين>الحرمين>حرمين"}},
		{"stopwords after normalisation", "على علي هذة هذه إلى",
			[]string{"word:على>علي!", "word:علي>علي!", "word:هذة>هذه!", "word:هذه>هذه!", "word:إلى>الي!"}},
		{"lone letters are stopwords", "و ب", []string{"word:و>و!", "word:ب>ب!"}},
		{"numbers with separators", "1,500,000 و3.5 و١٤٣٦ و10:30 و2015/8/12 و3,14",
			[]string{"number:1,500,000>1500000>1500000", "word:و>و!", "number:3.5>3.5>3.5", "word:و>و!", "number:١٤٣٦>1436>1436",
				"word:و>و!", "number:10:30>10:30>10:30", "word:و>و!", "number:2015/8/12>2015/8/12>2015/8/12", "word:و>و!", "number:3,14>3,14>3,14"}},
		{"a separator after a number is not part of it", "عام 2015. ثم", []string{"word:عام>عام>عام", "number:2015>2015>2015", "word:ثم>ثم!"}},
		{"digits and Arabic letters split", "2015م ١٤٣٦هـ", []string{"number:2015>2015>2015", "word:م>م!", "number:١٤٣٦>1436>1436", "word:هـ>ه!"}},
		{"Latin with digits stays whole", "G20 و5G وF-16", []string{"foreign:G20>g20>g20", "word:و>و!", "foreign:5G>5g>5g", "word:و>و!", "foreign:F>f>f", "number:16>16>16"}},
		{"mixed scripts split", "الـGPS بـiPhone", []string{"word:الـ>ال>ال", "foreign:GPS>gps>gps", "word:بـ>ب!", "foreign:iPhone>iphone>iphone"}},
		{"URL kept whole, trailing punctuation dropped", "انظر https://www.spa.gov.sa/News?id=12. وwww.sabq.org)",
			[]string{"word:انظر>انظر>انظر", "url:https://www.spa.gov.sa/News?id=12>https://www.spa.gov.sa/news?id=12>https://www.spa.gov.sa/news?id=12",
				"word:و>و!", "url:www.sabq.org>www.sabq.org>www.sabq.org"}},
		{"Arabic URL path", "http://www.alweeam.com.sa/348531/طيران-ناس/ النص",
			[]string{"url:http://www.alweeam.com.sa/348531/طيران-ناس/>http://www.alweeam.com.sa/348531/طيران-ناس/>http://www.alweeam.com.sa/348531/طيران-ناس/", "word:النص>النص>نص"}},
		{"e-mail", "راسلونا: News.Desk@SPA.gov.sa.", []string{"word:راسلونا>راسلونا>راسلو", "email:News.Desk@SPA.gov.sa>news.desk@spa.gov.sa>news.desk@spa.gov.sa"}},
		{"hashtag and mention", "#رؤية_2030 @SPAregions #عاجل", []string{"hashtag:#رؤية_2030>#رءيه_2030>#رءيه_2030", "mention:@SPAregions>@sparegions>@sparegions", "hashtag:#عاجل>#عاجل>#عاجل"}},
		{"not specials", "# @ a@b C# عنوان@", []string{"foreign:a>a!", "foreign:b>b>b", "foreign:C>c>c", "word:عنوان>عنوان>عنوان"}},
		{"ligatures may hold several words", "ﷺ", []string{"word:ﷺ>صلي>صلي", "word:ﷺ>الله>الله", "word:ﷺ>عليه!", "word:ﷺ>وسلم>سلم"}},
		{"zero-width marks inside a word", "مر\u200cحبا", []string{"word:مر\u200cحبا>مرحبا>مرحبا"}},
		{"zero-width space separates", "كلمة\u200bأخرى", []string{"word:كلمة>كلمه>كلم", "word:أخرى>اخري>اخر"}},
		{"punctuation", "«مرحباً»، قال: (نعم)؟", []string{"word:مرحباً>مرحبا>مرحبا", "word:قال>قال!", "word:نعم>نعم>نعم"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, tk := range a.Tokens(nil, tt.in) {
				got = append(got, tok(tk))
				if tt.in[tk.Start:tk.End] != tk.Surface {
					t.Errorf("%s: offsets [%d:%d] do not give the surface", tok(tk), tk.Start, tk.End)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Tokens(%q)\n got %s\nwant %s", tt.in, strings.Join(got, " "), strings.Join(tt.want, " "))
			}
		})
	}
}

func TestTermsAndWords(t *testing.T) {
	t.Parallel()
	a := New()
	in := "خـادم الحَرَمين، الشريفين: في 2015!"
	if got, want := a.Terms(nil, in), []string{"خادم", "حرمين", "شريفين", "2015"}; !slices.Equal(got, want) {
		t.Errorf("Terms = %q, want %q", got, want)
	}
	if got, want := a.Words(nil, in), []string{"خادم", "الحرمين", "الشريفين", "2015"}; !slices.Equal(got, want) {
		t.Errorf("Words = %q, want %q", got, want)
	}
	// Terms appends to dst.
	if got := a.Terms([]string{"x"}, "الرياض"); !slices.Equal(got, []string{"x", "رياض"}) {
		t.Errorf("Terms(dst) = %q", got)
	}
	if got := a.Terms(nil, " ،. في من "); len(got) != 0 {
		t.Errorf("Terms of stopwords and punctuation = %q, want none", got)
	}
}

// Terms allocates once per call (the shared string of all terms) when dst
// has room: no allocation per token.
func TestTermsAllocations(t *testing.T) {
	a := New()
	text := strings.Repeat("أعلنت وزارة الصحة السعودية اليوم عن تسجيل 1,200 حالة جديدة في الرياض وجدة. ", 50)
	dst := make([]string, 0, 1024)
	a.Terms(dst, text) // warm the pool
	allocs := testing.AllocsPerRun(100, func() { dst = a.Terms(dst[:0], text) })
	if allocs > 1 {
		t.Errorf("Terms: %.1f allocations per call of %d terms, want ≤ 1", allocs, len(dst))
	}
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	a := New()
	texts := []string{"خادم الحرمين الشريفين", "بوتين والكرملين", "https://x.com #وسم @user 1,500", "ﷲ ﻻ ﷺ"}
	want := make([][]string, len(texts))
	for i, s := range texts {
		want[i] = a.Terms(nil, s)
	}
	done := make(chan bool)
	for g := range 8 {
		go func() {
			defer func() { done <- true }()
			for i := range 200 {
				k := (g + i) % len(texts)
				if got := a.Terms(nil, texts[k]); !slices.Equal(got, want[k]) {
					t.Errorf("concurrent Terms(%q) = %q, want %q", texts[k], got, want[k])
					return
				}
			}
		}()
	}
	for range 8 {
		<-done
	}
}
