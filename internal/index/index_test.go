package index

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/store"
)

func TestPostingsRoundTrip(t *testing.T) {
	t.Parallel()
	type doc struct {
		ord         int32
		title, body []uint32
	}
	docs := []doc{
		{0, []uint32{0}, nil},
		{3, nil, []uint32{1, 5, 200, 100000}},
		{4, []uint32{2, 3}, []uint32{0}},
		{5, []uint32{0, 1, 2, 3, 4, 5, 6}, nil}, // counts beyond one byte
		{6, nil, []uint32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31}},
		{7, []uint32{0, 1, 2, 3, 4, 5}, []uint32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30}},
		{70000, nil, []uint32{7}},
	}
	var p postings
	for _, d := range docs {
		p.add(d.ord, d.title, d.body)
	}
	// Reading positions of some documents only must not lose the others.
	for _, readPos := range []bool{true, false} {
		c := newCursor(&p, true)
		var got []doc
		var tb, bb []uint32
		for i := 0; c.next(); i++ {
			d := doc{ord: c.ord}
			if readPos || i%2 == 1 {
				tb, bb = c.positions(tb, bb)
				d.title, d.body = slices.Clone(tb), slices.Clone(bb)
				if len(d.title) == 0 {
					d.title = nil
				}
				if len(d.body) == 0 {
					d.body = nil
				}
			} else {
				d.title, d.body = docs[i].title, docs[i].body
			}
			if int(c.tT) != len(docs[i].title) || int(c.tB) != len(docs[i].body) {
				t.Errorf("doc %d: counts %d/%d", c.ord, c.tT, c.tB)
			}
			got = append(got, d)
		}
		if !reflect.DeepEqual(got, docs) {
			t.Errorf("readPos=%v: got %v, want %v", readPos, got, docs)
		}
	}
	c := newCursor(&p, false)
	if !c.seek(4) || c.ord != 4 || !c.seek(8) || c.ord != 70000 || c.seek(70001) {
		t.Errorf("seek: at %d", c.ord)
	}
}

