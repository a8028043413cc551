package arabic

import "testing"

// BenchmarkTerms analyses the first 8,000 texts of SaudiNewsNet into index
// terms (the peer comparison is in bench/analyzer); 200 with -short (the
// benchmark smoke).
func BenchmarkTerms(b *testing.B) {
	texts := corpusTexts(b)
	n := 8000
	if testing.Short() {
		n = 200
	}
	texts = texts[:min(len(texts), n)]
	var size int64
	for _, s := range texts {
		size += int64(len(s))
	}
	a := New()
	var dst []string
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			dst = a.Terms(dst[:0], s)
		}
	}
}
