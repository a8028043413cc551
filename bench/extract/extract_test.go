package extract

import (
	"path/filepath"
	"testing"

	"github.com/marsad/marsad/internal/shareddata"
)

// BenchmarkScrapinghub runs each extractor over the 181 pages; ns/page is
// the mean time per page. Compare the sub-benchmarks of one run only: the
// machine is shared and noisy.
func BenchmarkScrapinghub(b *testing.B) {
	pages, err := LoadScrapinghub(shareddata.Path(b, filepath.Join("extraction", "scrapinghub")))
	if err != nil {
		b.Fatal(err)
	}
	for _, ex := range Extractors() {
		b.Run(ex.Name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				for _, p := range pages {
					ex.Text(p.Body, p.URL) //nolint:errcheck // speed only
					n++
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/page")
		})
	}
}
