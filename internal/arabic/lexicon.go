package arabic

import (
	_ "embed"
	"strings"
)

// Word lists, embedded. Each is read through the character layer, so the
// files may be written in any spelling.
var (
	// stopwords.txt: marsad's news-tuned list (see the file's header for its
	// sources and licenses).
	//go:embed stopwords.txt
	stopwordsTxt string
	// keep.txt and radical.txt: learned from SaudiNewsNet by
	// TestWriteLearnedLists (learn_test.go); see stem.go.
	//go:embed keep.txt
	keepTxt string
	//go:embed radical.txt
	radicalTxt string
	// exceptions.txt: curated form → term pairs the rules cannot get right.
	//go:embed exceptions.txt
	exceptionsTxt string
	// variants.txt: curated transliteration variants of foreign names →
	// the term of the most common spelling (measured: variants_test.go).
	//go:embed variants.txt
	variantsTxt string
)

const (
	flagStop     uint8 = 1 << iota // a stopword
	flagKeep                       // no suffix is stripped (the ending is part of the word)
	flagNoPrefix                   // what looks like a prefix (و, وال, …) is part of the word
)

// lexFilter is a one-hash Bloom filter over the lexicon's keys: most words
// of a text are in no list, and a bit test is much cheaper than a map
// lookup.
type lexFilter [1 << 16 / 64]uint64

func lexHash(w []byte) uint32 {
	h := uint32(len(w)) * 0x9E3779B1
	if len(w) >= 2 {
		h ^= uint32(w[0])<<24 | uint32(w[1])<<16 | uint32(w[len(w)-2])<<8 | uint32(w[len(w)-1])
	} else if len(w) == 1 {
		h ^= uint32(w[0])
	}
	h *= 0x85EBCA6B
	return h >> 16
}

func (f *lexFilter) add(w string) {
	h := lexHash([]byte(w))
	f[h/64] |= 1 << (h % 64)
}

func (f *lexFilter) mayHave(w []byte) bool {
	h := lexHash(w)
	return f[h/64]&(1<<(h%64)) != 0
}

// lookup returns w's lexicon entry (the zero entry when w is in no list).
func (a *Analyzer) lookup(w []byte) lexEntry {
	if !a.filter.mayHave(w) {
		return lexEntry{}
	}
	return a.lex[string(w)]
}

type lexEntry struct {
	term  string // an override for the word's term (exceptions.txt)
	flags uint8
}

// buildLexicon reads the embedded lists into one map, so the stemmer needs
// one lookup per word (two when it strips a prefix).
func (a *Analyzer) buildLexicon(o options) map[string]lexEntry {
	lex := make(map[string]lexEntry, 8192)
	add := func(txt string, flag uint8) {
		for w := range lines(txt) {
			w = a.Normalize(w)
			e := lex[w]
			e.flags |= flag
			lex[w] = e
		}
	}
	add(stopwordsTxt, flagStop)
	if o.learned {
		add(keepTxt, flagKeep)
		add(radicalTxt, flagNoPrefix)
	}
	pairs := func(txt string) {
		for line := range lines(txt) {
			form, term, ok := strings.Cut(line, "\t")
			if !ok {
				continue
			}
			form, term = a.Normalize(strings.TrimSpace(form)), a.Normalize(strings.TrimSpace(term))
			e := lex[form]
			e.term = term
			lex[form] = e
		}
	}
	pairs(exceptionsTxt)
	if o.variants {
		pairs(variantsTxt)
	}
	for w := range lex {
		a.filter.add(w)
	}
	return lex
}

// lines yields the non-empty, non-comment lines of a list.
func lines(txt string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for line := range strings.Lines(txt) {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			if !yield(line) {
				return
			}
		}
	}
}
