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

// block is how many documents a cursor decodes at a time: a tight loop
// over the bytes fills small arrays that seek then scans, cheaper than
// decoding one document per call.
const block = 64

// cursor walks a postings list.
type cursor struct {
	p *postings
	// The current document: its ordinal and its instances in the title
	// and in the body.
	ord    int32
	tT, tB uint32
	done   bool
	// withPos: positions are read at all (phrases), else pos is never
	// touched.
	withPos bool

	// The decoded block: k is the current entry of n; i the next byte to
	// decode in docs, last the ordinal decoded last (-1 before any).
	k, n     int
	i        int
	last     int32
	ords     [block]int32
	tTs, tBs [block]uint32

	// pi is the offset in pos of entry posK's positions (entries before
	// it in the block were read or are counted in skip); skip is the
	// positions still to be passed before it.
	pi, posK int
	skip     int
}

func newCursor(p *postings, withPos bool) cursor {
	c := cursor{p: p, ord: -1, last: -1, withPos: withPos}
	if p == nil || p.n == 0 {
		c.done = true
	}
	return c
}

// uvarint decodes at b[i:], with fast paths for one byte and for two
// (a body position's delta is often over 127, a rare token's ordinal
// delta too).
func uvarint(b []byte, i int) (uint32, int) {
	x := b[i]
	if x < 0x80 {
		return uint32(x), i + 1
	}
	if i+1 < len(b) {
		if y := b[i+1]; y < 0x80 {
			return uint32(x&0x7f) | uint32(y)<<7, i + 2
		}
	}
	v, n := binary.Uvarint(b[i:])
	return uint32(v), i + n
}

// fill decodes the next block; false at the end of the list.
func (c *cursor) fill() bool {
	if c.withPos {
		// Positions of the old block's entries not read are skipped.
		c.pass(c.n)
		c.posK = 0
	}
	b := c.p.docs
	i, ord, n := c.i, c.last, 0
	for n < block && i < len(b) {
		var d uint32
		d, i = uvarint(b, i)
		if ord < 0 {
			ord = int32(d)
		} else {
			ord += int32(d)
		}
		var t, bo uint32
		if h := b[i]; h != escapeCounts {
			t, bo, i = uint32(h>>5), uint32(h&31), i+1
		} else {
			t, i = uvarint(b, i+1)
			bo, i = uvarint(b, i)
		}
		c.ords[n], c.tTs[n], c.tBs[n] = ord, t, bo
		n++
	}
	c.i, c.last, c.n, c.k = i, ord, n, 0
	return n > 0
}

// land makes entry k the current document.
func (c *cursor) land(k int) {
	c.k, c.ord, c.tT, c.tB = k, c.ords[k], c.tTs[k], c.tBs[k]
}

// next moves to the next document; false at the end.
func (c *cursor) next() bool {
	if c.done {
		return false
	}
	if c.ord >= 0 {
		c.k++
	}
	if c.k >= c.n && !c.fill() {
		c.done = true
		return false
	}
	c.land(c.k)
	return true
}

// seek moves to the first document at or after ord; false at the end.
func (c *cursor) seek(ord int32) bool {
	if c.done {
		return false
	}
	if c.ord >= ord {
		return true
	}
	k := c.k
	if c.ord >= 0 {
		k++
	}
	for {
		// A block that ends before ord is passed whole.
		if k < c.n && c.ords[c.n-1] >= ord {
			for c.ords[k] < ord {
				k++
			}
			c.land(k)
			return true
		}
		if !c.fill() {
			c.done = true
			return false
		}
		k = 0
	}
}

// pass counts the positions of the block's entries from posK up to entry
// to (not read) as still to be skipped.
func (c *cursor) pass(to int) {
	for j := c.posK; j < to; j++ {
		c.skip += int(c.tTs[j] + c.tBs[j])
	}
}

// atPositions moves pi to the current document's positions, which must not
// have been read yet.
func (c *cursor) atPositions() {
	if !c.withPos || c.done || c.ord < 0 || c.k < c.posK {
		panic("index: positions not available")
	}
	c.pass(c.k)
	c.pi, c.skip = skipVarints(c.p.pos, c.pi, c.skip), 0
}

// positions appends the current document's title and body positions.
func (c *cursor) positions(title, body []uint32) ([]uint32, []uint32) {
	title, body = title[:0], body[:0]
	c.atPositions()
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
	c.posK = c.k + 1
	return title, body
}

// follows keeps, in place, the title and body starts s whose s+off is
// one of the current document's positions in the same column: a phrase's
// token at offset off from its first. The positions are decoded as they
// are compared, not stored.
func (c *cursor) follows(title, body []uint32, off uint32) ([]uint32, []uint32) {
	c.atPositions()
	title, c.pi = follow(c.p.pos, c.pi, c.tT, title, off)
	body, c.pi = follow(c.p.pos, c.pi, c.tB, body, off)
	c.posK = c.k + 1
	return title, body
}

// follow reads n positions (deltas) at b[i:] and keeps the starts s
// (sorted) with s+off among them; it returns them and the offset after.
func follow(b []byte, i int, n uint32, starts []uint32, off uint32) ([]uint32, int) {
	if len(starts) == 0 {
		return starts, skipVarints(b, i, int(n))
	}
	out := starts[:0]
	j := 0
	var at, x uint32
	for range n {
		x, i = uvarint(b, i)
		at += x
		for j < len(starts) && starts[j]+off < at {
			j++
		}
		if j < len(starts) && starts[j]+off == at {
			out = append(out, starts[j])
			j++
		}
	}
	return out, i
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
