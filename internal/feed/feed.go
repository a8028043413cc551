// Package feed reads the documents news sites publish their article lists
// in — RSS 0.9x/1.0/2.0, Atom, JSON Feed, news sitemaps and sitemap indexes —
// into one shape: a list of items with URL, title, dates, author and image.
//
// It is a focused encoding/xml parser rather than gofeed: marsad needs
// a dozen fields from each format, sitemaps (which gofeed does not read),
// bounded depth and size, and pluggable parsing of Arabic-written dates;
// gofeed would add goquery, cascadia and json-iterator for that.
package feed

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Kind names a document format.
type Kind string

// Formats Parse recognises.
const (
	RSS          Kind = "rss" // 0.9x and 2.0
	RDF          Kind = "rdf" // RSS 1.0
	Atom         Kind = "atom"
	JSONFeed     Kind = "jsonfeed"
	Sitemap      Kind = "sitemap" // a urlset, news sitemap or not
	SitemapIndex Kind = "sitemapindex"
)

// ErrNotFeed: the document is none of the formats (an HTML page, an
// unknown XML vocabulary, …).
var ErrNotFeed = errors.New("not a feed or sitemap")

// Feed is a parsed document.
type Feed struct {
	Kind     Kind
	Title    string
	Link     string // the site's home page, when the feed names it
	Language string
	Items    []Item
	// Sitemaps lists the child sitemaps of a sitemap index.
	Sitemaps []string
}

// Item is one entry: an article candidate.
type Item struct {
	URL       string // absolute http(s)
	GUID      string
	Title     string
	Author    string
	Summary   string
	Image     string
	Language  string
	Published time.Time
	Updated   time.Time
}

// DateFunc parses a date string the built-in layouts could not (Arabic
// month names, Hijri dates, …); its signature is arabic.ParseDate's.
type DateFunc func(s string, loc *time.Location, now time.Time) (time.Time, error)

// Options configure Parse.
type Options struct {
	// BaseURL is the document's own URL; relative links resolve against it.
	BaseURL string
	// Location reads zone-less dates; UTC when nil.
	Location *time.Location
	// ParseDate is tried when no built-in layout fits; optional.
	ParseDate DateFunc
	// Now is "now" for ParseDate's relative forms; time.Now when nil.
	Now func() time.Time
	// MaxItems caps the items kept (default 5000).
	MaxItems int
}

// Parse reads a UTF-8 document (run it through charset.Decode first).
func Parse(body []byte, opt Options) (*Feed, error) {
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.MaxItems <= 0 {
		opt.MaxItems = 5000
	}
	p := &parser{opt: opt}
	if b, err := url.Parse(opt.BaseURL); err == nil && b.IsAbs() {
		p.base = b
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return p.jsonFeed(trimmed)
	}
	head := strings.ToLower(string(trimmed[:min(len(trimmed), 512)]))
	if strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") {
		return nil, fmt.Errorf("feed: an HTML page: %w", ErrNotFeed)
	}
	root, damage := parseXML(trimmed)
	if root == nil {
		return nil, fmt.Errorf("feed: %w", damage)
	}
	var f *Feed
	switch root.local {
	case "rss":
		f = p.rss(root.child("", "channel"), root, RSS)
	case "rdf":
		f = p.rss(root.child("", "channel"), root, RDF)
	case "feed":
		f = p.atom(root)
	case "urlset":
		f = p.urlset(root)
	case "sitemapindex":
		f = p.sitemapIndex(root)
	case "html":
		return nil, fmt.Errorf("feed: an HTML page: %w", ErrNotFeed)
	default:
		return nil, fmt.Errorf("feed: root element <%s>: %w", root.local, ErrNotFeed)
	}
	if damage != nil && len(f.Items) == 0 && len(f.Sitemaps) == 0 {
		return nil, fmt.Errorf("feed: %w", damage)
	}
	if len(f.Items) > opt.MaxItems {
		f.Items = f.Items[:opt.MaxItems]
	}
	return f, nil
}

type parser struct {
	opt  Options
	base *url.URL
}

// resolve makes an absolute http(s) URL of ref, or returns "".
func (p *parser) resolve(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" { // "http://:80" names no server
		return ""
	}
	// What is stored must parse again: url.Parse takes some hosts ("0::")
	// in a reference that it refuses in an absolute URL (fuzzer).
	out := u.String()
	if _, err := url.Parse(out); err != nil {
		return ""
	}
	return out
}