// TestCursorBlocks walks a long list (many blocks, wide gaps, counts that
// do not fit the packed byte) reading the positions of some documents and
// seeking over others, against the documents as added.
func TestCursorBlocks(t *testing.T) {
	t.Parallel()
	type doc struct {
		ord         int32
		title, body []uint32
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var docs []doc
	var p postings
	ord := int32(0)
	for range 1000 {
		ord += 1 + rng.Int32N(3)
		if rng.IntN(50) == 0 {
			ord += 300 // a delta of two bytes
		}
		d := doc{ord: ord}
		for col, n := range [2]int{rng.IntN(3), rng.IntN(40)} {
			at := uint32(0)
			for range n {
				at += 1 + uint32(rng.IntN(400))
				if col == 0 {
					d.title = append(d.title, at)
				} else {
					d.body = append(d.body, at)
				}
			}
		}
		docs = append(docs, d)
		p.add(d.ord, d.title, d.body)
	}
	for _, seed := range []uint64{1, 2, 3} {
		rng := rand.New(rand.NewPCG(seed, 0))
		c := newCursor(&p, true)
		var tb, bb []uint32
		for i := 0; i < len(docs); {
			if rng.IntN(4) == 0 { // seek some documents ahead
				i = min(len(docs)-1, i+rng.IntN(200))
				if !c.seek(docs[i].ord) {
					t.Fatalf("seed %d: seek %d failed", seed, docs[i].ord)
				}
			} else if !c.next() {
				t.Fatalf("seed %d: list ended before document %d", seed, i)
			}
			d := docs[i]
			if c.ord != d.ord || int(c.tT) != len(d.title) || int(c.tB) != len(d.body) {
				t.Fatalf("seed %d: document %d: at %d with %d/%d, want %d with %d/%d", seed, i, c.ord, c.tT, c.tB, d.ord, len(d.title), len(d.body))
			}
			if rng.IntN(3) == 0 {
				tb, bb = c.positions(tb, bb)
				if !slices.Equal(tb, d.title) || !slices.Equal(bb, d.body) {
					t.Fatalf("seed %d: document %d: positions %v %v, want %v %v", seed, i, tb, bb, d.title, d.body)
				}
			}
			i++
		}
		if c.next() {
			t.Errorf("seed %d: a document after the last: %d", seed, c.ord)
		}
	}
}

func TestForTokens(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"الرياض", []string{"الرياض"}},
		{"user@example.com", []string{"user", "example", "com"}},
		{"3.5", []string{"3", "5"}},
		{"#هاشتاق", []string{"هاشتاق"}},
		{"NEAR", []string{"near"}},
		{"***", nil},
		{"a_b", []string{"a", "b"}},
	} {
		var got []string
		forTokens(c.in, func(s string) { got = append(got, s) })
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPhraseCount(t *testing.T) {
	t.Parallel()
	pos := func(cols ...[]uint32) [2][]uint32 { return [2][]uint32{cols[0], cols[1]} }
	for _, c := range []struct {
		name string
		pos  [][2][]uint32
		want [2]uint32
	}{
		{"adjacent in both columns", [][2][]uint32{pos([]uint32{0, 4}, []uint32{2}), pos([]uint32{1}, []uint32{3})}, [2]uint32{1, 1}},
		{"gap", [][2][]uint32{pos([]uint32{0}, nil), pos([]uint32{2}, nil)}, [2]uint32{0, 0}},
		{"overlapping a a in a a a", [][2][]uint32{pos(nil, []uint32{0, 1, 2}), pos(nil, []uint32{0, 1, 2})}, [2]uint32{0, 2}},
		{"three tokens", [][2][]uint32{pos(nil, []uint32{1, 9}), pos(nil, []uint32{2, 10}), pos(nil, []uint32{3, 12})}, [2]uint32{0, 1}},
		{"second token absent in the title", [][2][]uint32{pos([]uint32{0}, []uint32{5, 300}), pos(nil, []uint32{6, 301, 302})}, [2]uint32{0, 2}},
		{"second candidate start", [][2][]uint32{pos(nil, []uint32{1, 9}), pos(nil, []uint32{5, 10})}, [2]uint32{0, 1}},
		{"interleaved, no instance", [][2][]uint32{pos(nil, []uint32{1, 9, 20}), pos(nil, []uint32{5, 11, 22})}, [2]uint32{0, 0}},
		{"third token out of place first", [][2][]uint32{pos(nil, []uint32{1, 7}), pos(nil, []uint32{2, 8}), pos(nil, []uint32{4, 9})}, [2]uint32{0, 1}},
		{"overlapping a a a in a a a a", [][2][]uint32{pos([]uint32{0, 1, 2, 3}, nil), pos([]uint32{0, 1, 2, 3}, nil), pos([]uint32{0, 1, 2, 3}, nil)}, [2]uint32{2, 0}},
		{"long gaps (two-byte deltas)", [][2][]uint32{pos(nil, []uint32{130, 20000}), pos(nil, []uint32{131, 20001})}, [2]uint32{0, 2}},
	} {
		// Each token's postings hold a document before this one, whose
		// positions the cursors skip, and one after, whose positions they
		// read next. Two tokens go through pairFreq and phraseFreq both.
		for _, titleOnly := range []bool{false, true} {
			for _, pair := range []bool{false, true} {
				if pair && len(c.pos) != 2 {
					continue
				}
				cs := phraseCursors(t, c.pos)
				var nT, nB uint32
				if pair {
					nT, nB = pairFreq(&cs[0], &cs[1], titleOnly)
				} else {
					_, nT, nB = phraseFreq(cs, [2][]uint32{}, titleOnly)
				}
				want := c.want
				if titleOnly {
					want[1] = 0
				}
				if got := [2]uint32{nT, nB}; got != want {
					t.Errorf("%s (title only %v, pair %v): %v, want %v", c.name, titleOnly, pair, got, want)
				}
				checkNext(t, cs)
			}
		}
	}
}

// phraseCursors puts a cursor per token on document 5, whose positions
// are pos[token] (title, body), between documents 1 and 9.
func phraseCursors(t *testing.T, pos [][2][]uint32) []cursor {
	t.Helper()
	cs := make([]cursor, len(pos))
	for i, ps := range pos {
		p := &postings{}
		p.add(1, []uint32{0, 7}, []uint32{3, 200, 9000})
		p.add(5, ps[0], ps[1])
		p.add(9, []uint32{uint32(i)}, []uint32{40, 41 + uint32(i)})
		cs[i] = newCursor(p, true)
		if !cs[i].seek(5) {
			t.Fatalf("token %d: no document 5", i)
		}
	}
	return cs
}

// checkNext: after a phrase count the cursors read document 9's positions.
func checkNext(t *testing.T, cs []cursor) {
	t.Helper()
	for i := range cs {
		if !cs[i].seek(9) {
			t.Fatalf("token %d: no document 9", i)
		}
		if ti, bo := cs[i].positions(nil, nil); !slices.Equal(ti, []uint32{uint32(i)}) || !slices.Equal(bo, []uint32{40, 41 + uint32(i)}) {
			t.Errorf("token %d: the next document's positions are %v %v", i, ti, bo)
		}
	}
}

// FuzzPhraseFreq: the filter (any number of tokens) and the two-token
// merge count what a brute-force count of the positions gives, for two
// and three tokens, and leave the cursors ready for the next document.
func FuzzPhraseFreq(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 0x84, 0x85, 9, 10}, false, uint8(2))
	f.Add([]byte{1, 1, 2, 2, 3, 3, 200, 201}, true, uint8(2))
	f.Add([]byte{1, 2, 3, 9, 10, 12, 0x81, 0x82, 0x83}, false, uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, titleOnly bool, n uint8) {
		n = 2 + n%2
		// Each byte is a position (low 6 bits, so the tokens meet often)
		// of token i%n, in the title when its top bit is set.
		pos := make([][2][]uint32, n)
		for i, x := range data {
			col := 1
			if x&0x80 != 0 {
				col = 0
			}
			pos[i%int(n)][col] = append(pos[i%int(n)][col], uint32(x&0x3f))
		}
		for i := range pos {
			for col := range 2 {
				slices.Sort(pos[i][col])
				pos[i][col] = slices.Compact(pos[i][col])
			}
		}
		var want [2]uint32
		for col := range 2 {
			for _, s := range pos[0][col] {
				in := true
				for tok := 1; tok < int(n); tok++ {
					in = in && slices.Contains(pos[tok][col], s+uint32(tok))
				}
				if in {
					want[col]++
				}
			}
		}
		if titleOnly {
			want[1] = 0
		}
		cs := phraseCursors(t, pos)
		if _, nT, nB := phraseFreq(cs, [2][]uint32{}, titleOnly); [2]uint32{nT, nB} != want {
			t.Fatalf("phraseFreq %d/%d, want %v", nT, nB, want)
		}
		checkNext(t, cs)
		if n == 2 {
			cs := phraseCursors(t, pos)
			if nT, nB := pairFreq(&cs[0], &cs[1], titleOnly); [2]uint32{nT, nB} != want {
				t.Fatalf("pairFreq %d/%d, want %v", nT, nB, want)
			}
			checkNext(t, cs)
		}
	})
}

