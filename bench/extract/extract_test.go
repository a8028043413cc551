package extract

import (
	"path/filepath"
	"testing"

	"github.com/marsad/marsad/bench/internal/benchdata"
	"github.com/marsad/marsad/internal/shareddata"
	"github.com/marsad/marsad/internal/textf1"
)

// BenchmarkScrapinghub runs each extractor over the 181 pages; ns/page is
// the mean time per page, precision/recall/F1 the benchmark's own metric
// (internal/textf1, the Go port of shared/tools/eval/textf1.py with
// identical numbers). Compare the sub-benchmarks of one run only: the
// machine is shared and noisy.
func BenchmarkScrapinghub(b *testing.B) {
	pages, err := LoadScrapinghub(shareddata.Path(b, filepath.Join("extraction", "scrapinghub")))
	if err != nil {
		b.Fatal(err)
	}
	benchExtract(b, pages)
}

// BenchmarkNewsweb is the same over newsweb-dev's 560 Arabic pages (14
// sites).
func BenchmarkNewsweb(b *testing.B) {
	pages, err := LoadNewsweb(shareddata.Path(b, "newsweb-dev"))
	if err != nil {
		b.Fatal(err)
	}
	benchExtract(b, pages)
}

func benchExtract(b *testing.B, pages []Page) {
	if benchdata.Smoke() {
		pages = pages[:min(len(pages), 10)]
	}
	truth := make(map[string]string, len(pages))
	for _, p := range pages {
		truth[p.Key] = p.Text
	}
	for _, ex := range Extractors() {
		b.Run(ex.Name, func(b *testing.B) {
			n := 0
			pred := make(map[string]string, len(pages))
			for b.Loop() {
				for _, p := range pages {
					pred[p.Key], _ = ex.Text(p.Body, p.URL) // an error scores as empty text
					n++
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/page")
			sc, _ := textf1.Evaluate(truth, pred)
			b.ReportMetric(sc.Precision, "precision")
			b.ReportMetric(sc.Recall, "recall")
			b.ReportMetric(sc.F1, "F1")
		})
	}
}
