package main

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
)

// Markers delimit the generated part of docs/benchmarks.md; everything
// outside them is hand-written and kept.
const (
	beginMarker = "<!-- bench:begin -->"
	endMarker   = "<!-- bench:end -->"
)

// Env describes the run.
type Env struct {
	Date, Machine, GoVersion, Commit, Command string
	LoadStart, LoadEnd                        string
	Runs                                      int
	Wall                                      string
}

// Goal is a target from the issues, checked against this run.
type Goal struct {
	Name string
	// Pkg (suffix of the import path) and Bench select a comparison
	// (marsad against Peer) or, with Peer empty, a figure.
	Pkg, Bench, Peer, Unit string
	// AtLeast or AtMost is the target on the median.
	AtLeast, AtMost float64
	// Above makes AtLeast strict (a higher F1 than the peer's, not an
	// equal one).
	Above bool
}

var goals = slices.Concat([]Goal{
	{Name: "bulk import vs Bleve indexing (31,030 articles)", Pkg: "bench/importer", Bench: "BenchmarkImport", Peer: "bleve", Unit: "articles/s", AtLeast: 1.5},
	{Name: "bulk import vs Bleve, stretch goal", Pkg: "bench/importer", Bench: "BenchmarkImport", Peer: "bleve", Unit: "articles/s", AtLeast: 5},
}, extractGoals(), []Goal{
	{Name: "`marsad serve` peak RSS at 310k articles", Pkg: cmdPkg, Bench: "serve 310k memory", Unit: "VmHWM-MiB", AtMost: 1024},
	{Name: "related reading p99 at 310k (30-day window, as served)", Pkg: "internal/cluster", Bench: "BenchmarkRelated/310k/window", Unit: "p99-ms", AtMost: 5},
}, searchGoals())

// extractGoals are issue 12's for extraction, on both page sets: speed
// against go-trafilatura (≥ 2× now, 4× the goal) at a higher F1 (the F1
// row's ratio is marsad's F1 over the peer's, paired run by run).
func extractGoals() []Goal {
	var goals []Goal
	for _, set := range []struct{ bench, name string }{
		{"BenchmarkScrapinghub", "ScrapingHub"}, {"BenchmarkNewsweb", "newsweb-dev"},
	} {
		goals = append(goals,
			Goal{Name: "extraction speed vs go-trafilatura, " + set.name, Pkg: "bench/extract", Bench: set.bench, Peer: "go-trafilatura", Unit: "ns/page", AtLeast: 2},
			Goal{Name: "extraction speed vs go-trafilatura, " + set.name + ", stretch goal", Pkg: "bench/extract", Bench: set.bench, Peer: "go-trafilatura", Unit: "ns/page", AtLeast: 4},
			Goal{Name: "extraction F1 vs go-trafilatura, " + set.name, Pkg: "bench/extract", Bench: set.bench, Peer: "go-trafilatura", Unit: "F1", Above: true, AtLeast: 1})
	}
	return goals
}

// searchGoals are issue 8's: search at 310k articles, p50 ≤ 2 ms through
// the library and HTTP, p99 no worse than Bleve's (the library path against
// Bleve; "marsad ×" ≥ 1).
func searchGoals() []Goal {
	var goals []Goal
	for _, c := range []struct{ bench, name string }{
		{"BenchmarkSearchOneWord", "one word"}, {"BenchmarkSearchTwoWords", "two words"},
		{"BenchmarkSearchThreeWords", "three words"}, {"BenchmarkSearchPhrase", "phrase"},
	} {
		goals = append(goals,
			Goal{Name: "search p50 at 310k, " + c.name + ", library", Pkg: "bench/search", Bench: c.bench + "/marsad", Unit: "p50-ms", AtMost: 2},
			Goal{Name: "search p50 at 310k, " + c.name + ", HTTP", Pkg: "bench/search", Bench: c.bench + "/marsad-http", Unit: "p50-ms", AtMost: 2},
			Goal{Name: "search p99 at 310k vs Bleve, " + c.name, Pkg: "bench/search", Bench: c.bench, Peer: "bleve", Unit: "p99-ms", AtLeast: 1})
	}
	return goals
}