func words(s string) []string { return strings.Fields(s) }

// A small index where results can be checked by hand.
func TestSearch(t *testing.T) {
	t.Parallel()
	day := int64(86400)
	ix := New()
	ix.Add(
		Doc{ID: 1, Source: "a", Time: 10 * day, URLKey: "k1", Title: words("نفط خام"), Body: words("اسعار نفط ترتفع")},
		Doc{ID: 2, Source: "b", Time: 11 * day, URLKey: "k2", Title: words("ذهب"), Body: words("نفط ذهب")},
		Doc{ID: 3, Group: 1, Source: "b", Time: 12 * day, URLKey: "k3", Title: words("نفط خام"), Body: words("اسعار نفط ترتفع")},
		Doc{ID: 4, Source: "a", Time: 12*day + 100, URLKey: "k4", Title: words("طقس"), Body: words("امطار غزيرة")},
	)
	ids := func(p store.SearchPage) []int64 {
		var out []int64
		for _, h := range p.Hits {
			out = append(out, h.Article.ID)
		}
		return out
	}
	for _, c := range []struct {
		name  string
		q     store.SearchQuery
		want  []int64
		total int
	}{
		{"word, title ranks first, ties by URL key", store.SearchQuery{All: []string{"نفط"}}, []int64{1, 3, 2}, 3},
		{"collapsed: the original shows with its copy counted", store.SearchQuery{All: []string{"نفط"}, Collapse: true}, []int64{1, 2}, 3},
		{"phrase", store.SearchQuery{Phrases: [][]string{{"اسعار", "نفط"}}}, []int64{1, 3}, 2},
		{"phrase across columns does not match", store.SearchQuery{Phrases: [][]string{{"خام", "اسعار"}}}, nil, 0},
		{"title only", store.SearchQuery{TitleTerms: []string{"ذهب"}}, []int64{2}, 1},
		{"not", store.SearchQuery{All: []string{"نفط"}, Not: []store.Match{{Terms: []string{"ذهب"}}}}, []int64{1, 3}, 2},
		{"or", store.SearchQuery{Any: [][]store.Match{{{Terms: []string{"ذهب"}}, {Terms: []string{"امطار"}}}}}, []int64{2, 4}, 2},
		{"source", store.SearchQuery{All: []string{"نفط"}, SourceIDs: []string{"b"}}, []int64{3, 2}, 2},
		{"from/to", store.SearchQuery{All: []string{"نفط"}, From: time.Unix(11*day, 0), To: time.Unix(12*day, 0)}, []int64{2}, 1},
		{"by date", store.SearchQuery{All: []string{"نفط"}, ByDate: true}, []int64{3, 2, 1}, 3},
		{"offset", store.SearchQuery{All: []string{"نفط"}, Offset: 1, Limit: 1}, []int64{3}, 3},
		{"unknown word", store.SearchQuery{All: []string{"فضة"}}, nil, 0},
	} {
		p := ix.Search(c.q)
		if got := ids(p); !reflect.DeepEqual(got, c.want) || p.Total != c.total {
			t.Errorf("%s: %v (total %d), want %v (total %d)", c.name, got, p.Total, c.want, c.total)
		}
	}
	p := ix.Search(store.SearchQuery{All: []string{"نفط"}, Collapse: true, Facets: true})
	if p.Hits[0].Copies != 1 || p.Hits[1].Copies != 0 {
		t.Errorf("copies: %+v", p.Hits)
	}
	wantSrc := []store.SourceFacet{{Source: "b", Count: 2}, {Source: "a", Count: 1}}
	wantDays := []store.DayCount{{Day: "1970-01-11", Count: 1}, {Day: "1970-01-12", Count: 1}, {Day: "1970-01-13", Count: 1}}
	if !reflect.DeepEqual(p.Sources, wantSrc) || !reflect.DeepEqual(p.Days, wantDays) {
		t.Errorf("facets: %v %v", p.Sources, p.Days)
	}

	// Changes: a replaced document matches by its new text only, a
	// regrouped one collapses with its new group, a removed one is gone.
	ix.Add(Doc{ID: 2, Source: "b", Time: 11 * day, URLKey: "k2", Title: words("ذهب"), Body: words("فضة")})
	ix.SetGroup(3, 3)
	if got := ids(ix.Search(store.SearchQuery{All: []string{"نفط"}, Collapse: true})); !reflect.DeepEqual(got, []int64{1, 3}) {
		t.Errorf("after changes: %v", got)
	}
	ix.Remove(1)
	if got := ids(ix.Search(store.SearchQuery{All: []string{"نفط"}})); !reflect.DeepEqual(got, []int64{3}) || ix.Len() != 3 {
		t.Errorf("after removal: %v, %d live", got, ix.Len())
	}
}

