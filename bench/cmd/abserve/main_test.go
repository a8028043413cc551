package main

import (
	"testing"
	"time"
)

func TestSummarize(t *testing.T) {
	t.Parallel()
	ms := time.Millisecond
	for _, c := range []struct {
		name        string
		a, b        []time.Duration
		p50         [2]time.Duration
		ratio       float64
		faster      float64
		ratioOfMean float64
	}{
		{"b twice as fast", []time.Duration{2 * ms, 4 * ms, 6 * ms}, []time.Duration{1 * ms, 2 * ms, 3 * ms}, [2]time.Duration{4 * ms, 2 * ms}, 0.5, 1, 0.5},
		{"mixed", []time.Duration{1 * ms, 3 * ms, 5 * ms, 7 * ms}, []time.Duration{2 * ms, 2 * ms, 6 * ms, 6 * ms}, [2]time.Duration{5 * ms, 6 * ms}, 1.2, 0.5, 1},
		{"b has an extra sample, ignored", []time.Duration{2 * ms}, []time.Duration{2 * ms, 100 * ms}, [2]time.Duration{2 * ms, 2 * ms}, 1, 0, 1},
	} {
		s := summarize(c.a, c.b)
		if s.p50 != c.p50 || s.ratioP50 != c.ratio || s.bFaster != c.faster || s.ratioMean != c.ratioOfMean {
			t.Errorf("%s: %+v", c.name, s)
		}
	}
	if s := summarize(nil, nil); s.ratioP50 != 0 {
		t.Errorf("empty: %+v", s)
	}
}
