package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/marsad/marsad/internal/config"
	"github.com/marsad/marsad/internal/ingest"
	"github.com/marsad/marsad/internal/news"
)

// hostileLine is an import line whose every field tries to get script into
// a page: markup in the title and author, script, handlers and javascript:
// URLs in the HTML body, a URL that tries to break out of an attribute.
const hostileLine = `{"url": "https://evil.example/news/1?x=\"><script>alert(14)</script>", "source": "evil",
 "title": "<script>alert(1)</script><img src=x onerror=alert(2)> javascript:alert(3) خبر عاجل",
 "author": "<svg onload=alert(5)>",
 "published": "2015-08-05 10:00:00",
 "text": "نص الخبر العاجل <script>alert(13)</script> <a href=javascript:alert(15)>",
 "html": "<p>نص الخبر العاجل</p><script>alert(6)</script><img src=\"x\" onerror=\"alert(7)\"><a href=\"javascript:alert(8)\">رابط</a><a href=\" JaVa&#09;ScRiPt:alert(9)\">x</a><iframe src=\"javascript:alert(10)\"></iframe><p onclick=\"alert(11)\" style=\"background:url(javascript:alert(12))\">فقرة</p><svg><script>alert(16)</script></svg><math><mtext><table><mglyph><style><img src=x onerror=alert(17)>"}`

// TestXSSNeverServed is the XSS acceptance test: the hostile article,
// imported as `marsad import` reads it, reaches no page, feed or API
// response as markup that runs: no script element, no on* attribute, no
// javascript:/vbscript:/data: URL, no frame. HTML pages are checked as HTML;
// in feeds and the API the fields that readers render as HTML (RSS
// description, Atom html content, JSON Feed content_html, the API's html)
// are parsed and checked the same way; text fields are text by their
// format's definition and are only required to be escaped.
func TestXSSNeverServed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := openApp(t, nil)
	art, err := ingest.ParseLine([]byte(strings.ReplaceAll(hostileLine, "\n", "")), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	res, _, err := a.Pipeline.Ingest(ctx, []news.Article{art})
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(res[0].ID, 10)
	h, err := a.Handler()
	if err != nil {
		t.Fatal(err)
	}
	q := url.QueryEscape("خبر عاجل")
	// The quote is closed so the query parses (an unterminated one is a 400)
	// and the payload is echoed on a 200 page.
	reflected := url.QueryEscape(`"><script>alert(20)</script><img src=x onerror=alert(21)>"`)
	surfaces := []struct {
		path string
		kind string // html, rss, atom, jsonfeed, api
	}{
		{"/", "html"},
		{"/?source=evil", "html"},
		{"/article/" + id, "html"},
		{"/search?q=" + q, "html"},
		{"/search?q=" + reflected, "html"},
		{"/search?q=javascript:alert(22)", "html"},
		{"/source/evil", "html"},
		{"/sources", "html"},
		{"/feed.rss", "rss"},
		{"/feed.atom", "atom"},
		{"/feed.json", "jsonfeed"},
		{"/source/evil/feed.rss", "rss"},
		{"/source/evil/feed.atom", "atom"},
		{"/source/evil/feed.json", "jsonfeed"},
		{"/search/feed.rss?q=" + q, "rss"},
		{"/search/feed.atom?q=" + q, "atom"},
		{"/search/feed.json?q=" + q, "jsonfeed"},
		{"/search/feed.atom?q=" + reflected, "atom"},
		{"/api/v1/articles", "api"},
		{"/api/v1/articles/" + id, "api"},
		{"/api/v1/search?q=" + q, "api"},
	}
	for _, s := range surfaces {
		t.Run(strings.ReplaceAll(s.path, "/", "_"), func(t *testing.T) {
			res, body := get(t, h, s.path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %.300s", res.StatusCode, body)
			}
			var fragments []string
			switch s.kind {
			case "html":
				checkMarkup(t, "page", body)
				if !strings.Contains(body, "alert(") && !strings.Contains(s.path, "/sources") && !strings.Contains(s.path, "%22") && !strings.Contains(s.path, "javascript") {
					t.Errorf("the hostile article is not on the page (the test would prove nothing)")
				}
				return
			case "rss":
				fragments = xmlFields(t, body, func(e xml.StartElement) bool {
					return e.Name.Local == "description" || e.Name.Local == "encoded"
				})
			case "atom":
				fragments = xmlFields(t, body, func(e xml.StartElement) bool {
					if e.Name.Local != "content" && e.Name.Local != "summary" {
						return false
					}
					for _, a := range e.Attr {
						if a.Name.Local == "type" && a.Value != "text" {
							return true
						}
					}
					return false
				})
			case "jsonfeed":
				var f struct {
					Items []struct {
						ContentHTML string `json:"content_html"`
					} `json:"items"`
				}
				if err := json.Unmarshal([]byte(body), &f); err != nil {
					t.Fatal(err)
				}
				for _, it := range f.Items {
					fragments = append(fragments, it.ContentHTML)
				}
			case "api":
				fragments = jsonStrings(t, body, "html")
			}
			if len(fragments) == 0 && !strings.Contains(s.path, "%22") && (s.kind != "api" || strings.Contains(s.path, "/articles/")) {
				t.Fatalf("no HTML fields found in %.300s", body)
			}
			for _, f := range fragments {
				checkMarkup(t, "field", f)
			}
			// Text fields are escaped for their format: the raw body never
			// holds a live tag.
			if s.kind != "api" && s.kind != "jsonfeed" && strings.Contains(strings.ToLower(body), "<script") {
				t.Errorf("raw <script in the feed body")
			}
		})
	}
}

