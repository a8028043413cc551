package analyzer

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/snowballstem"
	snowball "github.com/blevesearch/snowballstem/arabic"

	"github.com/marsad/marsad/internal/arabic"
)

// Names from SaudiNewsNet (people, places, organisations) and the words
// light stemmers are known to break.
var names = []string{
	"بوتين", "فلاديمير", "الكرملين", "كوريا", "ترامب", "أوباما", "واشنطن", "موسكو", "طهران", "لبنان",
	"إيران", "فلسطين", "السودان", "البحرين", "اليمن", "الكويت", "قطر", "مصر", "الأردن", "العراق",
	"سوريا", "روسيا", "الصين", "اليونان", "تركيا", "أردوغان", "نتنياهو", "الأسد", "سلمان", "عمران",
	"طالبان", "سلطان", "عدنان", "سليمان", "حمدان", "رمضان", "عثمان", "الحوثيين", "داعش", "الله",
	"السعودية", "الرياض", "جدة", "مكة", "المدينة", "الهلال", "النصر", "الاتحاد", "الأهلي", "برشلونة",
}

// stemmers maps each analyzer to a function from a normalised word to its
// term ("" for a stopword).
func stemmers(tb testing.TB) map[string]func(string) string {
	m := arabic.New()
	bl := bleveAr(tb)
	return map[string]func(string) string{
		"marsad": func(w string) string {
			if t := m.Terms(nil, w); len(t) == 1 {
				return t[0]
			}
			return ""
		},
		"bleve-ar": func(w string) string {
			if ts := bl.Analyze([]byte(w)); len(ts) == 1 {
				return string(ts[0].Term)
			}
			return ""
		},
		// Snowball's Arabic stemmer on marsad's normalised, non-stopword words.
		"snowball": func(w string) string {
			if len(m.Terms(nil, w)) != 1 {
				return ""
			}
			env := snowballstem.NewEnv(w)
			snowball.Stem(env)
			return env.Current()
		},
	}
}

// TestNameCollisions measures, for each analyzer, on which names the term
// of the name is shared with unrelated words of SaudiNewsNet: a word is
// related when it contains the name's core (the name without ال and a
// final ة or ين: الحوثيين → حوثي). A name collides when unrelated words make up at least 5% of
// the occurrences of its term. Run with
//
//	cd bench && go test -run NameCollisions -v ./analyzer
func TestNameCollisions(t *testing.T) {
	if testing.Short() {
		t.Skip("reads all of SaudiNewsNet")
	}
	texts := corpusTexts(t)
	m := arabic.New()
	freq := map[string]int{}
	var toks []arabic.Token
	for _, s := range texts {
		toks = m.Tokens(toks[:0], s)
		for _, tk := range toks {
			if tk.Kind == arabic.Word {
				freq[tk.Norm]++
			}
		}
	}
	vocab := make([]string, 0, len(freq))
	for w := range freq {
		vocab = append(vocab, w)
	}
	slices.Sort(vocab)
	collided := map[string]int{}
	for name, stem := range stemmers(t) {
		terms := make(map[string][]string) // term → vocabulary words
		for _, w := range vocab {
			if tm := stem(w); tm != "" {
				terms[tm] = append(terms[tm], w)
			}
		}
		var report []string
		for _, n := range names {
			nn := m.Normalize(n)
			core := strings.TrimPrefix(nn, "ال")
			for _, suf := range []string{"ه", "ين"} {
				if c := strings.TrimSuffix(core, suf); len(c) >= 6 {
					core = c
				}
			}
			tm := stem(nn)
			total, foreign := 0, 0
			var ex []string
			for _, w := range terms[tm] {
				total += freq[w]
				if !strings.Contains(w, core) {
					foreign += freq[w]
					if freq[w] >= 5 {
						ex = append(ex, fmt.Sprintf("%s×%d", w, freq[w]))
					}
				}
			}
			if total > 0 && float64(foreign) >= 0.05*float64(total) {
				collided[name]++
				slices.SortFunc(ex, func(a, b string) int { return strings.Compare(b[strings.Index(b, "×"):], a[strings.Index(a, "×"):]) })
				report = append(report, fmt.Sprintf("%s→%s (%d%% unrelated: %s)", n, tm, 100*foreign/total, strings.Join(ex[:min(len(ex), 4)], " ")))
			}
		}
		t.Logf("%s: %d distinct terms for %d words; %d of %d names collide", name, len(terms), len(vocab), collided[name], len(names))
		for _, r := range report {
			t.Logf("  %s", r)
		}
	}
	if collided["marsad"] >= collided["bleve-ar"] || collided["marsad"] >= collided["snowball"] {
		t.Errorf("marsad collides on %d names, Bleve %d, Snowball %d: want fewer than both", collided["marsad"], collided["bleve-ar"], collided["snowball"])
	}
}
