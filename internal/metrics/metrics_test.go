package metrics

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
)

func scrape(t *testing.T, r *Registry) string {
	t.Helper()
	rec := httptest.NewRecorder()
	r.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	b, _ := io.ReadAll(rec.Body)
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("content type %q", ct)
	}
	return string(b)
}

func TestExposition(t *testing.T) {
	t.Parallel()
	r := NewRegistry()
	c := r.NewCounter("marsad_fetches_total", "Fetches by status.", "status")
	c.Inc("200")
	c.Inc("200")
	c.Add(3, `we"ird`)
	h := r.NewHistogram("marsad_http_request_seconds", "Latency.", []float64{0.1, 0.01}, "route")
	h.Observe(0.005, "GET /")
	h.Observe(0.05, "GET /")
	h.Observe(5, "GET /")
	r.GaugeFunc("marsad_articles", "Stored articles.", func(context.Context) (float64, error) { return 42, nil })
	r.GaugeFunc("marsad_broken", "Fails.", func(context.Context) (float64, error) { return 0, errors.New("db down") })
	got := scrape(t, r)
	for _, want := range []string{
		"# TYPE marsad_fetches_total counter\n",
		`marsad_fetches_total{status="200"} 2` + "\n",
		`marsad_fetches_total{status="we\"ird"} 3` + "\n",
		`marsad_http_request_seconds_bucket{route="GET /",le="0.01"} 1` + "\n",
		`marsad_http_request_seconds_bucket{route="GET /",le="0.1"} 2` + "\n",
		`marsad_http_request_seconds_bucket{route="GET /",le="+Inf"} 3` + "\n",
		`marsad_http_request_seconds_count{route="GET /"} 3` + "\n",
		`marsad_http_request_seconds_sum{route="GET /"} 5.055` + "\n",
		"marsad_articles 42\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "marsad_broken") {
		t.Errorf("a failing gauge should be omitted:\n%s", got)
	}
}

func TestDuplicatePanics(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("registering a name twice should panic")
		}
	}()
	r := NewRegistry()
	r.NewCounter("x", "x")
	r.NewCounter("x", "x")
}

func TestLabelEscaping(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"GET /{$}", `{route="GET /{$}"}`},
		{`a"b\c` + "\nd", `{route="a\"b\\c\nd"}`},
	} {
		if got := key([]string{"route"}, []string{tt.in}); got != tt.want {
			t.Errorf("key(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
