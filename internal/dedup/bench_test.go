package dedup_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/corpus"
	"github.com/marsad/marsad/internal/dedup"
	"github.com/marsad/marsad/internal/shareddata"
	"github.com/marsad/marsad/internal/store"
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

// BenchmarkCopyLookupStore times the lookup as the stage does it, in the
// store: the candidate query (LSH buckets and exact hash, 16 per key) and
// the two-stage decision on each candidate (reading and analysing the
// candidate's text for open pairs), in a SQLite store into which the whole
// corpus was imported with the copies stage (the import is set-up, not
// timed). Each lookup runs in its own CopyTx, which is rolled back; the
// transaction's begin and end are not timed (the stage has one per batch).
// MARSAD_BENCH_STORE=1 runs it (the set-up imports 31k articles, about a
// minute).
func BenchmarkCopyLookupStore(b *testing.B) {
	if os.Getenv("MARSAD_BENCH_STORE") == "" {
		b.Skip("set MARSAD_BENCH_STORE=1 (imports the corpus first)")
	}
	ctx := context.Background()
	arts, err := corpus.Load(ctx, shareddata.Path(b, "saudinewsnet", "articles.jsonl.gz"))
	if err != nil {
		b.Fatal(err)
	}
	an := arabic.New()
	_, st := importAll(b, an, arts, true)
	f := dedup.NewFingerprinter(an)
	rule := dedup.DefaultRule()
	errDone := errors.New("done")
	b.Run("31k", func(b *testing.B) {
		var look []time.Duration
		found := 0
		for i := 0; b.Loop(); i++ {
			a := arts[(i*7919)%len(arts)] // spread over the corpus
			fp := f.Of(a.Text)
			if !fp.Near() {
				continue
			}
			err := st.CopyTx(ctx, func(tx store.CopyTx) error {
				t0 := time.Now()
				cands, err := tx.CopyCandidates(ctx, int64(fp.Exact), dedup.Buckets(fp.Signature), 0, 16)
				if err != nil {
					return err
				}
				var own *dedup.Layout
				for _, c := range cands {
					cp := dedup.PrintOf(c)
					var cerr error
					ok := rule.Copy(fp, cp, dedup.Compare(fp, cp), func() dedup.Alignment {
						if own == nil {
							l := f.Layout(a.Text)
							own = &l
						}
						ca, err := tx.Article(ctx, c.ArticleID)
						cerr = err
						return dedup.Align(*own, f.Layout(ca.Text))
					})
					if cerr != nil {
						return cerr
					}
					if ok {
						found++
					}
				}
				look = append(look, time.Since(t0))
				return errDone
			})
			if !errors.Is(err, errDone) {
				b.Fatal(err)
			}
		}
		report(b, "lookup", look)
		b.ReportMetric(float64(found)/float64(len(look)), "copies/lookup")
	})
}
