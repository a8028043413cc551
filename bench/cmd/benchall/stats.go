package main

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Summary is min, median and max of a figure's runs.
type Summary struct {
	Min, Median, Max float64
	N                int
}

func summarize(vs []float64) Summary {
	if len(vs) == 0 {
		return Summary{}
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return Summary{Min: s[0], Median: med, Max: s[len(s)-1], N: len(s)}
}

// Direction says which way a unit is better.
type Direction int

const (
	// Neutral units (counts such as terms/op) get no ratio.
	Neutral Direction = iota
	Lower
	Higher
)

// direction classifies a unit by the conventions of marsad's benchmarks:
// times (ns/op, ns/page, p50-ms, …) and sizes (B/op, allocs/op, store-MB,
// RSS-MiB) are better lower; rates (…/s) better higher. Quality scores
// (F1, precision, recall, …) are compared side by side, not as ratios.
func direction(unit string) Direction {
	u := strings.ToLower(unit)
	switch {
	case strings.HasSuffix(u, "/s"), strings.HasSuffix(u, "/cpu-s"):
		return Higher
	case strings.HasPrefix(u, "ns/"), strings.HasSuffix(u, "-ms"), strings.HasSuffix(u, "-s"), u == "ms", u == "s",
		u == "b/op", u == "allocs/op", strings.HasSuffix(u, "-mb"), strings.HasSuffix(u, "-mib"), strings.HasSuffix(u, "-bytes"):
		return Lower
	}
	return Neutral
}

// advantage is how many times better marsad's value is than the peer's
// (> 1: marsad better), or NaN when the unit has no direction.
func advantage(unit string, marsad, peer float64) float64 {
	switch direction(unit) {
	case Higher:
		return marsad / peer
	case Lower:
		return peer / marsad
	}
	return math.NaN()
}

// Comparison is marsad against one peer in one benchmark, for one unit:
// advantages are paired run by run (run i of both in the same go test).
type Comparison struct {
	Pkg, Bench, Peer, Unit string
	Marsad, PeerVal        Summary
	Advantage              Summary
}

// comparisons finds sub-benchmarks .../marsad with siblings (the peers) in
// the same package and compares every unit with a direction both report.
func comparisons(rs *Results) []Comparison {
	var out []Comparison
	for _, m := range rs.list {
		parent, ok := strings.CutSuffix(m.Name, "/marsad")
		if !ok {
			continue
		}
		for _, p := range rs.list {
			peer, ok := strings.CutPrefix(p.Name, parent+"/")
			if !ok || p.Pkg != m.Pkg || peer == "marsad" || strings.Contains(peer, "/") {
				continue
			}
			for _, u := range m.Units {
				pv, ok := p.Values[u]
				if !ok || direction(u) == Neutral || u == "ns/op" && hasCustom(m, p) {
					continue
				}
				mv := m.Values[u]
				var adv []float64
				for i := range min(len(mv), len(pv)) {
					if a := advantage(u, mv[i], pv[i]); !math.IsNaN(a) && !math.IsInf(a, 0) {
						adv = append(adv, a)
					}
				}
				out = append(out, Comparison{Pkg: m.Pkg, Bench: parent, Peer: peer, Unit: u,
					Marsad: summarize(mv), PeerVal: summarize(pv), Advantage: summarize(adv)})
			}
		}
	}
	return out
}

// num formats a figure with three significant digits (no exponent for
// ordinary magnitudes).
func num(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsNaN(v):
		return "–"
	case a == 0:
		return "0"
	case a >= 1e15 || a < 1e-4:
		return fmt.Sprintf("%.3g", v)
	case a >= 100:
		return commas(fmt.Sprintf("%.0f", v))
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	case a >= 1:
		return fmt.Sprintf("%.2f", v)
	case a >= 0.001:
		return fmt.Sprintf("%.3f", v)
	}
	return fmt.Sprintf("%.3g", v)
}

func commas(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// display turns ns-based units into readable ones (ns/op → ms/op or s/op),
// scaled for s's median.
func display(unit string, s Summary) (string, Summary) {
	u, scale := displayUnit(unit, s.Median)
	return u, scaled(s, scale)
}

func displayUnit(unit string, median float64) (string, float64) {
	rest, ok := strings.CutPrefix(unit, "ns/")
	if !ok {
		return unit, 1
	}
	switch {
	case median >= 1e9:
		return "s/" + rest, 1e9
	case median < 1e4:
		return "µs/" + rest, 1e3
	}
	return "ms/" + rest, 1e6
}

func scaled(s Summary, by float64) Summary {
	return Summary{Min: s.Min / by, Median: s.Median / by, Max: s.Max / by, N: s.N}
}

// hasCustom reports whether both results share a directional unit besides
// ns/op: then ns/op (the time of one whole op) repeats that figure's ratio.
func hasCustom(a, b *Result) bool {
	for _, u := range a.Units {
		if _, ok := b.Values[u]; ok && u != "ns/op" && direction(u) != Neutral {
			return true
		}
	}
	return false
}
