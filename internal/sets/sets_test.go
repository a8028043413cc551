package sets

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestIntersect(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		a, b []uint32
		want int
	}{
		{nil, nil, 0},
		{[]uint32{1, 2, 3}, nil, 0},
		{[]uint32{1, 2, 3}, []uint32{1, 2, 3}, 3},
		{[]uint32{1, 3, 5, 7}, []uint32{2, 3, 4, 7, 9}, 2},
		{[]uint32{10}, []uint32{1, 2, 3}, 0},
	} {
		if got := Intersect(c.a, c.b); got != c.want {
			t.Errorf("Intersect(%v, %v) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := Intersect(c.b, c.a); got != c.want {
			t.Errorf("Intersect(%v, %v) = %d, want %d", c.b, c.a, got, c.want)
		}
	}
}

// TestIntersectMatchesMap checks random sets against a map count.
func TestIntersectMatchesMap(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	set := func() []uint32 {
		s := make([]uint32, r.IntN(50))
		for i := range s {
			s[i] = uint32(r.IntN(80))
		}
		slices.Sort(s)
		return slices.Compact(s)
	}
	for range 500 {
		a, b := set(), set()
		in := map[uint32]bool{}
		for _, x := range a {
			in[x] = true
		}
		want := 0
		for _, x := range b {
			if in[x] {
				want++
			}
		}
		if got := Intersect(a, b); got != want {
			t.Fatalf("Intersect(%v, %v) = %d, want %d", a, b, got, want)
		}
	}
}
