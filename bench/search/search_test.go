// Package search measures marsad's search against Bleve v2 (its "ar"
// analyzer, BM25 scoring) on the 310k-article corpus (SaudiNewsNet ×10 by
// internal/corpus.Replicate): latency percentiles of the same queries
// through marsad's library path (search.Service with its in-memory index
// over SQLite), marsad's HTTP API (the same), the library path on the
// store's FTS5 index alone (marsad-store, the fallback while the index
// builds), and Bleve's library. The SQLite database is benchall's
// (MARSAD_BENCH_DB) or built once and cached, as is the Bleve index; the
// in-memory index is built once per process (BenchmarkSearchIndexBuild
// measures that build):
//
//	cd bench && MARSAD_BENCH_310K=1 go test -run '^$' -bench 'Search' -benchtime 400x -timeout 2h ./search
package search

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/ar"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/marsad/marsad/bench/internal/benchdata"
	"github.com/marsad/marsad/internal/api"
	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/corpus"
	memindex "github.com/marsad/marsad/internal/index"
	"github.com/marsad/marsad/internal/ingest"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/search"
	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/store/sqlite"
)

// Query classes: common and rarer words of the corpus, each class with
// several queries so a percentile is not one query's cost. No query holds a
// stopword: Bleve's conjunction would then match nothing.
var classes = []struct {
	name    string
	queries []string
	phrase  bool
}{
	{"OneWord", []string{"الهلال", "النفط", "داعش", "الأمطار", "المرور", "الحوثيين", "التعليم", "السياحة", "الصحة", "إيران"}, false},
	{"TwoWords", []string{"خادم الحرمين", "ولي العهد", "أسعار النفط", "وزارة الصحة", "سوق الأسهم", "الدفاع المدني", "كأس العالم", "الأمم المتحدة", "مجلس الشورى", "المسجد الأقصى"}, false},
	{"ThreeWords", []string{"أمير منطقة الرياض", "وزير الخارجية الإيراني", "هيئة الأمر بالمعروف", "جامعة الملك سعود", "الرئيس الروسي بوتين", "مستشفى الملك فهد", "أسعار النفط العالمية", "قوات التحالف العربي", "الدوري السعودي للمحترفين", "خادم الحرمين الشريفين"}, false},
	{"Phrase", []string{"خادم الحرمين الشريفين", "ولي العهد", "أسعار النفط", "وزارة الصحة", "الدفاع المدني", "الأمم المتحدة", "كأس العالم", "مجلس الشورى", "سوق الأسهم", "المسجد الأقصى"}, true},
}

const limit = 10

func BenchmarkSearchOneWord(b *testing.B)    { benchClass(b, 0) }
func BenchmarkSearchTwoWords(b *testing.B)   { benchClass(b, 1) }
func BenchmarkSearchThreeWords(b *testing.B) { benchClass(b, 2) }
func BenchmarkSearchPhrase(b *testing.B)     { benchClass(b, 3) }

