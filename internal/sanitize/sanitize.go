// Package sanitize makes article HTML safe to show: an allow-list of
// elements and attributes, everything else unwrapped (its text kept) or, for
// active or invisible content (script, style, iframe, forms…), dropped
// whole. Links and images become absolute and only http(s) (and mailto for
// links) survive, so no javascript: or data: URL reaches the page. It is
// written on golang.org/x/net/html rather than wrapping bluemonday: the
// allow-list is small, and the extractor hands over parsed nodes directly.
package sanitize

import (
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// allowed elements and, per element, their allowed attributes (beyond the
// global dir and lang).
var allowed = map[atom.Atom][]string{
	atom.P: nil, atom.Br: nil, atom.Hr: nil,
	atom.H1: nil, atom.H2: nil, atom.H3: nil, atom.H4: nil, atom.H5: nil, atom.H6: nil,
	atom.Strong: nil, atom.B: nil, atom.Em: nil, atom.I: nil, atom.U: nil, atom.S: nil,
	atom.Sub: nil, atom.Sup: nil, atom.Small: nil, atom.Mark: nil, atom.Abbr: {"title"},
	atom.Blockquote: {"cite"}, atom.Q: {"cite"}, atom.Cite: nil, atom.Pre: nil, atom.Code: nil,
	atom.Ul: nil, atom.Ol: {"start"}, atom.Li: nil, atom.Dl: nil, atom.Dt: nil, atom.Dd: nil,
	atom.A: {"href", "title"}, atom.Img: {"src", "alt", "title", "width", "height"},
	atom.Figure: nil, atom.Figcaption: nil, atom.Time: {"datetime"},
	atom.Table: nil, atom.Caption: nil, atom.Thead: nil, atom.Tbody: nil, atom.Tfoot: nil,
	atom.Tr: nil, atom.Th: {"colspan", "rowspan"}, atom.Td: {"colspan", "rowspan"},
}

// dropped elements lose their content too: it is code, styling, embedded
// documents or form controls, never article text.
var dropped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Frame: true, atom.Frameset: true, atom.Object: true, atom.Embed: true,
	atom.Applet: true, atom.Form: true, atom.Input: true, atom.Button: true, atom.Select: true,
	atom.Textarea: true, atom.Option: true, atom.Svg: true, atom.Math: true, atom.Canvas: true,
	atom.Audio: true, atom.Video: true, atom.Source: true, atom.Track: true, atom.Link: true,
	atom.Meta: true, atom.Base: true, atom.Head: true, atom.Title: true, atom.Dialog: true,
}

// urlAttrs are resolved and scheme-checked.
var urlAttrs = map[string]bool{"href": true, "src": true, "cite": true}

// voids have no end tag.
var voids = map[atom.Atom]bool{atom.Br: true, atom.Hr: true, atom.Img: true}

// HTML sanitizes an HTML fragment. Relative URLs are resolved against base
// (left as they are when base is nil).
func HTML(s string, base *url.URL) string {
	if s == "" {
		return "" // most imported articles have no HTML; a parser costs 8 KB
	}
	nodes, err := parse(s)
	if err != nil { // x/net/html only fails on reader errors
		return html.EscapeString(s)
	}
	return Nodes(nodes, base)
}

func parse(s string) ([]*html.Node, error) {
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	return html.ParseFragment(strings.NewReader(s), ctx)
}

// maxPasses bounds the passes Nodes makes to reach a fixed point.
const maxPasses = 4

// Nodes sanitizes already-parsed nodes (and their subtrees). Unwrapping an
// element can leave markup that parses into a different tree ("<h1><x><h1>"
// nests one h1 in the other; without the x they are siblings), so the
// output is parsed and sanitized again until it no longer changes: stored
// HTML is sanitized again on every export/import and must not drift.
func Nodes(nodes []*html.Node, base *url.URL) string {
	out := once(nodes, base)
	for range maxPasses {
		again, err := parse(out)
		if err != nil {
			break
		}
		next := once(again, base)
		if next == out {
			break
		}
		out = next
	}
	return out
}

