package dedup

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/marsad/marsad/internal/arabic"
)

// Op is one step of a sentence diff.
type Op uint8

const (
	Same    Op = iota // in both texts
	Added             // only in the copy
	Removed           // only in the original
)

// Line is a sentence of a diff, as written in its text.
type Line struct {
	Op   Op
	Text string
}

// Change is what a copy changed against its original.
type Change struct {
	TitleChanged   bool
	Title          []Line // the headline as a one-sentence diff
	Lines          []Line
	Added, Removed int
}

// Differ compares texts sentence by sentence, sentences being equal when
// their analysed words are (so spelling variants, punctuation and
// diacritics do not count as changes).
type Differ struct{ an *arabic.Analyzer }

// NewDiffer returns a differ using an.
func NewDiffer(an *arabic.Analyzer) *Differ { return &Differ{an: an} }

// Diff compares copy (title, text) against original.
func (d *Differ) Diff(origTitle, origText, copyTitle, copyText string) Change {
	var c Change
	c.Title = d.lines([]string{origTitle}, []string{copyTitle})
	c.TitleChanged = len(c.Title) != 1
	c.Lines = d.lines(Sentences(origText), Sentences(copyText))
	for _, l := range c.Lines {
		switch l.Op {
		case Added:
			c.Added++
		case Removed:
			c.Removed++
		}
	}
	return c
}

// Base is an original prepared for counting its copies' changes (Count).
type Base struct {
	d     *Differ
	title string
	keys  []string
}

// Against prepares an original for Count: linking a group compares one
// original with each of its copies, and analysing the original once for
// all of them halved the copy stage's diff time.
func (d *Differ) Against(origTitle, origText string) *Base {
	return &Base{d: d, title: d.keys([]string{origTitle})[0], keys: d.keys(Sentences(origText))}
}

// Count is Diff against the base without the lines: TitleChanged, Added
// and Removed only.
func (b *Base) Count(copyTitle, copyText string) Change {
	kb := b.d.keys(Sentences(copyText))
	same := lcsLen(b.keys, kb)
	return Change{
		TitleChanged: b.d.keys([]string{copyTitle})[0] != b.title,
		Added:        len(kb) - same,
		Removed:      len(b.keys) - same,
	}
}

// lcsLen is the length of a and b's longest common subsequence: the
// number of sentences lines keeps as Same.
func lcsLen(a, b []string) int {
	prev, cur := make([]int32, len(b)+1), make([]int32, len(b)+1)
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				cur[j] = prev[j+1] + 1
			} else {
				cur[j] = max(prev[j], cur[j+1])
			}
		}
		prev, cur = cur, prev
	}
	return int(prev[0])
}

// lines is an LCS diff of two sentence lists; inputs are a few dozen
// sentences, so the quadratic table is small.
func (d *Differ) lines(a, b []string) []Line {
	ka, kb := d.keys(a), d.keys(b)
	n, m := len(a), len(b)
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if ka[i] == kb[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []Line
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && ka[i] == kb[j]:
			out = append(out, Line{Same, b[j]})
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			out = append(out, Line{Added, b[j]})
			j++
		default:
			out = append(out, Line{Removed, a[i]})
			i++
		}
	}
	return out
}

func (d *Differ) keys(s []string) []string {
	out := make([]string, len(s))
	var w []string
	for i, x := range s {
		w = d.an.Words(w[:0], x)
		out[i] = strings.Join(w, " ")
		if out[i] == "" {
			out[i] = strings.TrimSpace(x)
		}
	}
	return out
}

// Sentences splits a body into sentences: at line breaks and after
// sentence-ending punctuation (. ! ? ؟ and the Arabic full stop) that is
// followed by a space, so decimals like 3.5 stay whole.
//
// The sentences are substrings of text (text with each invalid byte made
// U+FFFD, as a conversion to runes would, when it is not valid UTF-8): the
// copies stage splits texts on the store's one writer.
func Sentences(text string) []string {
	if !utf8.ValidString(text) {
		text = string([]rune(text))
	}
	var out []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	for para := range strings.SplitSeq(text, "\n") {
		start := 0
		for i := 0; i < len(para); {
			r, n := utf8.DecodeRuneInString(para[i:])
			i += n
			if !isStop(r) {
				continue
			}
			if next, _ := utf8.DecodeRuneInString(para[i:]); i < len(para) && !unicode.IsSpace(next) {
				continue
			}
			add(para[start:i])
			start = i
		}
		add(para[start:])
	}
	return out
}

func isStop(r rune) bool { return r == '.' || r == '!' || r == '?' || r == '؟' || r == '۔' }
