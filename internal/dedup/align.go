package dedup

import (
	"slices"
	"sync"
)

// The second, looser stage. Shingle sets miss a press release that each
// outlet rewrote sentence by sentence (a word changed in every third
// leaves few 3-word shingles: Jaccard 0.13–0.3), and they cannot tell a
// cut copy from a roundup that carries another story further down (both
// contain the shorter text). Layout keeps what tells them apart: the
// sentences, as sets of analysed words, and the word pairs. It is
// computed from the texts, only for candidate pairs the shingles leave
// undecided, so nothing more is stored per article.

// Layout is a text's sentences and word pairs.
type Layout struct {
	// Sents holds each sentence's distinct analysed-word hashes, sorted;
	// sentences of fewer than three words are left out.
	Sents [][]uint32
	// Lens is each kept sentence's word count.
	Lens []int
	// Pairs are the sorted, distinct hashes of adjacent word pairs.
	Pairs []uint32
	// Words is the number of analysed words in kept sentences.
	Words int
}

// Layout analyses text for the second stage (the dateline is dropped, as
// in Of).
func (f *Fingerprinter) Layout(text string) Layout {
	var l Layout
	var words []string
	var prev uint64
	for _, s := range Sentences(dropDateline(text)) {
		words = f.an.Words(words[:0], s)
		if len(words) < 3 {
			continue
		}
		set := make([]uint32, len(words))
		for i, w := range words {
			h := fnv(w)
			set[i] = uint32(mix(h))
			if i > 0 || l.Words > 0 {
				// Pairs run across sentence ends, as shingles do.
				p := mix(prev ^ 0x9e3779b97f4a7c15)
				p = mix(p ^ h)
				l.Pairs = append(l.Pairs, uint32(p)^uint32(p>>32))
			}
			prev = h
		}
		l.Sents = append(l.Sents, sortUnique(set))
		l.Lens = append(l.Lens, len(words))
		l.Words += len(words)
	}
	l.Pairs = sortUnique(l.Pairs)
	return l
}

// Alignment is how the shorter of two texts sits in the longer.
type Alignment struct {
	// Aligned is the share of the shorter text's words in sentences that
	// have a counterpart in the longer (a sentence, or a run of up to
	// Window consecutive ones about as long, holding at least
	// SentenceMatch of their distinct words): an edited sentence still
	// has one, and so has one another outlet split.
	Aligned float64
	// Pairs is the share of the shorter text's word pairs found in the
	// longer.
	Pairs float64
	// Lead is the share of the longer text's words that come before the
	// first counterpart: 0 when the shorter text matches from the top, as
	// a cut or rewritten copy does; large when it is a story the longer
	// one picks up further down (a roundup, a follow-up).
	Lead float64
}

const (
	// SentenceMatch is the share of a sentence's distinct words its
	// counterpart must hold.
	SentenceMatch = 0.6
	// Window is the most consecutive sentences a counterpart spans.
	Window = 3
)

// Align compares two layouts.
func Align(a, b Layout) Alignment {
	short, long := a, b
	if b.Words < a.Words {
		short, long = b, a
	}
	var al Alignment
	if short.Words == 0 || long.Words == 0 {
		al.Lead = 1
		return al
	}
	// Windows of the longer text: each sentence with the next ones.
	wins := make([][]uint32, 0, len(long.Sents)*Window)
	at := make([]int, 0, cap(wins))
	for j := range long.Sents {
		w := long.Sents[j]
		wins, at = append(wins, w), append(at, j)
		for k := j + 1; k < min(j+Window, len(long.Sents)); k++ {
			w = sortUnique(append(slices.Clone(w), long.Sents[k]...))
			wins, at = append(wins, w), append(at, j)
		}
	}
	first := -1
	matched := 0
	for i, s := range short.Sents {
		need := SentenceMatch * float64(len(s))
		for k, t := range wins {
			// A run of sentences stands for one only when it is about as
			// long: a sentence another outlet split, not a paragraph that
			// happens to hold its words.
			single := k == 0 || at[k-1] != at[k]
			if !single && float64(len(t)) > 1.5*float64(len(s)) || float64(intersect(s, t)) < need {
				continue
			}
			matched += short.Lens[i]
			if first < 0 || at[k] < first {
				first = at[k]
			}
			break
		}
	}
	al.Aligned = float64(matched) / float64(short.Words)
	if len(short.Pairs) > 0 {
		al.Pairs = float64(intersect(short.Pairs, long.Pairs)) / float64(len(short.Pairs))
	}
	al.Lead = 1
	if first >= 0 {
		before := 0
		for _, n := range long.Lens[:first] {
			before += n
		}
		al.Lead = float64(before) / float64(long.Words)
	}
	return al
}

// recent keeps what was derived from recently compared articles across
// batches: a wire story or a templated series is a candidate for many
// newcomers, and reading and analysing its text again each time is most
// of the second stage's cost. Keys name an article's version, so an
// edited text is a miss. Two generations bound it: when the current one
// fills, the older is dropped (an approximate LRU without a list).
type recent[K comparable, V any] struct {
	mu       sync.Mutex
	cur, old map[K]V
	half     int
}

// layoutKey names a text's layout: article and exact hash.
type layoutKey struct{ id, exact int64 }

func newRecent[K comparable, V any](size int) *recent[K, V] {
	return &recent[K, V]{cur: map[K]V{}, half: max(1, size/2)}
}

func (c *recent[K, V]) get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.cur[k]; ok {
		return v, true
	}
	v, ok := c.old[k]
	if ok {
		c.putLocked(k, v)
	}
	return v, ok
}

func (c *recent[K, V]) put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(k, v)
}

func (c *recent[K, V]) putLocked(k K, v V) {
	if len(c.cur) >= c.half {
		c.old, c.cur = c.cur, make(map[K]V, c.half)
	}
	c.cur[k] = v
}