func once(nodes []*html.Node, base *url.URL) string {
	var w writer
	for _, n := range nodes {
		w.write(n, base, 0)
	}
	w.flush()
	// Runs of line breaks left where blocks were removed read as one gap.
	return brRun.ReplaceAllString(w.b.String(), "<br><br>")
}

// writer collects the output. Text is held back until the next tag because
// the text of unwrapped elements merges into one text node when the output
// is parsed again; deciding on the merged run keeps sanitizing idempotent
// (stored HTML goes through it again on every export/import).
type writer struct {
	b    strings.Builder
	text strings.Builder
}

func (w *writer) flush() {
	t := w.text.String()
	w.text.Reset()
	if strings.TrimSpace(t) == "" && strings.Contains(t, "\n") {
		w.b.WriteByte('\n') // indentation between blocks
		return
	}
	w.b.WriteString(html.EscapeString(t))
}

// tag writes markup after the pending text.
func (w *writer) tag(s string) {
	w.flush()
	w.b.WriteString(s)
}

var brRun = regexp.MustCompile(`(?:<br>\s*){3,}`)

// maxDepth bounds recursion on hostile nesting; deeper content is flattened
// to text.
const maxDepth = 200

func (w *writer) write(n *html.Node, base *url.URL, depth int) {
	switch n.Type {
	case html.TextNode:
		w.text.WriteString(n.Data)
		return
	case html.DocumentNode:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w.write(c, base, depth+1)
		}
		return
	case html.ElementNode:
	default: // comments, doctypes, raw nodes
		return
	}
	if dropped[n.DataAtom] || (n.DataAtom == 0 && n.Namespace != "") {
		return
	}
	attrs, ok := allowed[n.DataAtom]
	if !ok || depth > maxDepth {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w.write(c, base, depth+1)
		}
		return
	}
	var out []html.Attribute
	for _, a := range n.Attr {
		if a.Namespace != "" {
			continue
		}
		key := strings.ToLower(a.Key)
		if key != "dir" && key != "lang" && !contains(attrs, key) {
			continue
		}
		val := a.Val
		if urlAttrs[key] {
			v, ok := cleanURL(val, base, key == "href")
			if !ok {
				continue
			}
			val = v
		}
		out = append(out, html.Attribute{Key: key, Val: val})
	}
	if n.DataAtom == atom.Img && !hasAttr(out, "src") {
		return // an image without a safe source shows nothing
	}
	var t strings.Builder
	t.WriteByte('<')
	t.WriteString(n.DataAtom.String())
	for _, a := range out {
		t.WriteByte(' ')
		t.WriteString(a.Key)
		t.WriteString(`="`)
		t.WriteString(html.EscapeString(a.Val))
		t.WriteByte('"')
	}
	if n.DataAtom == atom.A {
		t.WriteString(` rel="nofollow noopener"`)
	}
	t.WriteByte('>')
	w.tag(t.String())
	if voids[n.DataAtom] {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.write(c, base, depth+1)
	}
	w.tag("</" + n.DataAtom.String() + ">")
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func hasAttr(attrs []html.Attribute, key string) bool {
	for _, a := range attrs {
		if a.Key == key {
			return true
		}
	}
	return false
}

// cleanURL resolves raw against base and keeps it only if its scheme is
// http(s) (or mailto for links). Control characters and whitespace that
// browsers strip before reading a scheme are stripped first, so
// "java\tscript:" cannot slip through.
func cleanURL(raw string, base *url.URL, link bool) (string, bool) {
	raw = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, strings.TrimSpace(raw))
	if raw == "" {
		return "", false
	}
	if link && strings.HasPrefix(raw, "#") {
		return raw, true
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	case "mailto":
		if !link {
			return "", false
		}
	case "":
		if base != nil || u.Opaque != "" || strings.Contains(raw, ":") && !strings.HasPrefix(raw, "/") && !strings.HasPrefix(raw, ".") {
			return "", false
		}
	default:
		return "", false
	}
	return u.String(), true
}
