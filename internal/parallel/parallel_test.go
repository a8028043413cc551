package parallel

import (
	"sync/atomic"
	"testing"
)

// TestFor: every index runs exactly once, whatever the worker count.
func TestFor(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ n, workers int }{{0, 4}, {1, 0}, {5, 1}, {100, 3}, {7, 100}} {
		seen := make([]atomic.Int32, tc.n)
		For(tc.n, tc.workers, func(i int) { seen[i].Add(1) })
		for i := range seen {
			if got := seen[i].Load(); got != 1 {
				t.Errorf("n=%d workers=%d: index %d ran %d times", tc.n, tc.workers, i, got)
			}
		}
	}
}
