package extract

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// node mirrors an html.Node with what scoring needs. Text nodes keep their
// raw text; elements keep their subtree's counts.
type node struct {
	h      *html.Node
	tag    atom.Atom // 0 for text nodes
	parent *node
	kids   []*node
	text   string // text nodes only

	words   []string // class/id words, lower-cased
	textLen int      // non-space runes of visible text in the subtree
	linkLen int      // of which inside <a>
	commas  int
	anchors int
	hasBody bool // is or holds itemprop=articleBody

	boiler boilerKind // why the subtree is pruned (0: not pruned)
	score  float64
	scored bool
	drop   bool // removed from the body during output
}

func (n *node) isText() bool { return n.h.Type == html.TextNode }

// linkDensity is the share of the subtree's text inside links.
func (n *node) linkDensity() float64 {
	if n.textLen == 0 {
		return 0
	}
	return float64(n.linkLen) / float64(n.textLen)
}

// page is one extraction in progress.
type page struct {
	e    *Extractor
	base *url.URL
	res  *Result

	root     *node // <body>, or the document when there is none
	htmlLang string
	title    string // <title>
	metas    []meta
	jsonld   []string
	canon    string
	times    []*node // <time> elements
	h1s      []*node
	heads    []*node // h2/h3, for pages that title their article with them
	nodes    int

	content []*node // the chosen body containers, in document order
	best    *node   // the best-scoring paragraph container
}

type meta struct{ key, val string }

// skipped elements never hold article text.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Svg: true, atom.Math: true, atom.Iframe: true, atom.Object: true, atom.Embed: true,
	atom.Canvas: true, atom.Select: true, atom.Textarea: true, atom.Input: true,
	atom.Button: true, atom.Link: true, atom.Meta: true, atom.Head: true, atom.Title: true,
	atom.Option: true, atom.Audio: true, atom.Video: true, atom.Map: true, atom.Dialog: true,
}

// maxNodes bounds the work on pathological pages.
const maxNodes = 200000

// build walks the parsed document once: it collects head metadata and
// JSON-LD, and mirrors <body> into nodes with their text counts.
func (p *page) build(doc *html.Node) {
	var body *html.Node
	var walkHead func(h *html.Node)
	walkHead = func(h *html.Node) {
		for c := h.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Html:
				if v := attr(c, "lang"); v != "" {
					p.htmlLang = v
				}
				walkHead(c)
			case atom.Head:
				walkHead(c)
			case atom.Body:
				body = c
			default:
				p.collectMeta(c)
			}
		}
	}
	walkHead(doc)
	if body == nil {
		body = doc
	}
	p.root = p.mirror(body, nil, 0)
}

// collectMeta reads one head-ish element (also called for <meta>, <link>
// and JSON-LD found in the body, where many CMSs put them).
func (p *page) collectMeta(c *html.Node) {
	switch c.DataAtom {
	case atom.Title:
		if p.title == "" {
			p.title = textOf(c)
		}
	case atom.Meta:
		key := attr(c, "property")
		if key == "" {
			key = attr(c, "name")
		}
		if key == "" {
			key = attr(c, "itemprop")
		}
		if key == "" {
			if he := attr(c, "http-equiv"); he != "" {
				key = "http-equiv:" + he
			}
		}
		if key != "" {
			p.metas = append(p.metas, meta{strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(attr(c, "content"))})
		}
	case atom.Link:
		rel := strings.ToLower(attr(c, "rel"))
		if p.canon == "" && hasWord(rel, "canonical") {
			p.canon = attr(c, "href")
		}
	case atom.Script:
		if strings.Contains(strings.ToLower(attr(c, "type")), "ld+json") && c.FirstChild != nil {
			p.jsonld = append(p.jsonld, c.FirstChild.Data)
		}
	}
}

func (p *page) mirror(h *html.Node, parent *node, depth int) *node {
	n := &node{h: h, tag: h.DataAtom, parent: parent}
	p.nodes++
	if h.Type == html.ElementNode {
		n.words = classWords(h)
		if v := attr(h, "itemprop"); strings.EqualFold(v, "articleBody") {
			n.hasBody = true
		}
	}
	for c := h.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			k := &node{h: c, parent: n, text: c.Data}
			k.textLen, k.commas = countText(c.Data)
			n.kids = append(n.kids, k)
			n.textLen += k.textLen
			n.commas += k.commas
		case html.ElementNode:
			if skipped[c.DataAtom] || (c.DataAtom == 0 && c.Namespace != "") {
				if c.DataAtom == atom.Meta || c.DataAtom == atom.Link || c.DataAtom == atom.Script || c.DataAtom == atom.Title {
					p.collectMeta(c)
				}
				continue
			}
			if isHidden(c) || depth > 400 || p.nodes > maxNodes {
				continue
			}
			k := p.mirror(c, n, depth+1)
			n.kids = append(n.kids, k)
			n.textLen += k.textLen
			n.linkLen += k.linkLen
			n.commas += k.commas
			n.anchors += k.anchors
			n.hasBody = n.hasBody || k.hasBody
		}
	}
	switch n.tag {
	case atom.A:
		n.linkLen = n.textLen
		n.anchors++
	case atom.Time:
		p.times = append(p.times, n)
	case atom.H1:
		p.h1s = append(p.h1s, n)
	case atom.H2, atom.H3:
		if len(p.heads) < 50 {
			p.heads = append(p.heads, n)
		}
	}
	return n
}

