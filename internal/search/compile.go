package search

import (
	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
)

// compiled is a parsed query analysed for the store, with what the store
// cannot check itself.
type compiled struct {
	query     store.SearchQuery
	highlight []string // positive terms, for snippets
	// verify: groups with a quoted alternative; an article must satisfy
	// each (one alternative holding in the normalised text).
	verify [][]check
}

// check is one alternative of a verified group: a quoted phrase's
// normalised words (stopwords included), or an unquoted word's terms.
type check struct {
	norms []string
	terms []string
	title bool
}

// compile analyses every word and phrase with the one analyzer. A word the
// analyzer splits into several terms (a compound, a URL) must match them
// adjacently, like a phrase; a stopword alone is dropped.
func (s *Service) compile(q Query) compiled {
	var c compiled
	sq := &c.query
	sq.SourceIDs, sq.From, sq.To = q.Sources, q.From, q.To
	for _, g := range q.Must {
		var alts []store.Match
		var checks []check
		quoted := false
		for _, it := range g {
			terms := s.analyzer.Terms(nil, it.Text)
			if len(terms) == 0 {
				continue
			}
			c.highlight = append(c.highlight, terms...)
			alts = append(alts, store.Match{Terms: terms, Title: it.Title})
			ck := check{terms: terms, title: it.Title}
			if it.Phrase {
				quoted = true
				for _, t := range s.analyzer.Tokens(nil, it.Text) {
					ck.norms = append(ck.norms, t.Norm)
				}
			}
			checks = append(checks, ck)
		}
		switch {
		case len(alts) == 0:
			continue
		case len(alts) > 1:
			sq.Any = append(sq.Any, alts)
		case alts[0].Title && len(alts[0].Terms) == 1:
			sq.TitleTerms = append(sq.TitleTerms, alts[0].Terms[0])
		case alts[0].Title:
			sq.Any = append(sq.Any, alts)
		case len(alts[0].Terms) == 1:
			sq.All = append(sq.All, alts[0].Terms[0])
		default:
			sq.Phrases = append(sq.Phrases, alts[0].Terms)
		}
		if quoted {
			c.verify = append(c.verify, checks)
		}
	}
	for _, it := range q.Not {
		if terms := s.analyzer.Terms(nil, it.Text); len(terms) > 0 {
			sq.Not = append(sq.Not, store.Match{Terms: terms, Title: it.Title})
		}
	}
	return c
}

// analysed is a body's tokens as the phrase check left them: all of
// them, or those of its opening.
type analysed struct {
	toks    []arabic.Token
	opening bool
}

// holds reports whether a satisfies every verified group, and returns the
// body's tokens it analysed (the snippet reuses them).
func (c compiled) holds(an *arabic.Analyzer, a news.Article) (bool, analysed) {
	title := an.Tokens(nil, a.Title)
	// The body's opening first (where a phrase usually is), the whole body
	// only when the opening lacks it.
	var opening, body []arabic.Token
	openingDone, bodyDone := false, false
	cut := prefixEnd(a.Text, snippetPrefix)
	seen := func() analysed {
		if bodyDone {
			return analysed{toks: body}
		}
		return analysed{toks: opening, opening: openingDone}
	}
	for _, g := range c.verify {
		ok := false
		for _, ck := range g {
			if ck.holdsIn(title) {
				ok = true
				break
			}
			if ck.title {
				continue
			}
			if !openingDone && cut < len(a.Text) {
				opening, openingDone = an.Tokens(nil, a.Text[:cut]), true
			}
			if openingDone && ck.holdsIn(opening) {
				ok = true
				break
			}
			if !bodyDone {
				body, bodyDone = an.Tokens(nil, a.Text), true
			}
			if ck.holdsIn(body) {
				ok = true
				break
			}
		}
		if !ok {
			return false, seen()
		}
	}
	return true, seen()
}

// holdsIn: a phrase's normalised words in a row, or a word's terms in a row
// (stopwords skipped, as the index does).
func (ck check) holdsIn(toks []arabic.Token) bool {
	if len(ck.norms) > 0 {
		return containsRun(toks, ck.norms, func(t arabic.Token) (string, bool) { return t.Norm, true })
	}
	return containsRun(toks, ck.terms, func(t arabic.Token) (string, bool) { return t.Term, !t.Stop })
}

func containsRun(toks []arabic.Token, want []string, key func(arabic.Token) (string, bool)) bool {
	var seq []string
	for _, t := range toks {
		if k, ok := key(t); ok {
			seq = append(seq, k)
		}
	}
outer:
	for i := 0; i+len(want) <= len(seq); i++ {
		for j, w := range want {
			if seq[i+j] != w {
				continue outer
			}
		}
		return true
	}
	return false
}
