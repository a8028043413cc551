// Package sources reads and writes source lists (OPML, JSON), discovers a
// site's feeds from its home page, and ships a default list of Arabic
// outlets' public feeds.
package sources

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"

	"github.com/marsad/marsad/internal/charset"
	"github.com/marsad/marsad/internal/feed"
	"github.com/marsad/marsad/internal/fetch"
	"github.com/marsad/marsad/internal/news"
)

//go:embed defaults.opml
var defaultsOPML []byte

// Defaults returns the shipped list of Arabic outlets' public feeds.
func Defaults() ([]news.Source, error) { return ParseOPML(defaultsOPML) }

type opmlDoc struct {
	XMLName xml.Name `xml:"opml"`
	Version string   `xml:"version,attr"`
	Head    struct {
		Title string `xml:"title"`
	} `xml:"head"`
	Body struct {
		Outlines []outline `xml:"outline"`
	} `xml:"body"`
}

type outline struct {
	Type     string    `xml:"type,attr,omitempty"`
	Text     string    `xml:"text,attr"`
	Title    string    `xml:"title,attr,omitempty"`
	XMLURL   string    `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string    `xml:"htmlUrl,attr,omitempty"`
	Language string    `xml:"language,attr,omitempty"`
	ID       string    `xml:"marsadId,attr,omitempty"`
	Outlines []outline `xml:"outline"`
}

// ParseOPML reads an OPML subscription list. Outlines sharing a site (same
// htmlUrl, or same host) become one source with several feeds.
func ParseOPML(b []byte) ([]news.Source, error) {
	var doc opmlDoc
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		all, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		out, _, err := charset.Decode(all, "text/xml; charset="+label)
		return bytes.NewReader(out), err
	}
	if err := d.Decode(&doc); err != nil {
		return nil, fmt.Errorf("sources: OPML: %w: %w", err, news.ErrInvalid)
	}
	var out []news.Source
	index := map[string]int{}
	var walk func([]outline)
	walk = func(os []outline) {
		for _, o := range os {
			if o.XMLURL != "" {
				src, err := FromFeed(o.XMLURL, firstNonEmpty(o.Title, o.Text), o.HTMLURL)
				if err == nil {
					if o.ID != "" {
						src.ID = o.ID
					}
					src.Lang = o.Language
					key := src.HomeURL
					if i, ok := index[key]; ok {
						out[i].FeedURLs = appendNew(out[i].FeedURLs, src.FeedURLs...)
					} else {
						index[key] = len(out)
						out = append(out, src)
					}
				}
			}
			walk(o.Outlines)
		}
	}
	walk(doc.Body.Outlines)
	return uniqueIDs(out), nil
}

// WriteOPML writes sources as OPML 2.0.
func WriteOPML(w io.Writer, srcs []news.Source) error {
	doc := opmlDoc{Version: "2.0"}
	doc.Head.Title = "marsad — مصادر الأخبار"
	for _, s := range srcs {
		for _, f := range s.FeedURLs {
			doc.Body.Outlines = append(doc.Body.Outlines, outline{Type: "rss", Text: s.Name, Title: s.Name,
				XMLURL: f, HTMLURL: s.HomeURL, Language: s.Lang, ID: s.ID})
		}
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("sources: OPML: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// JSONSource is a source in JSON lists (import and the API).
type JSONSource struct {
	ID    string   `json:"id,omitempty"`
	Name  string   `json:"name,omitempty"`
	Home  string   `json:"home,omitempty"`
	Feeds []string `json:"feeds,omitempty"`
	Feed  string   `json:"feed,omitempty"` // one feed, as in newsweb's sources.json
	Lang  string   `json:"lang,omitempty"`
}

// ParseJSON reads a JSON array of sources ({id, name, home, feeds|feed, lang}).
func ParseJSON(b []byte) ([]news.Source, error) {
	var list []JSONSource
	if err := json.Unmarshal(b, &list); err != nil {
		return nil, fmt.Errorf("sources: JSON: %w: %w", err, news.ErrInvalid)
	}
	var out []news.Source
	for i, j := range list {
		feeds := j.Feeds
		if j.Feed != "" {
			feeds = append([]string{j.Feed}, feeds...)
		}
		if len(feeds) == 0 {
			return nil, fmt.Errorf("sources: JSON entry %d (%q): no feed: %w", i, j.ID, news.ErrInvalid)
		}
		src, err := FromFeed(feeds[0], j.Name, j.Home)
		if err != nil {
			return nil, fmt.Errorf("sources: JSON entry %d: %w", i, err)
		}
		src.FeedURLs = appendNew(src.FeedURLs, feeds[1:]...)
		if j.ID != "" {
			src.ID = j.ID
		}
		src.Lang = j.Lang
		out = append(out, src)
	}
	return uniqueIDs(out), nil
}

// FromFeed describes a source from its feed URL; name and home are
// optional (derived from the URL when empty).
func FromFeed(feedURL, name, home string) (news.Source, error) {
	u, err := url.Parse(strings.TrimSpace(feedURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return news.Source{}, fmt.Errorf("sources: %q is not an http(s) URL: %w", feedURL, news.ErrInvalid)
	}
	if home == "" {
		home = u.Scheme + "://" + u.Host + "/"
	}
	hu, err := url.Parse(home)
	if err != nil || hu.Host == "" {
		hu = u
	}
	return news.Source{ID: Slug(hu.Host), Name: firstNonEmpty(strings.TrimSpace(name), hu.Hostname()),
		HomeURL: home, FeedURLs: []string{u.String()}, Host: hu.Host}, nil
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// Slug makes a short stable ID from a host: "www.okaz.com.sa" → "okaz",
// "127.0.0.2:18080" → "127-0-0-2-18080".
func Slug(host string) string {
	h := strings.ToLower(host)
	for _, p := range []string{"www.", "m.", "ar.", "arabic."} {
		h = strings.TrimPrefix(h, p)
	}
	if !regexp.MustCompile(`^[0-9.:\[\]]+$`).MatchString(h) {
		h = strings.Split(h, ":")[0]
		parts := strings.Split(h, ".")
		if len(parts) > 1 {
			h = parts[0]
		}
	}
	s := strings.Trim(nonSlug.ReplaceAllString(h, "-"), "-")
	if s == "" {
		s = "source"
	}
	return s
}

// uniqueIDs suffixes repeated IDs (-2, -3, …) in list order.
func uniqueIDs(srcs []news.Source) []news.Source {
	seen := map[string]int{}
	for i := range srcs {
		id := srcs[i].ID
		seen[id]++
		if n := seen[id]; n > 1 {
			srcs[i].ID = fmt.Sprintf("%s-%d", id, n)
		}
	}
	return srcs
}

func appendNew(list []string, add ...string) []string {
	for _, a := range add {
		found := false
		for _, l := range list {
			if l == a {
				found = true
			}
		}
		if !found {
			list = append(list, a)
		}
	}
	return list
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// ErrNoFeed: discovery found no feed on the site.
var ErrNoFeed = errors.New("no feed found")

// commonPaths are tried when a home page links no feed.
var commonPaths = []string{"/feed", "/rss", "/rss.xml", "/feed.xml", "/atom.xml", "/feed.json", "/index.xml",
	"/feed/", "/rss/", "/sitemap-news.xml", "/news-sitemap.xml"}

// Discover turns a URL into a source: a feed URL is taken as is; a page is
// searched for <link rel="alternate"> feeds, then common feed paths.
func Discover(ctx context.Context, f *fetch.Client, rawURL string) (news.Source, error) {
	resp, err := f.Get(ctx, fetch.Request{URL: rawURL})
	if err != nil {
		return news.Source{}, fmt.Errorf("sources: %w", err)
	}
	if isFeed(resp) {
		name := ""
		if fd := parseFeed(resp); fd != nil {
			name = fd.Title
			if fd.Link != "" {
				return FromFeed(resp.URL, name, fd.Link)
			}
		}
		return FromFeed(resp.URL, name, "")
	}
	if resp.Kind != fetch.KindHTML {
		return news.Source{}, fmt.Errorf("sources: %s is %s, neither a feed nor a web page: %w", rawURL, resp.Kind, ErrNoFeed)
	}
	body, _, err := charset.Decode(resp.Body, resp.ContentType)
	if err != nil {
		return news.Source{}, fmt.Errorf("sources: %w", err)
	}
	title, links := feedLinks(body, resp.URL)
	base, _ := url.Parse(resp.URL)
	home := base.Scheme + "://" + base.Host + "/"
	var feeds []string
	for _, l := range links {
		if r, err := f.Get(ctx, fetch.Request{URL: l}); err == nil && isFeed(r) {
			feeds = appendNew(feeds, r.URL)
		}
	}
	if len(feeds) == 0 {
		for _, p := range commonPaths {
			ref, _ := url.Parse(p)
			cand := base.ResolveReference(ref).String()
			if r, err := f.Get(ctx, fetch.Request{URL: cand}); err == nil && isFeed(r) {
				feeds = append(feeds, r.URL)
				break
			}
		}
	}
	if len(feeds) == 0 {
		return news.Source{}, fmt.Errorf("sources: %s: %w (no <link rel=alternate> feed, none at common paths)", rawURL, ErrNoFeed)
	}
	src, err := FromFeed(feeds[0], title, home)
	if err != nil {
		return news.Source{}, err
	}
	src.FeedURLs = appendNew(src.FeedURLs, feeds[1:]...)
	return src, nil
}

func isFeed(r *fetch.Response) bool {
	if r.Kind != fetch.KindXML && r.Kind != fetch.KindJSON {
		return false
	}
	return parseFeed(r) != nil
}

func parseFeed(r *fetch.Response) *feed.Feed {
	body, _, err := charset.Decode(r.Body, r.ContentType)
	if err != nil {
		return nil
	}
	f, err := feed.Parse(body, feed.Options{BaseURL: r.URL})
	if err != nil {
		return nil
	}
	return f
}

// feedLinks returns the page title and its <link rel="alternate"> feeds.
func feedLinks(body []byte, pageURL string) (string, []string) {
	base, _ := url.Parse(pageURL)
	z := html.NewTokenizer(bytes.NewReader(body))
	var (
		title   string
		inTitle bool
		links   []string
	)
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return strings.TrimSpace(title), links
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "title":
				inTitle = title == ""
			case "link":
				attrs := map[string]string{}
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					attrs[strings.ToLower(string(k))] = string(v)
				}
				rel := " " + strings.ToLower(attrs["rel"]) + " "
				typ := strings.ToLower(attrs["type"])
				if strings.Contains(rel, " alternate ") && (strings.Contains(typ, "rss") || strings.Contains(typ, "atom") ||
					strings.Contains(typ, "feed+json") || typ == "application/xml" || typ == "text/xml") {
					if ref, err := url.Parse(strings.TrimSpace(attrs["href"])); err == nil && base != nil {
						links = appendNew(links, base.ResolveReference(ref).String())
					}
				}
			case "body":
				return strings.TrimSpace(title), links
			}
		case html.TextToken:
			if inTitle {
				title += string(z.Text())
			}
		case html.EndTagToken:
			if n, _ := z.TagName(); string(n) == "title" {
				inTitle = false
			}
		}
	}
}
