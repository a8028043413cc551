package cluster

import (
	"hash/fnv"
	"slices"
)

// Copies are found by shared wording: 4-term shingles of the body, of which
// a fixed 1/shingleMod are kept (those whose hash is 0 mod shingleMod), so
// that the overlap of two samples estimates the overlap of the texts
// without keeping every shingle.
const (
	shingleLen = 4
	shingleMod = 2
)

func shingles(terms []string) []uint32 {
	if len(terms) < shingleLen {
		return nil
	}
	out := make([]uint32, 0, len(terms)/shingleMod+1)
	h := fnv.New32a()
	for i := 0; i+shingleLen <= len(terms); i++ {
		h.Reset()
		for _, t := range terms[i : i+shingleLen] {
			h.Write([]byte(t))
			h.Write([]byte{0})
		}
		if v := h.Sum32(); v%shingleMod == 0 {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// containment is the share of the smaller sample found in the other: a
// text republished with additions (or cut) still scores high.
func containment(a, b []uint32) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return float64(n) / float64(min(len(a), len(b)))
}
