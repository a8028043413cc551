package arabic

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func FuzzAnalyzer(f *testing.F) {
	for _, s := range []string{
		"خَادِمُ الحَرَمَيْن الشريفين", "ﻻ ﷲ ﷺ ﱞ", "و\u0654 ى\u0654", "1,500,000 ٣٫٥ 10:30", "https://x.com/a?b=1. foo@bar.com",
		"#رؤية_2030 @user", "G20 F-16 café", "www.a.gov.sa” http://x.sa/p“ https://x.sa/…", "مر\u200cحبا\u200bكلمة", "\xff\xfe", "ٵٶٷٸ", "Ǆ İ ẞ ﬃ ½ ²",
	} {
		f.Add(s)
	}
	a := New()
	f.Fuzz(func(t *testing.T, s string) {
		n := a.Normalize(s)
		if !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) = %q: invalid UTF-8", s, n)
		}
		if nn := a.Normalize(n); nn != n {
			t.Fatalf("Normalize not idempotent: %q → %q → %q", s, n, nn)
		}
		prev := 0
		var terms, words []string
		for _, tk := range a.Tokens(nil, s) {
			if !tk.Stop {
				terms, words = append(terms, tk.Term), append(words, tk.Norm)
			}
			if tk.Start < prev || tk.End < tk.Start || tk.End > len(s) || s[tk.Start:tk.End] != tk.Surface {
				t.Fatalf("%q: token %+v has bad offsets", s, tk)
			}
			prev = tk.Start
			if tk.Norm == "" || !utf8.ValidString(tk.Norm) {
				t.Fatalf("%q: token %+v has a bad norm", s, tk)
			}
			if tk.Stop != (tk.Term == "") {
				t.Fatalf("%q: token %+v: a term is empty exactly for stopwords", s, tk)
			}
			if !tk.Stop && !strings.Contains(tk.Norm, tk.Term) && tk.Term != "الله" && tk.Term != "سعودي" {
				t.Fatalf("%q: term %q is not part of the norm %q", s, tk.Term, tk.Norm)
			}
		}
		if got := a.Terms(nil, s); !slices.Equal(got, terms) {
			t.Fatalf("%q: Terms %q differ from the tokens' terms %q", s, got, terms)
		}
		if got := a.Words(nil, s); !slices.Equal(got, words) {
			t.Fatalf("%q: Words %q differ from the tokens' norms %q", s, got, words)
		}
		// Index and query analyse the same text at different stages (raw,
		// or already normalised for display); both must give the same terms.
		// Not for text with special tokens: those are recognised on the raw
		// text, and folding ("½" → "1⁄2", "＃" → "#") can move their edges.
		if got := a.Terms(nil, n); !hasSpecial(s) && !hasSpecial(n) && !slices.Equal(got, terms) {
			t.Fatalf("%q: Terms of the normalised text %q differ: %q vs %q", s, n, got, terms)
		}
		for _, term := range terms {
			if term == "" || !utf8.ValidString(term) || strings.ContainsFunc(term, unicode.IsSpace) {
				t.Fatalf("%q: bad term %q", s, term)
			}
			// The alphabet the search indexes rely on (TermRune).
			if i := strings.IndexFunc(term, func(r rune) bool { return !TermRune(r) }); i >= 0 {
				t.Fatalf("%q: term %q holds %q, outside the terms' alphabet", s, term, []rune(term[i:])[0])
			}
		}
	})
}

// hasSpecial: s may hold a hashtag, mention, e-mail or URL.
func hasSpecial(s string) bool {
	l := strings.ToLower(s)
	return strings.ContainsAny(s, "#@") || strings.Contains(l, "://") || strings.Contains(l, "www.")
}
