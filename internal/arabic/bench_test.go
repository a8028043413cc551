package arabic

import "testing"

// BenchmarkTerms analyses the first 8,000 texts of SaudiNewsNet into index
// terms (the peer comparison is in bench/analyzer).
func BenchmarkTerms(b *testing.B) {
	texts := corpusTexts(b)
	texts = texts[:min(len(texts), 8000)]
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