// withBase applies an xml:base attribute to base.
func (p *parser) withBase(n *node, base *url.URL) *url.URL {
	for _, a := range n.attr {
		if a.Name.Local == "base" && (a.Name.Space == "xml" || strings.Contains(a.Name.Space, "XML/1998/namespace")) {
			if u, err := url.Parse(strings.TrimSpace(a.Value)); err == nil {
				if base != nil {
					return base.ResolveReference(u)
				}
				if u.IsAbs() {
					return u
				}
			}
		}
	}
	return base
}

// own returns the first child in the document's own vocabulary (no
// namespace, or RSS 1.0's / Atom's), skipping extensions such as
// atom:link inside RSS or media:title.
func own(n *node, local string) *node {
	if n == nil {
		return nil
	}
	for _, c := range n.children {
		if c.local == local && isOwnNS(c.space) {
			return c
		}
	}
	return nil
}

func ownValue(n *node, local string) string {
	c := own(n, local)
	if c == nil {
		return ""
	}
	return strings.TrimSpace(c.text.String())
}

func isOwnNS(space string) bool {
	s := strings.ToLower(space)
	return s == "" || strings.Contains(s, "purl.org/rss/1.0/") && !strings.Contains(s, "modules") ||
		strings.Contains(s, "netscape.com/rdf/simple") || strings.Contains(s, "backend.userland.com") ||
		strings.Contains(s, nsAtom) || strings.Contains(s, "sitemaps.org/schemas/sitemap")
}

func (p *parser) rss(channel, root *node, kind Kind) *Feed {
	base := p.withBase(root, p.base)
	f := &Feed{Kind: kind, Title: ownValue(channel, "title"), Link: p.resolve(base, ownValue(channel, "link")),
		Language: ownValue(channel, "language")}
	if f.Language == "" {
		f.Language = channel.value(nsDC, "language")
	}
	items := channel.all("", "item")
	if kind == RDF || len(items) == 0 {
		items = append(items, root.all("", "item")...) // RSS 1.0 and some 0.9x put items beside the channel
	}
	for _, it := range items {
		ib := p.withBase(it, base)
		item := Item{
			Title:    text(ownValue(it, "title")),
			GUID:     ownValue(it, "guid"),
			Summary:  text(ownValue(it, "description")),
			Author:   text(firstNonEmpty(it.value(nsDC, "creator"), ownValue(it, "author"))),
			Language: it.value(nsDC, "language"),
		}
		link := ownValue(it, "link")
		if link == "" {
			for _, l := range it.all(nsAtom, "link") {
				if r := l.attrValue("rel"); r == "" || r == "alternate" {
					link = l.attrValue("href")
					break
				}
			}
		}
		if link == "" && kind == RDF {
			link = it.attrValue("about")
		}
		if link == "" && item.GUID != "" {
			if g := own(it, "guid"); !strings.EqualFold(g.attrValue("isPermaLink"), "false") {
				link = item.GUID
			}
		}
		item.URL = p.resolve(ib, link)
		if item.Summary == "" {
			item.Summary = text(it.value(nsContent, "encoded"))
		}
		item.Published = p.date(firstNonEmpty(ownValue(it, "pubdate"), it.value(nsDC, "date"), it.value(nsAtom, "published")))
		item.Updated = p.date(firstNonEmpty(it.value(nsAtom, "updated"), it.value("dcterms", "modified")))
		item.Image = p.resolve(ib, p.image(it))
		if item.URL != "" {
			f.Items = append(f.Items, item)
		}
	}
	return f
}

// image finds a thumbnail in media:, enclosure and image extensions.
func (p *parser) image(it *node) string {
	for _, n := range append([]*node{it}, it.all(nsMedia, "group")...) {
		if t := n.child(nsMedia, "thumbnail"); t != nil && t.attrValue("url") != "" {
			return t.attrValue("url")
		}
		for _, c := range n.all(nsMedia, "content") {
			if isImage(c.attrValue("medium"), c.attrValue("type"), c.attrValue("url")) {
				if t := c.child(nsMedia, "thumbnail"); t != nil && t.attrValue("url") != "" {
					return t.attrValue("url")
				}
				return c.attrValue("url")
			}
		}
	}
	for _, e := range it.all("", "enclosure") {
		if isImage("", e.attrValue("type"), e.attrValue("url")) {
			return e.attrValue("url")
		}
	}
	for _, l := range it.all("", "link") { // Atom enclosure links
		if l.attrValue("rel") == "enclosure" && isImage("", l.attrValue("type"), l.attrValue("href")) {
			return l.attrValue("href")
		}
	}
	if im := it.child("", "image"); im != nil { // <image>url</image> or <image><url>…
		if v := firstNonEmpty(im.value("", "url"), strings.TrimSpace(im.text.String())); v != "" {
			return v
		}
	}
	return ""
}

