package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Limits on an XML document. encoding/xml never expands external or
// custom entities (only the five predefined ones and, here, HTML's named
// ones from a fixed table), so a "billion laughs" document stays as small
// as it was; these caps bound the tree built from it.
const (
	maxDepth = 48
	maxNodes = 200_000
)

// ErrTooDeep: the document nests elements deeper than maxDepth.
var ErrTooDeep = errors.New("xml nested too deeply")

// node is a minimal XML element: enough to read feeds, whose elements come
// from many namespaces in many orders.
type node struct {
	space, local string
	attr         []xml.Attr
	text         strings.Builder // character data directly inside, CDATA included
	children     []*node
}

// parseXML builds a tree from UTF-8 input. It is lenient (Strict off, HTML
// entities known) because real feeds are often not well-formed. A document
// damaged after its root started returns the tree read so far and the
// damage as a non-nil error.
func parseXML(body []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	// No AutoClose: HTML's void elements include <link>, which RSS uses
	// with content.
	d.Entity = xml.HTMLEntity
	// The body is UTF-8 already (charset.Decode ran); a declaration that
	// still says windows-1256 must not stop the decoder.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var (
		root  *node
		stack []*node
		count int
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if root != nil {
				// Keep what was read before the damage: a truncated feed
				// still names its first items.
				return root, fmt.Errorf("xml: %w", err)
			}
			return nil, fmt.Errorf("xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			count++
			if count > maxNodes {
				return nil, fmt.Errorf("xml: more than %d elements", maxNodes)
			}
			if len(stack) >= maxDepth {
				return nil, ErrTooDeep
			}
			n := &node{space: t.Name.Space, local: strings.ToLower(t.Name.Local), attr: t.Attr}
			if len(stack) == 0 {
				if root != nil {
					continue // a second root: ignore
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		}
	}
	if root == nil {
		return nil, errors.New("xml: no root element")
	}
	return root, nil
}

// child returns the first child named local (any namespace when space is
// ""), or nil.
func (n *node) child(space, local string) *node {
	if n == nil {
		return nil
	}
	for _, c := range n.children {
		if c.local == local && (space == "" || nsMatch(c.space, space)) {
			return c
		}
	}
	return nil
}

func (n *node) all(space, local string) []*node {
	if n == nil {
		return nil
	}
	var out []*node
	for _, c := range n.children {
		if c.local == local && (space == "" || nsMatch(c.space, space)) {
			out = append(out, c)
		}
	}
	return out
}

// value is the trimmed text of the first matching child.
func (n *node) value(space, local string) string {
	c := n.child(space, local)
	if c == nil {
		return ""
	}
	return strings.TrimSpace(c.text.String())
}

func (n *node) attrValue(local string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.attr {
		if strings.EqualFold(a.Name.Local, local) {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// Namespaces, matched by a distinctive part so http/https and trailing
// slash variants match too. An unresolved prefix (a feed that forgot its
// xmlns) arrives as the prefix itself, so that is accepted as well.
const (
	nsAtom    = "www.w3.org/2005/atom"
	nsMedia   = "search.yahoo.com/mrss"
	nsDC      = "purl.org/dc/elements/1.1"
	nsContent = "purl.org/rss/1.0/modules/content"
	nsNews    = "www.google.com/schemas/sitemap-news"
	nsImage   = "www.google.com/schemas/sitemap-image"
)

var nsPrefix = map[string]string{
	nsAtom: "atom", nsMedia: "media", nsDC: "dc", nsContent: "content", nsNews: "news", nsImage: "image",
}

func nsMatch(space, want string) bool {
	s := strings.ToLower(space)
	return strings.Contains(s, want) || s == nsPrefix[want]
}
