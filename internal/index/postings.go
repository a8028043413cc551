package index

import (
	"encoding/binary"
	"math/bits"
	"sync"
)

// postings is one token's list: for each document holding it, in ordinal
// order, a header in docs (ordinal delta as a uvarint, then the title and
// body counts packed in one byte, title×32 + body, when the title count is
// at most 6 and the body's at most 31, else escapeCounts and two uvarints) and its positions in pos (title positions then body
// positions, each column's as deltas from the previous one, uvarints).
// Positions sit in their own stream so a query without phrases never
// reads them; a phrase walks both streams in step.
type postings struct {
	docs []byte
	pos  []byte
	last int32 // ordinal of the last document added
	n    int32 // documents added (live or not)

	// live counts the live documents, as of deadAt removals in the index
	// (a search computes it when documents died since; see liveCount).
	mu     sync.Mutex
	live   int32
	deadAt int
}

// add appends document ord (greater than any before) with its positions
// in the title and body columns.
func (p *postings) add(ord int32, title, body []uint32) {
	delta := ord - p.last
	if p.n == 0 {
		delta = ord
	}
	p.docs = binary.AppendUvarint(p.docs, uint64(delta))
	if t, b := len(title), len(body); t <= maxPackedT && b <= maxPackedB {
		p.docs = append(p.docs, byte(t<<5|b))
	} else {
		p.docs = append(p.docs, escapeCounts)
		p.docs = binary.AppendUvarint(p.docs, uint64(t))
		p.docs = binary.AppendUvarint(p.docs, uint64(b))
	}
	for _, ps := range [2][]uint32{title, body} {
		prev := uint32(0)
		for _, x := range ps {
			p.pos = binary.AppendUvarint(p.pos, uint64(x-prev))
			prev = x
		}
	}
	p.last, p.n = ord, p.n+1
}

// Counts that fit one byte; 0xff (7×32 + 31) escapes the rest.
const (
	maxPackedT   = 6
	maxPackedB   = 31
	escapeCounts = 0xff
)

// cursor walks a postings list.
type cursor struct {
	p      *postings
	i, pi  int // next byte in docs, in pos
	ord    int32
	tT, tB uint32 // instances in the title and body of the current document
	// posRead: the current document's positions were consumed (pi is past
	// them); withPos: positions are read at all (phrases), else pi is
	// never maintained.
	posRead, withPos bool
	done             bool
	// skip is how many positions of documents passed over are still to be
	// skipped in pos: done in one run when positions are next read.
	skip int
}

func newCursor(p *postings, withPos bool) cursor {
	c := cursor{p: p, ord: -1, posRead: true, withPos: withPos}
	if p == nil || p.n == 0 {
		c.done = true
	}
	return c
}

// uvarint decodes at b[i:], with a fast path for one byte.
func uvarint(b []byte, i int) (uint32, int) {
	if x := b[i]; x < 0x80 {
		return uint32(x), i + 1
	}
	v, n := binary.Uvarint(b[i:])
	return uint32(v), i + n
}

// next moves to the next document; false at the end.
func (c *cursor) next() bool {
	if c.done {
		return false
	}
	if c.i >= len(c.p.docs) {
		c.done = true
		return false
	}
	if c.withPos && !c.posRead {
		c.skip += int(c.tT + c.tB)
	}
	var d uint32
	d, c.i = uvarint(c.p.docs, c.i)
	if c.ord < 0 {
		c.ord = int32(d)
	} else {
		c.ord += int32(d)
	}
	if h := c.p.docs[c.i]; h != escapeCounts {
		c.tT, c.tB, c.i = uint32(h>>5), uint32(h&31), c.i+1
	} else {
		c.tT, c.i = uvarint(c.p.docs, c.i+1)
		c.tB, c.i = uvarint(c.p.docs, c.i)
	}
	c.posRead = false
	return true
}

// seek moves to the first document at or after ord; false at the end.
func (c *cursor) seek(ord int32) bool {
	for !c.done && (c.ord < ord) {
		if !c.next() {
			return false
		}
	}
	return !c.done
}

// positions appends the current document's title and body positions.
func (c *cursor) positions(title, body []uint32) ([]uint32, []uint32) {
	title, body = title[:0], body[:0]
	if c.posRead || !c.withPos {
		panic("index: positions not available")
	}
	c.pi, c.skip = skipVarints(c.p.pos, c.pi, c.skip), 0
	var x, prev uint32
	for range c.tT {
		x, c.pi = uvarint(c.p.pos, c.pi)
		prev += x
		title = append(title, prev)
	}
	prev = 0
	for range c.tB {
		x, c.pi = uvarint(c.p.pos, c.pi)
		prev += x
		body = append(body, prev)
	}
	c.posRead = true
	return title, body
}

// skipVarints returns the offset after n uvarints from b[i:].
func skipVarints(b []byte, i, n int) int {
	// Eight bytes at a time while they end fewer varints than are left:
	// each byte below 0x80 ends one.
	for n > 8 && i+8 <= len(b) {
		t := bits.OnesCount64(^binary.LittleEndian.Uint64(b[i:]) & 0x8080808080808080)
		if t >= n {
			break
		}
		n, i = n-t, i+8
	}
	for n > 0 {
		if b[i] < 0x80 {
			n--
		}
		i++
	}
	return i
}
