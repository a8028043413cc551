// Package parallel runs a loop's iterations on a bounded number of
// goroutines: the per-article work of a batch (analysis, fingerprints).
package parallel

import "sync"

// For runs fn(0) … fn(n-1) on at most workers goroutines (at least one),
// worker w taking w, w+workers, …, and returns when all are done.
func For(n, workers int, fn func(int)) {
	workers = max(1, min(workers, n))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				fn(i)
			}
		})
	}
	wg.Wait()
}
