// Package webfeed renders marsad's outgoing feeds — RSS 2.0, Atom 1.0 and
// JSON Feed 1.1 — from one model, so every listing (latest, a story, a
// source, a search) is offered in all three. All text goes through
// encoding/xml or encoding/json escaping; nothing is written raw.
package webfeed

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"time"
)

// Feed is one listing.
type Feed struct {
	Title       string
	Description string
	// Link is the listing's HTML page; FeedURL this feed's own address.
	Link    string
	FeedURL string
	Lang    string // BCP 47; "ar" by default
	Updated time.Time
	Items   []Item
}

// Item is one article in a feed.
type Item struct {
	// ID is stable and unique (marsad's article page URL).
	ID    string
	Title string
	// Link is marsad's page for the article; Original the outlet's URL.
	Link     string
	Original string
	Summary  string
	// Paragraphs is the body text, rendered as escaped <p> elements.
	Paragraphs []string
	Published  time.Time
	Updated    time.Time
	Author     string
	SourceName string
	Image      string
}

func (f Feed) lang() string {
	if f.Lang == "" {
		return "ar"
	}
	return f.Lang
}

// updated is the feed's update time: explicit, else the newest item's.
func (f Feed) updated() time.Time {
	if !f.Updated.IsZero() {
		return f.Updated.UTC()
	}
	var t time.Time
	for _, it := range f.Items {
		if u := it.updated(); u.After(t) {
			t = u
		}
	}
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return t.UTC()
}

func (it Item) updated() time.Time {
	if !it.Updated.IsZero() {
		return it.Updated.UTC()
	}
	return it.Published.UTC()
}

// contentHTML is the body as HTML built from escaped text paragraphs.
func (it Item) contentHTML() string {
	var b bytes.Buffer
	for _, p := range it.Paragraphs {
		b.WriteString("<p>")
		xml.EscapeText(&b, []byte(p))
		b.WriteString("</p>\n")
	}
	if it.Original != "" {
		b.WriteString(`<p><a href="`)
		xml.EscapeText(&b, []byte(it.Original))
		b.WriteString(`">المصدر الأصلي</a></p>`)
	}
	return b.String()
}

// Content types to serve each format with.
const (
	RSSType  = "application/rss+xml; charset=utf-8"
	AtomType = "application/atom+xml; charset=utf-8"
	JSONType = "application/feed+json; charset=utf-8"
)

