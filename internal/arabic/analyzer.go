// Package arabic is marsad's one Arabic analyzer: every component that
// compares text (search, copies, stories, related reading) sees the terms it
// produces, so they never disagree. It imports nothing of marsad's own.
package arabic

import (
	"strings"
	"unicode"
)

// Analyzer turns text into comparable terms. It is safe for concurrent use.
type Analyzer struct{}

// New returns the analyzer with marsad's defaults.
func New() *Analyzer { return &Analyzer{} }

// Normalize folds the spelling variants Arabic writers use interchangeably
// (hamza/alef forms, alef maqsura, ta marbuta, diacritics, tatweel) and lower-
// cases Latin letters. It is for matching only: display text is never altered.
func (a *Analyzer) Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
			b.WriteRune('ا')
		case r == 'ى':
			b.WriteRune('ي')
		case r == 'ة':
			b.WriteRune('ه')
		case r == 'ـ': // tatweel
		case r >= 0x064B && r <= 0x065F, r == 0x0670: // harakat, tanween, shadda, sukun, superscript alef
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// Terms appends the index terms of s to dst: normalised words in order.
func (a *Analyzer) Terms(dst []string, s string) []string {
	for _, w := range strings.FieldsFunc(a.Normalize(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	}) {
		dst = append(dst, w)
	}
	return dst
}
