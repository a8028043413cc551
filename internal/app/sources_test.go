package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marsad/marsad/internal/app"
	"github.com/marsad/marsad/internal/config"
	"github.com/marsad/marsad/internal/news"
)

const token = "0123456789abcdef-secret"

func TestSourcesAPIAndPage(t *testing.T) {
	t.Parallel()
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/rss" {
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, `<rss version="2.0"><channel><title>صحيفة الاختبار</title></channel></rss>`)
			return
		}
		http.NotFound(w, r)
	}))
	defer feed.Close()
	ctx := context.Background()
	cfg := config.Default()
	cfg.DB = filepath.Join(t.TempDir(), "m.db")
	cfg.AdminToken = token
	cfg.AllowPrivate = true
	a, err := app.Open(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.Store.UpsertSource(ctx, news.Source{ID: "okaz", Name: "عكاظ", FeedURLs: []string{"https://www.okaz.com.sa/rss"}}); err != nil {
		t.Fatal(err)
	}
	if err := a.Store.SaveSourceStatus(ctx, "okaz", news.SourceStatus{Failures: 2, LastError: "fetch https://www.okaz.com.sa/rss: HTTP 503"}); err != nil {
		t.Fatal(err)
	}
	h, err := a.Handler()
	if err != nil {
		t.Fatal(err)
	}

	res, body := get(t, h, "/api/v1/sources")
	var list struct {
		Sources []struct {
			ID     string
			Feeds  []string
			Status struct {
				Healthy   bool
				Failures  int
				LastError string `json:"last_error"`
			}
		}
	}
	if res.StatusCode != 200 || json.Unmarshal([]byte(body), &list) != nil || len(list.Sources) != 1 ||
		list.Sources[0].Status.Healthy || list.Sources[0].Status.Failures != 2 || !strings.Contains(list.Sources[0].Status.LastError, "503") {
		t.Fatalf("GET sources: %d %s", res.StatusCode, body)
	}

	post := func(auth, body string) (int, string) {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/sources", strings.NewReader(body))
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	add := fmt.Sprintf(`{"url": %q}`, feed.URL+"/rss")
	for _, tt := range []struct {
		auth string
		code int
		err  string
	}{
		{"", 401, "unauthorized"},
		{"Basic x", 401, "unauthorized"},
		{"Bearer wrong-token-0000000", 403, "forbidden"},
	} {
		if code, body := post(tt.auth, add); code != tt.code || !strings.Contains(body, `"code":"`+tt.err+`"`) {
			t.Errorf("POST with %q: %d %s", tt.auth, code, body)
		}
	}
	if code, body := post("Bearer "+token, `{"nope": 1}`); code != 400 {
		t.Errorf("POST without url: %d %s", code, body)
	}
	code, body := post("Bearer "+token, add)
	if code != 201 || !strings.Contains(body, "صحيفة الاختبار") {
		t.Fatalf("POST: %d %s", code, body)
	}
	if code, _ := post("Bearer "+token, add); code != 200 {
		t.Errorf("POST again: %d, want 200", code)
	}
	if srcs, _ := a.Store.Sources(ctx); len(srcs) != 2 {
		t.Errorf("%d sources after POST", len(srcs))
	}

	// The discovery fetches are counted by status (robots.txt 404, feed 200).
	if _, m := get(t, h, "/metrics"); !strings.Contains(m, `marsad_fetches_total{status="200"}`) ||
		!strings.Contains(m, `marsad_fetches_total{status="404"}`) {
		t.Errorf("/metrics without fetch counts:\n%s", m)
	}

	res, body = get(t, h, "/sources")
	if res.StatusCode != 200 || !strings.Contains(body, `dir="rtl"`) || !strings.Contains(body, "عكاظ") ||
		!strings.Contains(body, "متعثّر") || !strings.Contains(body, "HTTP 503") || !strings.Contains(body, "صحيفة الاختبار") {
		t.Errorf("/sources page: %d\n%s", res.StatusCode, body)
	}
}

func TestMutationsDisabledWithoutToken(t *testing.T) {
	t.Parallel()
	a, _ := newApp(t)
	h, _ := a.Handler()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/sources", strings.NewReader(`{"url": "https://example.com/"}`))
	req.Header.Set("Authorization", "Bearer anything-at-all-here")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 403 || !strings.Contains(rec.Body.String(), "MARSAD_ADMIN_TOKEN") {
		t.Errorf("%d %s", rec.Code, rec.Body.String())
	}
}
