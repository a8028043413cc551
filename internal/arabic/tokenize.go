package arabic

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind is what a token is.
type Kind uint8

const (
	Word    Kind = iota // an Arabic-script word: normalised, stopword-checked, stemmed
	Foreign             // a word in another script (Latin, …): lower-cased, accents dropped, not stemmed
	Number              // digits with internal separators (1,500 3.5 10:30 2015/8/12), ASCII digits
	URL                 // http(s):// or www. address, kept whole
	Email               // kept whole
	Hashtag             // #وسم kept whole (normalised, not stemmed)
	Mention             // @user kept whole
)

var kindNames = [...]string{"word", "foreign", "number", "url", "email", "hashtag", "mention"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// rawTok is a token under construction: offsets into the input and into the
// scan buffer, so that a whole text is analysed into one buffer and turned
// into strings with one allocation.
type rawTok struct {
	start, end   int // bytes of the surface in the input
	norm0, norm1 int // normalised form in buf
	term0, term1 int // term in buf (a slice of the normalised form), unless term != ""
	term         string
	n            int // letters of the norm (Arabic words)
	src          int // where emit found the output string (see emit)
	kind         Kind
	stop         bool
}

// scanner is the per-call state of an analysis. Scanners are pooled by the
// Analyzer, so steady-state analysis does not allocate per token.
type scanner struct {
	a    *Analyzer
	s    string
	buf  []byte
	out  []byte // emit's copies
	toks []rawTok

	in      bool   // inside a token
	cur     rawTok // the token being built
	last    int    // offset in buf of the last rune of cur (for hamzaFix)
	pendSep byte   // a separator seen inside a number, kept if a digit follows
	// noEmail: no e-mail address starts before this offset (a run of
	// local-part characters scanned once ended without @), so runs like
	// a.b.c.d are not rescanned from every token: scanning stays linear.
	noEmail int
}

func (sc *scanner) reset(s string) {
	sc.s = s
	sc.buf = sc.buf[:0]
	sc.toks = sc.toks[:0]
	sc.in = false
	sc.pendSep = 0
	sc.noEmail = 0
}

// scan tokenizes sc.s into sc.toks.
func (sc *scanner) scan() {
	s := sc.s
	var tmp [24]fold
	for i := 0; i < len(s); {
		if b := s[i]; b == '#' || b == '@' || b == 'h' || b == 'H' || b == 'w' || b == 'W' ||
			(b < utf8.RuneSelf && isASCIIAlnum(b) && !sc.in) {
			// Special tokens are recognised on the raw text where one could start.
			if !sc.in || (sc.cur.kind != Foreign && sc.cur.kind != Number) {
				if end, k := sc.matchSpecial(i); end > i {
					sc.finish()
					sc.special(i, end, k)
					i = end
					continue
				}
			}
		}
		// Fast path: a letter of the Arabic block (UTF-8 D8 80–DB BF) that
		// continues an Arabic word, by far the commonest case.
		if b := s[i]; b >= 0xD8 && b <= 0xDB && sc.in && sc.cur.kind == Word && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			if f := sc.a.chars.arabic[(rune(b&0x1F)<<6|rune(s[i+1]&0x3F))-0x600]; f.c == cArabic {
				sc.add(f.r, i+2)
				i += 2
				continue
			}
		}
		fs, n := sc.a.foldAt(tmp[:0], s, i)
		for _, f := range fs {
			sc.step(f, i, i+n)
		}
		i += n
	}
	sc.finish()
}

