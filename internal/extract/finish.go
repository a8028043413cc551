package extract

import (
	"golang.org/x/net/html/atom"
)

// finish fills what needs the body: attribution, language and image
// fallbacks, word repairs.
func (p *page) finish() {
	r := p.res
	if r.Text == "" {
		return
	}
	lines := splitLines(r.Text)
	r.Attribution = attribution(lines, r.Author, r.SiteName)
	if r.Attribution == "" {
		r.Attribution = p.agencyNearTitle()
	}
	if r.Lang == "" {
		r.Lang = detectLang(r.Text)
	}
	if r.Image == "" {
		r.Image = p.firstImage()
	}
	if p.e.opt.RepairWords && p.e.opt.Vocabulary != nil {
		r.Text, r.Repairs = RepairText(r.Text, p.e.opt.Vocabulary)
	}
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// firstImage is the first content image with a usable source.
func (p *page) firstImage() string {
	var found string
	var walk func(n *node) bool
	walk = func(n *node) bool {
		if n.isText() || n.boiler != notBoiler {
			return false
		}
		if n.tag == atom.Img {
			for _, k := range []string{"src", "data-src", "data-original", "data-lazy-src"} {
				if v := p.abs(attr(n.h, k)); v != "" {
					found = v
					return true
				}
			}
		}
		for _, k := range n.kids {
			if walk(k) {
				return true
			}
		}
		return false
	}
	for _, c := range p.content {
		if walk(c) {
			return found
		}
	}
	// A lead image just outside the body container (between the title
	// and the text).
	if p.best != nil {
		for a, i := p.best.parent, 0; a != nil && i < 2 && a != p.root; a, i = a.parent, i+1 {
			if walk(a) {
				return found
			}
		}
	}
	return found
}

// agencyNearTitle reads an agency from the unlabelled byline lines between
// the title and the body («مكة المكرمة - واس», "أ. ف. ب") on pages whose
// byline has no markup to find it by.
func (p *page) agencyNearTitle() string {
	title := p.titleNode()
	if title == nil {
		return ""
	}
	seen := 0
	for n := nextNode(title, true); n != nil && seen < 40; n = nextNode(n, false) {
		if n == p.best || p.best != nil && isAncestor(n, p.best) && n.textLen > p.best.textLen/2 {
			break
		}
		if n.isText() {
			continue
		}
		seen++
		if n.textLen == 0 || n.textLen > 40 || !phrasing(n) || n.boiler == boilerStrong && !bylineWords(n) {
			continue
		}
		if a := agencyIn(nodeText(n)); a != "" {
			return a
		}
	}
	return ""
}

// bylineWords reports an element named as a byline or author (pruned as
// furniture, still where the credit is).
func bylineWords(n *node) bool {
	for _, w := range n.words {
		if w == "byline" || w == "author" || w == "writer" || w == "source" {
			return true
		}
	}
	return false
}
