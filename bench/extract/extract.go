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
