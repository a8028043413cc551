package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const extractPage = `<html lang="ar"><head><title>عنوان الخبر | الموقع</title></head><body>
<nav><a href="/">الرئيسية</a> <a href="/a">محليات</a></nav>
<article><h1>عنوان الخبر</h1>
<p>افتتح الوزير اليوم مشروعاً جديداً في العاصمة، بتكلفة تتجاوز مليار ريال، ويخدم آلاف السكان.</p>
<p>اقرأ أيضاً: <a href="/other">خبر آخر لا علاقة له</a></p>
<p>وأكد الوزير أن المشروع سيكتمل خلال عامين، وأن العمل يسير وفق الجدول الزمني المحدد.</p>
<p>المصدر: واس</p></article></body></html>`

func TestExtractVerb(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	plain := filepath.Join(dir, "a.html")
	if err := os.WriteFile(plain, []byte(extractPage), 0o644); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(extractPage))
	zw.Close()
	zipped := filepath.Join(dir, "b.html.gz")
	if err := os.WriteFile(zipped, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(extractPage))
	}))
	defer srv.Close()
	r := runCLI(t, "", nil, "extract", "--json", "--url", "https://example.com/news/1", plain, filepath.Join(dir, "missing.html"), zipped, srv.URL+"/news/2")
	if r.code != 0 {
		t.Fatalf("extract: %+v", r)
	}
	var got []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("bad line %q: %v", l, err)
		}
		got = append(got, m)
	}
	if len(got) != 4 {
		t.Fatalf("want 4 lines, got %d: %s", len(got), r.stdout)
	}
	for _, i := range []int{0, 2} {
		g := got[i]
		text, _ := g["text"].(string)
		if g["title"] != "عنوان الخبر" || g["attribution"] != "واس" || g["url"] != "https://example.com/news/1" || g["lang"] != "ar" ||
			strings.Contains(text, "اقرأ أيضاً") || !strings.Contains(text, "افتتح الوزير") || g["error"] != nil {
			t.Errorf("line %d: %v", i, g)
		}
	}
	for _, k := range []string{"file", "url", "canonical_url", "title", "author", "published", "lang", "site_name", "image", "text", "html", "attribution"} {
		if _, ok := got[0][k]; !ok {
			t.Errorf("line lacks %q: %v", k, got[0])
		}
	}
	if got[1]["error"] == nil || got[1]["file"] != filepath.Join(dir, "missing.html") || len(got[1]) != 2 {
		t.Errorf("missing file: %v", got[1])
	}
	// A loopback URL is refused unless --allow-private (tests only), and the
	// message says why.
	if e, _ := got[3]["error"].(string); !strings.Contains(e, "loopback") || !strings.Contains(e, "--allow-private") || got[3]["file"] != srv.URL+"/news/2" {
		t.Errorf("URL input without --allow-private: %v", got[3])
	}
	r = runCLI(t, "", nil, "extract", "--json", "--allow-private", srv.URL+"/news/2")
	var fetched map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &fetched); err != nil || r.code != 0 {
		t.Fatalf("fetched extract: %+v", r)
	}
	if fetched["title"] != "عنوان الخبر" || fetched["url"] != srv.URL+"/news/2" || fetched["attribution"] != "واس" {
		t.Errorf("fetched page: %v", fetched)
	}
	// Without --json: readable text, non-zero exit when an input failed.
	r = runCLI(t, "", nil, "extract", plain, filepath.Join(dir, "missing.html"))
	if r.code != 1 || !strings.Contains(r.stdout, "عنوان الخبر") || !strings.Contains(r.stderr, "1 of 2 inputs failed") {
		t.Errorf("text mode: %+v", r)
	}
	if r := runCLI(t, "", nil, "extract"); r.code != 2 {
		t.Errorf("no args: %+v", r)
	}
}
