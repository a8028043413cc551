// Package extract compares marsad's article extractor with its Go peers,
// go-trafilatura and readeck's go-readability, on the same pages.
package extract

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	readability "codeberg.org/readeck/go-readability/v2"
	trafilatura "github.com/markusmobius/go-trafilatura"

	marsad "github.com/marsad/marsad/internal/extract"
)

// Extractor is one library under test: body (raw bytes) and page URL in,
// article text out.
type Extractor struct {
	Name string
	Text func(body []byte, u *url.URL) (string, error)
}

// Extractors returns marsad and its peers, configured as their benchmarks
// publish them (go-trafilatura with its fallback extractors, comments
// excluded).
func Extractors() []Extractor {
	m := marsad.New(marsad.Options{TZ: time.UTC})
	return []Extractor{
		{"marsad", func(b []byte, u *url.URL) (string, error) {
			r, err := m.Extract(b, u.String(), "")
			return r.Text, err
		}},
		{"go-trafilatura", func(b []byte, u *url.URL) (string, error) {
			r, err := trafilatura.Extract(bytes.NewReader(b), trafilatura.Options{OriginalURL: u, EnableFallback: true, ExcludeComments: true})
			if err != nil || r == nil {
				return "", err
			}
			return r.ContentText, nil
		}},
		{"go-readability", func(b []byte, u *url.URL) (string, error) {
			a, err := readability.FromReader(bytes.NewReader(b), u)
			if err != nil {
				return "", err
			}
			var sb strings.Builder
			if err := a.RenderText(&sb); err != nil {
				return "", err
			}
			return sb.String(), nil
		}},
	}
}

// Page is one benchmark page.
type Page struct {
	Key  string
	URL  *url.URL
	Body []byte
	Text string // ground truth
}

// LoadScrapinghub reads the ScrapingHub benchmark from dir
// (shared/data/extraction/scrapinghub).
func LoadScrapinghub(dir string) ([]Page, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return nil, err
	}
	var gt map[string]struct {
		ArticleBody string `json:"articleBody"`
		URL         string `json:"url"`
	}
	if err := json.Unmarshal(raw, &gt); err != nil {
		return nil, fmt.Errorf("ground-truth.json: %w", err)
	}
	var pages []Page
	for k, v := range gt {
		b, err := readGz(filepath.Join(dir, "html", k+".html.gz"))
		if err != nil {
			return nil, err
		}
		u, err := url.Parse(v.URL)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		pages = append(pages, Page{Key: k, URL: u, Body: b, Text: v.ArticleBody})
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].Key < pages[j].Key })
	return pages, nil
}

func readGz(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return io.ReadAll(zr)
}

// LoadNewsweb reads newsweb-dev's article pages (dir is
// shared/data/newsweb-dev), mapping each truth URL to its file through the
// site's _manifest.json routes.
func LoadNewsweb(dir string) ([]Page, error) {
	f, err := os.Open(filepath.Join(dir, "truth.jsonl"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	routes := map[string]map[string]struct {
		File string `json:"file"`
	}{}
	var pages []Page
	dec := json.NewDecoder(f)
	for dec.More() {
		var t struct {
			URL, Source, Text string
		}
		if err := dec.Decode(&t); err != nil {
			return nil, fmt.Errorf("truth.jsonl: %w", err)
		}
		r, ok := routes[t.Source]
		if !ok {
			raw, err := os.ReadFile(filepath.Join(dir, "sites", t.Source, "_manifest.json"))
			if err != nil {
				return nil, err
			}
			var m struct {
				Routes map[string]struct {
					File string `json:"file"`
				} `json:"routes"`
			}
			if err := json.Unmarshal(raw, &m); err != nil {
				return nil, fmt.Errorf("%s manifest: %w", t.Source, err)
			}
			r = m.Routes
			routes[t.Source] = r
		}
		u, err := url.Parse(t.URL)
		if err != nil {
			return nil, err
		}
		key := u.Path
		if u.RawQuery != "" {
			key += "?" + u.RawQuery
		}
		b, err := os.ReadFile(filepath.Join(dir, "sites", t.Source, r[key].File))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.URL, err)
		}
		pages = append(pages, Page{Key: t.URL, URL: u, Body: b, Text: t.Text})
	}
	return pages, nil
}

// BoilerplateLabels are newsweb-dev's boilerplate phrases that must not
// reach a body.
var BoilerplateLabels = []string{"اقرأ أيضاً", "مقالات مشابهة", "الأكثر قراءة", "جميع الحقوق محفوظة",
	"اشترك في النشرة البريدية ليصلك ملخص أهم الأخبار كل صباح.", "التعليقات المنشورة لا تعبر عن رأي الصحيفة",
	"أضف تعليقك", "النشرة البريدية", "الوسوم:", "نسخ الرابط", "شارك المقال"}
