package search

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/marsad/marsad/internal/news"
)

// Query is a parsed query, still in the user's words (analysis comes later,
// so the parser stays independent of the analyzer and easy to fuzz).
//
// The language: words (all must match), "exact phrase", a OR b, -word,
// -"phrase", source:ID, from:YYYY-MM-DD, to:YYYY-MM-DD (inclusive),
// title:word, title:"phrase". « » and “ ” quote like ".
type Query struct {
	// Must: every group must match; a group matches when one of its
	// alternatives does (a OR b makes a group of two).
	Must [][]Item
	// Not: no item may match.
	Not     []Item
	Sources []string
	// From is the first day, To the day after the last (both UTC midnight).
	From, To time.Time
}

// Item is a word or a phrase as typed.
type Item struct {
	Text   string
	Phrase bool // quoted: matched as adjacent words, then checked on the normalised text
	Title  bool // title: prefix
}

// Limits keep one query's cost bounded.
const (
	maxQueryBytes = 1000
	maxQueryItems = 32
)

// QueryError is a malformed query. It wraps news.ErrInvalid; Error is English
// (CLI, API) and Arabic is shown on the search page.
type QueryError struct {
	Msg, Arabic string
}

func (e *QueryError) Error() string { return "query: " + e.Msg }

// Unwrap makes errors.Is(err, news.ErrInvalid) hold.
func (e *QueryError) Unwrap() error { return news.ErrInvalid }

func queryErr(ar, format string, args ...any) error {
	return &QueryError{Msg: fmt.Sprintf(format, args...), Arabic: ar}
}

// Quote pairs: ASCII, guillemets, curly quotes.
var closing = map[rune]rune{'"': '"', '«': '»', '“': '”'}

// ParseQuery parses the query language. Errors are *QueryError.
func ParseQuery(s string) (Query, error) {
	var q Query
	if len(s) > maxQueryBytes {
		return q, queryErr("الاستعلام أطول من اللازم: اختصره إلى 1000 حرف أو أقل.",
			"query is %d bytes long; keep it under %d", len(s), maxQueryBytes)
	}
	if !utf8.ValidString(s) {
		return q, queryErr("الاستعلام يحوي رموزاً غير صالحة.", "query is not valid UTF-8")
	}
	toks, err := lexQuery(s)
	if err != nil {
		return q, err
	}
	if len(toks) > maxQueryItems {
		return q, queryErr("كلمات الاستعلام كثيرة: استعمل 32 كلمة أو أقل.",
			"query has %d parts; use at most %d", len(toks), maxQueryItems)
	}
	var from, to time.Time
	orPending := false
	for i, t := range toks {
		if t.or {
			if i == 0 || orPending || len(q.Must) == 0 || isFilter(toks[i-1]) || toks[i-1].neg {
				return q, queryErr("ضع OR بين كلمتين، مثل: النفط OR الغاز.", "OR must stand between two words, as in: oil OR gas")
			}
			orPending = true
			continue
		}
		if orPending && (isFilter(t) || t.neg) {
			return q, queryErr("ضع OR بين كلمتين، مثل: النفط OR الغاز.", "OR must stand between two words, as in: oil OR gas")
		}
		switch t.op {
		case "source":
			if t.text == "" {
				return q, queryErr("اكتب معرّف المصدر بعد source: مثل source:sabq.", "source: needs a source ID, as in source:sabq")
			}
			q.Sources = append(q.Sources, t.text)
			continue
		case "from", "to":
			d, err := time.Parse("2006-01-02", t.text)
			if err != nil {
				return q, queryErr("اكتب التاريخ بالصيغة YYYY-MM-DD، مثل from:2015-08-01.",
					"%s: wants a date as YYYY-MM-DD, as in %s:2015-08-01 (got %q)", t.op, t.op, t.text)
			}
			if t.op == "from" {
				from = d
			} else {
				to = d.AddDate(0, 0, 1)
			}
			continue
		}
		it := Item{Text: t.text, Phrase: t.phrase, Title: t.op == "title"}
		if it.Text == "" {
			if t.op == "title" {
				return q, queryErr("اكتب كلمة بعد title: مثل title:النفط.", "title: needs a word or a phrase, as in title:oil")
			}
			continue // "" or a lone "-": nothing to search
		}
		switch {
		case t.neg:
			q.Not = append(q.Not, it)
		case orPending:
			q.Must[len(q.Must)-1] = append(q.Must[len(q.Must)-1], it)
			orPending = false
		default:
			q.Must = append(q.Must, []Item{it})
		}
	}
	if orPending {
		return q, queryErr("ضع OR بين كلمتين، مثل: النفط OR الغاز.", "OR must stand between two words, as in: oil OR gas")
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		return q, queryErr("تاريخ from: بعد تاريخ to:.", "from: %s is after to: %s", from.Format("2006-01-02"), to.AddDate(0, 0, -1).Format("2006-01-02"))
	}
	q.From, q.To = from, to
	if len(q.Must) == 0 && len(q.Not) > 0 {
		return q, queryErr("أضف كلمة للبحث عنها؛ الاستبعاد (-كلمة) وحده لا يكفي.",
			"add a word to search for: exclusions (-word) alone match nothing")
	}
	return q, nil
}