func benchClass(b *testing.B, i int) {
	c := classes[i]
	ix := open310k(b)
	ctx := context.Background()
	queries := c.queries
	if c.phrase {
		queries = make([]string, len(c.queries))
		for i, q := range c.queries {
			queries[i] = `"` + q + `"`
		}
	}
	// Both marsad paths must give the same page (the in-memory index
	// reproduces the store's FTS5 results), at 310k too.
	for _, q := range queries {
		a, err := ix.store.Search(ctx, search.Request{Query: q, Limit: limit, Facets: true})
		if err != nil {
			b.Fatal(err)
		}
		m, err := ix.svc.Search(ctx, search.Request{Query: q, Limit: limit, Facets: true})
		if err != nil {
			b.Fatal(err)
		}
		same := a.Total == m.Total && a.Approx == m.Approx && len(a.Results) == len(m.Results) &&
			slices.Equal(a.Sources, m.Sources) && slices.Equal(a.Days, m.Days)
		for i := 0; same && i < len(a.Results); i++ {
			x, y := a.Results[i], m.Results[i]
			same = x.Article.ID == y.Article.ID && x.Score == y.Score && x.Copies == y.Copies
		}
		if !same {
			b.Errorf("%q: the index path differs from the store path: total %d/%d", q, m.Total, a.Total)
		}
	}
	b.Run("marsad", func(b *testing.B) {
		measure(b, queries, func(q string) (int, error) {
			r, err := ix.svc.Search(ctx, search.Request{Query: q, Limit: limit})
			if err == nil && !r.Indexed {
				err = fmt.Errorf("%q: not answered by the in-memory index", q)
			}
			return len(r.Results), err
		})
	})
	b.Run("marsad-store", func(b *testing.B) {
		measure(b, queries, func(q string) (int, error) {
			r, err := ix.store.Search(ctx, search.Request{Query: q, Limit: limit})
			return len(r.Results), err
		})
	})
	b.Run("marsad-http", func(b *testing.B) {
		measure(b, queries, func(q string) (int, error) {
			res, err := ix.http.Get(ix.url + "/api/v1/search?limit=10&q=" + url.QueryEscape(q))
			if err != nil {
				return 0, err
			}
			defer res.Body.Close()
			var n int64
			buf := make([]byte, 32<<10)
			for {
				k, err := res.Body.Read(buf)
				n += int64(k)
				if err != nil {
					break
				}
			}
			if res.StatusCode != http.StatusOK {
				return 0, fmt.Errorf("status %d", res.StatusCode)
			}
			return int(min(n, 1)), nil
		})
	})
	parent := b
	b.Run("bleve", func(b *testing.B) {
		// Closed with the parent: -count runs this sub-benchmark again.
		bx := ix.openBleve(b, parent)
		measure(b, c.queries, func(q string) (int, error) {
			req := bleve.NewSearchRequestOptions(bleveQuery(q, c.phrase), limit, 0, false)
			r, err := bx.SearchInContext(ctx, req)
			if err != nil {
				return 0, err
			}
			return len(r.Hits), nil
		})
	})
}

// measure runs the queries in turn, b.N in all, and reports latency
// percentiles; every query must find something.
func measure(b *testing.B, queries []string, run func(string) (int, error)) {
	for _, q := range queries { // warm caches once
		if n, err := run(q); err != nil || n == 0 {
			b.Fatalf("%q: %d results, %v", q, n, err)
		}
	}
	lat := make([]time.Duration, 0, b.N)
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if _, err := run(queries[i%len(queries)]); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	// Process CPU time per query: on a shared, overloaded machine wall-time
	// percentiles mostly measure the wait for a core; CPU time does not.
	// (For marsad-http it includes the in-process server.)
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(len(lat)), "cpu-ms/op")
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// bleveQuery is the same query for Bleve: every word (or the phrase) in the
// title (boost 3, as marsad weighs it) or the text.
func bleveQuery(q string, phrase bool) query.Query {
	field := func(f string, boost float64, text string) query.Query {
		if phrase {
			m := bleve.NewMatchPhraseQuery(text)
			m.SetField(f)
			m.SetBoost(boost)
			return m
		}
		m := bleve.NewMatchQuery(text)
		m.SetField(f)
		m.SetBoost(boost)
		return m
	}
	either := func(text string) query.Query {
		return bleve.NewDisjunctionQuery(field("title", 3, text), field("text", 1, text))
	}
	if phrase {
		return either(q)
	}
	var words []query.Query
	for _, w := range splitWords(q) {
		words = append(words, either(w))
	}
	return bleve.NewConjunctionQuery(words...)
}

func splitWords(s string) []string {
	var out []string
	start := -1
	for i, r := range s + " " {
		if r == ' ' {
			if start >= 0 {
				out = append(out, s[start:i])
			}
			start = -1
		} else if start < 0 {
			start = i
		}
	}
	return out
}

