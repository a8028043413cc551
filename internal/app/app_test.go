package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/app"
	"github.com/marsad/marsad/internal/config"
	"github.com/marsad/marsad/internal/news"
)

// openApp opens an app on a fresh SQLite file; adjust edits its config.
func openApp(t *testing.T, adjust func(*config.Config)) *app.App {
	t.Helper()
	cfg := config.Default()
	cfg.DB = filepath.Join(t.TempDir(), "m.db")
	// Tests change data between requests; the page cache (a production
	// default) would show them the page of two seconds ago. adjust may
	// turn it back on.
	cfg.PageCache = 0
	if adjust != nil {
		adjust(&cfg)
	}
	a, err := app.Open(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

func newApp(t *testing.T) (*app.App, []int64) {
	t.Helper()
	ctx := context.Background()
	a := openApp(t, nil)
	t0 := time.Date(2015, 8, 5, 7, 0, 0, 0, time.UTC)
	res, _, err := a.Pipeline.Ingest(ctx, []news.Article{
		{URL: "http://www.spa.gov.sa/1", SourceID: "was", Title: "خادم الحرمين الشريفين يستقبل رئيس الوزراء",
			Text: "استقبل خادمُ الحرمين الشريفين الملك سلمان اليوم رئيس الوزراء.\nوجرى خلال الاستقبال بحث العلاقات.", Published: t0},
		{URL: "http://sabq.org/2", SourceID: "sabq", Title: "أمطار غزيرة على جدة",
			Text: "توقعات بهطول أمطار غزيرة في الأيام المقبلة.", Published: t0.Add(time.Hour)},
		{URL: "http://evil.example/3", SourceID: "evil", Title: `<script>alert(1)</script><img src=x onerror=alert(2)>`,
			Text: `نص <script>alert(3)</script> javascript:alert(4)`, Published: t0.Add(2 * time.Hour)},
	})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, r := range res {
		ids = append(ids, r.ID)
	}
	return a, ids
}

func get(t *testing.T, h http.Handler, path string) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func TestWebPages(t *testing.T) {
	t.Parallel()
	a, ids := newApp(t)
	h, err := a.Handler()
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(ids[0], 10)
	tests := []struct {
		path   string
		status int
		want   []string
		ctype  string
	}{
		{"/", 200, []string{`<html lang="ar" dir="rtl"`, "خادم الحرمين الشريفين يستقبل", "/article/" + id, "أمطار غزيرة"}, "text/html"},
		{"/?source=sabq", 200, []string{"أمطار غزيرة", "كل المصادر"}, "text/html"},
		{"/?page=5", 200, []string{"لا أخبار أقدم", `rel="prev" href="/?page=4"`}, "text/html"},
		{"/article/" + id, 200, []string{"<h1 dir=\"auto\">خادم الحرمين الشريفين يستقبل رئيس الوزراء</h1>", "<p>وجرى خلال الاستقبال بحث العلاقات.</p>", `href="http://www.spa.gov.sa/1"`, "5 أغسطس 2015، 10:00"}, "text/html"},
		{"/article/999999", 404, []string{"الصفحة غير موجودة"}, "text/html"},
		{"/article/abc", 404, nil, "text/html"},
		{"/search?q=" + urlq("خَادِم الحرمين"), 200, []string{"نتيجة واحدة", "<mark>خادمُ الحرمين</mark>"}, "text/html"},
		{"/search?q=" + urlq("خـــادم"), 200, []string{"نتيجة واحدة"}, "text/html"},
		{"/search?q=" + urlq("!!!"), 400, []string{"لم نجد في الاستعلام"}, "text/html"},
		{"/search", 200, []string{"اكتب كلمة", "لغة البحث", "source:sabq"}, "text/html"},
		// The query language, facets as filters, sort, time taken.
		{"/search?q=" + urlq(`"خادم الحرمين" source:was`), 200, []string{"نتيجة واحدة", "م.ث", `class="facets"`, `aria-current="true" class="active">`, "2015-08-05"}, "text/html"},
		{"/search?q=" + urlq(`"الحرمين خادم"`), 200, []string{"0 نتيجة", "لا نتائج"}, "text/html"},
		{"/search?q=" + urlq("الحرمين") + "&sort=date", 200, []string{"الأحدث أولاً", "sort=date"}, "text/html"},
		{"/search?q=" + urlq(`"خادم الحرمين`), 400, []string{"علامة تنصيص", "لغة البحث"}, "text/html"},
		{"/search?q=" + urlq(`-خادم`), 400, []string{"الاستبعاد"}, "text/html"},
		{"/static/style.css", 200, []string{"--font"}, "text/css"},
		{"/healthz", 200, []string{"ok"}, "text/plain"},
		{"/feed.rss", 200, []string{"<rss", "<language>ar</language>", "خادم الحرمين الشريفين يستقبل", "/article/" + id + "</link>"}, "application/rss+xml"},
		{"/feed.atom", 200, []string{`xml:lang="ar"`, "<entry>", "http://www.spa.gov.sa/1"}, "application/atom+xml"},
		{"/feed.json", 200, []string{`"version": "https://jsonfeed.org/version/1.1"`, `"language": "ar"`}, "application/feed+json"},
		{"/search/feed.atom?q=" + urlq("الحرمين"), 200, []string{"خادم الحرمين الشريفين يستقبل", "/search/feed.atom?q="}, "application/atom+xml"},
		{"/search/feed.json?q=" + urlq("!!!"), 400, []string{"empty query"}, "text/plain"},
		{"/nope", 404, nil, ""},
		{"/source/was", 200, []string{"<h1>واس</h1>", "مصدر مستورد", "<svg", "5 أغسطس 2015: 1", "/source/was/feed.atom", "خادم الحرمين الشريفين يستقبل"}, "text/html"},
		{"/source/nobody", 404, nil, "text/html"},
		{"/sources", 200, []string{"مصادر مستوردة", "3 مصادر", `<a href="/source/was">واس</a>`, `<a href="/source/sabq">سبق</a>`, `<a href="/source/evil">evil</a>`}, "text/html"},
		{"/source/sabq/feed.atom", 200, []string{"أمطار غزيرة", "/source/sabq/feed.atom"}, "application/atom+xml"},
		{"/source/nobody/feed.rss", 404, nil, "text/plain"},
		{"/metrics", 200, []string{"marsad_articles 3", `marsad_http_requests_total{route="GET /{$}",status="200"}`, "marsad_jobs_available 0", "marsad_jobs_running 0", "marsad_jobs_scheduled 0", `marsad_http_request_duration_seconds_bucket{route="GET /{$}",le=`, `marsad_http_request_duration_seconds_count{route="GET /article/{id}"}`}, "text/plain"},
	}
	for _, tt := range tests {
		res, body := get(t, h, tt.path)
		if res.StatusCode != tt.status {
			t.Errorf("GET %s: status %d, want %d", tt.path, res.StatusCode, tt.status)
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, tt.ctype) {
			t.Errorf("GET %s: Content-Type %q, want %s", tt.path, ct, tt.ctype)
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s: body lacks %q", tt.path, w)
			}
		}
		if res.Header.Get("Content-Security-Policy") == "" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: security headers missing", tt.path)
		}
	}
}

