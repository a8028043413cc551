// Package textf1 is the article-body metric of the ScrapingHub
// article-extraction benchmark, ported from shared/tools/eval/textf1.py so
// Go tests can guard extraction quality: each text becomes a multiset of
// word 4-grams (words are runs of letters, digits and "_", as Python's
// \w+); per page true/false positives and negatives are the multiset
// overlap and excesses, scaled to sum 1; precision and recall are averaged
// over pages and F1 is taken of the two means. It gives the same numbers
// as textf1.py (checked by TestMatchesPython when python3 is present).
package textf1

import (
	"strings"
	"unicode"
)

// Page holds one page's scaled counts.
type Page struct {
	TP, FP, FN float64
}

// Precision of one page, with textf1.py's conventions for empty pages.
func (p Page) Precision() float64 {
	if p.FP == 0 && p.FN == 0 {
		return 1
	}
	if p.TP == 0 && p.FP == 0 {
		return 0
	}
	return p.TP / (p.TP + p.FP)
}

// Recall of one page.
func (p Page) Recall() float64 {
	if p.FP == 0 && p.FN == 0 {
		return 1
	}
	if p.TP == 0 && p.FN == 0 {
		return 0
	}
	return p.TP / (p.TP + p.FN)
}

// F1 of one page.
func (p Page) F1() float64 {
	pr, re := p.Precision(), p.Recall()
	if pr+re == 0 {
		return 0
	}
	return 2 * pr * re / (pr + re)
}

func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_')
	})
}

// grams is the multiset of word 4-grams (a text of fewer than four words
// is one gram of all its words, as in textf1.py).
func grams(s string) map[string]int {
	w := words(s)
	m := make(map[string]int, len(w))
	n := 4
	for i := 0; i < max(1, len(w)-n+1); i++ {
		g := w[i:min(i+n, len(w))]
		if len(g) == 0 {
			continue
		}
		m[strings.Join(g, "\x00")]++
	}
	return m
}

// Compare scores one predicted text against the true one.
func Compare(truth, pred string) Page {
	t, p := grams(truth), grams(pred)
	var tp, fp, fn int
	for g, c := range p {
		tc := t[g]
		tp += min(c, tc)
		if c > tc {
			fp += c - tc
		}
	}
	for g, c := range t {
		if pc := p[g]; c > pc {
			fn += c - pc
		}
	}
	s := float64(tp + fp + fn)
	if s == 0 {
		return Page{}
	}
	return Page{float64(tp) / s, float64(fp) / s, float64(fn) / s}
}

// Score is a corpus result.
type Score struct {
	Pages, Empty          int
	Precision, Recall, F1 float64
}

// Evaluate scores pred against truth (both keyed by page). A page missing
// from pred counts as empty.
func Evaluate(truth, pred map[string]string) (Score, map[string]Page) {
	per := make(map[string]Page, len(truth))
	var sp, sr float64
	var np, nr int
	var sc Score
	for k, t := range truth {
		pr := pred[k]
		if pr == "" {
			sc.Empty++
		}
		pg := Compare(t, pr)
		per[k] = pg
		if pg.TP+pg.FP > 0 {
			sp += pg.Precision()
			np++
		}
		if pg.TP+pg.FN > 0 {
			sr += pg.Recall()
			nr++
		}
	}
	sc.Pages = len(truth)
	sc.Precision = sp / float64(max(1, np))
	sc.Recall = sr / float64(max(1, nr))
	if sc.Precision+sc.Recall > 0 {
		sc.F1 = 2 * sc.Precision * sc.Recall / (sc.Precision + sc.Recall)
	}
	return sc, per
}
