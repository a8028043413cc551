package arabic

import (
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// Learning keep.txt and radical.txt from SaudiNewsNet. Run
//
//	MARSAD_WRITE_LEARNED=1 go test -run TestWriteLearnedLists ./internal/arabic
//
// to write them again. The rules compare how often competing analyses are
// attested in the corpus. A word's family is the summed frequency of the
// words that have its stem when only the article ال is stripped (ال is
// never doubted: الرياض, بالرياض and والرياض must meet).
//
//   - radical.txt: a word w = p + rest, where p is a prefix the stemmer
//     would strip other than the bare article (و, وال, بال, لل, …), is
//     listed when w's own family is more than radicalRatio times the family
//     of rest: وزير/الوزير/وزيره against زير, واشنطن against اشنطن, والده
//     against ده; but وحسن is و + حسن.
//   - keep.txt: a prefix-stripped form x = t + ان|ين|ون is listed when its
//     ending is not the dual or plural it looks like: its alternants (t+ين,
//     t+ون, t+ان) are together less than altRatio as frequent as x. For ان
//     that is enough (لبنان: there is no لبنين; سلمان, عمران, طالبان).
//     For ين/ون the other forms of stem t must also be rarer than x, and x
//     must not look like a verb (ي/ت/س…ون): بوتين, كرملين, فلسطين, قانون are
//     kept; يومين (يوم), مستفيدين, يقولون are not.
//
// Only forms seen at least learnMinFreq times are considered; rarer words get
// plain Light10 treatment.
const (
	learnMinFreq = 10
	radicalRatio = 5.0
	altRatio     = 0.05
)

func TestWriteLearnedLists(t *testing.T) {
	if os.Getenv("MARSAD_WRITE_LEARNED") == "" {
		t.Skip("set MARSAD_WRITE_LEARNED=1 to learn keep.txt and radical.txt from SaudiNewsNet")
	}
	texts := corpusTexts(t)
	radical, keep := learnLists(newAnalyzer(options{}), wordFreq(newAnalyzer(options{}), texts))
	write := func(name, header string, words []string) {
		var b strings.Builder
		b.WriteString(header)
		for _, w := range words {
			b.WriteString(w)
			b.WriteByte('\n')
		}
		if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d words", name, len(words))
	}
	const src = "# Learned from SaudiNewsNet (CC BY-NC-SA 4.0; only this word list is derived\n# from it) by TestWriteLearnedLists in learn_test.go: do not edit by hand.\n"
	write("radical.txt", "# Words whose apparent prefix (و, وال, بال, …) is part of the word.\n"+src, radical)
	write("keep.txt", "# Prefix-stripped forms whose apparent suffix is part of the word.\n"+src, keep)
}

// learnLists applies the rules above to word frequencies f (normalised
// words); a is an analyzer without learned lists.
func learnLists(a *Analyzer, f map[string]int) (radical, keep []string) {
	const article = "ال"
	stemOf := func(x string) string { return string(stemSuffix([]byte(x), utf8.RuneCountInString(x))) }
	famKey := func(w string) string {
		if len(w) > len(article) && w[:len(article)] == article && utf8.RuneCountInString(w) >= 4 {
			w = w[len(article):]
		}
		return stemOf(w)
	}
	fam := map[string]int{}
	for w, n := range f {
		fam[famKey(w)] += n
	}
	isRadical := map[string]bool{}
	for w, n := range f {
		if n < learnMinFreq {
			continue
		}
		b := []byte(w)
		pl := prefixLen(b, utf8.RuneCount(b), 0)
		if pl == 0 || w[:pl] == article {
			continue
		}
		if float64(fam[famKey(w)]) > radicalRatio*float64(fam[stemOf(w[pl:])]) {
			isRadical[w] = true
			radical = append(radical, w)
		}
	}
	// Prefix-stripped forms, aggregated over their clitic variants.
	fx := map[string]int{}
	for w, n := range f {
		b := []byte(w)
		nr := utf8.RuneCount(b)
		if nr < minStem || a.lex[w].term != "" {
			continue
		}
		var flags uint8
		if isRadical[w] {
			flags = flagNoPrefix
		}
		fx[w[prefixLen(b, nr, flags):]] += n
	}
	total := map[string]int{}
	for x, n := range fx {
		total[stemOf(x)] += n
	}
	for x, n := range fx {
		st := stemOf(x)
		if n < learnMinFreq || a.lex[x].term != "" || st == x {
			continue
		}
		suf := x[len(x)-min(len(x), 4):]
		if suf != "ان" && suf != "ين" && suf != "ون" {
			continue
		}
		t0, alt := x[:len(x)-4], 0
		for _, s := range []string{"ان", "ين", "ون"} {
			if t0+s != x {
				alt += fx[t0+s]
			}
		}
		if float64(alt) >= altRatio*float64(n) {
			continue
		}
		// A plural or dual in ين/ون whose singular is common (يومين, مستفيدين)
		// and verbs (يقولون) stay stemmed.
		if suf != "ان" && (total[st]-n >= n || strings.HasPrefix(x, "ي") || strings.HasPrefix(x, "ت") || strings.HasPrefix(x, "س")) {
			continue
		}
		keep = append(keep, x)
	}
	slices.Sort(radical)
	slices.Sort(keep)
	return radical, keep
}
