package arabic

import (
	"sync"
	"unicode"
	"unicode/utf8"
)

// Analyzer turns text into tokens and comparable terms. It is safe for
// concurrent use; its tables are built once in New and never change.
type Analyzer struct {
	chars  *charTable
	lex    map[string]lexEntry
	filter lexFilter // of lex's keys
	pool   sync.Pool // *scanner
}

// New returns the analyzer with marsad's defaults.
func New() *Analyzer { return newAnalyzer(options{learned: true, variants: true}) }

// options leave parts of the lexicon out, to measure what they do and to
// learn the learned lists again.
type options struct {
	learned  bool // keep.txt and radical.txt
	variants bool // variants.txt
}

func newAnalyzer(o options) *Analyzer {
	a := &Analyzer{chars: newCharTable()}
	a.lex = a.buildLexicon(o)
	return a
}

// Token is one token of a text.
type Token struct {
	Start, End int    // byte offsets of Surface in the analysed text
	Surface    string // the text as written (a substring of the input)
	Norm       string // after the character layer
	Term       string // the index term (stem); "" for a stopword
	Kind       Kind
	Stop       bool
}

func (a *Analyzer) get(s string) *scanner {
	sc, _ := a.pool.Get().(*scanner)
	if sc == nil {
		sc = &scanner{a: a}
	}
	sc.reset(s)
	sc.scan()
	return sc
}

func (a *Analyzer) put(sc *scanner) {
	if cap(sc.buf) > 1<<20 || cap(sc.out) > 1<<20 || cap(sc.toks) > 1<<16 {
		return // do not keep a huge document's buffers alive
	}
	sc.s = ""
	a.pool.Put(sc)
}

// Tokens appends the tokens of s to dst in input order, stopwords included
// (Stop set, Term empty). Norm and Term of all tokens share one allocation.
func (a *Analyzer) Tokens(dst []Token, s string) []Token {
	sc := a.get(s)
	arena := string(sc.buf)
	for _, t := range sc.toks {
		tok := Token{Start: t.start, End: t.end, Surface: s[t.start:t.end], Norm: arena[t.norm0:t.norm1], Kind: t.kind, Stop: t.stop}
		if !t.stop {
			tok.Term = t.termOf(arena)
		}
		dst = append(dst, tok)
	}
	a.put(sc)
	return dst
}

func (t *rawTok) termOf(arena string) string {
	if t.term != "" {
		return t.term
	}
	return arena[t.term0:t.term1]
}

// Terms appends the index terms of s to dst: the stems of its non-stopword
// tokens, in order. A term spelled in s exactly as it is analysed is a
// substring of s; the others share one allocation, so there is no
// allocation per term (dst grows only when it is too small). Use it for
// search (index and query), story clustering and related reading.
func (a *Analyzer) Terms(dst []string, s string) []string {
	sc := a.get(s)
	dst = sc.emit(dst, false)
	a.put(sc)
	return dst
}

// TermRune reports whether r belongs to the alphabet of terms (Terms and
// Words): any ASCII character, and beyond ASCII only lower-case or
// caseless letters and numbers (FuzzAnalyzer checks every term). Search
// indexes split terms on what is not a letter or digit; on this alphabet
// SQLite FTS5's ascii and unicode61 tokenizers split and fold alike.
func TermRune(r rune) bool {
	if r < utf8.RuneSelf {
		return true
	}
	return (unicode.IsLetter(r) || unicode.IsNumber(r)) && unicode.ToLower(r) == r
}

// emit appends the terms (norms when words is true) of the non-stopword
// tokens. Where the input holds the same bytes at the corresponding place
// (no character was folded or dropped before or inside it), the string is
// taken from the input; the rest are copied into one new string.
func (sc *scanner) emit(dst []string, words bool) []string {
	s := sc.s
	out := sc.out[:0]
	for i := range sc.toks {
		t := &sc.toks[i]
		if t.stop || t.term != "" && !words {
			continue
		}
		from, to := t.term0, t.term1
		if words {
			from, to = t.norm0, t.norm1
		}
		b := sc.buf[from:to]
		if pos := t.start + from - t.norm0; t.norm1-t.norm0 == t.end-t.start && s[pos:pos+len(b)] == string(b) {
			t.src = pos
			continue
		}
		t.src = -1 - len(out)
		out = append(out, b...)
	}
	arena := string(out)
	sc.out = out
	for i := range sc.toks {
		t := &sc.toks[i]
		switch {
		case t.stop:
		case t.term != "" && !words:
			dst = append(dst, t.term)
		default:
			n := t.term1 - t.term0
			if words {
				n = t.norm1 - t.norm0
			}
			if t.src >= 0 {
				dst = append(dst, s[t.src:t.src+n])
			} else {
				dst = append(dst, arena[-1-t.src:-1-t.src+n])
			}
		}
	}
	return dst
}

// Words appends the normalised forms (not stemmed) of the non-stopword
// tokens of s to dst, in order, allocating like Terms. Use it for copy
// detection: a copy keeps the wording, so shingles of words tell a
// republished text from an independent report of the same event better
// than shingles of stems would.
func (a *Analyzer) Words(dst []string, s string) []string {
	sc := a.get(s)
	dst = sc.emit(dst, true)
	a.put(sc)
	return dst
}