func TestConditionalGET(t *testing.T) {
	t.Parallel()
	a, _ := newApp(t)
	h, _ := a.Handler()
	for _, path := range []string{"/", "/feed.atom", "/api/v1/articles"} {
		res, _ := get(t, h, path)
		etag := res.Header.Get("ETag")
		if etag == "" {
			t.Errorf("%s: no ETag", path)
			continue
		}
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("If-None-Match", etag)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusNotModified {
			t.Errorf("%s with If-None-Match: %d, want 304", path, rec.Code)
		}
	}
}

func urlq(s string) string {
	return strings.NewReplacer(" ", "+").Replace(s)
}

func TestUntrustedTextIsEscaped(t *testing.T) {
	t.Parallel()
	a, ids := newApp(t)
	h, _ := a.Handler()
	for _, path := range []string{"/", "/article/" + strconv.FormatInt(ids[2], 10), "/search?q=alert"} {
		_, body := get(t, h, path)
		for _, bad := range []string{"<script>alert", "<img src=x"} {
			if strings.Contains(body, bad) {
				t.Errorf("GET %s: unescaped %q in page", path, bad)
			}
		}
	}
}

func TestAPI(t *testing.T) {
	t.Parallel()
	a, ids := newApp(t)
	h, _ := a.Handler()

	res, body := get(t, h, "/api/v1/articles?limit=2")
	var list struct {
		Articles []map[string]any `json:"articles"`
		Total    int              `json:"total"`
	}
	if res.StatusCode != 200 || json.Unmarshal([]byte(body), &list) != nil || list.Total != 3 || len(list.Articles) != 2 {
		t.Fatalf("articles: %d %s", res.StatusCode, body)
	}
	if _, hasText := list.Articles[0]["text"]; hasText {
		t.Error("article lists should not carry bodies")
	}

	res, body = get(t, h, "/api/v1/articles/"+strconv.FormatInt(ids[0], 10))
	var art map[string]any
	if res.StatusCode != 200 || json.Unmarshal([]byte(body), &art) != nil {
		t.Fatalf("article: %d %s", res.StatusCode, body)
	}
	for _, k := range []string{"id", "url", "source", "title", "published", "text"} {
		if _, ok := art[k]; !ok {
			t.Errorf("article lacks %q: %s", k, body)
		}
	}

	res, body = get(t, h, "/api/v1/search?q="+urlq("الحرمين"))
	var sr struct {
		Results []map[string]any `json:"results"`
	}
	if res.StatusCode != 200 || json.Unmarshal([]byte(body), &sr) != nil || len(sr.Results) != 1 {
		t.Fatalf("search: %d %s", res.StatusCode, body)
	}
	for _, k := range []string{"id", "url", "source", "title", "published", "score", "snippet", "story_id"} {
		if _, ok := sr.Results[0][k]; !ok {
			t.Errorf("search result lacks %q: %s", k, body)
		}
	}

	res, body = get(t, h, "/api/v1/search?facets=1&sort=date&q="+urlq(`الحرمين OR أمطار -title:غزيرة`))
	var fr struct {
		Total  int
		Facets struct {
			Sources, Days []struct {
				Value string
				Count int
			}
		}
	}
	if res.StatusCode != 200 || json.Unmarshal([]byte(body), &fr) != nil || fr.Total != 1 || len(fr.Facets.Sources) != 1 ||
		fr.Facets.Sources[0].Value != "was" || len(fr.Facets.Days) != 1 || fr.Facets.Days[0].Value != "2015-08-05" {
		t.Errorf("search with facets: %d %s", res.StatusCode, body)
	}

	for path, code := range map[string]string{
		"/api/v1/articles/0":               "bad_id",
		"/api/v1/articles/999999":          "not_found",
		"/api/v1/articles?limit=0":         "bad_limit",
		"/api/v1/articles?offset=-1":       "bad_offset",
		"/api/v1/search?q=":                "invalid",
		"/api/v1/search?q=" + urlq(`"ولي`): "invalid",
		"/api/v1/search?q=x&sort=new":      "bad_sort",
		"/api/v1/nothing":                  "not_found",
	} {
		res, body := get(t, h, path)
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if res.StatusCode < 400 || json.Unmarshal([]byte(body), &e) != nil || e.Error.Code != code || e.Error.Message == "" {
			t.Errorf("GET %s: %d %s, want error code %q", path, res.StatusCode, body, code)
		}
	}
}

