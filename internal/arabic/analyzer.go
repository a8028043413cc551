package arabic

import (
	"sync"
)

// Analyzer turns text into tokens and comparable terms. It is safe for
// concurrent use; its tables are built once in New and never change.
type Analyzer struct {
	chars *charTable
	lex   map[string]lexEntry
	pool  sync.Pool // *scanner
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
	if cap(sc.buf) > 1<<20 || cap(sc.toks) > 1<<16 {
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
// tokens, in order. The terms share one allocation; dst grows only when it
// is too small. Use it for search (index and query), story clustering and
// related reading.
func (a *Analyzer) Terms(dst []string, s string) []string {
	sc := a.get(s)
	arena := string(sc.buf)
	for i := range sc.toks {
		if t := &sc.toks[i]; !t.stop {
			dst = append(dst, t.termOf(arena))
		}
	}
	a.put(sc)
	return dst
}

// Words appends the normalised forms (not stemmed) of the non-stopword
// tokens of s to dst, in order. Use it for copy detection: a copy keeps the
// wording, so shingles of words tell a republished text from an independent
// report of the same event better than shingles of stems would.
func (a *Analyzer) Words(dst []string, s string) []string {
	sc := a.get(s)
	arena := string(sc.buf)
	for _, t := range sc.toks {
		if !t.stop {
			dst = append(dst, arena[t.norm0:t.norm1])
		}
	}
	a.put(sc)
	return dst
}