// lookup finds a result by the suffix of its package path.
func lookup(rs *Results, pkg, name string) *Result {
	for _, r := range rs.list {
		if strings.HasSuffix(r.Pkg, pkg) && r.Name == name {
			return r
		}
	}
	return nil
}

func goalValue(g Goal, rs *Results, cmps []Comparison) (Summary, bool) {
	if g.Peer != "" {
		for _, c := range cmps {
			if strings.HasSuffix(c.Pkg, g.Pkg) && c.Bench == g.Bench && c.Peer == g.Peer && c.Unit == g.Unit {
				return c.Advantage, c.Advantage.N > 0
			}
		}
		// Quality units (F1) have no direction, so no comparison: the
		// ratio is paired here, marsad's run i over the peer's.
		m, p := lookup(rs, g.Pkg, g.Bench+"/marsad"), lookup(rs, g.Pkg, g.Bench+"/"+g.Peer)
		if m == nil || p == nil || direction(g.Unit) != Neutral {
			return Summary{}, false
		}
		mv, pv := m.Values[g.Unit], p.Values[g.Unit]
		var ratios []float64
		for i := range min(len(mv), len(pv)) {
			if pv[i] > 0 {
				ratios = append(ratios, mv[i]/pv[i])
			}
		}
		return summarize(ratios), len(ratios) > 0
	}
	if r := lookup(rs, g.Pkg, g.Bench); r != nil {
		if v, ok := r.Values[g.Unit]; ok {
			return summarize(v), true
		}
	}
	return Summary{}, false
}

