package dedup

import (
	"time"

	"github.com/marsad/marsad/internal/sets"
)

// Similarity compares two shingle sets exactly.
type Similarity struct {
	// Shared is the number of shingles in both; A and B the set sizes.
	Shared, A, B int
	Jaccard      float64
	// InA is the share of A's shingles found in B (A's containment in B);
	// InB the other way round. A cut copy is contained in its original,
	// an original in its extended copy.
	InA, InB float64
	// Numbers is the share of the shorter text's numbers found in the
	// other text (1 when it has none).
	Numbers float64
}

// Contained is the larger containment: how much of the smaller text the
// other one holds.
func (s Similarity) Contained() float64 { return max(s.InA, s.InB) }

// Compare computes the similarity of two fingerprints.
func Compare(a, b Fingerprint) Similarity {
	n := intersect(a.Shingles, b.Shingles)
	s := Similarity{Shared: n, A: len(a.Shingles), B: len(b.Shingles)}
	if u := s.A + s.B - n; u > 0 {
		s.Jaccard = float64(n) / float64(u)
	}
	if s.A > 0 {
		s.InA = float64(n) / float64(s.A)
	}
	if s.B > 0 {
		s.InB = float64(n) / float64(s.B)
	}
	short, long := a.Numbers, b.Numbers
	if len(a.Shingles) > len(b.Shingles) {
		short, long = long, short
	}
	s.Numbers = 1
	if len(short) > 0 {
		s.Numbers = float64(intersect(short, long)) / float64(len(short))
	}
	return s
}

func intersect(a, b []uint32) int { return sets.Intersect(a, b) }

// Rule decides whether two texts are copies of each other, in two
// stages: the shingle sets decide the clear cases (same or nearly the same
// wording); the pairs they leave open are decided on the texts' layouts
// (Align).
type Rule struct {
	// Jaccard at or above which two texts are copies outright.
	Jaccard float64
	// Contained at or above which the smaller text is a copy (cut from or
	// extended into the larger one), if it also shares at least
	// MinShared shingles, the numbers agree and it starts where the
	// larger one starts (Lead).
	Contained float64
	MinShared int
	// Numbers: the least share of the smaller text's numbers the other
	// must hold. Templated look-alikes (market reports of other days)
	// share the wording and differ in the figures.
	Numbers float64
	// MinNumbers is how many numbers both texts need before the Numbers
	// test applies (one figure is not a market report, and a text without
	// figures has none to disagree with).
	MinNumbers int
	// FiguresFree is the Jaccard at or above which figures are not
	// compared.
	FiguresFree float64
	// Open: below Jaccard, a pair whose containment reaches Open is
	// decided by the second stage; below it, it is no copy.
	Open float64
	// Aligned and Pairs: a rewritten copy keeps a counterpart for at least
	// Aligned of its words' sentences and Pairs of its word pairs.
	Aligned, Pairs float64
	// Lead: the most of the longer text that may come before the shorter
	// text's first counterpart.
	Lead float64
	// MaxGap: texts published further apart are not copies. Outlets
	// republish within hours (at most 18 in the labelled pairs); the
	// same wording weeks apart is a template (the fifth relief flight,
	// the next day's market report), and a group must not grow along it.
	MaxGap time.Duration
}

// DefaultRule is tuned on SaudiNewsNet's development pairs (see
// docs/benchmarks.md, "Copies").
func DefaultRule() Rule {
	return Rule{Jaccard: 0.4, Contained: 0.65, MinShared: 10, Numbers: 0.6, MinNumbers: 2, FiguresFree: 0.7,
		Open: 0.4, Aligned: 0.55, Pairs: 0.55, Lead: 0.2, MaxGap: 72 * time.Hour}
}

// Verdict is the first stage's answer.
type Verdict uint8

const (
	NotCopy Verdict = iota
	IsCopy
	// Open: the texts' layouts decide (Rule.Rewritten).
	Open
)

// Judge is the first stage: exact copies (same analysed words) and
// near-identical wording are copies, pairs that share too little or whose
// figures disagree are not, the rest is open.
func (r Rule) Judge(a, b Fingerprint, s Similarity) Verdict {
	if a.Exact != 0 && a.Exact == b.Exact {
		return IsCopy
	}
	if !a.Near() || !b.Near() || s.Shared < r.MinShared {
		return NotCopy
	}
	// Near-identical wording is a copy whatever the figures look like
	// (outlets write 157.726.135 or "157 مليوناً"); below that, figures
	// that disagree mark a templated report of another day.
	if s.Jaccard < r.FiguresFree && min(len(a.Numbers), len(b.Numbers)) >= r.MinNumbers && s.Numbers < r.Numbers {
		return NotCopy
	}
	switch {
	case s.Jaccard >= r.Jaccard:
		return IsCopy
	case s.Contained() >= r.Open:
		return Open
	}
	return NotCopy
}

// Rewritten is the second stage, for open pairs: the shorter text must
// start where the longer one starts, and either be contained in it
// (cut or extended copy) or keep most of its sentences and word pairs
// (rewritten copy).
func (r Rule) Rewritten(s Similarity, al Alignment) bool {
	if al.Lead > r.Lead {
		return false
	}
	return s.Contained() >= r.Contained || al.Aligned >= r.Aligned && al.Pairs >= r.Pairs
}

// Apart reports whether texts published at a and b are too far apart to
// be copies (MaxGap; an unknown time is never apart).
func (r Rule) Apart(a, b time.Time) bool {
	if r.MaxGap <= 0 || a.IsZero() || b.IsZero() {
		return false
	}
	d := a.Sub(b)
	return d > r.MaxGap || -d > r.MaxGap
}

// Window is the time span a text published at t can have copies in
// (MaxGap either side); zero times when there is no limit.
func (r Rule) Window(t time.Time) (from, to time.Time) {
	if r.MaxGap <= 0 || t.IsZero() {
		return time.Time{}, time.Time{}
	}
	return t.Add(-r.MaxGap), t.Add(r.MaxGap)
}

// Copy runs both stages; align is called only for open pairs.
func (r Rule) Copy(a, b Fingerprint, s Similarity, align func() Alignment) bool {
	switch r.Judge(a, b, s) {
	case IsCopy:
		return true
	case Open:
		return r.Rewritten(s, align())
	}
	return false
}

func (v Verdict) String() string { return [...]string{"no", "copy", "open"}[v] }