type indexes struct {
	// svc searches with the in-memory index, store without.
	svc, store *search.Service
	http       *http.Client
	url        string
	bleve      bleve.Index
	// load returns the 310k articles (read once, only to build an index).
	load func() []news.Article
}

// open310k opens (building on first use) both cached indexes.
func open310k(b *testing.B) *indexes {
	b.Helper()
	if os.Getenv("MARSAD_BENCH_310K") == "" {
		b.Skip("set MARSAD_BENCH_310K=1 to run the 310k-article search benchmarks (the first run builds the cached indexes)")
	}
	ctx := context.Background()
	dir := benchdata.CacheDir()
	var arts []news.Article
	load := func() []news.Article {
		if arts == nil {
			in, err := benchdata.SaudiNewsNet()
			if err != nil {
				b.Fatal(err)
			}
			one, err := corpus.Load(ctx, in)
			if err != nil {
				b.Fatal(err)
			}
			arts = corpus.Replicate(one, 10)
		}
		return arts
	}
	dbPath := os.Getenv("MARSAD_BENCH_DB")
	if dbPath == "" {
		dbPath = filepath.Join(dir, "search-310k.db")
	}
	if _, err := os.Stat(dbPath); err != nil {
		if err := buildMarsad(ctx, dbPath, load()); err != nil {
			b.Fatal(err)
		}
	}
	st, err := sqlite.Open(ctx, dbPath, sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	an := arabic.New()
	ix := &indexes{svc: search.New(st, an), store: search.New(st, an)}
	mem, err := memIndex(ctx, dbPath, st, an)
	if err != nil {
		b.Fatal(err)
	}
	ix.svc.UseIndex(mem)
	mux := http.NewServeMux()
	api.New(api.Options{Store: st, Search: ix.svc}).Register(mux)
	srv := httptest.NewServer(mux)
	b.Cleanup(srv.Close)
	ix.url, ix.http = srv.URL, srv.Client()

	ix.load = load
	return ix
}

// built is the in-memory index of one database, built once per process
// (the build takes a minute or more at 310k articles).
var built struct {
	sync.Mutex
	path string
	ix   *memindex.Index
}

func memIndex(ctx context.Context, path string, st store.Store, an *arabic.Analyzer) (*memindex.Index, error) {
	built.Lock()
	defer built.Unlock()
	if built.path != path {
		ix := memindex.New()
		if err := memindex.Build(ctx, st, an, ix, nil); err != nil {
			return nil, err
		}
		built.path, built.ix = path, ix
	}
	return built.ix, nil
}

// BenchmarkSearchIndexBuild builds the in-memory index over the 310k
// database (one op is one build): time, and the heap it keeps.
func BenchmarkSearchIndexBuild(b *testing.B) {
	if os.Getenv("MARSAD_BENCH_310K") == "" {
		b.Skip("set MARSAD_BENCH_310K=1 to run the 310k-article search benchmarks")
	}
	ctx := context.Background()
	dbPath := os.Getenv("MARSAD_BENCH_DB")
	if dbPath == "" {
		dbPath = filepath.Join(benchdata.CacheDir(), "search-310k.db")
	}
	st, err := sqlite.Open(ctx, dbPath, sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	an := arabic.New()
	var ix *memindex.Index
	var before, after runtime.MemStats
	// As serve builds it: collecting more often during startup loads.
	defer debug.SetGCPercent(debug.SetGCPercent(25))
	for b.Loop() {
		ix = nil
		runtime.GC()
		runtime.ReadMemStats(&before)
		ix = memindex.New()
		if err := memindex.Build(ctx, st, an, ix, nil); err != nil {
			b.Fatal(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := float64(after.HeapAlloc) - float64(before.HeapAlloc)
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/build")
	b.ReportMetric(heap/(1<<20), "heap-MiB")
	b.ReportMetric(heap/float64(ix.Len()), "B/article")
	b.ReportMetric(float64(ix.Len()), "articles")
	// The process does nothing else: its peak RSS is the build's (with
	// SQLite's page cache and the garbage of analysis).
	if st, err := os.ReadFile("/proc/self/status"); err == nil {
		for line := range strings.Lines(string(st)) {
			if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
				b.ReportMetric(kb/1024, "VmHWM-MiB")
			}
		}
	}
}

// openBleve opens (building on first use) the cached Bleve index; only the
// bleve sub-benchmarks need it.
func (ix *indexes) openBleve(b, owner *testing.B) bleve.Index {
	if ix.bleve != nil {
		return ix.bleve
	}
	blevePath := filepath.Join(benchdata.CacheDir(), "search-310k.bleve")
	if _, err := os.Stat(blevePath); err != nil {
		if err := buildBleve(blevePath, ix.load()); err != nil {
			b.Fatal(err)
		}
	}
	bx, err := bleve.Open(blevePath)
	if err != nil {
		b.Fatal(err)
	}
	owner.Cleanup(func() { bx.Close() })
	ix.bleve = bx
	return bx
}

// buildMarsad imports the articles as marsad import does (batches of 500,
// then index compaction), into a temporary file renamed when complete.
func buildMarsad(ctx context.Context, path string, arts []news.Article) error {
	tmp := path + ".tmp"
	os.Remove(tmp)
	st, err := sqlite.Open(ctx, tmp, sqlite.Options{})
	if err != nil {
		return err
	}
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	p := ingest.New(st, arabic.New(), nil)
	for i := 0; i < len(arts); i += 500 {
		if _, _, err := p.Ingest(ctx, arts[i:min(i+500, len(arts))]); err != nil {
			return err
		}
	}
	if err := st.Optimize(ctx); err != nil {
		return err
	}
	if err := st.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// bleveDoc is what Bleve indexes of an article.
type bleveDoc struct {
	Title  string `json:"title"`
	Text   string `json:"text"`
	Source string `json:"source"`
}

// buildBleve indexes the articles with Bleve's defaults except the "ar"
// analyzer and BM25 scoring, in batches of 1000.
func buildBleve(path string, arts []news.Article) error {
	tmp := path + ".tmp"
	os.RemoveAll(tmp)
	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = ar.AnalyzerName
	m.ScoringModel = index.BM25Scoring
	ix, err := bleve.New(tmp, m)
	if err != nil {
		return err
	}
	batch := ix.NewBatch()
	for i, a := range arts {
		if err := batch.Index(a.URL, bleveDoc{Title: a.Title, Text: a.Text, Source: a.SourceID}); err != nil {
			return err
		}
		if batch.Size() >= 1000 || i == len(arts)-1 {
			if err := ix.Batch(batch); err != nil {
				return err
			}
			batch.Reset()
		}
	}
	if err := ix.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// BenchmarkSearchIndexOnly times the in-memory index alone on the same
// queries (index.Search: matching, scoring, collapsing copies; no articles
// read, no snippets), so a change to the index is measured without the
// rest of the page's cost and noise. Queries are analysed as the search
// service analyses them; a phrase asks for a page and a little more, as
// the service's phrase check does.
func BenchmarkSearchIndexOnly(b *testing.B) {
	open310k(b)
	an := arabic.New()
	for _, c := range classes {
		b.Run(c.name, func(b *testing.B) {
			var qs []store.SearchQuery
			for _, q := range c.queries {
				t := an.Terms(nil, q)
				if c.phrase {
					qs = append(qs, store.SearchQuery{Phrases: [][]string{t}, Limit: limit + limit/8 + 2, Collapse: true})
				} else {
					qs = append(qs, store.SearchQuery{All: t, Limit: limit, Collapse: true})
				}
			}
			lat := make([]time.Duration, 0, b.N)
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				if p := built.ix.Search(qs[i%len(qs)]); len(p.Hits) == 0 {
					b.Fatalf("%q: no results", c.queries[i%len(qs)])
				}
				lat = append(lat, time.Since(start))
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		})
	}
}
