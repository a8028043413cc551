package postgres_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/ingest"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/shareddata"
	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/store/postgres/pgtest"
	"github.com/marsad/marsad/internal/store/sqlite"
)

// BenchmarkUpsert stores the same 3,000 analysed SaudiNewsNet articles, in
// batches of 500 (marsad import's), into a fresh SQLite file and a fresh
// PostgreSQL schema, then compacts the search index: the store's share of
// the import, without parsing and analysis. go test -run '^$' -bench Upsert ./internal/store/postgres
// (-short: 300 articles, the benchmark smoke).
func BenchmarkUpsert(b *testing.B) {
	n := 3000
	if testing.Short() {
		n = 300
	}
	docs := corpusDocs(b, n)
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			ctx := context.Background()
			for range b.N {
				b.StopTimer()
				var s store.Store
				if backend == "postgres" {
					s = pgtest.Open(b)
				} else {
					lite, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "m.db"), sqlite.Options{})
					if err != nil {
						b.Fatal(err)
					}
					defer lite.Close()
					if err := lite.Migrate(ctx); err != nil {
						b.Fatal(err)
					}
					s = lite
				}
				b.StartTimer()
				for i := 0; i < len(docs); i += 500 {
					if _, err := s.UpsertArticles(ctx, docs[i:min(i+500, len(docs))]); err != nil {
						b.Fatal(err)
					}
				}
				// Both stores compact their search index after a bulk load
				// (marsad import does too).
				if err := s.(interface{ Optimize(context.Context) error }).Optimize(ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(docs)*b.N)/b.Elapsed().Seconds(), "articles/s")
		})
	}
}

// corpusArticles reads the first n articles of SaudiNewsNet.
func corpusArticles(tb testing.TB, n int) []news.Article {
	tb.Helper()
	f, err := os.Open(shareddata.Path(tb, "saudinewsnet", "articles.jsonl.gz"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var arts []news.Article
	stop := context.Canceled
	err = ingest.ReadLines(context.Background(), f, nil, func(it ingest.Item) error {
		if it.Err == nil {
			arts = append(arts, it.Article)
		}
		if len(arts) == n {
			return stop
		}
		return nil
	})
	if err != nil && err != stop {
		tb.Fatal(err)
	}
	return arts
}

// corpusDocs analyses the first n articles of SaudiNewsNet.
func corpusDocs(tb testing.TB, n int) []store.ArticleDoc {
	arts := corpusArticles(tb, n)
	p := ingest.New(nil, arabic.New(), nil)
	docs := make([]store.ArticleDoc, len(arts))
	for i, a := range arts {
		docs[i] = p.Document(a)
	}
	return docs
}
