// Package metrics is a small Prometheus text-format registry: counters and
// histograms with labels, and gauges read on scrape. marsad needs only these,
// so it does not take on client_golang's dependency tree. A Registry is
// passed to whoever records; there is no global default.
package metrics

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Registry holds metrics and renders them.
type Registry struct {
	mu      sync.Mutex
	metrics []metric
	names   map[string]bool
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{names: map[string]bool{}} }

type metric interface {
	write(ctx context.Context, b *bytes.Buffer)
}

func (r *Registry) add(name string, m metric) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.names[name] {
		panic("metrics: duplicate metric " + name) // a wiring bug, caught by any test that builds the app
	}
	r.names[name] = true
	r.metrics = append(r.metrics, m)
}

// Counter is a monotonically increasing count per label values.
type Counter struct {
	name, help string
	labels     []string
	mu         sync.Mutex
	values     map[string]float64
}

// NewCounter registers a counter with the given label names.
func (r *Registry) NewCounter(name, help string, labels ...string) *Counter {
	c := &Counter{name: name, help: help, labels: labels, values: map[string]float64{}}
	r.add(name, c)
	return c
}

// Add adds v (≥ 0) for the label values, given in the order of the names.
func (c *Counter) Add(v float64, labelValues ...string) {
	k := key(c.labels, labelValues)
	c.mu.Lock()
	c.values[k] += v
	c.mu.Unlock()
}

// Inc adds one.
func (c *Counter) Inc(labelValues ...string) { c.Add(1, labelValues...) }

func (c *Counter) write(_ context.Context, b *bytes.Buffer) {
	header(b, c.name, c.help, "counter")
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range sortedKeys(c.values) {
		fmt.Fprintf(b, "%s%s %s\n", c.name, k, num(c.values[k]))
	}
}

// GaugeFunc registers a gauge whose value is read at scrape time; an error
// omits the sample (the scrape still succeeds).
func (r *Registry) GaugeFunc(name, help string, fn func(ctx context.Context) (float64, error)) {
	r.add(name, &gaugeFunc{name: name, help: help, fn: fn})
}

type gaugeFunc struct {
	name, help string
	fn         func(ctx context.Context) (float64, error)
}

func (g *gaugeFunc) write(ctx context.Context, b *bytes.Buffer) {
	v, err := g.fn(ctx)
	if err != nil {
		return
	}
	header(b, g.name, g.help, "gauge")
	fmt.Fprintf(b, "%s %s\n", g.name, num(v))
}

// Histogram counts observations into cumulative buckets per label values.
type Histogram struct {
	name, help string
	labels     []string
	buckets    []float64
	mu         sync.Mutex
	series     map[string]*histSeries
}

type histSeries struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	count  uint64
}

// NewHistogram registers a histogram with upper bounds buckets (sorted).
func (r *Registry) NewHistogram(name, help string, buckets []float64, labels ...string) *Histogram {
	h := &Histogram{name: name, help: help, labels: labels, buckets: slices.Sorted(slices.Values(buckets)), series: map[string]*histSeries{}}
	r.add(name, h)
	return h
}

// Observe records v for the label values.
func (h *Histogram) Observe(v float64, labelValues ...string) {
	k := key(h.labels, labelValues)
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.series[k]
	if s == nil {
		s = &histSeries{counts: make([]uint64, len(h.buckets))}
		h.series[k] = s
	}
	if i, _ := slices.BinarySearch(h.buckets, v); i < len(h.buckets) {
		s.counts[i]++
	}
	s.sum += v
	s.count++
}

func (h *Histogram) write(_ context.Context, b *bytes.Buffer) {
	header(b, h.name, h.help, "histogram")
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, k := range sortedKeys(h.series) {
		s := h.series[k]
		var cum uint64
		for i, ub := range h.buckets {
			cum += s.counts[i]
			fmt.Fprintf(b, "%s_bucket%s %d\n", h.name, withLabel(k, "le", num(ub)), cum)
		}
		fmt.Fprintf(b, "%s_bucket%s %d\n", h.name, withLabel(k, "le", "+Inf"), s.count)
		fmt.Fprintf(b, "%s_sum%s %s\n", h.name, k, num(s.sum))
		fmt.Fprintf(b, "%s_count%s %d\n", h.name, k, s.count)
	}
}

// DefBuckets suit request latencies in seconds.
var DefBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// Handler serves the registry in the Prometheus text format.
func (r *Registry) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ctx, cancel := context.WithTimeout(req.Context(), 5*time.Second)
		defer cancel()
		var b bytes.Buffer
		r.mu.Lock()
		ms := slices.Clone(r.metrics)
		r.mu.Unlock()
		for _, m := range ms {
			m.write(ctx, &b)
		}
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		w.Write(b.Bytes())
	})
}

func header(b *bytes.Buffer, name, help, typ string) {
	fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s %s\n", name, strings.ReplaceAll(help, "\n", " "), name, typ)
}

// key renders label pairs as the exposition format's {a="x",b="y"}.
func key(names, values []string) string {
	if len(names) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, n := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		v := ""
		if i < len(values) {
			v = values[i]
		}
		b.WriteString(n)
		b.WriteString(`="`)
		// Label values rarely need escaping; building a Replacer per call
		// was a third of a cached page's CPU time.
		if strings.ContainsAny(v, "\\\"\n") {
			v = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(v)
		}
		b.WriteString(v)
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

func withLabel(k, name, value string) string {
	pair := name + `="` + value + `"`
	if k == "" {
		return "{" + pair + "}"
	}
	return k[:len(k)-1] + "," + pair + "}"
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func num(v float64) string {
	if math.IsInf(v, 1) {
		return "+Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
