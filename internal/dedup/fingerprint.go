// Package dedup finds copies: the same article under several URLs is one
// article already (internal/urlnorm); here republished text — an agency's
// wire copy run by newspapers, one outlet's story taken by another, usually
// cut, extended or lightly edited under a new headline — is collapsed into
// a group with one original, and the original is decided by provenance.
//
// The pieces: a Fingerprint per article (an exact hash of the analysed
// words, word-shingle hashes and a MinHash signature over them), LSH bands
// over the signature to find candidates, exact Jaccard and containment on
// the shingles to decide, a documented rule for which member is the
// original, and a sentence diff for what a copy changed. Stage plugs it into
// the ingest pipeline with the groups kept in the store.
package dedup

import (
	"slices"
	"strings"

	"github.com/marsad/marsad/internal/arabic"
)

// Shingling and signature parameters. Signatures and buckets are stored,
// so changing any of these (or the hash functions below) needs a new
// SignatureVersion and a re-fingerprint of stored articles.
const (
	// ShingleSize is the number of analysed words per shingle. Stopwords
	// are already gone, so three words span four or five written ones:
	// long enough that two independent reports of one event rarely share
	// many, short enough that a lightly edited copy keeps most.
	ShingleSize = 3
	// NumHashes is the MinHash signature length.
	NumHashes = 128
	// BandRows rows per LSH band: two rows make a pair with Jaccard 0.2 a
	// candidate with probability 0.93 and one with 0.05 with 0.15, so
	// cut or extended copies (low Jaccard, high containment) are found and
	// exact verification removes the rest.
	BandRows = 2
	// Bands is the number of LSH buckets per article.
	Bands = NumHashes / BandRows
	// MinShingles: texts with fewer shingles are matched only exactly;
	// a caption or one-line brief shares too little to tell copy from
	// coincidence.
	MinShingles = 12
	// MinExactWords: shorter texts are not matched at all; identical
	// captions and one-line briefs are not republished stories.
	MinExactWords = 8
	// SignatureVersion names the scheme above.
	SignatureVersion = 1
)

// Fingerprint is what copy detection keeps of an article's text.
type Fingerprint struct {
	// Exact hashes the analysed words; 0 for a text shorter than
	// MinExactWords, which takes no part in copy detection.
	Exact uint64
	// Shingles are the sorted, distinct hashes of the word shingles.
	Shingles []uint32
	// Numbers are the sorted, distinct hashes of the numbers in the text
	// (market reports of different days differ mostly in them).
	Numbers []uint32
	// Signature is the MinHash of Shingles; nil when the text is too
	// short for near-copy detection (fewer than MinShingles shingles).
	Signature []uint32
	// Words is the number of analysed words.
	Words int
}

// Near reports whether the fingerprint takes part in near-copy detection.
func (f Fingerprint) Near() bool { return f.Signature != nil }

// Fingerprinter computes fingerprints with the shared Arabic analyzer, so
// copy detection sees words exactly as search and stories do.
type Fingerprinter struct {
	an   *arabic.Analyzer
	perm [NumHashes][2]uint64
}

// NewFingerprinter returns a fingerprinter over an.
func NewFingerprinter(an *arabic.Analyzer) *Fingerprinter {
	f := &Fingerprinter{an: an}
	// Fixed seeds: stored signatures must stay comparable across runs.
	seed := uint64(0x6d61727361640001) // "marsad" + 1
	for i := range f.perm {
		f.perm[i][0] = splitmix(&seed) | 1
		f.perm[i][1] = splitmix(&seed)
	}
	return f
}

// Of fingerprints a body text. A first paragraph that is only an agency
// dateline ("بريدة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس") is left
// out: every wire story of the day shares it, and copies usually drop it.
func (f *Fingerprinter) Of(text string) Fingerprint {
	words := f.an.Words(nil, dropDateline(text))
	var fp Fingerprint
	fp.Words = len(words)
	if len(words) == 0 {
		return fp
	}
	wh := make([]uint64, len(words))
	ex := uint64(fnvOffset)
	for i, w := range words {
		wh[i] = fnv(w)
		ex = (ex ^ wh[i]) * fnvPrime
		if isFigure(w) {
			fp.Numbers = append(fp.Numbers, uint32(mix(wh[i])))
		}
	}
	if len(words) >= MinExactWords {
		fp.Exact = ex | 1 // never 0: 0 means "not matched"
	}
	n := max(1, len(words)-ShingleSize+1)
	sh := make([]uint32, 0, n)
	for i := range n {
		h := uint64(0x9e3779b97f4a7c15)
		for j := i; j < min(i+ShingleSize, len(words)); j++ {
			h = mix(h ^ wh[j])
		}
		sh = append(sh, uint32(h)^uint32(h>>32))
	}
	fp.Shingles = sortUnique(sh)
	fp.Numbers = sortUnique(fp.Numbers)
	if fp.Exact != 0 && len(fp.Shingles) >= MinShingles {
		fp.Signature = f.Signature(fp.Shingles)
	}
	return fp
}

// Signature is the MinHash of a shingle set: for each of NumHashes
// universal hash functions, the least hash value over the set.
func (f *Fingerprinter) Signature(shingles []uint32) []uint32 {
	sig := make([]uint32, NumHashes)
	for i := range sig {
		sig[i] = ^uint32(0)
	}
	for _, s := range shingles {
		x := mix(uint64(s))
		for i := range sig {
			if v := uint32((f.perm[i][0]*x + f.perm[i][1]) >> 32); v < sig[i] {
				sig[i] = v
			}
		}
	}
	return sig
}

// Buckets returns the LSH bucket keys of a signature, one per band; two
// articles are candidates when they share a key.
func Buckets(sig []uint32) []int64 {
	if len(sig) != NumHashes {
		return nil
	}
	out := make([]int64, Bands)
	for b := range Bands {
		h := mix(uint64(b) + 0x5bd1e995)
		for r := range BandRows {
			h = mix(h ^ uint64(sig[b*BandRows+r]))
		}
		out[b] = int64(h)
	}
	return out
}

func dropDateline(text string) string {
	first, rest, ok := strings.Cut(strings.TrimLeft(text, " \n\t\u00a0"), "\n")
	if !ok || !strings.Contains(first, "الموافق") || len(strings.Fields(first)) > 20 {
		return text
	}
	return rest
}

// isFigure reports whether an analysed word is a figure worth comparing:
// a number, but not a date or a year (every story of a day shares those,
// and copies rewrite them: "20/10/1436" becomes "أمس").
func isFigure(w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i++ {
		if c := w[i]; (c < '0' || c > '9') && c != '.' && c != ',' {
			return false
		}
	}
	if len(w) == 4 && (w[:2] == "13" || w[:2] == "14" || w[:2] == "19" || w[:2] == "20") {
		return false
	}
	return true
}

func sortUnique(s []uint32) []uint32 {
	slices.Sort(s)
	return slices.Compact(s)
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnv(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return h
}

// mix is splitmix64's finalizer: a cheap, well-spread 64-bit mix.
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func splitmix(state *uint64) uint64 {
	*state += 0x9e3779b97f4a7c15
	return mix(*state)
}
