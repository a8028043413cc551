package feed

import (
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzParse covers every format Parse reads (RSS, RDF, Atom, JSON Feed,
// sitemaps and sitemap indexes). Whatever the input: no panic, the same
// result twice, at most MaxItems items, only absolute http(s) URLs with a
// host, and titles, summaries and authors as single-spaced valid UTF-8.
func FuzzParse(f *testing.F) {
	for _, s := range []string{rss2, rdf, atom, jsonFeed, newsSitemap, sitemapIndex, "<rss><channel><item><link>x"} {
		f.Add([]byte(s))
	}
	// The feeds marsad itself serves are real-world shaped seeds too.
	files, _ := filepath.Glob(filepath.Join("..", "webfeed", "testdata", "latest.*"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	opt := Options{BaseURL: "https://example.com/feed", MaxItems: 50, Now: func() time.Time { return now }}
	f.Fuzz(func(t *testing.T, body []byte) {
		fd, err := Parse(body, opt)
		again, err2 := Parse(body, opt)
		if (err == nil) != (err2 == nil) || !reflect.DeepEqual(fd, again) {
			t.Fatalf("Parse is not deterministic: %+v, %v vs %+v, %v", fd, err, again, err2)
		}
		if err != nil {
			return
		}
		if len(fd.Items) > opt.MaxItems {
			t.Fatalf("%d items, MaxItems %d", len(fd.Items), opt.MaxItems)
		}
		checkURL(t, "link", fd.Link, true)
		for _, s := range fd.Sitemaps {
			checkURL(t, "sitemap", s, false)
		}
		for _, it := range fd.Items {
			checkURL(t, "item", it.URL, false)
			checkURL(t, "image", it.Image, true)
			for name, s := range map[string]string{"title": it.Title, "summary": it.Summary, "author": it.Author} {
				if !utf8.ValidString(s) || s != strings.Join(strings.Fields(s), " ") {
					t.Fatalf("%s %q is not single-spaced valid UTF-8", name, s)
				}
			}
			if !utf8.ValidString(it.GUID) {
				t.Fatalf("guid %q is not valid UTF-8", it.GUID)
			}
		}
	})
}

func checkURL(t *testing.T, what, s string, mayBeEmpty bool) {
	t.Helper()
	if s == "" && mayBeEmpty {
		return
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		t.Fatalf("%s URL %q is not an absolute http(s) URL with a host", what, s)
	}
}
