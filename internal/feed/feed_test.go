package feed

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/charset"
	"github.com/marsad/marsad/internal/shareddata"
)

var riyadh = time.FixedZone("AST", 3*3600)

func mustParse(t *testing.T, body string, opt Options) *Feed {
	t.Helper()
	f, err := Parse([]byte(body), opt)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

const rss2 = `<?xml version="1.0" encoding="windows-1256"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:media="http://search.yahoo.com/mrss/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>عكاظ &amp; أخبار</title>
<link>https://www.okaz.com.sa/</link>
<atom:link href="https://www.okaz.com.sa/rss" rel="self" type="application/rss+xml"/>
<language>ar</language>
<item>
 <title><![CDATA[<b>خادم الحرمين</b> يستقبل]]></title>
 <link>/news/1?utm_source=rss</link>
 <guid isPermaLink="false">okaz-1</guid>
 <pubDate>Thu, 06 Aug 2015 08:20:23 +0300</pubDate>
 <dc:creator>أحمد الصائغ</dc:creator>
 <description>ملخص &lt;p&gt;الخبر&lt;/p&gt;&nbsp;هنا</description>
 <media:content url="https://img.example/1.jpg" medium="image"><media:thumbnail url="/thumb/1.jpg"/></media:content>
</item>
<item>
 <title>بلا رابط لكن guid</title>
 <guid>https://www.okaz.com.sa/news/2</guid>
 <pubDate>Wed, 5 Aug 2015 23:00:00 GMT</pubDate>
 <enclosure url="https://img.example/2.png" type="image/png" length="1"/>
</item>
<item>
 <title>تاريخ عربي</title>
 <link>https://www.okaz.com.sa/news/3</link>
 <pubDate>الخميس 6 أغسطس 2015</pubDate>
</item>
<item><title>no link, no permalink guid</title><guid isPermaLink="false">x</guid></item>
</channel>
</rss>`

func TestRSS2(t *testing.T) {
	t.Parallel()
	fallbackCalls := 0
	f := mustParse(t, rss2, Options{BaseURL: "https://www.okaz.com.sa/rss", Location: riyadh,
		ParseDate: func(s string, loc *time.Location, now time.Time) (time.Time, error) {
			fallbackCalls++
			if strings.Contains(s, "أغسطس") {
				return time.Date(2015, 8, 6, 0, 0, 0, 0, loc), nil
			}
			return time.Time{}, errors.New("no")
		}})
	if f.Kind != RSS || f.Title != "عكاظ & أخبار" || f.Link != "https://www.okaz.com.sa/" || f.Language != "ar" {
		t.Errorf("channel: %+v", f)
	}
	if len(f.Items) != 3 {
		t.Fatalf("%d items, want 3: %+v", len(f.Items), f.Items)
	}
	a := f.Items[0]
	want := Item{URL: "https://www.okaz.com.sa/news/1?utm_source=rss", GUID: "okaz-1", Title: "خادم الحرمين يستقبل",
		Author: "أحمد الصائغ", Summary: "ملخص الخبر هنا", Image: "https://www.okaz.com.sa/thumb/1.jpg",
		Published: time.Date(2015, 8, 6, 5, 20, 23, 0, time.UTC)}
	if !a.Published.Equal(want.Published) {
		t.Errorf("published %v, want %v", a.Published, want.Published)
	}
	a.Published, want.Published = time.Time{}, time.Time{}
	if a != want {
		t.Errorf("item 0\n got %+v\nwant %+v", a, want)
	}
	if b := f.Items[1]; b.URL != "https://www.okaz.com.sa/news/2" || b.Image != "https://img.example/2.png" ||
		!b.Published.Equal(time.Date(2015, 8, 5, 23, 0, 0, 0, time.UTC)) {
		t.Errorf("item 1: %+v", b)
	}
	if c := f.Items[2]; !c.Published.Equal(time.Date(2015, 8, 6, 0, 0, 0, 0, riyadh)) || fallbackCalls != 1 {
		t.Errorf("Arabic date via fallback: %v (%d calls)", c.Published, fallbackCalls)
	}
}

const rdf = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
 <channel rdf:about="http://example.com/"><title>RDF</title><link>http://example.com/</link></channel>
 <item rdf:about="http://example.com/a"><title>A</title><link>http://example.com/a</link><dc:date>2015-08-06T10:00:00+03:00</dc:date></item>
 <item rdf:about="http://example.com/b"><title>B</title></item>
</rdf:RDF>`

const atom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar" xml:base="https://sabq.org/">
 <title type="html">سبق</title>
 <link rel="self" href="https://sabq.org/atom.xml"/>
 <link rel="alternate" type="text/html" href="/"/>
 <entry>
  <title>خبر</title>
  <link rel="alternate" type="text/html" href="news/1"/>
  <link rel="enclosure" type="image/jpeg" href="/img/1.jpg"/>
  <id>tag:sabq.org,2015:1</id>
  <updated>2015-08-06T22:32:43+03:00</updated>
  <author><name>محرر</name></author>
  <summary type="html">&lt;p&gt;ملخص&lt;/p&gt;</summary>
 </entry>
 <entry xml:base="https://other.example/x/">
  <title>نسبي</title>
  <link href="y"/>
  <id>2</id>
  <published>2015-08-06T01:00:00Z</published>
 </entry>
</feed>`

const jsonFeed = `{"version": "https://jsonfeed.org/version/1.1", "title": "الوئام", "home_page_url": "http://127.0.0.8/",
 "items": [
  {"id": 1327348, "url": "/1327348/x/", "title": "مغردون", "date_published": "2015-08-06T22:19:37+03:00",
   "authors": [{"name": "الوئام"}], "image": "/img.jpg", "summary": "ملخص"},
  {"id": "2", "external_url": "https://elsewhere.example/2", "title": "خارجي"},
  {"id": "3", "title": "بلا رابط"}
 ]}`

const newsSitemap = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
<url><loc>http://127.0.0.6:18080/441813</loc><lastmod>2015-08-06T19:06:28+03:00</lastmod>
<news:news><news:publication><news:name>جريدة الرياض</news:name><news:language>ar</news:language></news:publication>
<news:publication_date>2015-08-06T19:06:28+03:00</news:publication_date><news:title>الزياني</news:title></news:news>
<image:image><image:loc>http://127.0.0.6:18080/i.jpg</image:loc></image:image></url>
<url><loc>  http://127.0.0.6:18080/441811 </loc></url>
<url><loc>javascript:alert(1)</loc></url>
</urlset>`

const sitemapIndex = `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://example.com/news.xml</loc></sitemap><sitemap><loc>/other.xml</loc></sitemap></sitemapindex>`

func TestFormats(t *testing.T) {
	t.Parallel()
	f := mustParse(t, rdf, Options{})
	if f.Kind != RDF || len(f.Items) != 2 || f.Items[0].URL != "http://example.com/a" || f.Items[1].URL != "http://example.com/b" ||
		!f.Items[0].Published.Equal(time.Date(2015, 8, 6, 7, 0, 0, 0, time.UTC)) {
		t.Errorf("rdf: %+v", f)
	}
	f = mustParse(t, atom, Options{BaseURL: "https://sabq.org/atom.xml"})
	if f.Kind != Atom || f.Title != "سبق" || f.Link != "https://sabq.org/" || f.Language != "ar" || len(f.Items) != 2 {
		t.Fatalf("atom: %+v", f)
	}
	if e := f.Items[0]; e.URL != "https://sabq.org/news/1" || e.Image != "https://sabq.org/img/1.jpg" || e.Author != "محرر" ||
		e.Summary != "ملخص" || e.Published.IsZero() || e.GUID != "tag:sabq.org,2015:1" {
		t.Errorf("atom entry: %+v", e)
	}
	if e := f.Items[1]; e.URL != "https://other.example/x/y" {
		t.Errorf("entry xml:base: %q", e.URL)
	}
	f = mustParse(t, jsonFeed, Options{BaseURL: "http://127.0.0.8:18080/feed.json"})
	if f.Kind != JSONFeed || len(f.Items) != 2 || f.Items[0].URL != "http://127.0.0.8:18080/1327348/x/" ||
		f.Items[0].GUID != "1327348" || f.Items[0].Author != "الوئام" || f.Items[0].Image != "http://127.0.0.8:18080/img.jpg" ||
		f.Items[1].URL != "https://elsewhere.example/2" {
		t.Errorf("json feed: %+v", f)
	}
	f = mustParse(t, newsSitemap, Options{})
	if f.Kind != Sitemap || len(f.Items) != 2 || f.Items[0].Title != "الزياني" || f.Items[0].Language != "ar" ||
		f.Items[0].Image != "http://127.0.0.6:18080/i.jpg" || f.Items[0].Published.IsZero() || f.Items[1].URL != "http://127.0.0.6:18080/441811" {
		t.Errorf("sitemap: %+v", f)
	}
	f = mustParse(t, sitemapIndex, Options{BaseURL: "https://example.com/sitemap.xml"})
	if f.Kind != SitemapIndex || len(f.Sitemaps) != 2 || f.Sitemaps[1] != "https://example.com/other.xml" {
		t.Errorf("index: %+v", f)
	}
}

func TestNotAFeed(t *testing.T) {
	t.Parallel()
	deep := strings.Repeat("<a>", 1000) + strings.Repeat("</a>", 1000)
	laughs := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<rss><channel><item><title>&lol2;</title><link>http://x.example/</link></item></channel></rss>`
	tests := []struct {
		name, body string
		want       error
	}{
		{"html", "<!DOCTYPE html><html><body>hi</body></html>", ErrNotFeed},
		{"html root", "<html><body>hi</body></html>", ErrNotFeed},
		{"other xml", "<?xml version='1.0'?><svg/>", ErrNotFeed},
		{"plain json", `{"a": 1}`, ErrNotFeed},
		{"deep", "<rss>" + deep + "</rss>", ErrTooDeep},
	}
	for _, tt := range tests {
		if _, err := Parse([]byte(tt.body), Options{}); !errors.Is(err, tt.want) {
			t.Errorf("%s: err %v, want %v", tt.name, err, tt.want)
		}
	}
	for _, bad := range []string{"", "garbage", "<rss><channel><item>", `{"version": `} {
		if f, err := Parse([]byte(bad), Options{}); err == nil && len(f.Items) > 0 {
			t.Errorf("%q: items from garbage: %+v", bad, f)
		}
	}
	// Custom entities are not expanded: the title never grows.
	if f, err := Parse([]byte(laughs), Options{}); err == nil {
		for _, it := range f.Items {
			if strings.Contains(it.Title, "lollol") {
				t.Errorf("entity expanded: %q", it.Title)
			}
		}
	}
	// A feed truncated mid-way keeps the items before the damage.
	trunc := rss2[:strings.Index(rss2, "<item>\n <title>تاريخ")+20]
	if f, err := Parse([]byte(trunc), Options{BaseURL: "https://www.okaz.com.sa/rss"}); err != nil || len(f.Items) != 2 {
		t.Errorf("truncated: %v, %+v", err, f)
	}
}

func TestParseDate(t *testing.T) {
	t.Parallel()
	utc := func(y int, m time.Month, d, h, mi, s int) time.Time { return time.Date(y, m, d, h, mi, s, 0, time.UTC) }
	tests := []struct {
		in   string
		want time.Time
	}{
		{"Thu, 06 Aug 2015 08:20:23 +0300", utc(2015, 8, 6, 5, 20, 23)},
		{"Thu, 6 Aug 2015 08:20:23 +0300", utc(2015, 8, 6, 5, 20, 23)},
		{"Fri, 06 Aug 2015 08:20:23 +0300", utc(2015, 8, 6, 5, 20, 23)}, // wrong weekday
		{"06 Aug 2015 08:20:23 GMT", utc(2015, 8, 6, 8, 20, 23)},
		{"Thu, 06 Aug 2015 08:20 EST", utc(2015, 8, 6, 13, 20, 0)},
		{"Thu, 06 Aug 15 08:20:23 +0300", utc(2015, 8, 6, 5, 20, 23)},
		{"Thursday, 06 Aug 2015 08:20:23 AST", utc(2015, 8, 6, 5, 20, 23)},
		{"2015-08-06T22:19:37+03:00", utc(2015, 8, 6, 19, 19, 37)},
		{"2015-08-06T22:19:37.123Z", time.Date(2015, 8, 6, 22, 19, 37, 123e6, time.UTC)},
		{"2015-08-06T22:19+03:00", utc(2015, 8, 6, 19, 19, 0)},
		{"2015-08-06 22:19:37 +0300", utc(2015, 8, 6, 19, 19, 37)},
		{"2015-08-06T22:19:37", utc(2015, 8, 6, 19, 19, 37)}, // read in Riyadh
		{"2015-08-06 22:19:37", utc(2015, 8, 6, 19, 19, 37)},
		{"2015-08-06", utc(2015, 8, 5, 21, 0, 0)},
		{"  Thu,  06 Aug 2015\n08:20:23 +0300 ", utc(2015, 8, 6, 5, 20, 23)},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in, riyadh, time.Now(), nil)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "yesterday", "32 Aug 2015", "الخميس"} {
		if _, err := ParseDate(bad, riyadh, time.Now(), nil); err == nil {
			t.Errorf("ParseDate(%q) succeeded", bad)
		}
	}
}