func isFilter(t qtok) bool { return t.op != "" && t.op != "title" }

type qtok struct {
	text   string
	op     string // "", source, from, to, title
	neg    bool
	phrase bool
	or     bool
}

// lexQuery splits s on white space, keeping quoted phrases whole and
// recognising -, OR and the operators.
func lexQuery(s string) ([]qtok, error) {
	var out []qtok
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += n
			continue
		}
		var t qtok
		if r == '-' {
			t.neg = true
			i += n
		}
		// An operator is a known name and a colon, at the word's start.
		for _, op := range []string{"source", "from", "to", "title"} {
			if len(s)-i > len(op) && strings.EqualFold(s[i:i+len(op)], op) && s[i+len(op)] == ':' {
				t.op = op
				i += len(op) + 1
				break
			}
		}
		if t.neg && t.op != "" && t.op != "title" {
			return nil, queryErr("لا يمكن استبعاد "+t.op+":؛ استبعد كلمات فقط.", "-%s: cannot be excluded; only words and phrases can", t.op)
		}
		if i < len(s) {
			r, n = utf8.DecodeRuneInString(s[i:])
			if c, ok := closing[r]; ok {
				end := strings.IndexRune(s[i+n:], c)
				if end < 0 {
					return nil, queryErr("علامة تنصيص مفتوحة لم تُغلق: أغلق العبارة بـ "+string(c)+".",
						"unterminated phrase: close the quote %q", string(c))
				}
				t.text = strings.TrimSpace(s[i+n : i+n+end])
				t.phrase = true
				i += n + end + utf8.RuneLen(c)
				out = append(out, t)
				continue
			}
		}
		j := i
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if unicode.IsSpace(r) {
				break
			}
			j += n
		}
		t.text = s[i:j]
		i = j
		if t.text == "OR" && !t.neg && t.op == "" {
			t = qtok{or: true}
		}
		out = append(out, t)
	}
	return out, nil
}

// String renders q back in the query language (for links and feed titles).
func (q Query) String() string {
	var parts []string
	item := func(it Item) string {
		s := it.Text
		if it.Phrase && strings.Contains(s, `"`) {
			s = "«" + s + "»"
		} else if it.Phrase {
			s = `"` + s + `"`
		}
		if it.Title {
			s = "title:" + s
		}
		return s
	}
	for _, g := range q.Must {
		var alts []string
		for _, it := range g {
			alts = append(alts, item(it))
		}
		parts = append(parts, strings.Join(alts, " OR "))
	}
	for _, it := range q.Not {
		parts = append(parts, "-"+item(it))
	}
	for _, src := range q.Sources {
		parts = append(parts, "source:"+src)
	}
	if !q.From.IsZero() {
		parts = append(parts, "from:"+q.From.Format("2006-01-02"))
	}
	if !q.To.IsZero() {
		parts = append(parts, "to:"+q.To.AddDate(0, 0, -1).Format("2006-01-02"))
	}
	return strings.Join(parts, " ")
}

// Syntax documents the query language (CLI help, README).
const Syntax = `Query language (spelling variants, diacritics and tatweel never matter):
  words          all must match, in the title or the body (stemmed: الحرمين finds الحرم)
  "exact phrase" the words in a row as written, up to spelling (also «…» and “…”)
  a OR b         either (OR in capitals; binds the words next to it)
  -word -"a b"   leave out articles holding it
  title:word     the word (or title:"phrase") in the title
  source:ID      only from this source (repeat for several)
  from:YYYY-MM-DD to:YYYY-MM-DD   published in this range, both days included
A query that starts with - goes after --: marsad search -- -word other`
