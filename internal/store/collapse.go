package store

import "context"

// Ranked is one match in a query's order: its ID, its copy group
// (OriginalID, or the ID of an original) and its score.
type Ranked struct {
	ID, Group int64
	Score     float64
}

// GroupMatch is how a query matches one copy group.
type GroupMatch struct {
	Members  int  // matching articles of the group
	Original bool // the original itself matches
}

// RankSource is what a backend offers for collapsing copy groups.
type RankSource interface {
	// Ranked returns the matches [offset, offset+limit) in q's order.
	Ranked(ctx context.Context, q SearchQuery, offset, limit int) ([]Ranked, error)
	// GroupMatches reports, per group, its members that match q.
	GroupMatches(ctx context.Context, q SearchQuery, groups []int64) (map[int64]GroupMatch, error)
}

// Collapse pages over q's copy groups: scanning matches in q's order, a
// group's first member is its best (or newest), so the first distinct
// groups are the page, without scoring-then-grouping every match. Each
// group shows its original when that matches, else that first member, with
// the group's first member's score. Hits carry IDs only.
func Collapse(ctx context.Context, src RankSource, q SearchQuery) ([]SearchHit, error) {
	need := max(0, q.Offset) + limit(q.Limit)
	seen := map[int64]bool{}
	var firsts []Ranked
	chunk := max(2*need, 64)
	for pos := 0; len(firsts) < need; {
		rs, err := src.Ranked(ctx, q, pos, chunk)
		if err != nil {
			return nil, err
		}
		pos += len(rs)
		for _, r := range rs {
			if !seen[r.Group] {
				seen[r.Group] = true
				if firsts = append(firsts, r); len(firsts) == need {
					break
				}
			}
		}
		if len(rs) < chunk {
			break
		}
		chunk *= 2
	}
	if q.Offset >= len(firsts) {
		return nil, nil
	}
	page := firsts[max(0, q.Offset):]
	groups := make([]int64, len(page))
	for i, r := range page {
		groups[i] = r.Group
	}
	gm, err := src.GroupMatches(ctx, q, groups)
	if err != nil {
		return nil, err
	}
	hits := make([]SearchHit, len(page))
	for i, r := range page {
		m := gm[r.Group]
		id := r.ID
		if m.Original {
			id = r.Group
		}
		hits[i].Article.ID, hits[i].Score, hits[i].Copies = id, r.Score, max(0, m.Members-1)
	}
	return hits, nil
}

func limit(n int) int {
	if n <= 0 {
		return DefaultLimit
	}
	return n
}
