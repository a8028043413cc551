package index

import (
	"encoding/binary"
	"math/bits"
	"sync"
)

// postings is one token's list: the documents holding it, in ordinal
// order, with their title and body instance counts (in docs) and positions
// (in pos, a stream of their own so a query without phrases never reads
// them; a phrase walks both streams in step).
//
// docs is a run of packed blocks of 64 documents each, then the tail: the
// documents after the last full block, fewer than 64. A packed block is
// a header, the ordinal of its last document and the offset in pos of its
// first document's positions (4 bytes each, little-endian), then the bit
// widths of three arrays (a byte each), then the arrays: 64 values each of
// the width, packed low bit first (frame of reference, as Lucene's FOR):
// the ordinal gaps from the previous document less one, the title counts
// and the body counts. A cursor unpacks a block with a few shifts per value
// instead of a branchy varint per field, and seek passes a block that ends
// before its target on the header alone. The tail is varints, appended as
// documents arrive: the ordinal gap (from the document before the tail, or
// -1), then the counts packed in one byte, title×32 + body, when the title
// count is at most 6 and the body's at most 31, else escapeCounts and two
// uvarints. When the tail reaches 64 documents it is repacked as a block.
//
// pos holds each document's title positions then body positions, each
// column's as deltas from the one before (the first from 0), uvarints.
type postings struct {
	docs []byte
	pos  []byte
	// tail is the offset in docs of the tail, tailPos that in pos of its
	// first document's positions, base the ordinal before the tail (-1
	// before any block).
	tail, tailPos int32
	base          int32
	last          int32 // ordinal of the last document added
	n             int32 // documents added (live or not)

	// live counts the live documents, as of deadAt removals in the index
	// (a search computes it when documents died since; see liveCount).
	mu     sync.Mutex
	live   int32
	deadAt int
}

// add appends document ord (greater than any before) with its positions
// in the title and body columns.
func (p *postings) add(ord int32, title, body []uint32) {
	// The gap is from the last document added (the block's last, when the
	// tail is empty), or from -1.
	prev := p.last
	if p.n == 0 {
		prev, p.base = -1, -1
	}
	p.docs = binary.AppendUvarint(p.docs, uint64(ord-prev))
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
	if p.n%block == 0 {
		p.pack()
	}
}

// pack rewrites the tail, 64 documents, as a packed block.
func (p *postings) pack() {
	var ords [block]int32
	var gaps, ts, bs [block]uint32
	if _, n := decodeVarints(p.docs, int(p.tail), p.base, &ords, &ts, &bs); n != block {
		panic("index: packing a tail that is not a block")
	}
	prev := p.base
	for j, o := range ords {
		gaps[j] = uint32(o - prev - 1)
		prev = o
	}
	wd, wt, wb := width(&gaps), width(&ts), width(&bs)
	out := p.docs[:p.tail]
	out = binary.LittleEndian.AppendUint32(out, uint32(ords[block-1]))
	out = binary.LittleEndian.AppendUint32(out, uint32(p.tailPos))
	out = append(out, byte(wd), byte(wt), byte(wb))
	out = appendPacked(out, &gaps, wd)
	out = appendPacked(out, &ts, wt)
	out = appendPacked(out, &bs, wb)
	p.docs = out
	p.tail, p.tailPos, p.base = int32(len(out)), int32(len(p.pos)), ords[block-1]
}

// headerLen is a packed block's header: last ordinal, positions offset,
// three widths.
const headerLen = 11

// blockLen is the length of the packed block at b[i:].
func blockLen(b []byte, i int) int {
	return headerLen + 8*(int(b[i+8])+int(b[i+9])+int(b[i+10]))
}

// width is the bits the largest of vs needs.
func width(vs *[block]uint32) uint {
	var or uint32
	for _, v := range vs {
		or |= v
	}
	return uint(bits.Len32(or))
}

// appendPacked appends vs, w bits each, low bit first: 8×w bytes.
func appendPacked(out []byte, vs *[block]uint32, w uint) []byte {
	if w == 0 {
		return out
	}
	var acc uint64
	nb := uint(0) // bits held in acc
	for _, v := range vs {
		acc |= uint64(v) << nb
		if nb+w >= 64 {
			out = binary.LittleEndian.AppendUint64(out, acc)
			// The bits of v that did not fit (none when nb+w is 64).
			acc = uint64(v) >> (64 - nb)
			nb = nb + w - 64
		} else {
			nb += w
		}
	}
	return out
}

// unpack decodes 64 values of w bits packed at b (8×w bytes) into out.
// Eight values take w bytes, so each group of eight starts on a byte:
// up to 8 bits wide a group is one 8-byte load and eight shifts by
// amounts fixed for the call (no dependence from value to value); wider,
// each value is an unaligned 8-byte load and a shift (w is at most 32, so
// a value's bits start within the first byte loaded and end within the
// eighth). Near the end of b the bytes go through a padded copy.
func unpack(b []byte, w uint, out *[block]uint32) {
	if w == 0 {
		*out = [block]uint32{}
		return
	}
	n := 8 * int(w)
	if len(b) < n+8 {
		var pad [8*32 + 8]byte
		copy(pad[:], b[:n])
		b = pad[:]
	}
	mask := uint64(1)<<w - 1
	if w <= 8 {
		s1, s2, s3, s4, s5, s6, s7 := w, 2*w, 3*w, 4*w, 5*w, 6*w, 7*w
		for g := range uint(8) {
			x := binary.LittleEndian.Uint64(b[g*w:])
			o := (*[8]uint32)(out[g*8:])
			o[0] = uint32(x & mask)
			o[1] = uint32(x >> s1 & mask)
			o[2] = uint32(x >> s2 & mask)
			o[3] = uint32(x >> s3 & mask)
			o[4] = uint32(x >> s4 & mask)
			o[5] = uint32(x >> s5 & mask)
			o[6] = uint32(x >> s6 & mask)
			o[7] = uint32(x >> s7 & mask)
		}
		return
	}
	bit := uint(0)
	for j := range out {
		out[j] = uint32(binary.LittleEndian.Uint64(b[bit>>3:]) >> (bit & 7) & mask)
		bit += w
	}
}

