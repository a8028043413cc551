package arabic

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// class is what a folded rune is to the tokenizer.
type class uint8

const (
	cSep       class = iota // separates tokens (space, punctuation, symbols)
	cArabic                 // a letter of the Arabic script
	cLetter                 // a letter of another script (Latin, …)
	cDigit                  // a digit, folded to ASCII where it has an ASCII form
	cMark                   // dropped without separating: diacritics, tatweel, zero-width and bidi marks
	cHamzaMark              // a combining hamza/madda: dropped, but و/ي before U+0654 become ء (as ؤ/ئ do)
	cSlow                   // outside the fast tables: folded by foldSlow (NFKC, other scripts)
)

// fold is one rune after the character layer, with its class.
type fold struct {
	r rune
	c class
}

// charTable folds ASCII (0–0x7F) and the Arabic block (U+0600–U+06FF), the
// runes of nearly all Arabic news text, by lookup. Everything else takes the
// slow path.
type charTable struct {
	ascii  [0x80]fold
	arabic [0x100]fold
}

func newCharTable() *charTable {
	t := new(charTable)
	for r := rune(0); r < 0x80; r++ {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			t.ascii[r] = fold{r, cLetter}
		case 'A' <= r && r <= 'Z':
			t.ascii[r] = fold{r + 'a' - 'A', cLetter}
		default:
			t.ascii[r] = fold{r, cSep}
		}
		if '0' <= r && r <= '9' {
			t.ascii[r].c = cDigit
		}
	}
	ar := func(r rune) *fold { return &t.arabic[r-0x600] }
	// By default a rune of the block is a letter that stays as it is; the
	// rules below name every exception.
	for r := rune(0x600); r < 0x700; r++ {
		*ar(r) = fold{r, cArabic}
	}
	set := func(from, to rune, f fold) {
		for r := from; r <= to; r++ {
			*ar(r) = f
		}
	}
	mark := fold{0, cMark}
	// Format characters and combining marks: diacritics (harakat, tanween,
	// shadda, sukun), superscript alef, honorific and Quranic signs, tatweel.
	set(numberSignFirst, numberSignLast, mark)
	set(arabicSignFirst, arabicSignLast, mark)
	*ar(arabicLetterMark) = mark
	set(fathatan, lastHaraka, mark)
	*ar(superscriptAlef) = mark
	*ar(tatweel) = mark
	*ar(highHamza) = mark
	set(quranicMarkFirst, quranicMarkLast, mark)
	*ar(maddahAbove) = fold{maddahAbove, cHamzaMark}
	*ar(hamzaAbove) = fold{hamzaAbove, cHamzaMark}
	*ar(hamzaBelow) = fold{hamzaBelow, cHamzaMark}
	// Symbols inside the ranges above separate words.
	for _, r := range []rune{endOfAyah, rubElHizb, placeOfSajdah} {
		*ar(r) = fold{r, cSep}
	}
	// Punctuation and symbols of the block; the common ones fold to ASCII.
	for r := rune(arabicSymbolFirst); r <= arabicSymbolLast; r++ {
		*ar(r) = fold{r, cSep}
	}
	*ar(arabicComma) = fold{',', cSep}
	*ar(arabicSemicolon) = fold{';', cSep}
	*ar(arabicEndOfText) = fold{arabicEndOfText, cSep}
	*ar(arabicTripleDot) = fold{arabicTripleDot, cSep}
	*ar(arabicQuestion) = fold{'?', cSep}
	*ar(arabicPercent) = fold{'%', cSep}
	*ar(decimalSeparator) = fold{'.', cSep}
	*ar(thousandSeparator) = fold{',', cSep}
	*ar(arabicStar) = fold{'*', cSep}
	*ar(arabicFullStop) = fold{'.', cSep}
	*ar(sindhiAmpersand) = fold{sindhiAmpersand, cSep}
	*ar(sindhiPostposMen) = fold{sindhiPostposMen, cSep}
	// Digits to ASCII.
	for d := rune(0); d < 10; d++ {
		*ar(arabicIndicZero + d) = fold{'0' + d, cDigit}
		*ar(persianZero + d) = fold{'0' + d, cDigit}
	}
	// Hamza and alef forms: أ إ آ ٱ ٲ ٳ → ا; ؤ ئ → ء, so that the two
	// spellings of مسؤول/مسئول and شؤون/شئون meet (5–6% of their uses in
	// SaudiNewsNet take the ئ spelling).
	for _, r := range []rune{alefMadda, alefHamzaAbove, alefHamzaBelow, alefWasla, alefWavyHamzaAbove, alefWavyHamzaBelow} {
		*ar(r) = fold{alef, cArabic}
	}
	*ar(wawHamza) = fold{hamza, cArabic}
	*ar(yehHamza) = fold{hamza, cArabic}
	// ى → ي and ة → ه (for matching only; display text keeps them).
	*ar(alefMaksura) = fold{yeh, cArabic}
	*ar(tehMarbuta) = fold{heh, cArabic}
	// Persian and Urdu letters to the Arabic letters Arabic writers use.
	for from, to := range map[rune]rune{
		peh: beh, tcheh: jeem, jeh: zain, veh: feh, keheh: kaf, gaf: kaf,
		hehDoachashmee: heh, hehYehAbove: heh, hehGoal: heh, tehMarbutaGoal: heh, ae: heh,
		farsiYeh: yeh, yehBarree: yeh, yehBarreeHamza: yeh,
	} {
		*ar(from) = fold{to, cArabic}
	}
	// Compatibility letters (ٵ ٶ ٷ ٸ): NFKC.
	set(highHamzaAlef, highHamzaYehLigature, fold{0, cSlow})
	return t
}

