package arabic

// The light stemmer is Light10 (Larkey et al.; Lucene's ArabicStemmer)
// extended with conjunction + preposition + article chains and pronoun
// suffixes, and kept from destroying names by two word lists learned from
// the corpus (see lexicon.go):
//   - radical.txt: words whose apparent prefix is part of the word: the و
//     of وزير and واشنطن, the وال of والده;
//   - keep.txt: forms whose ending only looks like a suffix (بوتين, كرملين,
//     لبنان): no suffix is stripped from them.
// A stem is always a substring of the normalised word, except for the few
// curated exceptions (لله → الله), so stemming allocates nothing.

// articlePrefixes: (و|ف)? (ب|ك|ل)? ال, and لل; longest first. At least two
// letters must remain (Lucene's rule).
var articlePrefixes = [...]string{
	"وبال", "وكال", "فبال", "فكال",
	"وال", "فال", "بال", "كال", "ولل", "فلل",
	"لل", "ال",
}

// pronounSuffixes: at most one, longest first (ه is also ة after
// normalisation). A ت left before the pronoun is a ta marbuta and goes too:
// حكومتها, حكومته and حكومة all give حكوم.
var pronounSuffixes = [...]string{"هما", "ها", "هم", "هن", "نا", "ه"}

// inflectionSuffixes: each at most once, in this order (Lucene's order; ة
// and ية are already ه and يه after normalisation).
var inflectionSuffixes = [...]string{"ان", "ات", "ون", "ين", "يه", "ه", "ي"}

const (
	minStem = 3 // letters a stem keeps after a suffix is removed
	wawStr  = "و"
	tehStr  = "ت"
)

// stem sets t's stop flag and term for the Arabic word w (its normalised
// form in the scan buffer at t.norm0).
func (a *Analyzer) stem(t *rawTok, w []byte) {
	e := a.lookup(w)
	switch {
	case e.flags&flagStop != 0:
		t.stop = true
		return
	case e.term != "":
		t.term = e.term
		return
	}
	n := t.n
	if n == 1 {
		t.stop = true // a lone letter: م of 2015م, هـ of 1436هـ, a split و
		return
	}
	if n < minStem {
		return
	}
	pl := prefixLen(w, n, e.flags)
	x := w[pl:]
	if pl > 0 {
		e = a.lookup(x)
		if e.term != "" {
			t.term = e.term
			return
		}
	}
	t.term0 = t.norm0 + pl
	if e.flags&flagKeep == 0 {
		x = stemSuffix(x, n-pl/2) // prefixes are Arabic letters, two bytes each
	}
	t.term1 = t.term0 + len(x)
}

// prefixLen is the length in bytes of the prefix to strip from w (n
// letters), given w's lexicon flags.
func prefixLen(w []byte, n int, flags uint8) int {
	if flags&flagNoPrefix != 0 || len(w) < 4 {
		return 0
	}
	// Every prefix starts with one of ا و ف ب ك ل: look at the first letter
	// before comparing strings.
	// (ا ب: D8 A7, D8 A8; و ف ك ل: D9 88, D9 81, D9 83, D9 84.)
	switch {
	case w[0] == 0xD8 && (w[1] == 0xA7 || w[1] == 0xA8):
	case w[0] == 0xD9 && (w[1] == 0x88 || w[1] == 0x81 || w[1] == 0x83 || w[1] == 0x84):
	default:
		return 0
	}
	for _, p := range articlePrefixes {
		if p[1] == w[1] && hasPrefix(w, p) && n-arabicLen(p) >= 2 {
			return len(p)
		}
	}
	if n >= 4 && hasPrefix(w, wawStr) {
		return len(wawStr)
	}
	return 0
}

// stemSuffix strips suffixes from x (a slice of the word, n letters),
// keeping minStem letters.
func stemSuffix(x []byte, n int) []byte {
	for _, s := range pronounSuffixes {
		k := arabicLen(s)
		if n-k >= minStem && hasSuffix(x, s) {
			x, n = x[:len(x)-len(s)], n-k
			// A ta marbuta before a pronoun is written ت: drop it too,
			// unless it follows alef (the plural ات of قواتها).
			if n-1 >= minStem && hasSuffix(x, tehStr) && !hasSuffix(x, "ات") {
				x, n = x[:len(x)-len(tehStr)], n-1
			}
			break
		}
	}
	for _, s := range inflectionSuffixes {
		k := arabicLen(s)
		if n-k >= minStem && hasSuffix(x, s) {
			x, n = x[:len(x)-len(s)], n-k
		}
	}
	return x
}

// arabicLen is the number of letters of an affix: letters of the Arabic
// block are two bytes in UTF-8.
func arabicLen(affix string) int { return len(affix) / 2 }

// hasPrefix and hasSuffix compare bytes in place: affixes are a few bytes,
// and a loop (from the end for suffixes, where Arabic letters differ) is
// cheaper than calling the runtime's comparison.
func hasPrefix(b []byte, p string) bool {
	if len(b) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		if b[i] != p[i] {
			return false
		}
	}
	return true
}

func hasSuffix(b []byte, s string) bool {
	if len(b) < len(s) {
		return false
	}
	o := len(b) - len(s)
	for i := len(s) - 1; i >= 0; i-- {
		if b[o+i] != s[i] {
			return false
		}
	}
	return true
}
