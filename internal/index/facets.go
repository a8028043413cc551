package index

import (
	"cmp"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/marsad/marsad/internal/store"
)

// facets counts docs by source and by day in a zone tz seconds east of UTC,
// ordered as store.TallyFacets orders them.
func (ix *Index) facets(docs []int32, tz int) ([]store.SourceFacet, []store.DayCount) {
	if len(docs) == 0 {
		return nil, nil
	}
	bySrc := make([]int, len(ix.sources))
	day := func(d int32) int64 { return floorDiv(ix.times[d]+int64(tz), 86400) }
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for _, d := range docs {
		bySrc[ix.src[d]]++
		x := day(d)
		lo, hi = min(lo, x), max(hi, x)
	}
	var sources []store.SourceFacet
	for i, c := range bySrc {
		if c > 0 {
			sources = append(sources, store.SourceFacet{Source: ix.sources[i], Count: c})
		}
	}
	slices.SortFunc(sources, func(a, b store.SourceFacet) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Source, b.Source))
	})
	// Counting into an array over the days' range is cheaper than a map
	// or a sort for tens of thousands of matches, and a second pass over
	// docs cheaper than keeping each one's day (a query's largest array).
	var out []store.DayCount
	if hi-lo > 1<<20 {
		days := make([]int64, len(docs))
		for i, d := range docs {
			days[i] = day(d)
		}
		slices.Sort(days)
		for i := 0; i < len(days); {
			j := i + 1
			for j < len(days) && days[j] == days[i] {
				j++
			}
			out = append(out, store.DayCount{Day: ix.days.name(days[i]), Count: j - i})
			i = j
		}
		return sources, out
	}
	counts := make([]int, hi-lo+1)
	for _, d := range docs {
		counts[day(d)-lo]++
	}
	for i, c := range counts {
		if c > 0 {
			out = append(out, store.DayCount{Day: ix.days.name(lo + int64(i)), Count: c})
		}
	}
	return sources, out
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// dayNames caches "2006-01-02" for day numbers (days since 1970-01-01):
// formatting thousands of dates per query would cost more than counting.
type dayNames struct {
	mu    sync.Mutex
	names map[int64]string
}

func (d *dayNames) name(day int64) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if s, ok := d.names[day]; ok {
		return s
	}
	if d.names == nil {
		d.names = map[int64]string{}
	}
	s := time.Unix(day*86400, 0).UTC().Format("2006-01-02")
	d.names[day] = s
	return s
}
