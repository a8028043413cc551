package postgres_test

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/ingest"
	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/store/sqlite"
)

// TestSearchParity imports the same SaudiNewsNet articles into SQLite and
// PostgreSQL and checks both rank the same way (issue 10: top-10 overlap
// ≥ 0.8; the BM25 port should in fact agree exactly).
func TestSearchParity(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping corpus test in -short mode")
	}
	t.Parallel()
	ctx := context.Background()
	pg := Open(t)
	lite, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "m.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	if err := lite.Migrate(ctx); err != nil {
		t.Fatal(err)
	}

	batch := corpusArticles(t, 3000)
	an := arabic.New()
	for _, s := range []store.Store{lite, pg} {
		p := ingest.New(s, an, nil)
		for i := 0; i < len(batch); i += 500 {
			if _, _, err := p.Ingest(ctx, batch[i:min(i+500, len(batch))]); err != nil {
				t.Fatal(err)
			}
		}
	}

	queries := []string{"خادم الحرمين", "ولي العهد", "الهلال", "أسعار النفط", "وزارة الصحة", "داعش", "الأمطار",
		"سوق الأسهم", "اليمن الحوثيين", "كورونا"}
	var overlapSum, maxDiff float64
	exact := 0
	for _, q := range queries {
		sq := store.SearchQuery{All: an.Terms(nil, q), Limit: 10}
		a, err := lite.Search(ctx, sq)
		if err != nil {
			t.Fatal(err)
		}
		b, err := pg.Search(ctx, sq)
		if err != nil {
			t.Fatal(err)
		}
		if a.Total != b.Total {
			t.Errorf("%q: SQLite finds %d, PostgreSQL %d", q, a.Total, b.Total)
		}
		ov := overlap(a, b)
		overlapSum += ov
		if ov == 1 && sameOrder(a, b) {
			exact++
			for i := range a.Hits {
				// Relative difference of the two stores' BM25 scores.
				d := math.Abs(a.Hits[i].Score-b.Hits[i].Score) / math.Max(math.Abs(a.Hits[i].Score), 1e-12)
				maxDiff = math.Max(maxDiff, d)
			}
		}
		t.Logf("%q: total %d/%d, top-10 overlap %.2f", q, a.Total, b.Total, ov)
	}
	mean := overlapSum / float64(len(queries))
	t.Logf("mean top-10 overlap %.3f; identical order on %d/%d queries; largest relative score difference %.1e",
		mean, exact, len(queries), maxDiff)
	if mean < 0.8 {
		t.Errorf("mean top-10 overlap %.3f < 0.8", mean)
	}
}

func overlap(a, b store.SearchPage) float64 {
	if len(a.Hits) == 0 && len(b.Hits) == 0 {
		return 1
	}
	in := map[string]bool{}
	for _, h := range a.Hits {
		in[h.Article.URL] = true
	}
	n := 0
	for _, h := range b.Hits {
		if in[h.Article.URL] {
			n++
		}
	}
	return float64(n) / float64(max(len(a.Hits), len(b.Hits)))
}

func sameOrder(a, b store.SearchPage) bool {
	for i := range a.Hits {
		if a.Hits[i].Article.URL != b.Hits[i].Article.URL {
			return false
		}
	}
	return true
}
