// Package promtext reads gauges from a marsad server's /metrics page, for
// the benchmark commands that wait for serve's background loads.
package promtext

import (
	"io"
	"net/http"
	"strconv"
	"strings"
)

// Value returns the value of the unlabelled metric name in the
// Prometheus text body, and whether body has it.
func Value(body, name string) (float64, bool) {
	for line := range strings.Lines(body) {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return f, err == nil
		}
	}
	return 0, false
}

// Get reads base's /metrics page.
func Get(base string) (string, error) {
	res, err := http.Get(base + "/metrics")
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return string(b), err
}
