package arabic

import (
	"strings"
	"testing"
	"time"
)

// Runs of characters that could start special tokens at every position
// are scanned in linear time.
func TestNoQuadraticScan(t *testing.T) {
	t.Parallel()
	a := New()
	// best is the fastest of a few runs: a loaded machine (CI runs
	// packages side by side) only ever adds time, in spikes.
	best := func(s string) time.Duration {
		b := time.Duration(1<<63 - 1)
		for range 7 {
			start := time.Now()
			a.Terms(nil, s)
			b = min(b, time.Since(start))
		}
		return b
	}
	for _, unit := range []string{"a.", "a@", "h", "www", "#", "1,", "@a"} {
		// 16× the input: linear is 16× the time, quadratic 256×. The
		// sizes stay within the caches (at 64k units the time per unit
		// grows about 3× from cache misses alone). Allow 64×, and
		// measure again before failing.
		small, big := strings.Repeat(unit, 1<<10), strings.Repeat(unit, 1<<14)
		var ts, tb time.Duration
		ok := false
		for range 3 {
			ts, tb = best(small), best(big)
			if ok = tb <= 64*ts; ok {
				break
			}
		}
		if !ok {
			t.Errorf("%q×%d took %s, ×%d took %s: superlinear", unit, 1<<10, ts, 1<<14, tb)
		}
	}
}
