package httpx

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestWriteETag(t *testing.T) {
	t.Parallel()
	body := []byte("<p>مرحبا</p>")
	rec := httptest.NewRecorder()
	Write(rec, httptest.NewRequest("GET", "/", nil), 200, "text/html; charset=utf-8", body)
	etag := rec.Header().Get("ETag")
	if rec.Code != 200 || etag == "" || rec.Body.String() != string(body) {
		t.Fatalf("first response: %d %q %q", rec.Code, etag, rec.Body.String())
	}
	for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("If-None-Match", inm)
		rec = httptest.NewRecorder()
		Write(rec, req, 200, "text/html", body)
		if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
			t.Errorf("If-None-Match %s: %d, want 304 without body", inm, rec.Code)
		}
	}
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("If-None-Match", `"stale"`)
	rec = httptest.NewRecorder()
	Write(rec, req, 200, "text/html", body)
	if rec.Code != 200 {
		t.Errorf("stale tag: %d, want 200", rec.Code)
	}
	rec = httptest.NewRecorder()
	Write(rec, httptest.NewRequest("GET", "/", nil), 404, "text/html", body)
	if rec.Header().Get("ETag") != "" || rec.Code != 404 {
		t.Errorf("error responses carry no ETag")
	}
	rec = httptest.NewRecorder()
	Write(rec, httptest.NewRequest("HEAD", "/", nil), 200, "text/html", body)
	if rec.Body.Len() != 0 {
		t.Errorf("HEAD wrote a body")
	}
}
