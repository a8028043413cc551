package main

import (
	"os"
	"strings"
	"testing"
)

func TestParseAndCompare(t *testing.T) {
	t.Parallel()
	f, err := os.Open("testdata/gotest.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rs := &Results{}
	notes, err := parseBench(f, "x", 2, rs)
	if err != nil {
		t.Fatal(err)
	}
	imp := rs.Lookup("github.com/marsad/marsad/bench/importer", "BenchmarkImport/marsad")
	if imp == nil {
		t.Fatal("BenchmarkImport/marsad not parsed")
	}
	if got := imp.Values["articles/s"]; len(got) != 3 || got[1] != 720 {
		t.Errorf("articles/s = %v", got)
	}
	if s := summarize(imp.Values["articles/s"]); s.Min != 360 || s.Median != 600 || s.Max != 720 {
		t.Errorf("summary = %+v", s)
	}
	if r := rs.Lookup("github.com/marsad/marsad/bench/importer", "BenchmarkSearch/k-10/marsad"); r == nil {
		t.Error("name ending in -digits inside the path lost")
	}
	wantNotes := []Note{
		{Pkg: "github.com/marsad/marsad/bench/importer", Name: "BenchmarkSearch310k", Kind: "skipped", Text: "search_test.go:40: set MARSAD_BENCH_310K=1 to run it"},
		{Pkg: "github.com/marsad/marsad/bench/importer", Name: "BenchmarkBroken/marsad", Kind: "failed", Text: "broken_test.go:9: boom"},
		{Pkg: "github.com/marsad/marsad/bench/search", Name: "BenchmarkSearch310k", Kind: "skipped", Text: "search_test.go:12: set MARSAD_BENCH_310K=1"},
	}
	if r := rs.Lookup("github.com/marsad/marsad/bench/search", "BenchmarkQ/marsad"); r == nil || r.Values["ns/op"][0] != 444 {
		t.Errorf("-v result line not parsed: %+v", r)
	}
	if len(notes) != len(wantNotes) {
		t.Fatalf("notes = %+v", notes)
	}
	for i := range notes {
		if notes[i] != wantNotes[i] {
			t.Errorf("note %d = %+v, want %+v", i, notes[i], wantNotes[i])
		}
	}

	cmps := comparisons(rs)
	find := func(bench, peer, unit string) Comparison {
		t.Helper()
		for _, c := range cmps {
			if c.Bench == bench && c.Peer == peer && c.Unit == unit {
				return c
			}
		}
		t.Fatalf("no comparison %s %s %s in %+v", bench, peer, unit, cmps)
		return Comparison{}
	}
	// Paired run by run: 360/300, 720/400, 600/400.
	if c := find("BenchmarkImport", "bleve", "articles/s"); c.Advantage.Min != 1.2 || c.Advantage.Median != 1.5 || c.Advantage.Max != 1.8 {
		t.Errorf("import advantage = %+v", c.Advantage)
	}
	if c := find("BenchmarkImport", "bleve", "store-MB"); c.Advantage.Median < 1.27 || c.Advantage.Median > 1.29 {
		t.Errorf("store size advantage = %+v", c.Advantage)
	}
	if c := find("BenchmarkSearch/k-10", "bleve", "p99-ms"); c.Advantage.Median != 4 {
		t.Errorf("p99 advantage = %+v", c.Advantage)
	}
	if c := find("BenchmarkScrapinghub", "go-trafilatura", "ns/page"); c.Advantage.Median < 2.39 || c.Advantage.Median > 2.4 {
		t.Errorf("extract advantage = %+v", c.Advantage)
	}
	for _, c := range cmps {
		if c.Unit == "F1" || c.Unit == "terms/op" {
			t.Errorf("ratio of a unit without direction: %+v", c)
		}
	}

	doc := render(Env{Runs: 3, Command: "benchall"}, rs, notes)
	reportHas(t, doc,
		"| bulk import vs Bleve indexing (31,030 articles) | ≥ 1.50 × bleve | 1.20 / **1.50** / 1.80 | yes |",
		"| bulk import vs Bleve, stretch goal | ≥ 5.00 × bleve | 1.20 / **1.50** / 1.80 | **no** |",
		"| bench/importer | BenchmarkImport | bleve | articles/s | 600 | 400 | 1.20 / **1.50** / 1.80 |",
		"| BenchmarkImport/marsad | s/op | 43.1 | 50.0 | 86.2 |",
		"| BenchmarkScrapinghub/marsad | F1 | 0.992 | 0.992 | 0.992 |",
		"| bench/importer | BenchmarkBroken/marsad | failed | broken_test.go:9: boom |",
	)
}

func TestSplice(t *testing.T) {
	t.Parallel()
	sec := beginMarker + "\nnew\n" + endMarker + "\n"
	for _, tc := range []struct{ doc, want string }{
		{"# B\n\n## Hand\ntext\n", "# B\n\n## Hand\ntext\n\n" + sec},
		{"# B\n" + beginMarker + "\nold\n" + endMarker + "\n## Later\nkept\n", "# B\n" + beginMarker + "\nnew\n" + endMarker + "\n## Later\nkept\n"},
	} {
		got, err := splice(tc.doc, sec)
		if err != nil || got != tc.want {
			t.Errorf("splice(%q) = %q, %v; want %q", tc.doc, got, err, tc.want)
		}
	}
	if _, err := splice(endMarker+beginMarker, sec); err == nil {
		t.Error("markers out of order accepted")
	}
}

func TestParseWrk(t *testing.T) {
	t.Parallel()
	out := `Running 10s test @ http://127.0.0.1:8080/
  2 threads and 8 connections
  Latency Distribution
     50%    1.50ms
     75%    2.00ms
     90%    3.00ms
     99%  850.00us
  1234 requests in 10.00s, 12.34MB read
Requests/sec:    123.40
Transfer/sec:      1.23MB
`
	r, err := parseWrk(out)
	if err != nil || r.rps != 123.4 || r.p50 != 1.5 || r.p99 != 0.85 {
		t.Errorf("parseWrk = %+v, %v", r, err)
	}
	if _, err := parseWrk(out + "  Non-2xx or 3xx responses: 5\n"); err == nil {
		t.Error("non-2xx responses accepted")
	}
}

func TestNum(t *testing.T) {
	t.Parallel()
	for v, want := range map[float64]string{1234567: "1,234,567", 640.4: "640", 12.345: "12.3", 1.5: "1.50", 0.9924: "0.992", 0: "0"} {
		if got := num(v); got != want {
			t.Errorf("num(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestMergeRuns(t *testing.T) {
	t.Parallel()
	prev, next := &Results{}, &Results{}
	prev.Add("a", "BenchmarkA", "ns/op", 1)
	prev.Add("b", "BenchmarkB", "ns/op", 2)
	next.Add("b", "BenchmarkB", "ns/op", 3)
	next.Add("c", "BenchmarkC", "ns/op", 4)
	path := t.TempDir() + "/last.json"
	if err := saveRun(path, savedRun{Env: Env{Command: "full", Date: "d1", Wall: "1m"}, Results: prev.list,
		Notes: []Note{{Pkg: "b", Kind: "skipped"}, {Pkg: "a", Kind: "skipped"}}}); err != nil {
		t.Fatal(err)
	}
	p, err := loadRun(path)
	if err != nil {
		t.Fatal(err)
	}
	env, rs, notes := mergeRuns(p, savedRun{Env: Env{Command: "part", Date: "d2", Wall: "2m"}, Results: next.list})
	got := map[string]float64{}
	for _, r := range rs.list {
		got[r.Pkg] = r.Values["ns/op"][0]
		if len(r.Values["ns/op"]) != 1 {
			t.Errorf("%s: %v", r.Pkg, r.Values)
		}
	}
	if len(got) != 3 || got["a"] != 1 || got["b"] != 3 || got["c"] != 4 {
		t.Errorf("merged = %v", got)
	}
	if len(notes) != 1 || notes[0].Pkg != "a" {
		t.Errorf("notes = %+v", notes)
	}
	if env.Command != "full`, then `part" || env.Wall != "1m + 2m" {
		t.Errorf("env = %+v", env)
	}
}

// TestExtractAndRelatedGoals: the extraction goals pair marsad's runs with
// go-trafilatura's (speed from ns/page, F1 as a ratio that must exceed 1),
// and related reading's p99 is read off its figure.
func TestExtractAndRelatedGoals(t *testing.T) {
	t.Parallel()
	const pkg = "github.com/marsad/marsad/bench/extract"
	rs := &Results{}
	for _, v := range []struct{ ns, f1, peerNS, peerF1 float64 }{
		{1e6, 0.98, 6e6, 0.90}, {1e6, 0.98, 5e6, 0.90}, {2e6, 0.98, 7e6, 0.90},
	} {
		rs.Add(pkg, "BenchmarkScrapinghub/marsad", "ns/page", v.ns)
		rs.Add(pkg, "BenchmarkScrapinghub/marsad", "F1", v.f1)
		rs.Add(pkg, "BenchmarkScrapinghub/go-trafilatura", "ns/page", v.peerNS)
		rs.Add(pkg, "BenchmarkScrapinghub/go-trafilatura", "F1", v.peerF1)
		// An equal F1 is not a higher one.
		rs.Add(pkg, "BenchmarkNewsweb/marsad", "F1", 0.9)
		rs.Add(pkg, "BenchmarkNewsweb/go-trafilatura", "F1", 0.9)
	}
	rs.Add("github.com/marsad/marsad/internal/cluster", "BenchmarkRelated/310k/window", "p99-ms", 0.7)
	doc := render(Env{Runs: 3, Command: "benchall"}, rs, nil)
	reportHas(t, doc,
		"| extraction speed vs go-trafilatura, ScrapingHub | ≥ 2.00 × go-trafilatura | 3.50 / **5.00** / 6.00 | yes |",
		"| extraction speed vs go-trafilatura, ScrapingHub, stretch goal | ≥ 4.00 × go-trafilatura | 3.50 / **5.00** / 6.00 | yes |",
		"| extraction F1 vs go-trafilatura, ScrapingHub | > 1.00 × go-trafilatura | 1.09 / **1.09** / 1.09 | yes |",
		"| extraction F1 vs go-trafilatura, newsweb-dev | > 1.00 × go-trafilatura | 1.00 / **1.00** / 1.00 | **no** |",
		"| extraction speed vs go-trafilatura, newsweb-dev | ≥ 2.00 × go-trafilatura | – | not measured |",
		"| related reading p99 at 310k (30-day window, as served) | ≤ 5.00 p99-ms | 0.700 / **0.700** / 0.700 | yes |",
	)
}

// reportHas checks that the rendered report holds each line.
func reportHas(t *testing.T, doc string, lines ...string) {
	t.Helper()
	for _, want := range lines {
		if !strings.Contains(doc, want) {
			t.Errorf("report lacks %q:\n%s", want, doc)
		}
	}
}
