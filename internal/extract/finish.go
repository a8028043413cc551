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
