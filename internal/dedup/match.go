package dedup

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

func intersect(a, b []uint32) int {
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

// Rule decides whether two texts are copies of each other.
type Rule struct {
	// Jaccard at or above which two texts are copies outright.
	Jaccard float64
	// Contained at or above which the smaller text is a copy (cut from or
	// extended into the larger one), if it also shares at least
	// MinShared shingles and the numbers agree.
	Contained float64
	MinShared int
	// Numbers: the least share of the smaller text's numbers the other
	// must hold. Templated look-alikes (market reports of other days)
	// share the wording and differ in the figures.
	Numbers float64
	// MinNumbers is how many numbers the smaller text needs before the
	// Numbers test applies (one figure is not a market report).
	MinNumbers int
	// FiguresFree is the Jaccard at or above which figures are not
	// compared.
	FiguresFree float64
}

// DefaultRule is tuned on SaudiNewsNet's development pairs (see
// docs/benchmarks.md, "Copies").
func DefaultRule() Rule {
	return Rule{Jaccard: 0.4, Contained: 0.65, MinShared: 10, Numbers: 0.6, MinNumbers: 2, FiguresFree: 0.7}
}

// Copy reports whether a and b are copies under the rule, given their
// similarity s. Exact copies (same analysed words) always are.
func (r Rule) Copy(a, b Fingerprint, s Similarity) bool {
	if a.Exact != 0 && a.Exact == b.Exact {
		return true
	}
	if !a.Near() || !b.Near() || s.Shared < r.MinShared {
		return false
	}
	short := a.Numbers
	if len(b.Shingles) < len(a.Shingles) {
		short = b.Numbers
	}
	// Near-identical wording is a copy whatever the figures look like
	// (outlets write 157.726.135 or "157 مليوناً"); below that, figures
	// that disagree mark a templated report of another day.
	if s.Jaccard < r.FiguresFree && len(short) >= r.MinNumbers && s.Numbers < r.Numbers {
		return false
	}
	return s.Jaccard >= r.Jaccard || s.Contained() >= r.Contained
}
