package analyzer

import (
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/ar"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/marsad/marsad/internal/arabic"
)

// benchTexts is the first part of SaudiNewsNet (titles and texts, in
// order), enough for stable numbers on a small machine.
func benchTexts(b *testing.B) ([]string, int64) {
	texts := corpusTexts(b)
	texts = texts[:min(len(texts), 8000)]
	var n int64
	for _, s := range texts {
		n += int64(len(s))
	}
	return texts, n
}

func bleveAr(tb testing.TB) analysis.Analyzer {
	an, err := registry.NewCache().AnalyzerNamed(ar.AnalyzerName)
	if err != nil {
		tb.Fatal(err)
	}
	return an
}

// BenchmarkAnalyze: one op analyses every text of the sample into index
// terms; MB/s is of UTF-8 input. Run with
//
//	cd bench && go test -run '^$' -bench Analyze -benchmem -count 5 ./analyzer
func BenchmarkAnalyze(b *testing.B) {
	texts, size := benchTexts(b)
	b.Run("marsad", func(b *testing.B) {
		a := arabic.New()
		var dst []string
		b.SetBytes(size)
		b.ReportAllocs()
		var n int
		for b.Loop() {
			n = 0
			for _, s := range texts {
				dst = a.Terms(dst[:0], s)
				n += len(dst)
			}
		}
		b.ReportMetric(float64(n), "terms/op")
	})
	b.Run("bleve-ar", func(b *testing.B) {
		an := bleveAr(b)
		b.SetBytes(size)
		b.ReportAllocs()
		var n int
		for b.Loop() {
			n = 0
			for _, s := range texts {
				n += len(an.Analyze([]byte(s)))
			}
		}
		b.ReportMetric(float64(n), "terms/op")
	})
}
