package analyzer

import (
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/ar"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/marsad/marsad/bench/internal/benchdata"
	"github.com/marsad/marsad/internal/arabic"
)

// benchTexts is the first part of SaudiNewsNet (titles and texts, in
// order), enough for stable numbers on a small machine; 200 texts in the
// benchmark smoke.
func benchTexts(b *testing.B) ([]string, int64) {
	texts := corpusTexts(b)
	keep := 8000
	if benchdata.Smoke() {
		keep = 200
	}
	texts = texts[:min(len(texts), keep)]
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

// BenchmarkAnalyzeInterleaved times marsad and Bleve alternately on the
// same texts inside each op, so both see the same machine load (the
// project's machine is shared and noisy), and reports both throughputs and
// their ratio:
//
//	cd bench && go test -run '^$' -bench AnalyzeInterleaved -benchtime 5x ./analyzer
func BenchmarkAnalyzeInterleaved(b *testing.B) {
	texts, size := benchTexts(b)
	a, an := arabic.New(), bleveAr(b)
	var dst []string
	var tm, tb time.Duration
	var ratios []float64
	for b.Loop() {
		// Chunks of 500 texts alternate so load changes hit both sides.
		var cm, cb time.Duration
		for i := 0; i < len(texts); i += 500 {
			chunk := texts[i:min(i+500, len(texts))]
			start := time.Now()
			for _, s := range chunk {
				dst = a.Terms(dst[:0], s)
			}
			cm += time.Since(start)
			start = time.Now()
			for _, s := range chunk {
				an.Analyze([]byte(s))
			}
			cb += time.Since(start)
		}
		tm, tb = tm+cm, tb+cb
		ratios = append(ratios, cb.Seconds()/cm.Seconds())
	}
	mb := float64(size) * float64(len(ratios)) / 1e6
	slices.Sort(ratios)
	b.ReportMetric(mb/tm.Seconds(), "marsad-MB/s")
	b.ReportMetric(mb/tb.Seconds(), "bleve-MB/s")
	b.ReportMetric(ratios[len(ratios)/2], "median-speedup")
}
