package extract

import (
	"context"
	"log/slog"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/sanitize"
)

// readContent chooses the body containers and writes Text and HTML.
func (p *page) readContent() {
	if p.root == nil || p.root.textLen == 0 {
		return
	}
	top := p.topCandidate()
	if top == nil {
		return
	}
	p.best = top
	p.content = p.withSiblings(top)
	var out output
	for _, c := range p.content {
		p.emit(c, &out, true)
	}
	out.flush()
	if p.e.log.Enabled(context.Background(), slog.LevelDebug) {
		for _, c := range p.content {
			p.e.log.Debug("extract: content", "tag", c.tag.String(), "class", strings.Join(c.words, " "), "text", c.textLen)
		}
		p.e.log.Debug("extract: lines", "n", len(out.lines), "removed", len(out.removed))
	}
	lines := p.cleanLines(&out)
	p.res.Text = strings.Join(lines, "\n")
	// The HTML is the same content: remove what the text left out, then
	// sanitize what remains.
	for _, n := range out.removed {
		if n.h.Parent != nil {
			n.h.Parent.RemoveChild(n.h)
		}
	}
	var hs []*html.Node
	for _, c := range p.content {
		if c.h.Parent != nil || c.h.Type == html.DocumentNode || c == p.root {
			hs = append(hs, c.h)
		}
	}
	if len(hs) == 1 && hs[0].FirstChild != nil {
		// Unwrap the container itself: its children are the body.
		var kids []*html.Node
		for c := hs[0].FirstChild; c != nil; c = c.NextSibling {
			kids = append(kids, c)
		}
		hs = kids
	}
	p.res.HTML = strings.TrimSpace(sanitize.Nodes(hs, p.base))
}

// prune marks boilerplate subtrees by tag, role and class words. Layout
// containers that hold most of the page's text are kept (some sites wrap
// everything in a "sidebar-layout" or a <header>).
func (p *page) prune(n *node) {
	if n.isText() {
		return
	}
	if n != p.root && n.tag != atom.Body && !n.hasBody && !inlineTag(n) && !isHeading(n.tag) && titledBox(n) {
		// "اقرأ أيضاً", "مقالات مشابهة", "Related", "التعليقات" boxes,
		// whatever their markup and however much text they hold.
		n.boiler = boilerStrong
		return
	}
	if n != p.root && n.tag != atom.Body && !n.hasBody && !inlineTag(n) && p.commentThread(n) {
		n.boiler = boilerStrong
		return
	}
	if n != p.root && n.tag != atom.Body && n.tag != atom.Main && n.tag != atom.Article && !n.hasBody && !inlineTag(n) {
		kind := classBoiler(n)
		if kind != notBoiler && n.textLen > 300 && p.e.log.Enabled(context.Background(), slog.LevelDebug) {
			p.e.log.Debug("extract: large boilerplate candidate", "tag", n.tag.String(), "class", strings.Join(n.words, " "), "kind", kind, "text", n.textLen, "of", p.root.textLen)
		}
		share := float64(n.textLen) / float64(max(1, p.root.textLen))
		if kind != notBoiler && positiveName(n) && n.textLen > 500 && n.linkDensity() < 0.2 {
			// "article-body pagination-first": a content name wins over a
			// boilerplate one when the element reads like an article.
			kind = notBoiler
		}
		linky := n.linkDensity() > 0.6 && share < 0.8
		switch {
		case kind == boilerStrong && (share < 0.5 || linky):
			n.boiler = boilerStrong
			return
		case kind == boilerLayout && (share < 0.4 || linky):
			n.boiler = boilerLayout
			return
		}
	}
	for _, k := range n.kids {
		p.prune(k)
	}
}

// inlineTag reports phrasing elements: their class names (a "tag" link,
// a "caption" span inside a sentence) never prune them.
func inlineTag(n *node) bool {
	switch n.tag {
	case atom.A, atom.Strong, atom.B, atom.Em, atom.I, atom.U, atom.Small, atom.Font, atom.Sup, atom.Sub,
		atom.Abbr, atom.Mark, atom.Cite, atom.Q, atom.Code, atom.Time, atom.Label:
		return true
	case atom.Span:
		return !hasBlockKids(n)
	}
	return false
}