// checkMarkup fails on anything in s, parsed as HTML, that would run.
func checkMarkup(t *testing.T, what, s string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script":
				src := attr(n, "src")
				if !strings.HasPrefix(src, "/static/") || n.FirstChild != nil {
					t.Errorf("%s: script element (src %q): %s", what, src, render(n))
				}
			case "iframe", "frame", "object", "embed", "base":
				t.Errorf("%s: %s element: %s", what, n.Data, render(n))
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				if strings.HasPrefix(key, "on") {
					t.Errorf("%s: handler attribute %s=%q on <%s>", what, a.Key, a.Val, n.Data)
				}
				v := strings.ToLower(strings.Map(func(r rune) rune {
					if r <= ' ' || r == 0x7f {
						return -1
					}
					return r
				}, a.Val))
				if !urlAttrs[key] && key != "style" {
					continue // text such as the search box's value is not run
				}
				for _, scheme := range []string{"javascript:", "vbscript:", "data:text/html"} {
					if strings.HasPrefix(v, scheme) || (key == "style" && strings.Contains(v, scheme)) {
						t.Errorf("%s: %s URL in %s=%q on <%s>", what, scheme, a.Key, a.Val, n.Data)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

// urlAttrs are the attributes a browser loads or navigates to.
var urlAttrs = map[string]bool{"href": true, "src": true, "action": true, "formaction": true, "xlink:href": true,
	"data": true, "poster": true, "background": true, "cite": true, "srcset": true, "ping": true, "manifest": true}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func render(n *html.Node) string {
	var b bytes.Buffer
	html.Render(&b, n)
	return b.String()
}

// xmlFields returns the character data of the elements pick selects.
func xmlFields(t *testing.T, body string, pick func(xml.StartElement) bool) []string {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(body))
	var out []string
	var cur *strings.Builder
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("feed is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if pick(tok) {
				cur = &strings.Builder{}
			}
		case xml.CharData:
			if cur != nil {
				cur.Write(tok)
			}
		case xml.EndElement:
			if cur != nil {
				out = append(out, cur.String())
				cur = nil
			}
		}
	}
}

// jsonStrings returns every string value under key anywhere in body.
func jsonStrings(t *testing.T, body, key string) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && k == key {
					out = append(out, s)
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	return out
}

