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
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/shareddata"
	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/store/sqlite"
)

// memIndex is the LSH lookup the store does (bucket → articles, the most
// recent 16 per bucket), kept in memory to time the algorithm itself.
// Open pairs are decided as the stage does: on the layouts of both texts,
// the candidate's analysed afresh (the stage reads it from the store).
type memIndex struct {
	buckets map[int64][]int32
	prints  []dedup.Fingerprint
	texts   []string
	when    []time.Time
	f       *dedup.Fingerprinter
	kept    layoutsKept
}

// layoutsKept stands for the stage's layout cache: candidates' layouts
// are kept up to its size (8192), then all dropped (the stage drops the
// older half: this is the pessimistic side).
type layoutsKept map[int64]dedup.Layout

func (k *layoutsKept) of(id int64, text func() (string, error), f *dedup.Fingerprinter) (dedup.Layout, error) {
	if l, ok := (*k)[id]; ok {
		return l, nil
	}
	t, err := text()
	if err != nil {
		return dedup.Layout{}, err
	}
	if len(*k) >= 8192 || *k == nil {
		*k = layoutsKept{}
	}
	l := f.Layout(t)
	(*k)[id] = l
	return l, nil
}

func (m *memIndex) lookup(fp dedup.Fingerprint, text string, when time.Time, rule dedup.Rule) int {
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
			if rule.Apart(when, m.when[id]) {
				continue // the stage drops them before any comparison
			}
			c := m.prints[id]
			align := func() dedup.Alignment {
				if own == nil {
					l := m.f.Layout(text)
					own = &l
				}
				l, _ := m.kept.of(int64(id), func() (string, error) { return m.texts[id], nil }, m.f)
				return dedup.Align(*own, l)
			}
			if rule.Copy(fp, c, dedup.Compare(fp, c), align) {
				found++
			}
		}
	}
	return found
}

func (m *memIndex) add(fp dedup.Fingerprint, text string, when time.Time) {
	id := int32(len(m.prints))
	m.prints, m.texts, m.when = append(m.prints, fp), append(m.texts, text), append(m.when, when)
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
			// Replicas share their text (corpus.Replicate shifts dates by
			// the corpus span and changes URLs), so the index holds n
			// identical texts of each, weeks apart.
			span := corpus.Span(arts)
			for k := range n {
				for i, fp := range base {
					if fp.Near() {
						idx.add(fp, arts[i].Text, arts[i].When().Add(time.Duration(k)*span))
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
					// As of the newest replica: the buckets' most recent
					// entries are its own period's.
					idx.lookup(fp, a.Text, a.When().Add(time.Duration(n-1)*span), rule)
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
// candidate's text for open pairs). 31k: a SQLite store into which the
// corpus was imported with the copies stage (set-up, not timed; about a
// minute). 310k (MARSAD_BENCH_310K=1 and MARSAD_BENCH_COPIES_DB=a copy of
// bench/cmd/benchall -prepare's database): the same lookups against
// 310k stored fingerprints. Lookups run 500 to a CopyTx (rolled back),
// as the stage's batches do; each is timed alone. One op is 500 lookups.
// MARSAD_BENCH_STORE=1 runs it.
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
	f := dedup.NewFingerprinter(an)
	b.Run("31k", func(b *testing.B) {
		_, st := importAll(b, an, arts, true)
		lookupStore(b, st, arts, f, 0)
	})
	if db := os.Getenv("MARSAD_BENCH_COPIES_DB"); db != "" && os.Getenv("MARSAD_BENCH_310K") != "" {
		b.Run("310k", func(b *testing.B) {
			st, err := sqlite.Open(ctx, db, sqlite.Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			// As of the newest replica, whose period fills the buckets'
			// most recent entries.
			lookupStore(b, st, arts, f, 9*corpus.Span(arts))
		})
	}
}

func lookupStore(b *testing.B, st store.Store, arts []news.Article, f *dedup.Fingerprinter, shift time.Duration) {
	ctx := context.Background()
	rule := dedup.DefaultRule()
	var look, query []time.Duration
	var kept layoutsKept
	found, ncands := 0, 0
	lookup := func(tx store.CopyTx, a news.Article) error {
		fp := f.Of(a.Text)
		if !fp.Near() {
			return nil
		}
		when := a.When().Add(shift)
		t0 := time.Now()
		from, to := rule.Window(when)
		cands, err := tx.CopyCandidates(ctx, int64(fp.Exact), dedup.Buckets(fp.Signature), 0, 16, from, to)
		if err != nil {
			return err
		}
		query, ncands = append(query, time.Since(t0)), ncands+len(cands)
		var own *dedup.Layout
		for _, c := range cands {
			if rule.Apart(when, c.When) {
				continue
			}
			cp := dedup.PrintOf(c)
			var cerr error
			ok := rule.Copy(fp, cp, dedup.Compare(fp, cp), func() dedup.Alignment {
				if own == nil {
					l := f.Layout(a.Text)
					own = &l
				}
				l, err := kept.of(c.ArticleID, func() (string, error) {
					ca, err := tx.Article(ctx, c.ArticleID)
					return ca.Text, err
				}, f)
				cerr = err
				return dedup.Align(*own, l)
			})
			if cerr != nil {
				return cerr
			}
			if ok {
				found++
			}
		}
		look = append(look, time.Since(t0))
		return nil
	}
	errDone := errors.New("done")
	i := 0
	for b.Loop() {
		// Lookups in transactions of a batch's size, rolled back, as the
		// stage runs them (its prepared statements live per transaction).
		err := st.CopyTx(ctx, func(tx store.CopyTx) error {
			for range 500 {
				if err := lookup(tx, arts[(i*7919)%len(arts)]); err != nil { // spread over the corpus
					return err
				}
				i++
			}
			return errDone
		})
		if !errors.Is(err, errDone) {
			b.Fatal(err)
		}
	}
	report(b, "lookup", look)
	report(b, "query", query)
	b.ReportMetric(float64(found)/float64(max(1, len(look))), "copies/lookup")
	b.ReportMetric(float64(ncands)/float64(max(1, len(look))), "candidates/lookup")
}