// isHidden reports elements a reader never sees.
func isHidden(h *html.Node) bool {
	for _, a := range h.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "aria-hidden":
			if a.Val == "true" {
				return true
			}
		case "style":
			s := strings.ToLower(a.Val)
			if strings.Contains(s, "display") || strings.Contains(s, "visibility") {
				s = strings.ReplaceAll(s, " ", "")
				if strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden") {
					return true
				}
			}
		}
	}
	return false
}

// countText counts non-space runes and commas.
func countText(s string) (n, commas int) {
	for _, r := range s {
		switch {
		case r == ',' || r == '،':
			commas++
			n++
		case r < utf8.RuneSelf:
			if r > ' ' {
				n++
			}
		case !unicode.IsSpace(r) && r != '\u200f' && r != '\u200e' && r != '\u200b':
			n++
		}
	}
	return n, commas
}

func attr(h *html.Node, key string) string {
	for _, a := range h.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasWord(s, w string) bool {
	for _, f := range strings.Fields(s) {
		if f == w {
			return true
		}
	}
	return false
}

// classWords splits class and id into lower-case words at non-letters and
// camelCase boundaries: "article-body__text relatedPosts" → article, body,
// text, "", related, posts. An empty word separates class names, so rules
// can look at each name's first and last word.
func classWords(h *html.Node) []string {
	var words []string
	for _, a := range h.Attr {
		if a.Key != "class" && a.Key != "id" {
			continue
		}
		for _, name := range strings.Fields(a.Val) {
			if len(words) > 0 {
				words = append(words, "")
			}
			start := -1
			prevLower := false
			for i, r := range name {
				isL := r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
				if isL && start >= 0 && prevLower && r >= 'A' && r <= 'Z' {
					words = append(words, strings.ToLower(name[start:i]))
					start = i
				}
				if isL && start < 0 {
					start = i
				}
				if !isL && start >= 0 {
					words = append(words, strings.ToLower(name[start:i]))
					start = -1
				}
				prevLower = r >= 'a' && r <= 'z' || r >= '0' && r <= '9'
			}
			if start >= 0 {
				words = append(words, strings.ToLower(name[start:]))
			}
		}
	}
	return words
}

// textOf is the collapsed text of an html subtree (for <title> and
// metadata elements).
func textOf(h *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(h *html.Node) {
		for c := h.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				b.WriteString(c.Data)
			case html.ElementNode:
				if !skipped[c.DataAtom] || c.DataAtom == atom.Title {
					if c.DataAtom == atom.Br {
						b.WriteByte(' ')
					}
					walk(c)
				}
			}
		}
	}
	walk(h)
	return collapse(b.String())
}

// nodeText is the collapsed text of a mirrored subtree.
func nodeText(n *node) string {
	var b strings.Builder
	var walk func(*node)
	walk = func(n *node) {
		if n.isText() {
			b.WriteString(n.text)
			return
		}
		if n.tag == atom.Br {
			b.WriteByte(' ')
		}
		for _, k := range n.kids {
			walk(k)
		}
		if isBlock(n.tag) {
			b.WriteByte(' ')
		}
	}
	walk(n)
	return collapse(b.String())
}

// collapse folds whitespace runs (and invisible direction marks at the
// ends) into single spaces and trims.
func collapse(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u00a0' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// blockTags start a new paragraph in the text output.
var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Ul: true, atom.Ol: true, atom.Li: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
	atom.Blockquote: true, atom.Pre: true, atom.Table: true, atom.Tr: true, atom.Td: true, atom.Th: true,
	atom.Caption: true, atom.Figure: true, atom.Figcaption: true, atom.Header: true, atom.Footer: true,
	atom.Aside: true, atom.Nav: true, atom.Address: true, atom.Hr: true, atom.Br: true, atom.Form: true,
	atom.Center: true, atom.Details: true, atom.Summary: true, atom.Fieldset: true, atom.Tbody: true,
	atom.Thead: true, atom.Tfoot: true, atom.Body: true, atom.Html: true, atom.Hgroup: true,
}

func isBlock(a atom.Atom) bool { return blockTags[a] }

func isHeading(a atom.Atom) bool {
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}