func isImage(medium, typ, u string) bool {
	if medium != "" {
		return medium == "image"
	}
	if typ != "" {
		return strings.HasPrefix(strings.ToLower(typ), "image/")
	}
	l := strings.ToLower(u)
	if i := strings.IndexAny(l, "?#"); i >= 0 {
		l = l[:i]
	}
	for _, ext := range []string{".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"} {
		if strings.HasSuffix(l, ext) {
			return true
		}
	}
	return false
}

func (p *parser) atom(root *node) *Feed {
	base := p.withBase(root, p.base)
	f := &Feed{Kind: Atom, Title: text(ownValue(root, "title")), Language: root.attrValue("lang")}
	f.Link = p.resolve(base, atomLink(root))
	for _, e := range root.all("", "entry") {
		if !isOwnNS(e.space) {
			continue
		}
		eb := p.withBase(e, base)
		item := Item{
			Title:     text(ownValue(e, "title")),
			GUID:      ownValue(e, "id"),
			Summary:   text(firstNonEmpty(ownValue(e, "summary"), ownValue(e, "content"))),
			Published: p.date(firstNonEmpty(ownValue(e, "published"), ownValue(e, "issued"), e.value(nsDC, "date"))),
			Updated:   p.date(firstNonEmpty(ownValue(e, "updated"), ownValue(e, "modified"))),
			Language:  e.attrValue("lang"),
		}
		if a := own(e, "author"); a != nil {
			item.Author = text(ownValue(a, "name"))
		}
		if item.Author == "" {
			item.Author = text(e.value(nsDC, "creator"))
		}
		link := atomLink(e)
		if link == "" && strings.HasPrefix(item.GUID, "http") {
			link = item.GUID
		}
		item.URL = p.resolve(eb, link)
		item.Image = p.resolve(eb, p.image(e))
		if item.Published.IsZero() {
			item.Published = item.Updated
		}
		if item.URL != "" {
			f.Items = append(f.Items, item)
		}
	}
	return f
}

// atomLink picks rel="alternate" (or no rel), preferring an HTML type.
func atomLink(n *node) string {
	best := ""
	for _, l := range n.children {
		if l.local != "link" || !isOwnNS(l.space) {
			continue
		}
		rel := l.attrValue("rel")
		if rel != "" && rel != "alternate" {
			continue
		}
		typ := l.attrValue("type")
		if typ == "" || strings.Contains(typ, "html") {
			return l.attrValue("href")
		}
		if best == "" {
			best = l.attrValue("href")
		}
	}
	return best
}

func (p *parser) urlset(root *node) *Feed {
	f := &Feed{Kind: Sitemap}
	for _, u := range root.all("", "url") {
		item := Item{URL: p.resolve(p.base, u.value("", "loc")), Updated: p.date(u.value("", "lastmod"))}
		if n := u.child(nsNews, "news"); n != nil {
			item.Title = text(n.value(nsNews, "title"))
			item.Published = p.date(n.value(nsNews, "publication_date"))
			if pub := n.child(nsNews, "publication"); pub != nil {
				item.Language = pub.value(nsNews, "language")
				if f.Title == "" {
					f.Title = text(pub.value(nsNews, "name"))
				}
			}
		}
		if im := u.child(nsImage, "image"); im != nil {
			item.Image = p.resolve(p.base, im.value(nsImage, "loc"))
		}
		if item.URL != "" {
			f.Items = append(f.Items, item)
		}
	}
	return f
}

func (p *parser) sitemapIndex(root *node) *Feed {
	f := &Feed{Kind: SitemapIndex}
	for _, s := range root.all("", "sitemap") {
		if u := p.resolve(p.base, s.value("", "loc")); u != "" {
			f.Sitemaps = append(f.Sitemaps, u)
		}
	}
	return f
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