// render writes the generated section.
func render(env Env, rs *Results, notes []Note) string {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	cmps := comparisons(rs)
	p("%s\n## Generated: all benchmarks (issue 12)\n\n", beginMarker)
	p("Written by `%s` — do not edit between the bench markers; rerun instead. ", env.Command)
	p("Every figure is min / median / max over %d runs; a peer ratio pairs run *i* of marsad with run *i* of the peer in the same `go test` process (the machine is shared, so compare ratios, not absolute times, across runs). ", env.Runs)
	p("\"marsad ×\" is how many times better marsad is (> 1: marsad faster, smaller or higher throughput).\n\n")
	p("| run | |\n|---|---|\n| date | %s |\n| machine | %s |\n| Go | %s |\n| commit | %s |\n| load average (1 min) | %s at start, %s at end |\n| wall time | %s |\n\n",
		env.Date, env.Machine, env.GoVersion, env.Commit, env.LoadStart, env.LoadEnd, env.Wall)

	p("### Goals\n\n| goal | target | measured (min / median / max) | met |\n|---|---|---|---|\n")
	for _, g := range goals {
		s, ok := goalValue(g, rs, cmps)
		target, met := "", "not measured"
		unit := g.Unit
		if g.Peer != "" {
			unit = "× " + g.Peer
		}
		switch {
		case g.AtLeast != 0 && g.Above:
			target = "> " + num(g.AtLeast) + " " + unit
			if ok {
				met = yesNo(s.Median > g.AtLeast)
			}
		case g.AtLeast != 0:
			target = "≥ " + num(g.AtLeast) + " " + unit
			if ok {
				met = yesNo(s.Median >= g.AtLeast)
			}
		default:
			target = "≤ " + num(g.AtMost) + " " + unit
			if ok {
				met = yesNo(s.Median <= g.AtMost)
			}
		}
		val := "–"
		if ok {
			val = fmt.Sprintf("%s / **%s** / %s", num(s.Min), num(s.Median), num(s.Max))
		}
		p("| %s | %s | %s | %s |\n", g.Name, target, val, met)
	}

	if len(cmps) > 0 {
		p("\n### marsad against its peers (same run)\n\n| package | benchmark | peer | metric | marsad (median) | peer (median) | marsad × (min / median / max) |\n|---|---|---|---|---|---|---|\n")
		for _, c := range cmps {
			u, scale := displayUnit(c.Unit, c.Marsad.Median)
			ms, ps := scaled(c.Marsad, scale), scaled(c.PeerVal, scale)
			p("| %s | %s | %s | %s | %s | %s | %s / **%s** / %s |\n", short(c.Pkg), c.Bench, c.Peer, u, num(ms.Median), num(ps.Median),
				num(c.Advantage.Min), num(c.Advantage.Median), num(c.Advantage.Max))
		}
	}

	var pkgs []string
	for _, r := range rs.list {
		if r.Pkg != cmdPkg && !slices.Contains(pkgs, r.Pkg) {
			pkgs = append(pkgs, r.Pkg)
		}
	}
	if len(pkgs) > 0 {
		p("\n### Go benchmarks\n\n`go test -run '^$' -bench . -count %d PKG` in each package that has benchmarks (both modules).\n", env.Runs)
		for _, pkg := range pkgs {
			p("\n`%s`\n\n| benchmark | metric | min | median | max |\n|---|---|---|---|---|\n", pkg)
			for _, r := range rs.list {
				if r.Pkg == pkg {
					writeRows(&b, r, r.Name)
				}
			}
		}
	}
	if r := resultsOf(rs, cmdPkg); len(r) > 0 {
		p("\n### Commands\n\nThe built `marsad` binary, timed from outside: `import --json` into a fresh SQLite file per run (peak RSS from the child's rusage); `serve --no-crawl` over the imported database, a fresh process per run, each route requested in turn with one client (latency percentiles per run), wrk (2 threads, 8 connections) where installed, then `VmHWM` (peak RSS) and `VmRSS` from `/proc/PID/status`.\n\n| measurement | metric | min | median | max |\n|---|---|---|---|---|\n")
		for _, x := range r {
			writeRows(&b, x, x.Name)
		}
	}
	if len(notes) > 0 {
		p("\n### Skipped and failed\n\n| package | benchmark | | reason |\n|---|---|---|---|\n")
		for _, n := range notes {
			p("| %s | %s | %s | %s |\n", short(n.Pkg), n.Name, n.Kind, strings.ReplaceAll(n.Text, "|", "\\|"))
		}
	}
	p("\n%s\n", endMarker)
	return b.String()
}

func writeRows(b *strings.Builder, r *Result, name string) {
	for _, u := range r.Units {
		du, s := display(u, summarize(r.Values[u]))
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", name, du, num(s.Min), num(s.Median), num(s.Max))
	}
}

func resultsOf(rs *Results, pkg string) []*Result {
	var out []*Result
	for _, r := range rs.list {
		if r.Pkg == pkg {
			out = append(out, r)
		}
	}
	return out
}

func short(pkg string) string { return strings.TrimPrefix(pkg, "github.com/marsad/marsad/") }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "**no**"
}

// splice puts section between the markers of doc (replacing what was
// there), or appends it when doc has no markers yet.
func splice(doc, section string) (string, error) {
	i := strings.Index(doc, beginMarker)
	j := strings.Index(doc, endMarker)
	switch {
	case i < 0 && j < 0:
		return strings.TrimRight(doc, "\n") + "\n\n" + section, nil
	case i < 0 || j < i:
		return "", errors.New("benchall: bench markers out of order")
	}
	return doc[:i] + strings.TrimSuffix(section, "\n") + doc[j+len(endMarker):], nil
}

func writeDoc(path, section string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("benchall: %w", err)
	}
	out, err := splice(string(b), section)
	if err != nil {
		return err
	}
	return os.WriteFile(path, []byte(out), 0o644)
}