// FuzzSkipVarints: the word-at-a-time skip lands where one varint at a
// time does.
func FuzzSkipVarints(f *testing.F) {
	f.Add([]byte{1, 0x81, 2, 0xff, 0xff, 3, 4, 5, 6, 7, 8, 9, 10, 0x80, 1, 11, 12}, uint8(9))
	f.Fuzz(func(t *testing.T, b []byte, n uint8) {
		ends := 0
		for _, x := range b {
			if x < 0x80 {
				ends++
			}
		}
		k := int(n) % (ends + 1)
		want := 0
		for left := k; left > 0; want++ {
			if b[want] < 0x80 {
				left--
			}
		}
		if got := skipVarints(b, 0, k); got != want {
			t.Fatalf("skipVarints(%x, 0, %d) = %d, want %d", b, k, got, want)
		}
	})
}

// FuzzUvarint: the fast paths decode as encoding/binary does.
func FuzzUvarint(f *testing.F) {
	f.Add([]byte{0x05})
	f.Add([]byte{0x85, 0x02})
	f.Add([]byte{0xff, 0xff, 0x03})
	f.Add([]byte{0x80})
	f.Fuzz(func(t *testing.T, b []byte) {
		want, n := binary.Uvarint(b)
		if n <= 0 || want > math.MaxUint32 {
			return // not a varint the postings hold
		}
		if got, i := uvarint(b, 0); uint64(got) != want || i != n {
			t.Fatalf("uvarint(%x) = %d, %d; want %d, %d", b, got, i, want, n)
		}
	})
}