// foldAt folds the rune at s[i:], appending its folded runes to dst (none
// for a dropped rune, several for a ligature such as ﷲ), and returns the
// rune's size in bytes.
func (a *Analyzer) foldAt(dst []fold, s string, i int) ([]fold, int) {
	if b := s[i]; b < utf8.RuneSelf {
		return append(dst, a.chars.ascii[b]), 1
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	if r >= 0x600 && r < 0x700 {
		if f := a.chars.arabic[r-0x600]; f.c != cSlow {
			return append(dst, f), n
		}
	}
	return a.foldSlow(dst, r, s[i:i+n]), n
}

// foldSlow folds a rune outside ASCII and the Arabic block: zero-width and
// bidi controls are dropped; runes that are not NFKC-normal (presentation
// forms, ligatures like ﻻ and ﷲ, full-width forms, ligatures ﬁ) are replaced
// by their NFKC form, which is then folded like any text.
func (a *Analyzer) foldSlow(dst []fold, r rune, src string) []fold {
	switch {
	case r == utf8.RuneError && len(src) == 1:
		return append(dst, fold{utf8.RuneError, cSep}) // invalid UTF-8 separates
	case r == zeroWidthSpace:
		return append(dst, fold{' ', cSep})
	case r == zeroWidthNonJoin || r == zeroWidthJoiner || r == leftToRightMark || r == rightToLeftMark,
		r >= bidiEmbedFirst && r <= bidiEmbedLast, r >= bidiIsolateFirst && r <= bidiIsolateLast,
		r == wordJoiner, r == byteOrderMark, r == softHyphen:
		return append(dst, fold{0, cMark})
	}
	if norm.NFKC.PropertiesString(src).Decomposition() == nil {
		return a.foldClean(dst, r) // no compatibility mapping: NFKC leaves it alone
	}
	var buf [64]byte
	for _, r := range string(norm.NFKC.AppendString(buf[:0], src)) {
		dst = a.foldClean(dst, r)
	}
	return dst
}

// foldClean folds an NFKC-normal rune.
func (a *Analyzer) foldClean(dst []fold, r rune) []fold {
	if r < utf8.RuneSelf {
		return append(dst, a.chars.ascii[r])
	}
	if r >= 0x600 && r < 0x700 {
		if f := a.chars.arabic[r-0x600]; f.c != cSlow {
			return append(dst, f)
		}
		return append(dst, fold{r, cArabic}) // not reached: NFKC output has no compatibility letters
	}
	switch {
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return append(dst, fold{0, cMark})
	case unicode.IsLetter(r):
		c := cLetter
		if unicode.Is(unicode.Arabic, r) {
			c = cArabic
		} else if r < 0x0600 {
			// Latin, Greek, Cyrillic: drop accents (é → e), as the Arabic
			// layer drops harakat.
			if d := norm.NFD.PropertiesString(string(r)).Decomposition(); d != nil {
				if b, _ := utf8.DecodeRune(d); unicode.IsLetter(b) {
					r = b
				}
			}
		}
		r = unicode.ToLower(r)
		if r < utf8.RuneSelf {
			return append(dst, a.chars.ascii[r])
		}
		return append(dst, fold{r, c})
	case unicode.IsDigit(r):
		return append(dst, fold{r, cDigit})
	case unicode.IsNumber(r):
		return append(dst, fold{r, cLetter}) // ² ½ without an NFKC digit: part of a word
	}
	return append(dst, fold{r, cSep})
}

// Normalize applies the character layer to s: NFKC where needed, hamza and
// alef forms, ى → ي, ة → ه, ؤ/ئ → ء, Persian letters, diacritics, tatweel,
// zero-width and bidi marks, Arabic-Indic digits, Arabic punctuation to
// ASCII, lower-case Latin without accents. Word boundaries are kept. It is
// for matching only: display text is never altered.
func (a *Analyzer) Normalize(s string) string {
	b := make([]byte, 0, len(s))
	var tmp [24]fold
	last := -1 // offset in b of the last rune written
	for i := 0; i < len(s); {
		fs, n := a.foldAt(tmp[:0], s, i)
		for _, f := range fs {
			switch f.c {
			case cMark:
			case cHamzaMark:
				hamzaFix(b, last, f.r)
			default:
				last = len(b)
				b = utf8.AppendRune(b, f.r)
			}
		}
		i += n
	}
	return string(b)
}

// hamzaFix applies a combining hamza to the rune at b[at:]: و or ي with
// hamza above is ؤ or ئ, which fold to ء. Both are two bytes, as is ء, so
// the rune is replaced in place.
func hamzaFix(b []byte, at int, m rune) {
	if at < 0 || m != hamzaAbove {
		return
	}
	if r, _ := utf8.DecodeRune(b[at:]); r == waw || r == yeh {
		utf8.EncodeRune(b[at:], hamza)
	}
}
