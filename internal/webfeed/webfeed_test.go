package webfeed

import (
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

func sample() Feed {
	t0 := time.Date(2015, 8, 5, 7, 0, 0, 0, time.UTC)
	return Feed{
		Title: "مرصد: آخر الأخبار", Description: "آخر الأخبار من المصادر العربية",
		Link: "https://marsad.example/", FeedURL: "https://marsad.example/feed.atom",
		Items: []Item{
			{ID: "https://marsad.example/article/1", Title: "خادم الحرمين يستقبل رئيس الوزراء",
				Link: "https://marsad.example/article/1", Original: "http://www.spa.gov.sa/1?a=1&b=2",
				Summary: "استقبل خادم الحرمين…", Paragraphs: []string{"استقبل خادم الحرمين الشريفين.", "وجرى بحث العلاقات."},
				Published: t0, Author: "واس", SourceName: "وكالة الأنباء السعودية", Image: "http://www.spa.gov.sa/i.png"},
			{ID: "https://marsad.example/article/2", Title: `<script>alert("x")</script> & ]]>`,
				Link: "https://marsad.example/article/2", Paragraphs: []string{`<img src=x onerror=alert(1)> & "q"`},
				Published: t0.Add(time.Hour)},
		},
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from golden file (go test ./internal/webfeed -update):\n%s", name, got)
	}
}

func TestRSS(t *testing.T) {
	t.Parallel()
	b, err := RSS(sample())
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "latest.rss", b)
	var doc struct {
		Channel struct {
			Title       string `xml:"title"`
			Link        string `xml:"link"`
			Description string `xml:"description"`
			Language    string `xml:"language"`
			Items       []struct {
				Title       string `xml:"title"`
				Link        string `xml:"link"`
				PubDate     string `xml:"pubDate"`
				Description string `xml:"description"`
				GUID        string `xml:"guid"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	c := doc.Channel
	// (encoding/xml folds <atom:link> into Link, so check the raw text.)
	if !strings.Contains(string(b), "<link>https://marsad.example/</link>") {
		t.Errorf("channel link missing")
	}
	if c.Title == "" || c.Description == "" || c.Language != "ar" || len(c.Items) != 2 {
		t.Fatalf("channel: %+v", c)
	}
	if _, err := time.Parse(time.RFC1123Z, c.Items[0].PubDate); err != nil {
		t.Errorf("pubDate %q: %v", c.Items[0].PubDate, err)
	}
	if c.Items[1].Title != `<script>alert("x")</script> & ]]>` {
		t.Errorf("title round trip: %q", c.Items[1].Title)
	}
	if strings.Contains(c.Items[1].Description, "<img") {
		t.Errorf("untrusted text became markup: %q", c.Items[1].Description)
	}
}

func TestAtom(t *testing.T) {
	t.Parallel()
	b, err := Atom(sample())
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "latest.atom", b)
	var doc struct {
		XMLName xml.Name
		Lang    string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
		ID      string `xml:"id"`
		Updated string `xml:"updated"`
		Author  struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Entries []struct {
			ID      string `xml:"id"`
			Title   string `xml:"title"`
			Updated string `xml:"updated"`
			Content string `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.XMLName.Space != "http://www.w3.org/2005/Atom" || doc.Lang != "ar" || doc.ID == "" || doc.Author.Name == "" || len(doc.Entries) != 2 {
		t.Fatalf("feed: %+v", doc)
	}
	if doc.Updated != "2015-08-05T08:00:00Z" {
		t.Errorf("feed updated = %q, want the newest entry's", doc.Updated)
	}
	for _, e := range doc.Entries {
		if e.ID == "" || e.Title == "" || e.Updated == "" {
			t.Errorf("entry lacks required elements: %+v", e)
		}
	}
	if !strings.Contains(doc.Entries[1].Content, "&lt;img") {
		t.Errorf("content must carry untrusted text escaped inside the HTML: %q", doc.Entries[1].Content)
	}
}

func TestJSON(t *testing.T) {
	t.Parallel()
	b, err := JSON(sample())
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "latest.json", b)
	var doc struct {
		Version, Title, Language string
		Items                    []struct {
			ID, Title, URL string
			ContentHTML    string `json:"content_html"`
			DatePublished  string `json:"date_published"`
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "https://jsonfeed.org/version/1.1" || doc.Language != "ar" || len(doc.Items) != 2 || doc.Items[0].ID == "" {
		t.Fatalf("feed: %+v", doc)
	}
	if strings.Contains(doc.Items[1].ContentHTML, "<img") {
		t.Errorf("untrusted text became markup: %q", doc.Items[1].ContentHTML)
	}
}

func TestEmptyFeed(t *testing.T) {
	t.Parallel()
	f := Feed{Title: "فارغ", Link: "https://m.example/", FeedURL: "https://m.example/feed.json"}
	for name, render := range map[string]func(Feed) ([]byte, error){"rss": RSS, "atom": Atom, "json": JSON} {
		if _, err := render(f); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	b, _ := JSON(f)
	if !strings.Contains(string(b), `"items": []`) {
		t.Errorf("JSON Feed requires an items array: %s", b)
	}
}