// TestNewswebFeeds parses every feed and sitemap of the simulated news web
// and checks them against its truth: every article is listed with its URL,
// title and publication time.
func TestNewswebFeeds(t *testing.T) {
	t.Parallel()
	root := shareddata.Path(t, "newsweb-dev")
	var sources []struct {
		ID, Feed, Sitemap, Charset string
	}
	b, err := os.ReadFile(filepath.Join(root, "sources.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sources); err != nil {
		t.Fatal(err)
	}
	truth := map[string]time.Time{}
	tb, _ := os.ReadFile(filepath.Join(root, "truth.jsonl"))
	for _, line := range strings.Split(strings.TrimSpace(string(tb)), "\n") {
		var r struct {
			URL       string    `json:"url"`
			Published time.Time `json:"published"`
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		truth[r.URL] = r.Published
	}
	seen := 0
	for _, s := range sources {
		files, _ := filepath.Glob(filepath.Join(root, "sites", s.ID, "feed.*"))
		if s.Sitemap != "" {
			files = append(files, filepath.Join(root, "sites", s.ID, "sitemap.xml"))
		}
		for _, file := range files {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			body, _, err := charset.Decode(raw, "")
			if err != nil {
				t.Fatal(err)
			}
			f, err := Parse(body, Options{BaseURL: s.Feed, Location: riyadh})
			if err != nil {
				t.Errorf("%s: %v", file, err)
				continue
			}
			if len(f.Items) != 40 {
				t.Errorf("%s: %d items", file, len(f.Items))
			}
			for _, it := range f.Items {
				clean := strings.SplitN(it.URL, "?utm_", 2)[0]
				pub, ok := truth[clean]
				if !ok {
					t.Errorf("%s: %s not in truth", file, it.URL)
					continue
				}
				seen++
				if it.Title == "" || strings.ContainsRune(it.Title, '\uFFFD') {
					t.Errorf("%s: bad title %q", file, it.Title)
				}
				if d := it.Published.Sub(pub); d < -time.Minute || d > time.Minute {
					t.Errorf("%s: %s published %v, truth %v", file, it.URL, it.Published, pub)
				}
			}
		}
	}
	if seen < 560 {
		t.Errorf("matched %d feed items to the truth, want ≥ 560", seen)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"Thu, 06 Aug 2015 08:20:23 +0300", "2015-08-06T22:19:37+03:00", "2015-08-06", "Mon, 2 Jan 06 15:04 EST"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseDate(s, riyadh, time.Now(), nil)
		if err == nil && got.IsZero() {
			t.Fatalf("ParseDate(%q): zero time without error", s)
		}
	})
}
