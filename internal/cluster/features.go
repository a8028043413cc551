// Package cluster groups articles about the same event into stories (online,
// one article at a time, within a time window) and finds related reading.
// It works on sparse TF-IDF vectors over internal/arabic's terms, with
// document frequencies maintained incrementally, so the same articles in the
// same order always give the same stories however they are batched.
package cluster

import (
	"math"
	"slices"

	"github.com/marsad/marsad/internal/arabic"
)

// Text is what the features of one article are computed from: its title
// and body terms as the pipeline already analysed them, and the title's
// tokens (stopwords included) for phrases.
type Text struct {
	Title      string
	TitleTerms []string
	BodyTerms  []string
}

// rawFeature is a feature name with its raw term weight (title-boosted
// count) before IDF.
type rawFeature struct {
	key string
	w   float64
}

// phraseSep joins the two terms of a phrase feature; it never occurs in a
// term (terms are single tokens).
const phraseSep = "\x1f"

// extract computes the raw features of a text: unigram terms (title terms
// count titleBoost times) and phrases of two adjacent content words of the
// title (stopwords break a phrase, so "في الأيام المقبلة" gives only
// "ايام␟مقبل", whose IDF is low and which is then ignored like any common
// term). Weights are sublinear in the count (1 + ln tf).
func extract(out []rawFeature, idx map[string]int, an *arabic.Analyzer, t Text, titleBoost float64, bodyTerms int) []rawFeature {
	// Features in order of first occurrence (title, body, title phrases):
	// deterministic without sorting the keys. out and idx are the caller's
	// reused memory (idx is cleared here): a map per article was a seventh
	// of an import's allocations.
	clear(idx)
	add := func(key string, c float64) {
		k, ok := idx[key]
		if !ok {
			k = len(out)
			idx[key] = k
			out = append(out, rawFeature{key: key})
		}
		out[k].w += c
	}
	for _, term := range t.TitleTerms {
		if useful(term) {
			add(term, titleBoost)
		}
	}
	body := t.BodyTerms
	if bodyTerms > 0 && len(body) > bodyTerms {
		body = body[:bodyTerms]
	}
	for _, term := range body {
		if useful(term) {
			add(term, 1)
		}
	}
	if an != nil && t.Title != "" {
		var prev string
		for _, tok := range an.Tokens(nil, t.Title) {
			if tok.Stop || !useful(tok.Term) {
				prev = ""
				continue
			}
			if prev != "" {
				add(prev+phraseSep+tok.Term, titleBoost)
			}
			prev = tok.Term
		}
	}
	for k := range out {
		out[k].w = 1 + math.Log(out[k].w) // counts to weights
	}
	return out
}

// useful drops one-letter terms (clitic debris, list markers).
func useful(term string) bool {
	n := 0
	for range term {
		n++
		if n > 1 {
			return true
		}
	}
	return false
}

// figures hashes the figures of a text: numbers, but not years (every story
// of a year shares them) nor integers up to 31 (days of the month, counts
// anyone can state), appended to out sorted and without duplicates.
func figures(out []uint32, title, body []string) []uint32 {
	for _, terms := range [2][]string{title, body} {
		for _, t := range terms {
			if isFigure(t) {
				out = append(out, fnv32a(fnvOffset32, t))
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func isFigure(t string) bool {
	if t == "" || t[0] < '0' || t[0] > '9' {
		return false
	}
	v, frac := 0, false
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case c >= '0' && c <= '9':
			if !frac && v < 1e6 {
				v = v*10 + int(c-'0')
			}
		case c == '.' || c == ',':
			frac = true
		default:
			return false
		}
	}
	if frac {
		return true
	}
	if len(t) == 4 && (t[:2] == "13" || t[:2] == "14" || t[:2] == "19" || t[:2] == "20") {
		return false
	}
	return v > 31
}
