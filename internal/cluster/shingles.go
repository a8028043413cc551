package cluster

import (
	"slices"

	"github.com/marsad/marsad/internal/sets"
)

// Copies are found by shared wording: 4-term shingles of the body, of which
// a fixed 1/shingleMod are kept (those whose hash is 0 mod shingleMod), so
// that the overlap of two samples estimates the overlap of the texts
// without keeping every shingle.
const (
	shingleLen = 4
	shingleMod = 2
)

// shingles appends the sampled shingles of terms to out, sorted and
// without duplicates.
func shingles(out []uint32, terms []string) []uint32 {
	if len(terms) < shingleLen {
		return out
	}
	for i := 0; i+shingleLen <= len(terms); i++ {
		v := uint32(fnvOffset32)
		for _, t := range terms[i : i+shingleLen] {
			v = fnv32a(v, t)
			v = (v ^ 0) * fnvPrime32 // the separator byte
		}
		if v%shingleMod == 0 {
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
	n := sets.Intersect(a, b)
	return float64(n) / float64(min(len(a), len(b)))
}

// FNV-1a, 32 bits, inline (hash/fnv's interface allocated per term).
const (
	fnvOffset32 = 2166136261
	fnvPrime32  = 16777619
)

func fnv32a(h uint32, s string) uint32 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * fnvPrime32
	}
	return h
}