// packedAt is value k of the 64 packed w bits wide at b[i:].
func packedAt(b []byte, i int, w uint, k int) uint32 {
	if w == 0 {
		return 0
	}
	bit := uint(k) * w
	i += int(bit >> 3)
	var x uint64
	if i+8 <= len(b) {
		x = binary.LittleEndian.Uint64(b[i:])
	} else {
		var pad [8]byte
		copy(pad[:], b[i:])
		x = binary.LittleEndian.Uint64(pad[:])
	}
	return uint32(x >> (bit & 7) & (uint64(1)<<w - 1))
}

// Counts that fit one byte; 0xff (7×32 + 31) escapes the rest.
const (
	maxPackedT   = 6
	maxPackedB   = 31
	escapeCounts = 0xff
)

// block is how many documents a packed block holds, and a cursor decodes
// at a time: a tight loop fills small arrays that seek then scans.
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
	// touched. allCounts: fill decodes every entry's counts; else a packed
	// block's stay packed and land reads those of the entries it lands on
	// (a seek lands on few).
	withPos, allCounts bool
	// packed: the block's counts are still packed, at tOff and bOff in
	// docs, wt and wb bits wide.
	packed     bool
	tOff, bOff int
	wt, wb     uint

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
	c := cursor{p: p, ord: -1, last: -1, withPos: withPos, allCounts: withPos}
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

// decodeVarints decodes the tail's documents at b[i:] (up to 64; the
// ordinal before them is ord) and returns the offset after and how many.
func decodeVarints(b []byte, i int, ord int32, ords *[block]int32, ts, bs *[block]uint32) (int, int) {
	n := 0
	for n < block && i < len(b) {
		var d uint32
		d, i = uvarint(b, i)
		ord += int32(d)
		var t, bo uint32
		if h := b[i]; h != escapeCounts {
			t, bo, i = uint32(h>>5), uint32(h&31), i+1
		} else {
			t, i = uvarint(b, i+1)
			bo, i = uvarint(b, i)
		}
		ords[n], ts[n], bs[n] = ord, t, bo
		n++
	}
	return i, n
}

// fill decodes the next block (a packed block, or the tail); false at the
// end of the list.
func (c *cursor) fill() bool {
	b := c.p.docs
	i := c.i
	if i >= len(b) {
		c.n, c.k = 0, 0
		return false
	}
	var n, pi int
	if tail := int(c.p.tail); i < tail {
		pi = int(binary.LittleEndian.Uint32(b[i+4:]))
		wd, wt, wb := uint(b[i+8]), uint(b[i+9]), uint(b[i+10])
		i += headerLen
		var gaps [block]uint32
		unpack(b[i:], wd, &gaps)
		i += 8 * int(wd)
		c.tOff, c.wt = i, wt
		i += 8 * int(wt)
		c.bOff, c.wb = i, wb
		i += 8 * int(wb)
		c.packed = !c.allCounts
		if c.allCounts {
			unpack(b[c.tOff:], wt, &c.tTs)
			unpack(b[c.bOff:], wb, &c.tBs)
		}
		ord := c.last
		for j, g := range gaps {
			ord += int32(g) + 1
			c.ords[j] = ord
		}
		n = block
	} else {
		pi = int(c.p.tailPos)
		i, n = decodeVarints(b, i, c.last, &c.ords, &c.tTs, &c.tBs)
		c.packed = false
	}
	// A block's positions start where its header (or the tail's) says:
	// those of the entries not read in the block before need no skipping.
	c.pi, c.posK, c.skip = pi, 0, 0
	c.i, c.last, c.n, c.k = i, c.ords[n-1], n, 0
	return true
}

// land makes entry k the current document.
func (c *cursor) land(k int) {
	c.k, c.ord = k, c.ords[k]
	if c.packed {
		c.tT, c.tB = packedAt(c.p.docs, c.tOff, c.wt, k), packedAt(c.p.docs, c.bOff, c.wb, k)
	} else {
		c.tT, c.tB = c.tTs[k], c.tBs[k]
	}
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
	b, tail := c.p.docs, int(c.p.tail)
	for {
		if k < c.n && c.ords[c.n-1] >= ord {
			for c.ords[k] < ord {
				k++
			}
			c.land(k)
			return true
		}
		// Packed blocks that end before ord are passed on their headers.
		for c.i < tail {
			last := int32(binary.LittleEndian.Uint32(b[c.i:]))
			if last >= ord {
				break
			}
			c.i += blockLen(b, c.i)
			c.last = last
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

// leave records that the current document's positions were read up to
// offset i in pos with left of them not read: the next read skips them.
func (c *cursor) leave(i int, left uint32) {
	c.pi, c.skip, c.posK = i, int(left), c.k+1
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