// leaks are what an error response must never show: stack traces, source
// positions, SQL and driver names.
var leaks = []string{"goroutine", ".go:", "runtime.", "panic", "sqlite", "database/sql", "pq:", "pgx", "pgconn",
	"SELECT ", "INSERT INTO", "DELETE FROM", " FROM ", " WHERE ", "SQLSTATE", "sql: "}

func checkNoLeak(t *testing.T, method, path string, status int, body string) {
	t.Helper()
	lower := strings.ToLower(body)
	for _, l := range leaks {
		hay := body
		if l == strings.ToLower(l) {
			hay = lower
		}
		if strings.Contains(hay, l) {
			t.Errorf("%s %s (%d) shows %q: %.400s", method, path, status, l, body)
		}
	}
}

// TestErrorsDoNotLeak triggers errors on every surface — bad ids,
// malformed and oversize parameters, admin calls without or with a wrong
// token, then a store that fails (closed under the server) — and checks
// each response for stack traces and SQL.
func TestErrorsDoNotLeak(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := openApp(t, func(c *config.Config) { c.AdminToken = token })
	if _, _, err := a.Pipeline.Ingest(ctx, []news.Article{{URL: "http://www.spa.gov.sa/1", SourceID: "was",
		Title: "خادم الحرمين الشريفين يستقبل", Text: "استقبل خادم الحرمين الشريفين.", Published: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	h, err := a.Handler()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	long := strings.Repeat("خبر ", 30000) // ~240 KB of query
	type req struct {
		method, path, auth, body string
		status                   int // 0: any 4xx
	}
	bad := []req{
		{"GET", "/article/abc", "", "", 404},
		{"GET", "/article/-1", "", "", 404},
		{"GET", "/article/99999999999999999999", "", "", 404},
		{"GET", "/article/999999", "", "", 404},
		{"GET", "/source/" + url.PathEscape("<script>"), "", "", 404},
		{"GET", "/source/%00", "", "", 0},
		{"GET", "/source/nobody/feed.atom", "", "", 404},
		{"GET", "/?page=-5&source=%ff%fe", "", "", 200},
		{"GET", "/search?q=%ff%fe%00", "", "", 0},
		// Malformed and over-long queries get a 400 that says what to fix (issue 8).
		{"GET", "/search?q=" + url.QueryEscape(`"unbalanced (( OR AND -`), "", "", 400},
		{"GET", "/search?q=" + url.QueryEscape(`unbalanced (( OR AND -`), "", "", 200},
		{"GET", "/search?q=" + url.QueryEscape(long), "", "", 414},
		{"GET", "/search/feed.atom?q=", "", "", 400},
		{"GET", "/search/feed.json?q=" + url.QueryEscape(long), "", "", 414},
		{"GET", "/search?q=" + url.QueryEscape(strings.Repeat("خبر ", 200)), "", "", 400},
		{"GET", "/search?q=" + url.QueryEscape(strings.Repeat("خبر ", 30)), "", "", 200},
		{"GET", "/api/v1/articles/abc", "", "", 400},
		{"GET", "/api/v1/articles/0", "", "", 0},
		{"GET", "/api/v1/articles/999999", "", "", 404},
		{"GET", "/api/v1/articles?limit=abc", "", "", 400},
		{"GET", "/api/v1/articles?limit=-1", "", "", 400},
		{"GET", "/api/v1/articles?offset=x", "", "", 400},
		{"GET", "/api/v1/articles?offset=99999999999", "", "", 400},
		{"GET", "/api/v1/search?q=", "", "", 400},
		{"GET", "/api/v1/search?q=%ff%fe", "", "", 0},
		{"GET", "/api/v1/search?q=" + url.QueryEscape(long), "", "", 414},
		{"GET", "/api/v1/nope", "", "", 404},
		{"POST", "/api/v1/sources", "", `{"url":"https://x.example/"}`, 401},
		{"POST", "/api/v1/sources", "Bearer wrong-token-wrong-token", `{"url":"https://x.example/"}`, 403},
		{"POST", "/api/v1/sources", "Bearer " + token, `{"url":`, 400},
		{"POST", "/api/v1/sources", "Bearer " + token, strings.Repeat("[", 1<<20), 400},
		{"POST", "/api/v1/sources", "Bearer " + token, `{"url":"ftp://x"}`, 0},
		{"DELETE", "/api/v1/sources", "Bearer " + token, "", 0},
		{"DELETE", "/api/v1/sources/was", "", "", 401},
		{"DELETE", "/api/v1/sources/was", "Bearer wrong-token-wrong-token", "", 403},
		{"DELETE", "/api/v1/sources/was", "Basic " + token, "", 401},
		{"POST", "/api/v1/sources/was/crawl", "", "", 401},
		{"POST", "/api/v1/sources/was/crawl", "Bearer " + token + "x", "", 403},
		{"DELETE", "/api/v1/sources/nobody", "Bearer " + token, "", 404},
		{"POST", "/api/v1/sources/" + url.PathEscape("<script>") + "/crawl", "Bearer " + token, "", 404},
		{"POST", "/settings", "", "theme=<script>&digits=%ff", 200}, // invalid values fall back to defaults
		{"GET", "/" + strings.Repeat("a", 20000), "", "", 404},
	}
	do := func(r req) (int, string) {
		hr, err := http.NewRequest(r.method, srv.URL+r.path, strings.NewReader(r.body))
		if err != nil {
			t.Fatal(err)
		}
		if r.auth != "" {
			hr.Header.Set("Authorization", r.auth)
		}
		res, err := http.DefaultClient.Do(hr)
		if err != nil {
			t.Fatalf("%s %.80s: %v", r.method, r.path, err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	for _, r := range bad {
		status, body := do(r)
		p := r.path[:min(len(r.path), 80)]
		if (r.status != 0 && status != r.status) || (r.status == 0 && (status < 400 || status >= 500)) {
			t.Errorf("%s %s: status %d, want %d (0: a 4xx): %.300s", r.method, p, status, r.status, body)
		}
		checkNoLeak(t, r.method, p, status, body)
	}
	// Oversize headers are refused by the server before any handler.
	hr, _ := http.NewRequest("GET", srv.URL+"/", nil)
	hr.Header.Set("X-Big", strings.Repeat("x", 2<<20))
	if res, err := http.DefaultClient.Do(hr); err == nil {
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("2 MiB header: status %d", res.StatusCode)
		}
		checkNoLeak(t, "GET", "/ (2 MiB header)", res.StatusCode, string(b))
	}

	// The refused admin calls changed nothing.
	if status, _ := do(req{method: "GET", path: "/source/was"}); status != 200 {
		t.Errorf("source was after refused admin calls: status %d", status)
	}

	// A store that fails: every surface answers 5xx, and says nothing of why.
	if err := a.Store.Close(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/", "/?source=was", "/article/1", "/search?q=" + url.QueryEscape("الحرمين"), "/sources", "/source/was",
		"/feed.rss", "/feed.atom", "/feed.json", "/source/was/feed.atom", "/search/feed.json?q=" + url.QueryEscape("الحرمين"),
		"/api/v1/articles", "/api/v1/articles/1", "/api/v1/search?q=" + url.QueryEscape("الحرمين"), "/api/v1/sources", "/healthz", "/metrics"} {
		status, body := do(req{method: "GET", path: p})
		if status < 500 && p != "/metrics" {
			t.Errorf("GET %s with the store closed: status %d", p, status)
		}
		checkNoLeak(t, "GET", p, status, body)
	}
	for _, r := range []req{{"POST", "/api/v1/sources", "Bearer " + token, `{"url":"https://x.example/"}`, 0},
		{"DELETE", "/api/v1/sources/was", "Bearer " + token, "", 0}, {"POST", "/api/v1/sources/was/crawl", "Bearer " + token, "", 0}} {
		status, body := do(r)
		if status < 400 {
			t.Errorf("%s %s with the store closed: status %d", r.method, r.path, status)
		}
		checkNoLeak(t, r.method, r.path, status, body)
	}
}