// paragraph tags whose text scores their ancestors.
func isParaTag(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Pre, atom.Td, atom.Blockquote, atom.Dd, atom.Li, atom.H2, atom.H3, atom.H4:
		return true
	}
	return false
}

// hasBlockKids reports element children that are blocks.
func hasBlockKids(n *node) bool {
	for _, k := range n.kids {
		if !k.isText() && isBlock(k.tag) && k.tag != atom.Br {
			return true
		}
	}
	return false
}

// directText counts the text of n outside its block children: a <div> of
// text and <br>s is a paragraph too.
func directText(n *node) (textLen, linkLen, commas int) {
	for _, k := range n.kids {
		if k.boiler != notBoiler {
			continue
		}
		if k.isText() || !isBlock(k.tag) {
			textLen += k.textLen
			linkLen += k.linkLen
			commas += k.commas
		}
	}
	return
}

func initScore(n *node) {
	if n.scored {
		return
	}
	n.scored = true
	switch n.tag {
	case atom.Div, atom.Article, atom.Section, atom.Main:
		n.score = 5
	case atom.Pre, atom.Td, atom.Blockquote:
		n.score = 3
	case atom.Address, atom.Ol, atom.Ul, atom.Dl, atom.Dd, atom.Dt, atom.Li, atom.Form:
		n.score = -3
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Th:
		n.score = -5
	}
	n.score += classWeight(n)
	if n.hasBody && n.h != nil && strings.EqualFold(attr(n.h, "itemprop"), "articleBody") {
		n.score += 30
	}
	if n.tag == atom.Article {
		n.score += 10
	}
}

