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
	for _, unit := range []string{"a.", "a@", "h", "www", "#", "1,", "@a"} {
		small, big := strings.Repeat(unit, 1<<12), strings.Repeat(unit, 1<<16)
		start := time.Now()
		a.Terms(nil, small)
		ts := time.Since(start)
		start = time.Now()
		a.Terms(nil, big)
		tb := time.Since(start)
		// 16× the input; allow a generous 100× (noisy shared machine) but not 256×.
		if tb > 100*ts+50*time.Millisecond {
			t.Errorf("%q×%d took %s, ×%d took %s: superlinear", unit, 1<<12, ts, 1<<16, tb)
		}
	}
}
