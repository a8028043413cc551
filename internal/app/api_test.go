package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/app"
	"github.com/marsad/marsad/internal/config"
	"github.com/marsad/marsad/internal/news"
)

type apiError struct {
	Error struct{ Code, Message string } `json:"error"`
}

func do(h http.Handler, method, path, auth string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	req.RemoteAddr = "203.0.113.9:1000"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestAPIErrorShape: 404, 405 and 429 all answer {"error": {code, message}}
// as JSON, 405 with Allow.
func TestAPIErrorShape(t *testing.T) {
	t.Parallel()
	a, _ := newApp(t)
	a.Config.APIRate = 1 // burst 2: the third request is limited
	h, _ := a.Handler()
	tests := []struct {
		method, path string
		status       int
		code, allow  string
	}{
		{"GET", "/api/v1/nothing", 404, "not_found", ""},
		{"POST", "/api/v1/articles", 405, "method_not_allowed", "GET, HEAD"},
		{"GET", "/api/v1/articles", 429, "rate_limited", ""},
	}
	for _, tt := range tests {
		rec := do(h, tt.method, tt.path, "")
		var e apiError
		if rec.Code != tt.status || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") ||
			json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Error.Code != tt.code || e.Error.Message == "" {
			t.Errorf("%s %s: %d %q %s, want %d %s", tt.method, tt.path, rec.Code, rec.Header().Get("Content-Type"), rec.Body, tt.status, tt.code)
		}
		if rec.Header().Get("Allow") != tt.allow {
			t.Errorf("%s %s: Allow %q, want %q", tt.method, tt.path, rec.Header().Get("Allow"), tt.allow)
		}
	}
}

func TestAPIMethodNotAllowedLists(t *testing.T) {
	t.Parallel()
	a, _ := newApp(t)
	a.Config.APIRate = 0
	h, _ := a.Handler()
	if rec := do(h, "PUT", "/api/v1/sources", ""); rec.Code != 405 || rec.Header().Get("Allow") != "GET, POST, HEAD" {
		t.Errorf("PUT /api/v1/sources: %d Allow %q", rec.Code, rec.Header().Get("Allow"))
	}
	if rec := do(h, "GET", "/api/v1/sources/x/crawl", ""); rec.Code != 405 || rec.Header().Get("Allow") != "POST" {
		t.Errorf("GET /api/v1/sources/x/crawl: %d Allow %q", rec.Code, rec.Header().Get("Allow"))
	}
	rec := do(h, "GET", "/api/v1/openapi.json", "")
	var doc struct {
		OpenAPI string         `json:"openapi"`
		Paths   map[string]any `json:"paths"`
	}
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &doc) != nil || doc.OpenAPI != "3.1.0" || doc.Paths["/api/v1/articles"] == nil {
		t.Errorf("openapi.json: %d %.200s", rec.Code, rec.Body)
	}
}

// TestAPIPagination: a page that is not the last links the next one, in
// the body and in a Link header; following the links visits every article
// once.
func TestAPIPagination(t *testing.T) {
	t.Parallel()
	a, _ := newApp(t)
	a.Config.APIRate = 0
	h, _ := a.Handler()
	seen := map[float64]bool{}
	next := "/api/v1/articles?limit=2"
	for pages := 0; next != ""; pages++ {
		if pages > 3 {
			t.Fatal("pagination does not end")
		}
		rec := do(h, "GET", next, "")
		var page struct {
			Articles []map[string]any `json:"articles"`
			Next     string           `json:"next"`
		}
		if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &page) != nil {
			t.Fatalf("GET %s: %d %s", next, rec.Code, rec.Body)
		}
		if link := rec.Header().Get("Link"); (page.Next == "") != (link == "") || page.Next != "" && link != "<"+page.Next+`>; rel="next"` {
			t.Errorf("GET %s: next %q, Link %q", next, page.Next, link)
		}
		for _, art := range page.Articles {
			id := art["id"].(float64)
			if seen[id] {
				t.Errorf("article %v on two pages", id)
			}
			seen[id] = true
		}
		next = page.Next
	}
	if len(seen) != 3 {
		t.Errorf("pages covered %d articles, want 3", len(seen))
	}
}

// TestAdminMutations: removing a source and triggering its re-crawl need
// the token: none → 401, wrong → 403, right → done.
func TestAdminMutations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := config.Default()
	cfg.DB = filepath.Join(t.TempDir(), "m.db")
	cfg.AdminToken = token
	cfg.APIRate = 0
	a, err := app.Open(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	for _, id := range []string{"okaz", "sabq"} {
		if _, err := a.Store.UpsertSource(ctx, news.Source{ID: id, Name: id, FeedURLs: []string{"https://" + id + ".example/rss"}}); err != nil {
			t.Fatal(err)
		}
	}
	later := time.Now().Add(time.Hour).Truncate(time.Second)
	if err := a.Store.SaveSourceStatus(ctx, "sabq", news.SourceStatus{NextDue: later, Interval: time.Hour}); err != nil {
		t.Fatal(err)
	}
	h, _ := a.Handler()
	for _, tt := range []struct {
		method, path, auth string
		status             int
		code               string
	}{
		{"DELETE", "/api/v1/sources/okaz", "", 401, "unauthorized"},
		{"DELETE", "/api/v1/sources/okaz", "Bearer wrong-token-0000000", 403, "forbidden"},
		{"POST", "/api/v1/sources/sabq/crawl", "", 401, "unauthorized"},
		{"POST", "/api/v1/sources/sabq/crawl", "Bearer " + token + "x", 403, "forbidden"},
		{"DELETE", "/api/v1/sources/nobody", "Bearer " + token, 404, "not_found"},
		{"POST", "/api/v1/sources/nobody/crawl", "Bearer " + token, 404, "not_found"},
	} {
		rec := do(h, tt.method, tt.path, tt.auth)
		var e apiError
		if rec.Code != tt.status || json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Error.Code != tt.code {
			t.Errorf("%s %s (%q): %d %s, want %d %s", tt.method, tt.path, tt.auth, rec.Code, rec.Body, tt.status, tt.code)
		}
	}
	if srcs, _ := a.Store.Sources(ctx); len(srcs) != 2 {
		t.Fatalf("refused mutations changed the sources: %d left", len(srcs))
	}

	rec := do(h, "POST", "/api/v1/sources/sabq/crawl", "Bearer "+token)
	if rec.Code != http.StatusAccepted {
		t.Fatalf("re-crawl: %d %s", rec.Code, rec.Body)
	}
	src, _ := a.Store.Source(ctx, "sabq")
	due, _ := a.Store.DueSources(ctx, time.Now().Add(time.Second), 10)
	if !src.Status.NextDue.Before(later) || len(due) != 2 || src.Status.Interval != time.Hour {
		t.Errorf("after re-crawl: next due %v (was %v), due now %d sources, interval %v", src.Status.NextDue, later, len(due), src.Status.Interval)
	}

	if rec := do(h, "DELETE", "/api/v1/sources/okaz", "Bearer "+token); rec.Code != http.StatusNoContent {
		t.Fatalf("delete: %d %s", rec.Code, rec.Body)
	}
	if _, err := a.Store.Source(ctx, "okaz"); err == nil {
		t.Error("deleted source is still there")
	}
}
