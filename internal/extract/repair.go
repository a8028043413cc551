package extract

import (
	"strings"
	"unicode"
)

// Vocabulary answers how often a word (or "A B", two words separated by a
// space) occurs in a reference corpus (for marsad: the articles it has
// stored). RepairText consults it.
type Vocabulary interface {
	Count(word string) int
}

// Counts is a Vocabulary built in memory.
type Counts map[string]int

// Count implements Vocabulary.
func (c Counts) Count(w string) int { return c[w] }

// Add counts the Arabic words of text. (Counting "A B" pairs as well
// was measured and changed none of the repairs on SaudiNewsNet, at ten
// times the memory, so RepairText's pair check only helps vocabularies
// that have them.)
func (c Counts) Add(text string) {
	forArabicWords(text, func(_ int, w string) { c[w]++ })
}

// Repair is one word joined in the text: the repaired text holds Joined at
// Offset (bytes), where the original text held Original.
type Repair struct {
	Offset   int    `json:"offset"`
	Original string `json:"original"`
	Joined   string `json:"joined"`
}

// Thresholds of the repair rule (see RepairText); docs/benchmarks.md has
// the measured false-repair rate on SaudiNewsNet.
const (
	repairMinJoined = 20 // the joined form is a common word…
	repairMaxPart   = 2  // …and one part is (almost) never seen alone
)

// RepairText joins Arabic words split by a stray space («الروس ي» →
// «الروسي») where the vocabulary knows the joined form well and one of the
// parts is not a word on its own. The repairs are returned so they can be
// shown and undone (UndoRepairs).
func RepairText(text string, v Vocabulary) (string, []Repair) {
	if v == nil {
		return text, nil
	}
	type word struct {
		off int
		s   string
	}
	var words []word
	forArabicWords(text, func(off int, w string) { words = append(words, word{off, w}) })
	var (
		b       strings.Builder
		repairs []Repair
		last    int // bytes of text already copied
	)
	for i := 0; i+1 < len(words); i++ {
		a, c := words[i], words[i+1]
		// exactly one space between the parts
		if c.off != a.off+len(a.s)+1 || text[a.off+len(a.s)] != ' ' {
			continue
		}
		joined := a.s + c.s
		if v.Count(joined) < repairMinJoined {
			continue
		}
		if v.Count(a.s) > repairMaxPart && v.Count(c.s) > repairMaxPart {
			continue
		}
		// The split form written often is a spelling, not an accident.
		if v.Count(a.s+" "+c.s) > repairMaxPart {
			continue
		}
		b.WriteString(text[last:a.off])
		repairs = append(repairs, Repair{Offset: b.Len(), Original: text[a.off : c.off+len(c.s)], Joined: joined})
		b.WriteString(joined)
		last = c.off + len(c.s)
		i++ // the second part is used up
	}
	if len(repairs) == 0 {
		return text, nil
	}
	b.WriteString(text[last:])
	return b.String(), repairs
}

// UndoRepairs restores the text RepairText was given.
func UndoRepairs(text string, repairs []Repair) string {
	var b strings.Builder
	last := 0
	for _, r := range repairs {
		if r.Offset < last || r.Offset+len(r.Joined) > len(text) || text[r.Offset:r.Offset+len(r.Joined)] != r.Joined {
			return text // not the text these repairs were made on
		}
		b.WriteString(text[last:r.Offset])
		b.WriteString(r.Original)
		last = r.Offset + len(r.Joined)
	}
	b.WriteString(text[last:])
	return b.String()
}

// forArabicWords calls fn with each run of Arabic letters and its byte
// offset. Diacritics inside a word keep it whole.
func forArabicWords(s string, fn func(off int, w string)) {
	start := -1
	for i, r := range s {
		in := r >= 0x0600 && r <= 0x06FF && (unicode.IsLetter(r) || unicode.Is(unicode.Mn, r))
		if in && start < 0 {
			start = i
		}
		if !in && start >= 0 {
			fn(start, s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		fn(start, s[start:])
	}
}
