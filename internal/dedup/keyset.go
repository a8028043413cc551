package dedup

import (
	"context"
	"sync"

	"github.com/marsad/marsad/internal/store"
)

// keySet remembers which copy keys (LSH bucket keys and exact hashes) the
// store holds, as a Bloom filter: a key it calls absent is absent, so the
// candidate query leaves it out (most of an original's 64 keys, and all
// of them for most articles, which then skip the query). About one absent
// key in a hundred is called present and only costs the index seek it
// would have cost anyway. Keys removed from the store (re-fingerprinted
// articles) stay in and cost the same.
//
// It follows other processes through the copy transactions' numbers
// (store.CopyTx.Seq): before deciding, a transaction adds the keys of
// every fingerprint written since the last number it knows; a process
// alone on the store reads nothing.
type keySet struct {
	mu     sync.Mutex
	seq    int64 // keys of copy transactions up to seq are in; -1: none loaded
	layers []bloom
}

func newKeySet() *keySet { return &keySet{seq: -1} }

// sync brings the set up to date for transaction tx: it adds the keys
// written by transactions numbered after the last one it knows.
func (k *keySet) sync(ctx context.Context, tx store.CopyTx) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	seq := tx.Seq()
	if k.seq == seq-1 {
		return nil
	}
	if k.seq >= seq {
		// The numbers went back (another database behind the same
		// store?): start over.
		k.seq, k.layers = -1, nil
	}
	err := tx.PrintKeys(ctx, k.seq, k.addKeysLocked)
	if err != nil {
		return err
	}
	k.seq = seq - 1
	return nil
}

// committed adds the bucket keys a transaction numbered seq stored (its
// exact hashes were added as it stored them, addExact).
func (k *keySet) committed(seq int64, items []item) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, it := range items {
		k.addKeysLocked(it.buckets, 0)
	}
	k.seq = max(k.seq, seq)
}

// addKeysLocked adds one print's bucket keys and exact hash (0: none).
func (k *keySet) addKeysLocked(buckets []int64, exact int64) {
	for _, b := range buckets {
		k.addLocked(bucketBits(b))
	}
	if exact != 0 {
		k.addLocked(exactBits(exact))
	}
}

// addExact adds an exact hash just stored (0 is never stored).
func (k *keySet) addExact(exact int64) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.addKeysLocked(nil, exact)
}

// present returns the bucket keys that may be stored (a new slice) and
// exact if it may be, else 0.
func (k *keySet) present(keys []int64, exact int64) ([]int64, int64) {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := keys[:0:0]
	for _, b := range keys {
		if k.hasLocked(bucketBits(b)) {
			out = append(out, b)
		}
	}
	if exact != 0 && !k.hasLocked(exactBits(exact)) {
		exact = 0
	}
	return out, exact
}

func (k *keySet) addLocked(h uint64) {
	if n := len(k.layers); n == 0 || k.layers[n-1].full() {
		// Each layer holds twice the keys of the one before, so a set
		// of n keys has about log2(n/2^20) layers to probe.
		c := 1 << 20
		if n > 0 {
			c = 2 * k.layers[n-1].capacity
		}
		k.layers = append(k.layers, newBloom(c))
	}
	k.layers[len(k.layers)-1].add(h)
}

func (k *keySet) hasLocked(h uint64) bool {
	for i := len(k.layers) - 1; i >= 0; i-- {
		if k.layers[i].has(h) {
			return true
		}
	}
	return false
}

// bucketBits and exactBits hash the two kinds of key apart.
func bucketBits(b int64) uint64 { return mix(uint64(b) ^ 0x243f6a8885a308d3) }
func exactBits(e int64) uint64  { return mix(uint64(e) ^ 0x13198a2e03707344) }

// bloom is a blocked Bloom filter: each key sets bloomK bits within one
// 512-bit block (one cache line), 10 bits per key at capacity (about 1%
// false positives).
type bloom struct {
	blocks   [][8]uint64
	n        int
	capacity int
}

const (
	bloomBitsPerKey = 10
	bloomK          = 7
)

func newBloom(capacity int) bloom {
	nb := max(1, (capacity*bloomBitsPerKey+511)/512)
	return bloom{blocks: make([][8]uint64, nb), capacity: capacity}
}

func (b *bloom) full() bool { return b.n >= b.capacity }

func (b *bloom) block(h uint64) *[8]uint64 {
	return &b.blocks[(h>>32)*uint64(len(b.blocks))>>32]
}

func (b *bloom) add(h uint64) {
	blk := b.block(h)
	g := mix(h)
	for range bloomK {
		bit := g & 511
		blk[bit>>6] |= 1 << (bit & 63)
		g >>= 9
	}
	b.n++
}

func (b *bloom) has(h uint64) bool {
	blk := b.block(h)
	g := mix(h)
	for range bloomK {
		bit := g & 511
		if blk[bit>>6]&(1<<(bit&63)) == 0 {
			return false
		}
		g >>= 9
	}
	return true
}