func isASCIIAlnum(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

// step feeds one folded rune that came from s[start:end].
func (sc *scanner) step(f fold, start, end int) {
	switch f.c {
	case cArabic:
		if !sc.in || sc.cur.kind != Word {
			sc.begin(Word, start)
		}
		sc.add(f.r, end)
	case cLetter:
		if !sc.in || sc.cur.kind == Word || sc.pendSep != 0 {
			sc.begin(Foreign, start)
		}
		sc.cur.kind = Foreign // digits followed by letters: 5g, 100km
		sc.add(f.r, end)
	case cDigit:
		if !sc.in || sc.cur.kind == Word {
			sc.begin(Number, start)
		}
		if sc.pendSep != 0 {
			sc.buf = append(sc.buf, sc.pendSep)
			sc.pendSep = 0
		}
		sc.add(f.r, end)
	case cMark:
		if sc.in && sc.pendSep == 0 {
			sc.cur.end = end
		}
	case cHamzaMark:
		if sc.in && sc.pendSep == 0 {
			sc.cur.end = end
			hamzaFix(sc.buf, sc.last, f.r)
		}
	default: // cSep
		if sc.in && sc.cur.kind == Number && sc.pendSep == 0 && isNumSep(f.r) {
			sc.pendSep = byte(f.r)
			return
		}
		sc.finish()
	}
}

// isNumSep reports whether r may join digits inside a number (after folding
// ٫ → . and ٬ → ,).
func isNumSep(r rune) bool { return r == '.' || r == ',' || r == ':' || r == '/' }

func (sc *scanner) begin(k Kind, start int) {
	sc.finish()
	sc.in = true
	sc.cur = rawTok{start: start, end: start, norm0: len(sc.buf), kind: k}
}

func (sc *scanner) add(r rune, end int) {
	sc.last = len(sc.buf)
	sc.cur.n++
	if r < utf8.RuneSelf {
		sc.buf = append(sc.buf, byte(r))
	} else {
		sc.buf = utf8.AppendRune(sc.buf, r)
	}
	sc.cur.end = end
}

// finish ends the current token: stopword check and stemming.
func (sc *scanner) finish() {
	sc.pendSep = 0
	if !sc.in {
		return
	}
	sc.in = false
	t := &sc.cur
	if t.kind == Number {
		sc.buf = dropGrouping(sc.buf, t.norm0)
	}
	t.norm1 = len(sc.buf)
	t.term0, t.term1 = t.norm0, t.norm1
	w := sc.buf[t.norm0:t.norm1]
	switch t.kind {
	case Word:
		sc.a.stem(t, w)
	case Foreign:
		t.stop = sc.a.lookup(w).flags&flagStop != 0
	}
	sc.toks = append(sc.toks, *t)
}

// dropGrouping removes thousands separators from the number at b[from:]:
// a comma between a digit and exactly three digits (1,500,000 → 1500000).
// Other commas stay (3,5 is a decimal in some outlets' style).
func dropGrouping(b []byte, from int) []byte {
	num := b[from:]
	if bytes.IndexByte(num, ',') < 0 {
		return b
	}
	out := num[:0]
	for i := 0; i < len(num); i++ {
		if num[i] == ',' && i > 0 && isDigit(num[i-1]) && i+3 < len(num) && isDigit(num[i+1]) && isDigit(num[i+2]) && isDigit(num[i+3]) &&
			(i+4 == len(num) || !isDigit(num[i+4])) {
			continue
		}
		out = append(out, num[i])
	}
	return b[:from+len(out)]
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// special records a URL, e-mail, hashtag or mention s[start:end]: its
// normalised form is the folded text with every character kept except
// dropped marks and any space a compatibility form might bring.
func (sc *scanner) special(start, end int, k Kind) {
	t := rawTok{start: start, end: end, norm0: len(sc.buf), kind: k}
	var tmp [24]fold
	for i := start; i < end; {
		fs, n := sc.a.foldAt(tmp[:0], sc.s, i)
		for _, f := range fs {
			if f.c == cMark || f.c == cHamzaMark || unicode.IsSpace(f.r) || f.r == 0 {
				continue
			}
			sc.buf = utf8.AppendRune(sc.buf, f.r)
		}
		i += n
	}
	t.norm1 = len(sc.buf)
	t.term0, t.term1 = t.norm0, t.norm1
	sc.toks = append(sc.toks, t)
}

// matchSpecial recognises a URL, e-mail, hashtag or mention starting at
// s[i]; it returns the end (> i) and kind, or i when there is none.
func (sc *scanner) matchSpecial(i int) (int, Kind) {
	s := sc.s
	switch b := s[i]; {
	case b == '#':
		if end := matchTagBody(s, i+1); end > i+1 {
			return end, Hashtag
		}
	case b == '@':
		j := i + 1
		for j < len(s) && (isASCIIAlnum(s[j]) || s[j] == '_') {
			j++
		}
		if j > i+1 {
			return j, Mention
		}
	default:
		if end := matchURL(s, i); end > i {
			return end, URL
		}
		if i >= sc.noEmail {
			end, scanned := matchEmail(s, i)
			if end > i {
				return end, Email
			}
			sc.noEmail = scanned
		}
	}
	return i, 0
}

// matchTagBody returns the end of a hashtag's body at s[i:]: letters,
// digits, underscores and in-word marks, with a letter or digit before any
// underscore; i when there is none. Marks, tatweel and format characters
// may come first too: normalisation deletes them, and "#َوطن" must be the
// same hashtag as "#وطن" (the fuzzer found the two tokenized differently).
func matchTagBody(s string, i int) int {
	j, seen := i, false
	for j < len(s) {
		r, n := utf8.DecodeRuneInString(s[j:])
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			seen = true
		case r == tatweel || unicode.In(r, unicode.Mn, unicode.Cf):
		case seen && r == '_':
		default:
			if !seen {
				return i
			}
			return j
		}
		j += n
	}
	if !seen {
		return i
	}
	return j
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// matchURL returns the end of an http(s):// or www. address at s[i:], or i.
// It runs to white space or a character that cannot be in a URL as written
// in text, and drops trailing punctuation.
func matchURL(s string, i int) int {
	rest := s[i:]
	var body int
	switch {
	case hasPrefixFold(rest, "https://"):
		body = 8
	case hasPrefixFold(rest, "http://"):
		body = 7
	case hasPrefixFold(rest, "www."):
		body = 4
	default:
		return i
	}
	j := i + body
	for j < len(s) {
		r, n := utf8.DecodeRuneInString(s[j:])
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError || strings.ContainsRune("<>\"'`{}|\\^«»،؛؟()[]", r) ||
			(r >= 0x600 && r < 0x700 && !unicode.IsLetter(r) && !unicode.IsDigit(r)) || !urlRune(r) {
			break
		}
		j += n
	}
	for j > i+body {
		r, n := utf8.DecodeLastRuneInString(s[i:j])
		if !strings.ContainsRune(".,;:!?-_*", r) {
			break
		}
		j -= n
	}
	if end := i + body; j == end || !isASCIIAlnum(s[end]) && s[end] < utf8.RuneSelf {
		return i // a scheme with nothing usable after it
	}
	return j
}

// urlRune reports whether r may continue a URL as written in text: any
// ASCII character the caller has not excluded, and beyond ASCII letters,
// digits and the marks and format characters normalisation drops. Other
// punctuation and symbols end it (a closing ” or … after an address), so
// a term never holds a non-ASCII rune that is neither letter nor digit,
// which keeps FTS5's ascii and unicode61 tokenizers equivalent on terms
// (the SQLite store's search index, internal/store/sqlite).
func urlRune(r rune) bool {
	return r < utf8.RuneSelf || unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r) || unicode.Is(unicode.Cf, r)
}

// matchEmail returns the end of an e-mail address at s[i:], or i: a local
// part of [A-Za-z0-9._%+-], @, and a domain of two or more labels. When
// there is none, scanned is where the local part ended: no address starts
// between i and scanned either.
func matchEmail(s string, i int) (end, scanned int) {
	j := i
	for j < len(s) && (isASCIIAlnum(s[j]) || strings.IndexByte("._%+-", s[j]) >= 0) {
		j++
	}
	if j == i || j >= len(s) || s[j] != '@' {
		return i, j
	}
	j++
	labels, labelStart, end := 0, j, -1
	for ; j <= len(s); j++ {
		if j < len(s) && (isASCIIAlnum(s[j]) || s[j] == '-') {
			continue
		}
		if j == labelStart {
			break
		}
		labels++
		end = j
		if j == len(s) || s[j] != '.' {
			break
		}
		labelStart = j + 1
	}
	if labels < 2 {
		return i, i + 1 // an @ without a domain: later starts may still match
	}
	for end > i && s[end-1] == '-' {
		end--
	}
	return end, end
}