// FuzzPack: 64 values packed at their width unpack to themselves, whether
// the packed bytes end the buffer (the padded path) or more follow.
func FuzzPack(f *testing.F) {
	f.Add([]byte{1, 2, 3}, uint32(0), false)
	f.Add([]byte{0xff, 0x10}, uint32(math.MaxUint32), true)
	f.Add([]byte{}, uint32(1<<20), false)
	f.Fuzz(func(t *testing.T, seed []byte, hi uint32, more bool) {
		var vs [block]uint32
		for j := range vs {
			// Values from the seed bytes, some scaled up to hi's bits.
			if len(seed) > 0 {
				vs[j] = uint32(seed[j%len(seed)]) * uint32(j+1)
			}
			if j%7 == 3 {
				vs[j] = hi >> (j % 32)
			}
		}
		w := width(&vs)
		b := appendPacked(nil, &vs, w)
		if len(b) != 8*int(w) {
			t.Fatalf("width %d: %d bytes", w, len(b))
		}
		if more {
			b = append(b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)
		}
		var got [block]uint32
		for j := range got {
			got[j] = 12345 // unpack must overwrite every value
		}
		unpack(b, w, &got)
		if got != vs {
			t.Fatalf("width %d: got %v, want %v", w, got, vs)
		}
		for j, v := range vs {
			if x := packedAt(b, 0, w, j); x != v {
				t.Fatalf("width %d: value %d read alone is %d, want %d", w, j, x, v)
			}
		}
	})
}

// TestPackedWide: blocks with the widest gaps and counts round-trip
// through add's repacking and a cursor, seeks passing blocks on their
// headers included.
func TestPackedWide(t *testing.T) {
	t.Parallel()
	var p postings
	var ords []int32
	ord := int32(0)
	big := make([]uint32, 300)
	for i := range big {
		big[i] = uint32(i)
	}
	for i := range 3*block + 5 {
		switch {
		case i == 70:
			ord += 1 << 30 // a 31-bit gap
		case i%9 == 0:
			ord += 1000
		default:
			ord++
		}
		ords = append(ords, ord)
		body := big[:i%3]
		if i == 100 {
			body = big // a 9-bit count
		}
		p.add(ord, nil, body)
	}
	if int(p.tail) == 0 || int(p.tail) == len(p.docs) {
		t.Fatalf("want packed blocks and a tail: tail at %d of %d", p.tail, len(p.docs))
	}
	// With positions every count is unpacked with its block; without,
	// each is read when its document is landed on.
	for _, withPos := range []bool{true, false} {
		c := newCursor(&p, withPos)
		for i, want := range ords {
			if !c.next() || c.ord != want {
				t.Fatalf("withPos %v: document %d: at %d, want %d", withPos, i, c.ord, want)
			}
			wantB := i % 3
			if i == 100 {
				wantB = len(big)
			}
			if c.tB != uint32(wantB) || c.tT != 0 {
				t.Fatalf("withPos %v: document %d: counts %d/%d, want 0/%d", withPos, i, c.tT, c.tB, wantB)
			}
		}
		if c.next() {
			t.Fatal("a document after the last")
		}
	}
	// Seek to the tail's first document: every packed block passes on its
	// header, and its positions are those added.
	c := newCursor(&p, true)
	i := 3 * block
	if !c.seek(ords[i]) || c.ord != ords[i] {
		t.Fatalf("seek %d: at %d", ords[i], c.ord)
	}
	if _, body := c.positions(nil, nil); !slices.Equal(body, big[:i%3]) {
		t.Fatalf("positions after seek: %v", body)
	}
}
