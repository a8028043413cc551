package dedup_test

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/corpus"
	"github.com/marsad/marsad/internal/dedup"
	"github.com/marsad/marsad/internal/shareddata"
)

// memIndex is the LSH lookup the store does (bucket → articles, the most
// recent 16 per bucket), kept in memory to time the algorithm itself.
// Open pairs are decided as the stage does: on the layouts of both texts,
// the candidate's analysed afresh (the stage reads it from the store).
type memIndex struct {
	buckets map[int64][]int32
	prints  []dedup.Fingerprint
	texts   []string
	f       *dedup.Fingerprinter
}

func (m *memIndex) lookup(fp dedup.Fingerprint, text string, rule dedup.Rule) int {
	var own *dedup.Layout
	seen := map[int32]bool{}
	found := 0
	for _, b := range dedup.Buckets(fp.Signature) {
		ids := m.buckets[b]
		for _, id := range ids[max(0, len(ids)-16):] {
			if seen[id] {
				continue
			}
			seen[id] = true
			c := m.prints[id]
			align := func() dedup.Alignment {
				if own == nil {
					l := m.f.Layout(text)
					own = &l
				}
				return dedup.Align(*own, m.f.Layout(m.texts[id]))
			}
			if rule.Copy(fp, c, dedup.Compare(fp, c), align) {
				found++
			}
		}
	}
	return found
}

func (m *memIndex) add(fp dedup.Fingerprint, text string) {
	id := int32(len(m.prints))
	m.prints, m.texts = append(m.prints, fp), append(m.texts, text)
	for _, b := range dedup.Buckets(fp.Signature) {
		m.buckets[b] = append(m.buckets[b], id)
	}
}

// BenchmarkCopyLookup times, per article, the fingerprint (analysis,
// shingles, MinHash) and the LSH lookup with exact verification against an
// index already holding the corpus (31k SaudiNewsNet articles; 310k
// replicated ones with MARSAD_BENCH_310K=1). Reports p50/p99 of each.
func BenchmarkCopyLookup(b *testing.B) {
	arts, err := corpus.Load(context.Background(), shareddata.Path(b, "saudinewsnet", "articles.jsonl.gz"))
	if err != nil {
		b.Fatal(err)
	}
	sizes := []int{1}
	if os.Getenv("MARSAD_BENCH_310K") != "" {
		sizes = append(sizes, 10)
	}
	an := arabic.New()
	f := dedup.NewFingerprinter(an)
	base := make([]dedup.Fingerprint, len(arts))
	for i, a := range arts {
		base[i] = f.Of(a.Text)
	}
	for _, n := range sizes {
		name := map[int]string{1: "31k", 10: "310k"}[n]
		b.Run(name, func(b *testing.B) {
			idx := &memIndex{buckets: map[int64][]int32{}, f: f}
			// Replicas share their text (corpus.Replicate shifts dates and
			// URLs), so the index holds n near-identical copies of each.
			for range n {
				for i, fp := range base {
					if fp.Near() {
						idx.add(fp, arts[i].Text)
					}
				}
			}
			rule := dedup.DefaultRule()
			var sig, look []time.Duration
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				a := arts[i%len(arts)]
				t0 := time.Now()
				fp := f.Of(a.Text)
				t1 := time.Now()
				if fp.Near() {
					idx.lookup(fp, a.Text, rule)
				}
				t2 := time.Now()
				sig, look = append(sig, t1.Sub(t0)), append(look, t2.Sub(t1))
			}
			b.StopTimer()
			report(b, "sig", sig)
			report(b, "lookup", look)
		})
	}
}

func report(b *testing.B, what string, d []time.Duration) {
	slices.Sort(d)
	q := func(p float64) float64 { return float64(d[int(p*float64(len(d)-1))]) / 1e6 }
	b.ReportMetric(q(0.5), what+"-p50-ms")
	b.ReportMetric(q(0.99), what+"-p99-ms")
}