func TestAPIRateLimit(t *testing.T) {
	t.Parallel()
	a, _ := newApp(t)
	a.Config.APIRate = 1 // burst 2
	h, _ := a.Handler()
	codes := []int{}
	for range 3 {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/api/v1/articles", nil)
		req.RemoteAddr = "198.51.100.7:5000"
		h.ServeHTTP(rec, req)
		codes = append(codes, rec.Code)
		if rec.Code == http.StatusTooManyRequests && (!strings.Contains(rec.Body.String(), `"rate_limited"`) || rec.Header().Get("Retry-After") == "") {
			t.Errorf("429 body %q, Retry-After %q", rec.Body.String(), rec.Header().Get("Retry-After"))
		}
	}
	if codes[0] != 200 || codes[1] != 200 || codes[2] != http.StatusTooManyRequests {
		t.Errorf("codes = %v, want 200 200 429", codes)
	}
	// Pages are not limited.
	for range 5 {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.RemoteAddr = "198.51.100.7:5000"
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("home page: %d", rec.Code)
		}
	}
}

// TestSlowLoris: a client that never finishes its headers is cut off by the
// server's header timeout while other clients are served.
func TestSlowLoris(t *testing.T) {
	if testing.Short() {
		t.Skip("takes the header timeout (5 s)")
	}
	t.Parallel()
	a, _ := newApp(t)
	a.Config.NoCrawl = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	defer func() { cancel(); <-done }()

	var slow []net.Conn
	for range 50 {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		c.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: "))
		slow = append(slow, c)
	}
	res, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("a normal client is not served while slow clients hang: %v", err)
	}
	res.Body.Close()
	start := time.Now()
	for _, c := range slow {
		c.SetReadDeadline(time.Now().Add(15 * time.Second))
		buf := make([]byte, 512)
		for {
			if _, err := c.Read(buf); err != nil {
				break // closed by the server (or its 408 answer then close)
			}
		}
		c.Close()
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("slow clients held their connections for %v", took)
	}
}

