package cluster_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/cluster"
	"github.com/marsad/marsad/internal/corpus"
	"github.com/marsad/marsad/internal/shareddata"
)

// benchState builds an engine over n SaudiNewsNet articles (replicated
// past 31k, with shifted dates) and returns it with the items of the
// following extra articles, not yet added. Up to 31k the state is built by
// clustering; beyond, older replicas are indexed without comparing (same
// postings and statistics, singleton stories) so that building stays in
// minutes, and the last 31k are clustered.
func benchState(b *testing.B, n, extra int) (*cluster.Engine, []cluster.Item) {
	b.Helper()
	arts, err := corpus.Load(context.Background(), shareddata.Path(b, "saudinewsnet", "articles.jsonl.gz"))
	if err != nil {
		b.Fatal(err)
	}
	reps := (n+extra)/len(arts) + 1
	all := corpus.Replicate(arts, reps)[:n+extra]
	an := arabic.New()
	e := cluster.New(an, cluster.Default)
	cut := max(0, n-len(arts))
	// Items are made one at a time: 310k analysed texts at once would
	// take gigabytes.
	item := func(i int) cluster.Item { return items(an, all[i:i+1])[0] }
	for i := range n {
		it := item(i)
		it.ID = int64(i + 1)
		if i < cut {
			e.Index(it)
		} else {
			e.Add(it)
		}
	}
	next := make([]cluster.Item, 0, extra)
	for i := n; i < len(all); i++ {
		it := item(i)
		it.ID = int64(i + 1)
		next = append(next, it)
	}
	return e, next
}

func percentiles(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	ms := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))]) / 1e6 }
	b.ReportMetric(ms(0.5), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
}

func sizes(b *testing.B) []int {
	if os.Getenv("MARSAD_BENCH_310K") != "" {
		return []int{31_000, 310_000}
	}
	return []int{31_000}
}

// BenchmarkAssign: clustering one new article (Add) into a state of 31k
// (and 310k) articles. The state is rebuilt when the new articles run out;
// at 310k a rebuild takes minutes and a second of adds is about 8,000, so
// there it has 10,000 new articles (the state grows by at most 3%).
func BenchmarkAssign(b *testing.B) {
	for _, n := range sizes(b) {
		extra := 1000
		if n > 100_000 {
			extra = 10_000
		}
		b.Run(label(n), func(b *testing.B) {
			e, next := benchState(b, n, extra)
			lat := make([]time.Duration, 0, len(next))
			b.ResetTimer()
			i := 0
			for b.Loop() {
				if i == len(next) {
					b.StopTimer()
					e, next = benchState(b, n, extra)
					i = 0
					b.StartTimer()
				}
				t := time.Now()
				e.Add(next[i])
				lat = append(lat, time.Since(t))
				i++
			}
			percentiles(b, lat)
		})
	}
}

// BenchmarkRelated: related reading for one article on request, over 31k
// (and 310k) articles: within the default window (30 days each side) and,
// as the peer, over the whole collection.
func BenchmarkRelated(b *testing.B) {
	for _, n := range sizes(b) {
		e, next := benchState(b, n, 1000)
		ids := make([]int64, len(next))
		for i, it := range next {
			ids[i] = it.ID - int64(len(next)) // the last 1,000 articles of the state
		}
		for _, w := range []struct {
			name string
			d    time.Duration
		}{{"window", 0}, {"all", 100 * 365 * 24 * time.Hour}} {
			b.Run(label(n)+"/"+w.name, func(b *testing.B) {
				lat := make([]time.Duration, 0, 1024)
				i := 0
				for b.Loop() {
					t := time.Now()
					e.Related(ids[i%len(ids)], cluster.RelatedOptions{Limit: 10, Window: w.d})
					lat = append(lat, time.Since(t))
					i++
				}
				percentiles(b, lat)
			})
		}
	}
}

func label(n int) string { return strconv.Itoa(n/1000) + "k" }
