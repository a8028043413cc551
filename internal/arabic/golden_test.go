package arabic

import (
	"os"
	"strings"
	"testing"

	"github.com/marsad/marsad/internal/shareddata"
)

// Where marsad deliberately differs from the Lucene and Bleve test vectors
// (shared/data/arabic/*.tsv), with what marsad gives and why.
//
// Beyond the vectors, marsad differs from Lucene's and Bleve's Arabic
// analysis on purpose in these ways (each has its own test):
//   - ؤ and ئ fold to ء (مسؤول = مسئول); Persian/Urdu letters and NFKC forms
//     are folded (TestNormalizeRules);
//   - stopwords are matched after normalisation (على = علي, هذة = هذه);
//   - a suffix is stripped only if three letters remain (سنة stays سنه,
//     not سن); الله keeps its article (not له);
//   - conjunction + preposition + article chains (وبال, فلل, …) and pronoun
//     suffixes (هم, هما, نا, …, with the ta marbuta before them) are
//     stripped; the learned lists keep names and root letters (TestStem).
var goldenDiffs = map[string]struct{ got, why string }{
	"English": {"english", "Latin words are lower-cased for matching (Lucene's Arabic analyzer leaves case to another filter)"},
}

func readVectors(t *testing.T, name string) [][2]string {
	t.Helper()
	b, err := os.ReadFile(shareddata.Path(t, "arabic", name))
	if err != nil {
		t.Fatal(err)
	}
	var out [][2]string
	for line := range strings.Lines(string(b)) {
		line = strings.TrimRight(line, "\r\n")
		in, want, ok := strings.Cut(line, "\t")
		if !ok || strings.HasPrefix(line, "#") || in == "" {
			continue
		}
		want, _, _ = strings.Cut(want, "\t")
		out = append(out, [2]string{in, want})
	}
	if len(out) == 0 {
		t.Fatalf("%s: no vectors", name)
	}
	return out
}

func TestGoldenNormalize(t *testing.T) {
	t.Parallel()
	a := New()
	for _, file := range []string{"normalize.tsv", "bleve-arabic_normalize_vectors.tsv"} {
		for _, v := range readVectors(t, file) {
			want := v[1]
			if d, ok := goldenDiffs[v[0]]; ok {
				want = d.got
			}
			if got := a.Normalize(v[0]); got != want {
				t.Errorf("%s: Normalize(%q) = %q, want %q", file, v[0], got, want)
			}
		}
	}
}

func TestGoldenStem(t *testing.T) {
	t.Parallel()
	a := New()
	for _, file := range []string{"stem.tsv", "bleve-stemmer_ar_vectors.tsv"} {
		for _, v := range readVectors(t, file) {
			want := v[1]
			if d, ok := goldenDiffs[v[0]]; ok {
				want = d.got
			}
			toks := a.Tokens(nil, v[0])
			if len(toks) != 1 {
				t.Errorf("%s: %q gives %d tokens", file, v[0], len(toks))
				continue
			}
			if got := toks[0].Term; got != want {
				t.Errorf("%s: term(%q) = %q, want %q", file, v[0], got, want)
			}
		}
	}
}
