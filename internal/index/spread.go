package index

import (
	"runtime"
	"sync/atomic"
)

// A phrase's walk over its tokens' postings, a search's longest, is cut
// into spreadParts ranges of the document ordinals, claimed in order by
// the searching goroutine and, when a core is free, one helper. The
// helper is started when the walk begins and joins whenever it gets a
// core: on a virtual machine that can take 100–200 µs, so a fixed half
// for it would leave the searcher waiting; here the searcher takes the
// ranges the helper has not reached and waits only for a range the helper
// has begun. Each range's results are kept apart and joined in range
// order, so the outcome is the one walk's.
const spreadParts = 16

// spreadMin is the fewest documents a walk is spread for: below it the
// helper's start costs more than it can save. (Spreading a word's seeks
// into the documents the other words match, or the scoring, made the
// word searches slower end to end; docs/benchmarks.md.)
const spreadMin = 4096

// spreader lends helper cores to searches: a token per core beyond the
// searcher's own (GOMAXPROCS − 1). With none free (other searches hold
// them) a search walks alone, so concurrent searches do not pile up more
// goroutines than cores.
type spreader struct {
	tokens chan struct{}
	// min is the fewest documents spread (spreadMin; tests lower it);
	// off: never spread.
	min int
	off bool
}

func newSpreader() spreader {
	return spreader{tokens: make(chan struct{}, max(0, runtime.GOMAXPROCS(0)-1)), min: spreadMin}
}

// walk is one spread walk: part(w, k, of) runs for every range k of the
// of ranges, once, by worker w (0 the searcher, 1 the helper); each
// worker's ranges come in increasing order.
type walk struct {
	next, done atomic.Int32
	// finished is closed by whichever worker completes the last range.
	finished chan struct{}
}

// spread runs part over the ranges of a walk over n documents: with a
// helper, spreadParts ranges, when n is large enough and a core is free;
// else one range, the whole walk, on this goroutine. setup runs on the
// helper (as worker 1) before its first range, only if it gets one.
// It returns the number of ranges.
func (s *spreader) spread(n int, setup func(), part func(w, k, of int)) int {
	if n < s.min || s.off {
		part(0, 0, 1)
		return 1
	}
	select {
	case s.tokens <- struct{}{}:
	default:
		part(0, 0, 1)
		return 1
	}
	wk := &walk{finished: make(chan struct{})}
	run := func(w int, setup func()) {
		for {
			k := int(wk.next.Add(1)) - 1
			if k >= spreadParts {
				return
			}
			if setup != nil {
				setup()
				setup = nil
			}
			part(w, k, spreadParts)
			if wk.done.Add(1) == spreadParts {
				close(wk.finished)
			}
		}
	}
	// The helper touches nothing of the search's until it has claimed a
	// range, so it may start after the walk is over.
	go func() {
		defer func() { <-s.tokens }()
		run(1, setup)
	}()
	run(0, nil)
	<-wk.finished
	return spreadParts
}

// rangeOf is range k of of in [0, n).
func rangeOf(k, of, n int) (lo, hi int32) {
	return int32(k * n / of), int32((k + 1) * n / of)
}

// parted collects a spread walk's hits: each worker appends to its own
// lists, and each range records where its hits lie, to be joined in
// range order.
type parted struct {
	out  [2]hits
	from [spreadParts]struct{ w, i, j int32 }
}

// mark records that range k's hits are worker w's from index i on, up to
// its current length.
func (p *parted) mark(k, w, i int) {
	p.from[k] = struct{ w, i, j int32 }{int32(w), int32(i), int32(len(p.out[w].ords))}
}

// join returns the hits of every range of of, in range order: the
// searcher's list when it walked every range, else a list from alloc
// holding them all.
func (p *parted) join(of int, alloc func() hits) hits {
	alone := true
	for _, f := range p.from[:of] {
		alone = alone && f.w == 0
	}
	if alone {
		return p.out[0]
	}
	h := alloc()
	for _, f := range p.from[:of] {
		o := &p.out[f.w]
		h.ords = append(h.ords, o.ords[f.i:f.j]...)
		h.freqs = append(h.freqs, o.freqs[f.i:f.j]...)
	}
	return h
}
