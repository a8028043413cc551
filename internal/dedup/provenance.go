package dedup

import (
	"slices"
	"time"
)

// Member is a group member as provenance sees it.
type Member struct {
	ID       int64
	SourceID string
	When     time.Time
	// Credit is the agency or outlet the text credits ("واس"); "" when none.
	Credit string
	// Shingles is the size of the text's shingle set.
	Shingles int
}

// Provenance rules, in the order they are tried (stored with each copy).
const (
	RuleCredited = "credited" // the source the other members credit, or a wire agency
	RuleEarliest = "earliest" // the earliest published
	RuleLongest  = "longest"  // same time: the fuller text
	RuleFirstID  = "first-id" // everything equal: the first stored
)

// Original picks a group's original. The rule, tried in order:
//
//  1. Credit: a member whose source is credited by another member's text
//     (attribution from extraction, or markers like "(واس)", "المصدر:"),
//     or whose source is a wire agency (agencies maps the credited name
//     to the agency's source ID; agency copy is republished, it does not
//     republish). Among several, the rest of the rule decides.
//  2. Publication time: the earliest wins.
//  3. Same time (to the second): the longer text, because outlets cut
//     wire copy far more often than they extend it.
//  4. The lowest ID (the first stored), so the choice is deterministic.
//
// The choice depends only on the set of members, never on the order they
// arrived in, so incremental detection and bulk import agree.
func Original(members []Member, agencies map[string]string) (Member, string) {
	if len(members) == 0 {
		return Member{}, ""
	}
	credited := map[string]bool{}
	for _, a := range agencies {
		credited[a] = true
	}
	for _, m := range members {
		if m.Credit == "" {
			continue
		}
		if src, ok := agencies[m.Credit]; ok {
			credited[src] = true
		}
		credited[m.Credit] = true // outlets credited by source ID or name
	}
	pool := slices.DeleteFunc(slices.Clone(members), func(m Member) bool { return !credited[m.SourceID] })
	why := RuleCredited
	if len(pool) == 0 || len(pool) == len(members) {
		pool, why = members, ""
	}
	best := pool[0]
	for _, m := range pool[1:] {
		if _, ok := before(m, best); ok {
			best = m
		}
	}
	if why == "" {
		// The rule that sets the original apart from its closest rival.
		why = RuleEarliest
		rank := map[string]int{RuleEarliest: 0, RuleLongest: 1, RuleFirstID: 2}
		for _, m := range pool {
			if r, _ := before(best, m); m.ID != best.ID && rank[r] > rank[why] {
				why = r
			}
		}
	}
	return best, why
}

// before reports whether a precedes b under rules 2–4, and by which rule.
func before(a, b Member) (string, bool) {
	ta, tb := a.When.Truncate(time.Second), b.When.Truncate(time.Second)
	switch {
	case !ta.Equal(tb):
		return RuleEarliest, ta.Before(tb)
	case a.Shingles != b.Shingles:
		return RuleLongest, a.Shingles > b.Shingles
	default:
		return RuleFirstID, a.ID < b.ID
	}
}
