// Package sets holds operations on sets kept as sorted slices without
// duplicates (shingle and figure hashes), shared by the copies stage
// (internal/dedup) and story clustering (internal/cluster), which do not
// import each other.
package sets

import "cmp"

// Intersect returns how many elements two sorted, duplicate-free slices
// share, in one merge pass.
func Intersect[T cmp.Ordered](a, b []T) int {
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
	return n
}
