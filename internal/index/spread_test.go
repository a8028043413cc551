package index

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/store"
)

// Every range runs once, each worker's in increasing order, whichever
// worker gets there first.
func TestSpread(t *testing.T) {
	t.Parallel()
	s := spreader{tokens: make(chan struct{}, 1)}
	helped := 0
	for range 100 {
		// The last walk's helper may still hold its token (it gives it
		// back when it gets a core), and a walk without one runs alone.
		if !tokenBack(&s) {
			t.Fatal("the helper's token was not given back")
		}
		var mu sync.Mutex
		var got [2][]int
		s.spread(1, func() {}, func(w, k, of int) {
			if of != spreadParts {
				t.Errorf("%d ranges", of)
			}
			time.Sleep(20 * time.Microsecond) // a range takes time
			mu.Lock()
			got[w] = append(got[w], k)
			mu.Unlock()
		})
		all := append(slices.Clone(got[0]), got[1]...)
		slices.Sort(all)
		if len(all) != spreadParts || len(slices.Compact(all)) != spreadParts {
			t.Fatalf("ranges run: %v", got)
		}
		for w := range got {
			if !slices.IsSorted(got[w]) {
				t.Fatalf("worker %d's ranges out of order: %v", w, got[w])
			}
		}
		if len(got[1]) > 0 {
			helped++
		}
	}
	if helped == 0 {
		t.Fatal("the helper never took a range")
	}
	// Alone, the walk is one range.
	var ranges []int
	s.off = true
	s.spread(1, nil, func(w, k, of int) { ranges = append(ranges, w, k, of) })
	if !slices.Equal(ranges, []int{0, 0, 1}) {
		t.Errorf("alone: (worker, range, of) %v", ranges)
	}
	s.off = false
	// The helper's token is back once every walk is over (a helper that
	// started after its walk ended gives it back when it runs).
	if !tokenBack(&s) {
		t.Fatal("the helper's token was not given back")
	}
	t.Logf("the helper took part in %d of 100 walks", helped)
}

// tokenBack waits up to 10 s for s's helper token to be free.
func tokenBack(s *spreader) bool {
	for range 10000 {
		select {
		case s.tokens <- struct{}{}:
			<-s.tokens
			return true
		default:
			time.Sleep(time.Millisecond)
		}
	}
	return false
}

// spreadIndex is a random index of n documents over a small vocabulary,
// so phrases match often, with some documents replaced (dead ordinals).
func spreadIndex(r *rand.Rand, n int) (*Index, []string) {
	vocab := []string{"a", "b", "c", "d", "e", "f"}
	text := func(max int) []string {
		out := make([]string, r.IntN(max))
		for i := range out {
			out[i] = vocab[r.IntN(len(vocab))]
		}
		return out
	}
	ix := New()
	for i := range n {
		ix.Add(Doc{ID: int64(i + 1), Source: fmt.Sprint(i % 5), Time: int64(i), URLKey: fmt.Sprint(i), Title: text(4), Body: text(40)})
		if i%7 == 3 {
			ix.Add(Doc{ID: int64(i - 2), Source: "x", Time: int64(i), URLKey: fmt.Sprint(i - 3), Title: text(4), Body: text(40)})
		}
	}
	return ix, vocab
}

// A phrase walked in ranges, the ranges shared out between two sets of
// cursors in any way that keeps each set's in order, finds what one walk
// over the whole index finds.
func TestPhraseHitsRanges(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	ix, vocab := spreadIndex(r, 3000)
	cursors := func(toks []string) ([]cursor, int) {
		cs := make([]cursor, len(toks))
		lead := 0
		for i, tok := range toks {
			cs[i] = newCursor(ix.terms[tok], true)
			if cs[i].p.n < cs[lead].p.n {
				lead = i
			}
		}
		return cs, lead
	}
	found := 0
	for trial := range 200 {
		toks := make([]string, 2+trial%2)
		for i := range toks {
			toks[i] = vocab[r.IntN(len(vocab))]
		}
		title := trial%5 == 0
		cs, lead := cursors(toks)
		want, _ := phraseHits(cs, lead, 0, math.MaxInt32, title, ix.dead, hits{}, [2][]uint32{})
		var p parted
		var ws [2][]cursor
		ws[0], _ = cursors(toks)
		ws[1], _ = cursors(toks)
		var starts [2][2][]uint32
		for k := range spreadParts {
			w := r.IntN(2)
			lo, hi := rangeOf(k, spreadParts, len(ix.ids))
			i := len(p.out[w].ords)
			p.out[w], starts[w] = phraseHits(ws[w], lead, lo, hi, title, ix.dead, p.out[w], starts[w])
			p.mark(k, w, i)
		}
		got := p.join(spreadParts, func() hits { return hits{} })
		if len(want.ords) > 0 {
			found++
		}
		if !slices.Equal(got.ords, want.ords) || !slices.Equal(got.freqs, want.freqs) {
			t.Fatalf("%v (title %v): ranges found %d hits, one walk %d", toks, title, len(got.ords), len(want.ords))
		}
	}
	if found < 150 {
		t.Fatalf("only %d of 200 phrases match: the test needs more matches", found)
	}
}

// Searches give the same pages spread or not: phrases, words each walked
// where the others match, and scores.
func TestSpreadSearch(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	ix, vocab := spreadIndex(r, 3000)
	word := func() string { return vocab[r.IntN(len(vocab))] }
	for trial := range 150 {
		var q store.SearchQuery
		switch trial % 3 {
		case 0:
			ph := []string{word(), word()}
			if trial%2 == 0 {
				ph = append(ph, word())
			}
			q.Phrases = [][]string{ph}
		case 1:
			q.All = []string{word(), word(), word()}
		default:
			q.All = []string{word(), word()}
			q.Not = []store.Match{{Terms: []string{word()}}}
		}
		q.Limit, q.Collapse, q.Facets = 20, trial%2 == 0, true
		ix.spreader.off = true
		want := ix.Search(q)
		ix.spreader.off, ix.spreader.min = false, 1
		got := ix.Search(q)
		ix.spreader.min = spreadMin
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%+v: spread search differs: total %d vs %d", q, got.Total, want.Total)
		}
	}
}
