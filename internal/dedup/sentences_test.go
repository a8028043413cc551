package dedup

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

// sentencesByRunes is Sentences as it was first written (over runes,
// copying each sentence): the reference its faster form must match.
func sentencesByRunes(text string) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		start := 0
		rs := []rune(para)
		for i, r := range rs {
			if !isStop(r) || i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) {
				continue
			}
			if s := strings.TrimSpace(string(rs[start : i+1])); s != "" {
				out = append(out, s)
			}
			start = i + 1
		}
		if s := strings.TrimSpace(string(rs[start:])); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func FuzzSentences(f *testing.F) {
	for _, s := range []string{
		"", "قال الوزير. وأضاف أن 3.5% من الميزانية؟ نعم!\nفقرة ثانية", "a.b. c.\u00a0d؟\u2003e۔",
		"...  .\n\n. x", "\xffبداية.\xfe نهاية", "نص بلا نقطة", "x.\u200by. z",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Sentences(s), sentencesByRunes(s); !slices.Equal(got, want) {
			t.Fatalf("Sentences(%q) = %q, want %q", s, got, want)
		}
	})
}
