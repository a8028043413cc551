package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestStaticAssets(t *testing.T) {
	t.Parallel()
	sub, _ := fs.Sub(staticFS, "static")
	a, err := loadAssets(sub)
	if err != nil {
		t.Fatal(err)
	}
	css, err := a.url("style.css")
	if err != nil || !strings.HasPrefix(css, "/static/style.css?v=") {
		t.Fatalf("url(style.css) = %q, %v", css, err)
	}
	if _, err := a.url("missing.css"); err == nil {
		t.Error("url of a missing file should fail (a template defect)")
	}
	get := func(path string, hdr ...string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			r.Header.Set(hdr[i], hdr[i+1])
		}
		rec := httptest.NewRecorder()
		a.ServeHTTP(rec, r)
		return rec
	}
	tests := []struct {
		path, gzip, ctype, cache string
	}{
		{css, "gzip", "text/css; charset=utf-8", cacheImmutable},
		{"/static/style.css", "", "text/css; charset=utf-8", cacheShort},
		{"/static/fonts/NotoNaskhArabic-Regular.ttf", "gzip", "font/ttf", cacheImmutable},
		{"/static/fonts/OFL.txt", "", "text/plain; charset=utf-8", cacheImmutable},
	}
	for _, tt := range tests {
		rec := get(tt.path, "Accept-Encoding", tt.gzip)
		if rec.Code != 200 || rec.Header().Get("Content-Type") != tt.ctype || rec.Header().Get("Cache-Control") != tt.cache {
			t.Errorf("%s: %d %q %q", tt.path, rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Cache-Control"))
		}
		name := strings.TrimPrefix(strings.SplitN(tt.path, "?", 2)[0], "/static/")
		want, _ := fs.ReadFile(sub, name)
		body := rec.Body.Bytes()
		if tt.gzip != "" {
			if rec.Header().Get("Content-Encoding") != "gzip" {
				t.Errorf("%s: not gzipped for a gzip client", tt.path)
				continue
			}
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			body, _ = io.ReadAll(zr)
		} else if rec.Header().Get("Content-Encoding") != "" {
			t.Errorf("%s: encoded for a client that did not ask", tt.path)
		}
		if !bytes.Equal(body, want) {
			t.Errorf("%s: body differs from the embedded file", tt.path)
		}
		if again := get(tt.path, "If-None-Match", rec.Header().Get("ETag")); again.Code != http.StatusNotModified {
			t.Errorf("%s with its ETag: %d, want 304", tt.path, again.Code)
		}
	}
	if rec := get("/static/nope.js"); rec.Code != 404 {
		t.Errorf("missing file: %d", rec.Code)
	}
	if rec := get("/static/fonts/NotoNaskhArabic-Regular.ttf", "Accept-Encoding", "gzip;q=0"); rec.Header().Get("Content-Encoding") != "" {
		t.Error("gzip;q=0 means no gzip")
	}
}

// TestFontIsSmall keeps the embedded faces to a reasonable download.
func TestFontIsSmall(t *testing.T) {
	t.Parallel()
	total := 0
	fs.WalkDir(staticFS, "static/fonts", func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".ttf") {
			b, _ := fs.ReadFile(staticFS, p)
			total += len(b)
		}
		return nil
	})
	if total == 0 || total > 400<<10 {
		t.Errorf("embedded fonts: %d bytes, want some and at most 400 KiB", total)
	}
}
