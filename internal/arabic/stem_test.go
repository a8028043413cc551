package arabic

import (
	"testing"
)

func TestStem(t *testing.T) {
	t.Parallel()
	a, plain := New(), newAnalyzer(options{})
	tests := []struct {
		rule         string
		cases        [][2]string // word, term
		plainDiffers bool        // the case needs the learned lists
	}{
		{"article and clitic chains", [][2]string{
			{"الحسن", "حسن"}, {"والحسن", "حسن"}, {"بالحسن", "حسن"}, {"كالحسن", "حسن"}, {"فالحسن", "حسن"},
			{"للاخر", "اخر"}, {"وبالحسن", "حسن"}, {"وللمملكة", "مملك"},
		}, false},
		{"conjunction و", [][2]string{{"وحسن", "حسن"}, {"ولد", "ولد"}}, false},
		{"Lucene's suffixes", [][2]string{
			{"ساهدان", "ساهد"}, {"ساهدات", "ساهد"}, {"ساهدون", "ساهد"}, {"ساهدين", "ساهد"}, {"ساهدية", "ساهد"},
			{"ساهدة", "ساهد"}, {"ساهدي", "ساهد"}, {"ساهدهات", "ساهد"}, {"زوجها", "زوج"},
		}, false},
		{"pronoun suffixes", [][2]string{{"كتابهم", "كتاب"}, {"كتابهما", "كتاب"}, {"بلادنا", "بلاد"}, {"مدارسهن", "مدارس"}}, false},
		{"ta marbuta before a pronoun", [][2]string{
			{"حكومة", "حكوم"}, {"حكومته", "حكوم"}, {"حكومتها", "حكوم"}, {"حكومتهم", "حكوم"}, {"دولتنا", "دول"},
			{"قواتها", "قوات"}, {"بيته", "بيت"},
		}, false},
		{"a stem keeps three letters", [][2]string{{"سنة", "سنه"}, {"يده", "يده"}, {"اخي", "اخي"}, {"الام", "ام"}}, false},
		{"Allah", [][2]string{{"الله", "الله"}, {"لله", "الله"}, {"بالله", "الله"}, {"والله", "الله"}, {"عبدالله", "عبدالله"}}, false},
		{"Saudi is not the name Saud", [][2]string{{"السعودية", "سعودي"}, {"سعودي", "سعودي"}, {"والسعوديين", "سعودي"}, {"سعود", "سعود"}}, false},
		{"names keep their endings (keep.txt)", [][2]string{
			{"بوتين", "بوتين"}, {"وبوتين", "بوتين"}, {"الكرملين", "كرملين"}, {"لبنان", "لبنان"}, {"سلمان", "سلمان"},
			{"قانون", "قانون"}, {"البحرين", "بحرين"}, {"فلسطين", "فلسطين"}, {"ايران", "ايران"},
		}, true},
		{"root و is not a conjunction (radical.txt)", [][2]string{
			{"وزير", "وزير"}, {"الوزير", "وزير"}, {"والوزير", "وزير"}, {"وزارة", "وزار"}, {"واشنطن", "واشنطن"},
			{"وليد", "وليد"}, {"والده", "والد"}, {"وقتها", "وقت"},
		}, true},
		{"names without affixes", [][2]string{{"فلاديمير", "فلاديمير"}, {"كوريا", "كوريا"}, {"ترامب", "ترامب"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			t.Parallel()
			differs := false
			for _, c := range tt.cases {
				if got := a.Terms(nil, c[0]); len(got) != 1 || got[0] != c[1] {
					t.Errorf("term(%q) = %q, want %q", c[0], got, c[1])
				}
				if got := plain.Terms(nil, c[0]); len(got) != 1 || got[0] != c[1] {
					differs = true
				}
			}
			if differs != tt.plainDiffers {
				t.Errorf("without the learned lists the rule %s, want the opposite", map[bool]string{true: "fails", false: "holds"}[differs])
			}
		})
	}
}

// The names the issue names stay apart from the words Light10 confuses them
// with.
func TestNamesDoNotCollide(t *testing.T) {
	t.Parallel()
	a := New()
	for _, pair := range [][2]string{{"بوتين", "بوت"}, {"بوتين", "وتين"}, {"الكرملين", "كرمل"}, {"لبنان", "لبن"}, {"سلمان", "سلم"}, {"الله", "له"}, {"السعودية", "سعود"}} {
		x, y := a.Terms(nil, pair[0]), a.Terms(nil, pair[1])
		if len(x) == 1 && len(y) == 1 && x[0] == y[0] {
			t.Errorf("%s and %s share the term %q", pair[0], pair[1], x[0])
		}
	}
}