// topCandidate scores paragraphs into their ancestors (readability's
// scheme) and returns the best container.
func (p *page) topCandidate() *node {
	var cands []*node
	var walk func(n *node)
	walk = func(n *node) {
		if n.isText() || n.boiler != notBoiler {
			return
		}
		var tl, ll, cm int
		switch {
		case isParaTag(n.tag):
			tl, ll, cm = n.textLen, n.linkLen, n.commas
			if n.tag == atom.Li || isHeading(n.tag) {
				// list items and headings count, but less than paragraphs
				tl /= 2
			}
		case !hasBlockKids(n) || n.tag == atom.Div || n.tag == atom.Section || n.tag == atom.Article || n.tag == atom.Font || n.tag == atom.Span:
			tl, ll, cm = directText(n)
		}
		if tl >= 25 && n.parent != nil {
			own := 1 + float64(cm) + float64(min(tl/100, 3))
			own *= 1 - min(float64(ll)/float64(tl), 1)
			anc := n.parent
			// The paragraph itself, when it is a text <div>, is a candidate.
			if !isParaTag(n.tag) {
				anc = n
			}
			for level := 0; anc != nil && level < 5; level++ {
				if anc.boiler != notBoiler {
					break
				}
				if !anc.scored {
					initScore(anc)
					cands = append(cands, anc)
				}
				div := 1.0
				switch {
				case level == 1:
					div = 2
				case level > 1:
					div = float64(level * 3)
				}
				anc.score += own / div
				anc = anc.parent
			}
		}
		for _, k := range n.kids {
			walk(k)
		}
	}
	walk(p.root)
	if len(cands) == 0 {
		return nil
	}
	for _, c := range cands {
		c.score *= 1 - c.linkDensity()
		if c.textLen < 140 {
			// A container with a line or two of text is not an article
			// body, whatever its class name says.
			c.score *= float64(c.textLen) / 140
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	top := cands[0]
	if p.e.log.Enabled(context.Background(), slog.LevelDebug) {
		for i, c := range cands[:min(len(cands), 6)] {
			p.e.log.Debug("extract: candidate", "rank", i, "tag", c.tag.String(), "class", strings.Join(c.words, " "),
				"score", c.score, "text", c.textLen, "links", c.linkLen)
		}
	}
	// readability: when several of the best candidates share an ancestor
	// that scores nearly as well, the article is that ancestor.
	var alts []*node
	for _, c := range cands[1:min(len(cands), 5)] {
		if c.score >= top.score*0.75 && !isAncestor(c, top) && !isAncestor(top, c) {
			alts = append(alts, c)
		}
	}
	if len(alts) >= 3 {
		for a := top.parent; a != nil && a.tag != atom.Body; a = a.parent {
			n := 0
			for _, c := range alts {
				if isAncestor(a, c) {
					n++
				}
			}
			if n >= 3 && a.boiler == notBoiler {
				top = a
				break
			}
		}
	}
	// Climb through wrappers that add nothing.
	for top.parent != nil && top.parent != p.root && top.parent.boiler == notBoiler && onlyChild(top.parent, top) {
		top = top.parent
	}
	return top
}

func isAncestor(a, n *node) bool {
	for n = n.parent; n != nil; n = n.parent {
		if n == a {
			return true
		}
	}
	return false
}

func onlyChild(parent, n *node) bool {
	for _, k := range parent.kids {
		if k != n && k.textLen > 0 {
			return false
		}
	}
	return true
}

// withSiblings adds the top candidate's siblings that look like more of
// the same article (readability's sibling step).
func (p *page) withSiblings(top *node) []*node {
	parent := top.parent
	if parent == nil {
		return []*node{top}
	}
	threshold := max(10, top.score*0.2)
	var out []*node
	for _, s := range parent.kids {
		if s == top {
			out = append(out, s)
			continue
		}
		if s.isText() || s.boiler != notBoiler || s.textLen == 0 || titledBox(s) {
			continue
		}
		bonus := 0.0
		if len(s.words) > 0 && strings.Join(s.words, " ") == strings.Join(top.words, " ") {
			bonus = top.score * 0.2
		}
		ld := s.linkDensity()
		score := s.score
		if !s.scored && bonus > 0 {
			// A twin of the top container the scores did not reach (a
			// deeper-nested section of the same article) counts as its
			// best part.
			score = bestInside(s)
		}
		switch {
		case (s.scored || score > 0) && score+bonus >= threshold && ld < 0.33:
			out = append(out, s)
		case s.tag == atom.P || (s.tag == atom.Div && !hasBlockKids(s)):
			if s.textLen > 80 && ld < 0.25 {
				out = append(out, s)
			} else if s.textLen <= 80 && ld == 0 && endsSentence(nodeText(s)) {
				out = append(out, s)
			}
		}
	}
	return out
}

// bestInside is the highest candidate score in n's subtree.
func bestInside(n *node) float64 {
	best := 0.0
	if n.scored {
		best = n.score
	}
	for _, k := range n.kids {
		if !k.isText() && k.textLen > 0 && k.boiler == notBoiler {
			best = max(best, bestInside(k))
		}
	}
	return best
}

func endsSentence(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	switch s[len(s)-1] {
	case '.', '!', '?', '"', ')':
		return true
	}
	return strings.HasSuffix(s, "؟") || strings.HasSuffix(s, "۔") || strings.HasSuffix(s, "»")
}

// output collects paragraphs.
type output struct {
	lines   []string
	owners  []*node // the block each line came from
	block   *node   // the block being written
	cur     strings.Builder
	removed []*node
}

func (o *output) flush() {
	if o.cur.Len() == 0 {
		return
	}
	if s := collapse(o.cur.String()); s != "" {
		o.lines = append(o.lines, s)
		o.owners = append(o.owners, o.block)
	}
	o.cur.Reset()
}

// emit writes n's text into out, leaving out boilerplate blocks.
func (p *page) emit(n *node, out *output, isTop bool) {
	if n.isText() {
		out.cur.WriteString(n.text)
		return
	}
	if !isTop && p.dropBlock(n) && !isAncestor(n, p.best) {
		out.removed = append(out.removed, n)
		return
	}
	block := isBlock(n.tag)
	if block {
		out.flush()
		outer := out.block
		out.block = n
		defer func() { out.block = outer }()
	}
	if n.tag == atom.Br {
		return
	}
	if n.tag == atom.Img {
		return
	}
	// After a read-also heading or line, what follows may be the other
	// article glued in: its headline, then its lead paragraph(s).
	skipNext, gluedBody := false, false
	var glued []string
	inlineDrop := p.inlineReadAlso(n)
	for _, k := range n.kids {
		if inlineDrop[k] {
			out.removed = append(out.removed, k)
			continue
		}
		if k.isText() || k.textLen == 0 {
			p.emit(k, out, false)
			continue
		}
		if skipNext {
			// the list (or bare headline) the heading introduces
			if p.linkList(k) || len(glued) == 0 && titleLine(k) {
				out.removed = append(out.removed, k)
				glued = append(glued, nodeText(k))
				continue
			}
			skipNext = false
		}
		if len(glued) > 0 && !p.holdsArticle(k) {
			// its lead paragraph, then maybe its own «المصدر:» line
			if p.gluedSnippet(k, glued) {
				out.removed = append(out.removed, k)
				gluedBody = true
				continue
			}
			if gluedBody && k.textLen < 80 && creditLine(nodeText(k)) != "" {
				out.removed = append(out.removed, k)
				glued, gluedBody = nil, false
				continue
			}
		}
		glued, gluedBody = nil, false
		if isBlock(k.tag) && k.anchors == 0 && relatedHeading(fold(nodeText(k))) && !p.holdsArticle(k) {
			out.removed = append(out.removed, k)
			skipNext = true
			continue
		}
		p.emit(k, out, false)
	}
	if block {
		out.flush()
	}
}

// inlineReadAlso finds read-also lines that are not blocks of their own:
// a run of text and inline elements between <br>s («اقرأ أيضا: <a>…</a>»),
// or an inline element inside a paragraph (<span>إقرأ أيضاً: <a>…</a></span>).
func (p *page) inlineReadAlso(n *node) map[*node]bool {
	var drop map[*node]bool
	mark := func(ns []*node) {
		if drop == nil {
			drop = map[*node]bool{}
		}
		for _, k := range ns {
			drop[k] = true
		}
	}
	readAlso := func(text string, textLen, linkLen int) bool {
		f := fold(text)
		return relatedLead(text, f) || startsRelated(f) && linkLen*10 >= textLen*6
	}
	var seg []*node
	segText, segLinks, segAnchors := 0, 0, 0
	end := func() {
		if segAnchors > 0 && segText < 250 && len(seg) > 0 {
			var b strings.Builder
			for _, k := range seg {
				if k.isText() {
					b.WriteString(k.text)
				} else {
					b.WriteString(nodeText(k))
				}
			}
			if t := collapse(b.String()); readAlso(t, segText, segLinks) {
				mark(seg)
			}
		}
		seg, segText, segLinks, segAnchors = seg[:0], 0, 0, 0
	}
	for _, k := range n.kids {
		if !k.isText() && (k.tag == atom.Br || isBlock(k.tag)) {
			end()
			continue
		}
		if !k.isText() && k.anchors > 0 && k.tag != atom.A && k.textLen < 250 && readAlso(nodeText(k), k.textLen, k.linkLen) {
			mark([]*node{k}) // <span>إقرأ أيضاً: <a>…</a></span>
			continue
		}
		if !k.isText() && k.tag != atom.A && k.anchors >= 3 && k.linkDensity() >= 0.9 && hasImage(k) {
			mark([]*node{k}) // a hover card (photo + links) inside running text
			continue
		}
		seg = append(seg, k)
		segText += k.textLen
		segLinks += k.linkLen
		segAnchors += k.anchors
	}
	end()
	if len(drop) == len(n.kids) {
		return nil // the whole block: dropBlock's business
	}
	return drop
}

// hasImage reports an <img> in n's subtree.
func hasImage(n *node) bool {
	if n.tag == atom.Img {
		return true
	}
	for _, k := range n.kids {
		if !k.isText() && hasImage(k) {
			return true
		}
	}
	return false
}

// titleLine reports a short block that reads as a headline: one line,
// no sentence end.
func titleLine(n *node) bool {
	if n.textLen > 150 || hasBlockKids(n) {
		return false
	}
	t := nodeText(n)
	return !endsSentence(t) && creditLine(t) == "" && signOff(t) == ""
}

// gluedSnippet reports a paragraph that belongs to the read-also headline
// just dropped (after a standalone «إقرأ أيضاً» heading) rather than to the
// article: it shares content words with that headline and fewer with the
// page's own title. (After inline read-also lines the article goes on; the
// rule is not used there: it cost recall on newsweb-dev.)
func (p *page) gluedSnippet(n *node, titles []string) bool {
	if n.textLen > 700 || hasBlockKids(n) && n.tag != atom.Div {
		return false
	}
	words := contentWords(nodeText(n))
	other := contentWords(strings.Join(titles, " "))
	own := contentWords(p.res.Title)
	shared, ownShared := 0, 0
	for w := range words {
		if other[w] {
			shared++
		}
		if own[w] {
			ownShared++
		}
	}
	return shared >= 3 && shared > ownShared || shared >= 2 && ownShared == 0
}

// stopWords are left out of contentWords (folded).
var stopWords = map[string]bool{
	"في": true, "من": true, "علي": true, "الي": true, "عن": true, "ان": true, "التي": true, "الذي": true, "مع": true,
	"هذا": true, "هذه": true, "بعد": true, "قبل": true, "كان": true, "اقرا": true, "ايضا": true, "طالع": true, "شاهد": true,
	"the": true, "and": true, "for": true, "with": true, "that": true, "from": true, "read": true, "more": true, "also": true,
}

// contentWords is the set of folded words of three or more letters.
func contentWords(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(fold(s)) {
		if len([]rune(w)) >= 3 && !stopWords[w] {
			m[w] = true
		}
	}
	return m
}

// holdsArticle reports a node that contains a chosen content container.
func (p *page) holdsArticle(n *node) bool {
	for _, c := range p.content {
		if c == n || isAncestor(n, c) {
			return true
		}
	}
	return false
}

// linkList reports a block that is mostly links (a list of headlines).
func (p *page) linkList(n *node) bool {
	if n.textLen == 0 {
		return true
	}
	return n.anchors >= 1 && n.linkDensity() > 0.3
}

// dropBlock decides whether a block inside the content is boilerplate.
func (p *page) dropBlock(n *node) bool {
	if n.boiler != notBoiler {
		return true
	}
	if n.textLen == 0 {
		return n.tag != atom.Img && n.tag != atom.Br && n.tag != atom.Figure && n.tag != atom.Picture
	}
	if !isBlock(n.tag) {
		return false
	}
	// The title repeated as the body's first heading; image captions and
	// credits (not article text in any benchmark's truth).
	if n.tag == atom.H1 || n.tag == atom.Figcaption {
		return true
	}
	// A box opened by a related-reading or comments heading.
	if titledBox(n) && !p.holdsArticle(n) {
		return true
	}
	// Phrase rules look at short blocks only (and so cost little).
	if n.textLen < 400 {
		text := nodeText(n)
		folded := fold(text)
		if boilerLine(folded) && n.textLen < 300 {
			return true
		}
		if relatedLead(text, folded) && (n.anchors > 0 || n.textLen < 120) {
			return true
		}
		// «اقرأ أيضاً <a>عنوان</a>» without a colon: a read-also phrase
		// followed by nothing but a link.
		if n.anchors > 0 && n.textLen < 250 && n.linkLen*10 >= n.textLen*6 && startsRelated(folded) {
			return true
		}
		// "© 2020 …" lines.
		if n.textLen < 150 && strings.Contains(text, "©") {
			return true
		}
	}
	// A list of teasers: items that each open with a headline link.
	if teaserList(n) && (p.best == nil || n.textLen*10 < p.best.textLen*8) {
		return true
	}
	ld := n.linkDensity()
	switch n.tag {
	case atom.Ul, atom.Ol, atom.Dl, atom.Table, atom.Div, atom.Section, atom.Aside, atom.Nav, atom.Footer, atom.Header, atom.Figure:
		// lists of links: related headlines, tag clouds, share bars
		if ld > 0.5 && n.anchors >= 2 {
			return true
		}
		if ld > 0.3 && n.anchors >= 3 && n.commas == 0 {
			return true
		}
	case atom.P, atom.Li, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Dd, atom.Blockquote:
		if ld > 0.8 && n.anchors > 0 && n.textLen < 200 {
			return true
		}
	}
	return false
}

// titledBox reports a block opened by a related-reading or comments
// heading.
func titledBox(n *node) bool {
	first := firstTextChild(n)
	return first != nil && first.textLen < 80 && relatedHeading(fold(nodeText(first)))
}

// commentThread reports a list of reader comments without a heading or
// class to say so: two or more items that each open with a short name
// line followed by a short date line («أم خالد» / «منذ ساعة» / text).
func (p *page) commentThread(n *node) bool {
	items, signed := 0, 0
	for _, k := range n.kids {
		if k.isText() || k.textLen == 0 {
			continue
		}
		items++
		if items > 50 {
			return false
		}
		if k.textLen < 3000 && p.signedItem(k) {
			signed++
		}
	}
	return signed >= 2 && signed*10 >= items*6
}

// signedItem reports an element whose first two text lines are a short
// name and a date («منذ ساعتين», "3 hours ago", "2015/08/06").
func (p *page) signedItem(n *node) bool {
	var lines []*node
	var walk func(n *node)
	walk = func(n *node) {
		if len(lines) >= 2 {
			return
		}
		if n.isText() || n.textLen == 0 {
			return
		}
		if !hasBlockKids(n) && n.tag != atom.A {
			lines = append(lines, n)
			return
		}
		for _, k := range n.kids {
			walk(k)
		}
	}
	for _, k := range n.kids {
		walk(k)
	}
	if len(lines) < 2 || lines[0].textLen > 30 || lines[1].textLen > 30 || lines[0] == n {
		return false
	}
	name, when := nodeText(lines[0]), nodeText(lines[1])
	if strings.ContainsAny(name, ".،,:؟?!") {
		return false
	}
	return p.isDate(when)
}

// strongLeads are read-also phrases that never open article text.
var strongLeads = []string{"اقرا ايضا", "اقرا كذلك", "اقرا المزيد", "طالع ايضا", "طالع كذلك", "شاهد ايضا",
	"شاهد كذلك", "انظر ايضا", "يهمك ايضا", "read also", "also read", "see also", "read more"}

// readAlsoLine is the last net under the structural rules: a short text
// line that opens with a read-also phrase.
func readAlsoLine(folded string) bool {
	if len(folded) > 300 {
		return false
	}
	for _, p := range strongLeads {
		if hasPrefixWord(folded, p) {
			return true
		}
	}
	return false
}

// startsRelated reports folded text opening with a read-also lead.
func startsRelated(folded string) bool {
	for _, p := range relatedLeads {
		if len(p) > 5 && hasPrefixWord(folded, p) { // skip the one-word leads ("read", "اقرا")
			return true
		}
	}
	return false
}

// teaserList reports a list or box of two or more items that each start
// with a headline link (related-reading boxes with snippets under their
// links, which link density alone misses).
func teaserList(n *node) bool {
	switch n.tag {
	case atom.Ul, atom.Ol, atom.Div, atom.Section, atom.Aside, atom.Table, atom.Tbody:
	default:
		return false
	}
	items, teasers := 0, 0
	for _, k := range n.kids {
		if k.isText() || k.textLen == 0 {
			continue
		}
		items++
		if k.anchors > 0 && startsWithLink(k) {
			teasers++
		}
	}
	return teasers >= 2 && teasers*10 >= items*6
}

// startsWithLink reports whether n's first text is inside a link of at
// least a few words.
func startsWithLink(n *node) bool {
	for n != nil && !n.isText() {
		if n.tag == atom.A {
			return n.textLen >= 8 && len(strings.Fields(nodeText(n))) >= 2
		}
		var next *node
		for _, k := range n.kids {
			if k.textLen > 0 {
				next = k
				break
			}
		}
		n = next
	}
	return false
}

// firstTextChild is the first child element with text (the box's heading).
func firstTextChild(n *node) *node {
	for _, k := range n.kids {
		if k.textLen == 0 {
			continue
		}
		if k.isText() {
			return nil // text before any element: not a titled box
		}
		return k
	}
	return nil
}

// cleanLines drops furniture lines the block pass kept (a copyright line
// inside the article container, a lone "Advertisement").
func (p *page) cleanLines(o *output) []string {
	lines := o.lines
	var out []string
	for i, l := range lines {
		f := fold(l)
		drop := f == "" ||
			boilerLine(f) && len([]rune(l)) < 120 ||
			captionLine(l) || promoLine(f) || readAlsoLine(f) ||
			// a bare date at either end is the page's dateline furniture
			(i < 2 || i >= len(lines)-2) && onlyDate(f) && p.isDate(l)
		if !drop {
			out = append(out, l)
			continue
		}
		// Keep the HTML in step: a block that held only this line goes.
		if own := o.owners[i]; own != nil && !p.holdsArticle(own) && collapse(nodeText(own)) == l {
			o.removed = append(o.removed, own)
		}
	}
	return out
}

func (p *page) isDate(s string) bool {
	_, err := arabic.ParseDate(s, p.e.tz, p.e.now())
	return err == nil
}

// dateWords are the words a printed date is made of (folded).
var dateWords = map[string]bool{
	"الاحد": true, "الاثنين": true, "الثلاثاء": true, "الاربعاء": true, "الخميس": true, "الجمعه": true, "السبت": true,
	"هـ": true, "ه": true, "م": true, "ص": true, "الموافق": true, "الساعه": true, "نشر": true, "في": true, "بتاريخ": true,
	"تاريخ": true, "النشر": true, "اخر": true, "تحديث": true, "محرم": true, "صفر": true, "ربيع": true, "جمادي": true,
	"رجب": true, "شعبان": true, "رمضان": true, "شوال": true, "ذو": true, "ذي": true, "القعده": true, "الحجه": true,
	"الاول": true, "الثاني": true, "الاولي": true, "الاخره": true, "الاخر": true, "كانون": true, "تشرين": true,
	"published": true, "updated": true, "posted": true, "on": true, "p": true, "a": true,
	"mon": true, "tue": true, "wed": true, "thu": true, "fri": true, "sat": true, "sun": true, "at": true, "am": true, "pm": true, "gmt": true, "utc": true, "et": true, "est": true, "edt": true,
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true,
	"de": true, "às": true, "segunda": true, "feira": true, "terça": true, "quarta": true, "quinta": true, "sexta": true, "sábado": true, "domingo": true,
}

// onlyDate reports a folded line made of date words, month names and
// numbers alone ("الخميس 21 شوال 1436هـ", "Nov. 19, 2019 6:05 p.m.").
func onlyDate(folded string) bool {
	ws := strings.Fields(folded)
	if len(ws) == 0 || len(ws) > 14 {
		return false
	}
	for _, w := range ws {
		if dateWords[w] || isDigits(w) || arabic.IsMonthName(w) {
			continue
		}
		if (strings.HasSuffix(w, "ه") || strings.HasSuffix(w, "م")) && isDigits(w[:len(w)-len("ه")]) {
			continue // 1436هـ, 2015م
		}
		return false
	}
	return true
}

func isDigits(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}
