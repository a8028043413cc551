package extract_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/marsad/marsad/internal/extract"
	"github.com/marsad/marsad/internal/sanitize"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/golden")

// golden is the part of a Result the golden files pin down.
type golden struct {
	Title        string   `json:"title"`
	Author       string   `json:"author"`
	Published    string   `json:"published"`
	Modified     string   `json:"modified,omitempty"`
	Lang         string   `json:"lang"`
	SiteName     string   `json:"site_name"`
	Image        string   `json:"image"`
	CanonicalURL string   `json:"canonical_url"`
	Attribution  string   `json:"attribution"`
	Charset      string   `json:"charset"`
	Text         []string `json:"text"` // one element per paragraph, for readable diffs
	HTML         string   `json:"html"`
}

func goldenOf(r extract.Result) golden {
	g := golden{Title: r.Title, Author: r.Author, Lang: r.Lang, SiteName: r.SiteName, Image: r.Image,
		CanonicalURL: r.CanonicalURL, Attribution: r.Attribution, Charset: r.Charset, HTML: r.HTML}
	if !r.Published.IsZero() {
		g.Published = r.Published.Format(time.RFC3339)
	}
	if !r.Modified.IsZero() {
		g.Modified = r.Modified.Format(time.RFC3339)
	}
	if r.Text != "" {
		g.Text = strings.Split(r.Text, "\n")
	}
	return g
}

// goldenNow is the clock the golden pages are extracted at.
var goldenNow = time.Date(2020, 3, 5, 16, 0, 0, 0, riyadh)

func TestGolden(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*.html"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden pages: %v", err)
	}
	e := extract.New(extract.Options{TZ: riyadh, Now: func() time.Time { return goldenNow }})
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".html")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			body, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			res, err := e.Extract(body, "https://example.com/news/"+name, "")
			if err != nil {
				t.Fatal(err)
			}
			if err := sanitize.CheckSafe(res.HTML); err != nil {
				t.Errorf("unsafe HTML: %v", err)
			}
			got, _ := json.MarshalIndent(goldenOf(res), "", "  ")
			got = append(got, '\n')
			want := strings.TrimSuffix(f, ".html") + ".json"
			if *update {
				if err := os.WriteFile(want, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			exp, err := os.ReadFile(want)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGolden -update)", err)
			}
			if string(exp) != string(got) {
				t.Errorf("%s differs from golden (rerun with -update and review the diff):\n%s", name, got)
			}
		})
	}
}

// FuzzExtract: any input gives no panic, valid UTF-8, and safe HTML.
func FuzzExtract(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.html"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, "")
		}
	}
	f.Add([]byte(`<p>نص<script>alert(1)</script><a href="javascript:x" onclick="y">z</a></p>`), "text/html; charset=windows-1256")
	f.Add([]byte("<html><body><div><p>"+strings.Repeat("كلمة، ", 50)+"</p></div></body></html>"), "text/html")
	e := extract.New(extract.Options{TZ: riyadh, Now: func() time.Time { return goldenNow }})
	f.Fuzz(func(t *testing.T, body []byte, ct string) {
		res, _ := e.Extract(body, "https://example.com/a/b", ct)
		for name, s := range map[string]string{"text": res.Text, "title": res.Title, "author": res.Author, "html": res.HTML, "attribution": res.Attribution} {
			if !utf8.ValidString(s) {
				t.Fatalf("%s not valid UTF-8: %q", name, s)
			}
		}
		if err := sanitize.CheckSafe(res.HTML); err != nil {
			t.Fatalf("unsafe HTML %q: %v", res.HTML, err)
		}
	})
}

// BenchmarkGolden times each golden page.
func BenchmarkGolden(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.html"))
	e := extract.New(extract.Options{TZ: riyadh, Now: func() time.Time { return goldenNow }})
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(strings.TrimSuffix(filepath.Base(f), ".html"), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				e.Extract(body, "https://example.com/a", "") //nolint:errcheck // speed only
			}
		})
	}
}

// TestConcurrentUse: one Extractor shared by goroutines gives each the
// same result as a lone call (run with -race to check for shared state).
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.html"))
	e := extract.New(extract.Options{TZ: riyadh, Now: func() time.Time { return goldenNow }})
	want := map[string]string{}
	bodies := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		bodies[f] = b
		r, _ := e.Extract(b, "https://example.com/x", "")
		want[f] = r.Text + r.HTML
	}
	errs := make(chan string, 64)
	done := make(chan struct{})
	for i := 0; i < 8; i++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for _, f := range files {
				r, _ := e.Extract(bodies[f], "https://example.com/x", "")
				if r.Text+r.HTML != want[f] {
					errs <- f
				}
			}
		}()
	}
	for i := 0; i < 8; i++ {
		<-done
	}
	close(errs)
	for f := range errs {
		t.Errorf("%s: concurrent result differs", f)
	}
}
