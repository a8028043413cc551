package arabic

import (
	"testing"
)

// TestVariantsPay measures each transliteration variant in variants.txt on
// SaudiNewsNet: how many articles a query in the main spelling finds only
// because of the variant (articles that spell the name only the other
// way). A variant that adds no article does not pay and must go.
//
//	go test -run TestVariantsPay -v ./internal/arabic
func TestVariantsPay(t *testing.T) {
	if testing.Short() {
		t.Skip("reads all of SaudiNewsNet")
	}
	texts := corpusTexts(t)
	plain := newAnalyzer(options{learned: true})
	type pair struct{ variant, main string }
	var pairs []pair
	for line := range lines(variantsTxt) {
		v, m, _ := cutTab(line)
		tv, tm := plain.Terms(nil, v), plain.Terms(nil, m)
		if len(tv) != 1 || len(tm) != 1 {
			t.Fatalf("variants.txt: %q → %q: not one term each", v, m)
		}
		if got := New().Terms(nil, v); len(got) != 1 || got[0] != tm[0] {
			t.Errorf("variants.txt: %q gives %q, want the main spelling's term %q", v, got, tm[0])
		}
		pairs = append(pairs, pair{tv[0], tm[0]})
	}
	// Article i contains term x (titles and texts are consecutive texts).
	has := map[string]map[int]bool{}
	for _, p := range pairs {
		has[p.variant], has[p.main] = map[int]bool{}, map[int]bool{}
	}
	var terms []string
	for i, s := range texts {
		terms = plain.Terms(terms[:0], s)
		for _, x := range terms {
			if m, ok := has[x]; ok {
				m[i/2] = true
			}
		}
	}
	total := 0
	for _, p := range pairs {
		only := 0
		for art := range has[p.variant] {
			if !has[p.main][art] {
				only++
			}
		}
		total += only
		t.Logf("%s → %s: %d articles spell it only this way (main spelling: %d articles)", p.variant, p.main, only, len(has[p.main]))
		if only == 0 {
			t.Errorf("variant %s adds no article to %s: drop it", p.variant, p.main)
		}
	}
	t.Logf("%d variants add %d articles to queries in the main spelling", len(pairs), total)
}

func cutTab(line string) (string, string, bool) {
	for i := 0; i < len(line); i++ {
		if line[i] == '\t' {
			return line[:i], line[i+1:], true
		}
	}
	return line, "", false
}