// TestSettingsAndSecurityHeaders: the display settings are cookies set by a
// same-origin form post; pages vary by them; every response, whatever its
// kind or status, carries the security headers.
func TestSettingsAndSecurityHeaders(t *testing.T) {
	t.Parallel()
	a, _ := newApp(t)
	h, _ := a.Handler()

	post := func(site string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "http://marsad.test/settings", strings.NewReader("theme=dark&digits=arab"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Referer", "http://marsad.test/sources")
		req.Header.Set("Sec-Fetch-Site", site)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	if rec := post("cross-site"); rec.Code != http.StatusForbidden || len(rec.Result().Cookies()) != 0 {
		t.Errorf("cross-site settings post: %d %v, want 403 and no cookies", rec.Code, rec.Result().Cookies())
	}
	rec := post("same-origin")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/sources" || len(rec.Result().Cookies()) != 2 {
		t.Fatalf("settings post: %d → %q, cookies %v", rec.Code, rec.Header().Get("Location"), rec.Result().Cookies())
	}
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	for _, c := range rec.Result().Cookies() {
		req.AddCookie(c)
	}
	page := httptest.NewRecorder()
	h.ServeHTTP(page, req)
	body := page.Body.String()
	if !strings.Contains(body, `data-theme="dark"`) || !strings.Contains(body, "٥ أغسطس ٢٠١٥") || !strings.Contains(body, `<meta name="color-scheme" content="dark">`) {
		t.Errorf("page after choosing dark + Arabic-Indic digits lacks them:\n%s", body)
	}
	if !strings.Contains(page.Header().Get("Vary"), "Cookie") {
		t.Errorf("pages vary by the settings cookies; Vary = %q", page.Header().Get("Vary"))
	}
	if _, plain := get(t, h, "/"); !strings.Contains(plain, `data-theme="auto"`) || !strings.Contains(plain, "5 أغسطس 2015") {
		t.Error("default page: want the system theme and Western digits")
	}

	for _, path := range []string{"/", "/static/style.css", "/nope", "/api/v1/articles", "/api/v1/nope", "/healthz", "/metrics", "/feed.atom"} {
		res, _ := get(t, h, path)
		csp := res.Header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("GET %s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("GET %s: CSP allows inline script or eval: %q", path, csp)
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Referrer-Policy") == "" || res.Header.Get("X-Frame-Options") != "DENY" ||
			res.Header.Get("Cross-Origin-Opener-Policy") != "same-origin" || !strings.Contains(res.Header.Get("Permissions-Policy"), "camera=()") {
			t.Errorf("GET %s: headers %v", path, res.Header)
		}
	}
}

// TestPageCacheInServe: with the page cache on (serve's default), a page
// is reused within the TTL — a new article shows up only after it — and
// cached answers keep the security headers and conditional GET.
func TestPageCacheInServe(t *testing.T) {
	t.Parallel()
	a, _ := newApp(t)
	a.Config.PageCache = time.Hour
	h, _ := a.Handler()
	res, first := get(t, h, "/")
	if _, _, err := a.Pipeline.Ingest(context.Background(), []news.Article{{URL: "http://okaz.com.sa/9", SourceID: "okaz",
		Title: "خبر جديد بعد العرض الأول", Text: "نص.", Published: time.Date(2015, 8, 6, 7, 0, 0, 0, time.UTC)}}); err != nil {
		t.Fatal(err)
	}
	res2, again := get(t, h, "/")
	if again != first || strings.Contains(again, "خبر جديد") {
		t.Error("within the TTL the cached page should be served")
	}
	if res2.Header.Get("Content-Security-Policy") == "" || res2.Header.Get("ETag") != res.Header.Get("ETag") {
		t.Errorf("cached answer headers: %v", res2.Header)
	}
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("If-None-Match", res.Header.Get("ETag"))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified {
		t.Errorf("cached page with its ETag: %d", rec.Code)
	}
	a.Config.PageCache = 0
	fresh, _ := a.Handler()
	if _, body := get(t, fresh, "/"); !strings.Contains(body, "خبر جديد") {
		t.Error("without the cache the new article shows at once")
	}
}

// /metrics says when the stories' state is loaded (serve loads it in the
// background; benchmarks of a settled server wait for it).
func TestStoriesReadyGauge(t *testing.T) {
	t.Parallel()
	a := openApp(t, nil)
	h, err := a.Handler()
	if err != nil {
		t.Fatal(err)
	}
	if _, m := get(t, h, "/metrics"); !strings.Contains(m, "\nmarsad_stories_ready 0\n") {
		t.Fatalf("before the load: %q", m)
	}
	if err := a.Stories.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, m := get(t, h, "/metrics"); !strings.Contains(m, "\nmarsad_stories_ready 1\n") {
		t.Fatalf("after the load: %q", m)
	}
}