type rss struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	AtomNS  string     `xml:"xmlns:atom,attr"`
	DCNS    string     `xml:"xmlns:dc,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title       string    `xml:"title"`
	Link        string    `xml:"link"`
	Description string    `xml:"description"`
	Language    string    `xml:"language"`
	LastBuild   string    `xml:"lastBuildDate"`
	Generator   string    `xml:"generator"`
	Self        atomLink  `xml:"atom:link"`
	Items       []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string     `xml:"title"`
	Link        string     `xml:"link"`
	GUID        rssGUID    `xml:"guid"`
	PubDate     string     `xml:"pubDate,omitempty"`
	Description string     `xml:"description,omitempty"`
	Author      string     `xml:"dc:creator,omitempty"`
	Source      *rssSource `xml:"source,omitempty"`
	Enclosure   *rssEnc    `xml:"enclosure,omitempty"`
}

type rssGUID struct {
	Value     string `xml:",chardata"`
	Permalink string `xml:"isPermaLink,attr"`
}

type rssSource struct {
	Name string `xml:",chardata"`
	URL  string `xml:"url,attr"`
}

type rssEnc struct {
	URL    string `xml:"url,attr"`
	Type   string `xml:"type,attr"`
	Length string `xml:"length,attr"`
}

// RSS renders f as RSS 2.0.
func RSS(f Feed) ([]byte, error) {
	doc := rss{Version: "2.0", AtomNS: "http://www.w3.org/2005/Atom", DCNS: "http://purl.org/dc/elements/1.1/", Channel: rssChannel{
		Title: f.Title, Link: f.Link, Description: orDefault(f.Description, f.Title), Language: f.lang(),
		LastBuild: f.updated().Format(time.RFC1123Z), Generator: "marsad",
		Self: atomLink{Href: f.FeedURL, Rel: "self", Type: "application/rss+xml"},
	}}
	for _, it := range f.Items {
		ri := rssItem{
			Title: it.Title, Link: it.Link, GUID: rssGUID{Value: it.ID, Permalink: "true"},
			Description: it.contentHTML(),
		}
		if !it.Published.IsZero() {
			ri.PubDate = it.Published.UTC().Format(time.RFC1123Z)
		}
		if it.Author != "" {
			ri.Author = it.Author
		}
		if it.SourceName != "" && it.Original != "" {
			ri.Source = &rssSource{Name: it.SourceName, URL: it.Original}
		}
		if it.Image != "" {
			ri.Enclosure = &rssEnc{URL: it.Image, Type: imageType(it.Image), Length: "0"}
		}
		doc.Channel.Items = append(doc.Channel.Items, ri)
	}
	return marshalXML(doc)
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Sub     string      `xml:"subtitle,omitempty"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Gen     string      `xml:"generator"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Updated   string      `xml:"updated"`
	Published string      `xml:"published,omitempty"`
	Author    *atomPerson `xml:"author,omitempty"`
	Links     []atomLink  `xml:"link"`
	Summary   *atomText   `xml:"summary,omitempty"`
	Content   atomText    `xml:"content"`
}

// Atom renders f as Atom 1.0 (RFC 4287).
func Atom(f Feed) ([]byte, error) {
	doc := atomFeed{
		Lang: f.lang(), ID: f.FeedURL, Title: f.Title, Sub: f.Description,
		Updated: f.updated().Format(time.RFC3339), Author: atomPerson{Name: "مرصد"}, Gen: "marsad",
		Links: []atomLink{{Href: f.FeedURL, Rel: "self", Type: "application/atom+xml"}, {Href: f.Link, Rel: "alternate", Type: "text/html"}},
	}
	for _, it := range f.Items {
		e := atomEntry{
			ID: it.ID, Title: it.Title, Updated: it.updated().Format(time.RFC3339),
			Links:   []atomLink{{Href: it.Link, Rel: "alternate", Type: "text/html"}},
			Content: atomText{Type: "html", Body: it.contentHTML()},
		}
		if !it.Published.IsZero() {
			e.Published = it.Published.UTC().Format(time.RFC3339)
		}
		if it.Original != "" {
			e.Links = append(e.Links, atomLink{Href: it.Original, Rel: "related", Type: "text/html"})
		}
		if it.Image != "" {
			e.Links = append(e.Links, atomLink{Href: it.Image, Rel: "enclosure", Type: imageType(it.Image)})
		}
		if name := orDefault(it.Author, it.SourceName); name != "" {
			e.Author = &atomPerson{Name: name}
		}
		if it.Summary != "" {
			e.Summary = &atomText{Type: "text", Body: it.Summary}
		}
		doc.Entries = append(doc.Entries, e)
	}
	return marshalXML(doc)
}

type jsonFeed struct {
	Version     string     `json:"version"`
	Title       string     `json:"title"`
	HomePage    string     `json:"home_page_url,omitempty"`
	FeedURL     string     `json:"feed_url,omitempty"`
	Description string     `json:"description,omitempty"`
	Language    string     `json:"language"`
	Items       []jsonItem `json:"items"`
}

type jsonItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url,omitempty"`
	ExternalURL   string       `json:"external_url,omitempty"`
	Title         string       `json:"title"`
	ContentHTML   string       `json:"content_html"`
	Summary       string       `json:"summary,omitempty"`
	Image         string       `json:"image,omitempty"`
	DatePublished string       `json:"date_published,omitempty"`
	DateModified  string       `json:"date_modified,omitempty"`
	Authors       []jsonAuthor `json:"authors,omitempty"`
}

type jsonAuthor struct {
	Name string `json:"name"`
}

// JSON renders f as JSON Feed 1.1.
func JSON(f Feed) ([]byte, error) {
	doc := jsonFeed{Version: "https://jsonfeed.org/version/1.1", Title: f.Title, HomePage: f.Link,
		FeedURL: f.FeedURL, Description: f.Description, Language: f.lang(), Items: []jsonItem{}}
	for _, it := range f.Items {
		ji := jsonItem{ID: it.ID, URL: it.Link, ExternalURL: it.Original, Title: it.Title,
			ContentHTML: it.contentHTML(), Summary: it.Summary, Image: it.Image}
		if !it.Published.IsZero() {
			ji.DatePublished = it.Published.UTC().Format(time.RFC3339)
		}
		if !it.Updated.IsZero() {
			ji.DateModified = it.Updated.UTC().Format(time.RFC3339)
		}
		if name := orDefault(it.Author, it.SourceName); name != "" {
			ji.Authors = []jsonAuthor{{Name: name}}
		}
		doc.Items = append(doc.Items, ji)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("webfeed: json: %w", err)
	}
	return b.Bytes(), nil
}

func marshalXML(v any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", " ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("webfeed: xml: %w", err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

func orDefault(s, def string) string {
	if s != "" {
		return s
	}
	return def
}

func imageType(u string) string {
	switch {
	case hasSuffixFold(u, ".png"):
		return "image/png"
	case hasSuffixFold(u, ".gif"):
		return "image/gif"
	case hasSuffixFold(u, ".webp"):
		return "image/webp"
	default:
		return "image/jpeg"
	}
}

func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && bytes.EqualFold([]byte(s[len(s)-len(suffix):]), []byte(suffix))
}
