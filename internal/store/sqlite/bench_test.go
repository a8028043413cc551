package sqlite

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"sync"
	"testing"
	"time"
)

// BenchmarkArticleRandom: single-article reads at random over a database of
// imported articles (MARSAD_BENCH_DB=FILE, e.g. a copy of the 310k one),
// from 4 goroutines as serve's readers: what the readers' page cache size
// costs or saves.
func BenchmarkArticleRandom(b *testing.B) {
	ctx := context.Background()
	s, n := benchStore(b)
	var (
		mu   sync.Mutex
		lat  []time.Duration
		seed uint64
	)
	b.ResetTimer()
	b.SetParallelism(2) // 2×GOMAXPROCS goroutines
	b.RunParallel(func(pb *testing.PB) {
		mu.Lock()
		seed++
		r := rand.New(rand.NewPCG(seed, 1))
		mu.Unlock()
		var l []time.Duration
		for pb.Next() {
			t := time.Now()
			if _, err := s.Article(ctx, r.Int64N(n)+1); err != nil {
				b.Error(err)
				return
			}
			l = append(l, time.Since(t))
		}
		mu.Lock()
		lat = append(lat, l...)
		mu.Unlock()
	})
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	}
}

// BenchmarkArticlesByID: the read of a search page's ten articles, at
// random over a database of imported articles (MARSAD_BENCH_DB=FILE).
func BenchmarkArticlesByID(b *testing.B) {
	ctx := context.Background()
	s, n := benchStore(b)
	r := rand.New(rand.NewPCG(1, 2))
	ids := make([]int64, 10)
	for b.Loop() {
		for i := range ids {
			ids[i] = r.Int64N(n) + 1
		}
		if arts, err := s.ArticlesByID(ctx, ids); err != nil || len(arts) == 0 {
			b.Fatalf("%d articles, %v", len(arts), err)
		}
	}
}

// benchStore opens MARSAD_BENCH_DB (skipping the benchmark without it)
// and returns its largest article ID.
func benchStore(b *testing.B) (*Store, int64) {
	path := os.Getenv("MARSAD_BENCH_DB")
	if path == "" {
		b.Skip("set MARSAD_BENCH_DB to a database of imported articles")
	}
	ctx := context.Background()
	s, err := Open(ctx, path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	var n int64
	if err := s.r.QueryRowContext(ctx, "SELECT max(id) FROM articles").Scan(&n); err != nil {
		b.Fatal(err)
	}
	return s, n
}
