package arabic

import (
	"testing"
)

// One table per rule of the character layer.
func TestNormalizeRules(t *testing.T) {
	t.Parallel()
	a := New()
	rules := []struct {
		rule  string
		cases [][2]string
	}{
		{"hamza and alef forms → ا", [][2]string{
			{"أحمد", "احمد"}, {"إسلام", "اسلام"}, {"آمال", "امال"}, {"ٱلحمد", "الحمد"},
			{string(alefWavyHamzaAbove) + "ب", "اب"}, {string(alefWavyHamzaBelow) + "ب", "اب"},
		}},
		{"ؤ ئ → ء", [][2]string{{"مسؤول", "مسءول"}, {"مسئول", "مسءول"}, {"شؤون", "شءون"}, {"شئون", "شءون"}, {"رئيس", "رءيس"}}},
		{"combining hamza", [][2]string{
			{"و" + string(hamzaAbove), "ء"}, {"ي" + string(hamzaAbove), "ء"}, {"ى" + string(hamzaAbove), "ء"},
			{"ا" + string(hamzaAbove), "ا"}, {"ا" + string(hamzaBelow), "ا"}, {"ا" + string(maddahAbove), "ا"},
			{"مسو" + string(tatweel) + string(hamzaAbove) + "ول", "مسءول"}, {string(hamzaAbove) + "ب", "ب"},
		}},
		{"ى → ي", [][2]string{{"مصطفى", "مصطفي"}, {"على", "علي"}, {"بنى", "بني"}}},
		{"ة → ه", [][2]string{{"مدرسة", "مدرسه"}, {"فاطمة", "فاطمه"}, {"هذة", "هذه"}}},
		{"diacritics", [][2]string{
			{"خَادِمُ الحَرَمَيْن", "خادم الحرمين"}, {"ولداً", "ولدا"}, {"ولدٍ", "ولد"}, {"ولدٌ", "ولد"},
			{"هتميّ", "هتمي"}, {"نلْسون", "نلسون"}, {"رحمٰن", "رحمن"},
			{"ب" + string(fathatan) + string(dammatan) + string(kasratan) + string(fatha) + string(damma) + string(kasra) + string(shadda) + string(sukun), "ب"},
			{"ب" + string(lastHaraka) + string(superscriptAlef), "ب"},
			{"صلى الله عليه وسلم" + string(arabicSignFirst), "صلي الله عليه وسلم"},
			{"الرَّحِيمِ" + string(quranicMarkFirst) + string(quranicMarkLast), "الرحيم"},
			{"ب" + string(smallHighYeh) + string(smallHighWaw), "ب"},
		}},
		{"tatweel", [][2]string{{"خـــادم", "خادم"}, {"روبرـــــت", "روبرت"}, {"بـ", "ب"}}},
		{"Persian and Urdu letters", [][2]string{
			{"ایران", "ايران"}, {"کتاب", "كتاب"}, {"خانۀ", "خانه"}, {"پاکستان", "باكستان"},
			{"ڤيينا", "فيينا"}, {"گوگل", "كوكل"}, {"چين", "جين"}, {"ژان", "زان"},
			{string(hehDoachashmee) + string(hehGoal) + string(tehMarbutaGoal) + string(ae), "هههه"},
			{string(yehBarree), "ي"},
		}},
		{"digits → ASCII", [][2]string{{"٢٠١٥", "2015"}, {"۱۳۹۴", "1394"}, {"٣٫٥", "3.5"}, {"١٬٥٠٠", "1,500"}}},
		{"zero-width and bidi marks", [][2]string{
			{"مر\u200cحبا", "مرحبا"}, {"مر\u200dحبا", "مرحبا"}, {"\u200fمرحبا\u200e", "مرحبا"},
			{"\u202bمرحبا\u202c", "مرحبا"}, {"\u2067مرحبا\u2069", "مرحبا"}, {"\ufeffمرحبا", "مرحبا"},
			{"مر\u00adحبا", "مرحبا"}, {"مر\u2060حبا", "مرحبا"}, {"\u061cمرحبا", "مرحبا"},
			{"كلمة\u200bأخرى", "كلمه اخري"},
		}},
		{"Arabic punctuation → ASCII", [][2]string{
			{"نعم، لا؛ لماذا؟", "نعم, لا; لماذا?"}, {"٥٠٪", "50%"}, {"«خبر»", "«خبر»"}, {"جملة۔", "جمله."}, {"أ؞ب٭", "ا؞ب*"},
		}},
		{"NFKC: presentation forms and ligatures", [][2]string{
			{"ﻻ", "لا"}, {"ﷲ", "الله"}, {"ﷺ", "صلي الله عليه وسلم"}, {"ﻷ", "لا"},
			{"ﺍﻟﺴﻼﻡ", "السلام"}, {"ﻣﺮﺣﺒﺎ", "مرحبا"}, {"ﬁle", "file"}, {"ＡＢＣ１２", "abc12"}, {"ٵ", "ا"},
		}},
		{"Latin: lower case, no accents", [][2]string{
			{"Saudi ARAMCO", "saudi aramco"}, {"Café Müller", "cafe muller"}, {"cafe\u0301", "cafe"}, {"ΑΘΗΝΑ", "αθηνα"},
		}},
		{"invalid UTF-8", [][2]string{{"ب\xffت", "ب\uFFFDت"}}},
	}
	for _, r := range rules {
		t.Run(r.rule, func(t *testing.T) {
			t.Parallel()
			for _, c := range r.cases {
				if got := a.Normalize(c[0]); got != c[1] {
					t.Errorf("Normalize(%q) = %q, want %q", c[0], got, c[1])
				}
			}
		})
	}
}
