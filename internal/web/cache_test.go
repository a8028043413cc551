package web

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestPageCache(t *testing.T) {
	t.Parallel()
	now := time.Unix(1000, 0)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s := &Server{cache: newPageCache(2*time.Second, 3, clock)}
	var renders atomic.Int32
	release := make(chan struct{})
	h := s.cached(func(w http.ResponseWriter, r *http.Request) {
		n := renders.Add(1)
		if r.URL.Path == "/slow" {
			<-release
		}
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("ETag", `"v`+string(rune('0'+n))+`"`)
		w.Write([]byte("page " + r.URL.RequestURI()))
	})
	get := func(path string, hdr ...string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		rec := httptest.NewRecorder()
		h(rec, req)
		return rec
	}

	first := get("/a?x=1")
	if first.Code != 200 || first.Body.String() != "page /a?x=1" || renders.Load() != 1 {
		t.Fatalf("first: %d %q renders=%d", first.Code, first.Body, renders.Load())
	}
	if again := get("/a?x=1"); again.Body.String() != "page /a?x=1" || again.Header().Get("ETag") != first.Header().Get("ETag") || renders.Load() != 1 {
		t.Errorf("within the TTL the page should come from the cache (renders=%d)", renders.Load())
	}
	if nm := get("/a?x=1", "If-None-Match", first.Header().Get("ETag")); nm.Code != http.StatusNotModified || nm.Body.Len() != 0 {
		t.Errorf("cached page with its ETag: %d", nm.Code)
	}
	gz := get("/a?x=1", "Accept-Encoding", "gzip, br")
	zr, err := gzip.NewReader(gz.Body)
	if err != nil || gz.Header().Get("Content-Encoding") != "gzip" || gz.Header().Get("ETag") == first.Header().Get("ETag") {
		t.Fatalf("gzip client: %v %v ETag %q", err, gz.Header(), gz.Header().Get("ETag"))
	}
	if b, _ := io.ReadAll(zr); string(b) != "page /a?x=1" || renders.Load() != 1 {
		t.Errorf("gzipped page %q (renders=%d)", b, renders.Load())
	}
	if nm := get("/a?x=1", "Accept-Encoding", "gzip", "If-None-Match", gz.Header().Get("ETag")); nm.Code != http.StatusNotModified {
		t.Errorf("gzipped page with its ETag: %d", nm.Code)
	}
	get("/a?x=2")
	get("/a?x=1", "Cookie", "marsad_theme=dark")
	if renders.Load() != 3 {
		t.Errorf("other queries and settings are other pages: renders=%d, want 3", renders.Load())
	}
	mu.Lock()
	now = now.Add(2 * time.Second)
	mu.Unlock()
	// Past the TTL: the stale page is answered at once while one render
	// runs in the background; then the new page is served.
	if stale := get("/a?x=1"); stale.Header().Get("ETag") != first.Header().Get("ETag") {
		t.Errorf("a stale page within %d TTLs should be served while re-rendering", staleFactor)
	}
	waitFor(t, func() bool {
		p, fresh := s.cache.get(prefsKey(Prefs{themeAuto, digitsLatn}) + " /a?x=1")
		return p != nil && fresh
	})
	if renders.Load() != 4 {
		t.Errorf("one background render after the TTL: renders=%d, want 4", renders.Load())
	}
	if cur := get("/a?x=1"); cur.Header().Get("ETag") == first.Header().Get("ETag") {
		t.Error("after the background render the new page should be served")
	}
	mu.Lock()
	now = now.Add(staleFactor * 2 * time.Second)
	mu.Unlock()
	if get("/a?x=1"); renders.Load() != 5 {
		t.Errorf("a page older than %d TTLs is rendered in the foreground: renders=%d, want 5", staleFactor, renders.Load())
	}
	for range 2 {
		if rec := get("/missing"); rec.Code != 404 {
			t.Errorf("/missing: %d", rec.Code)
		}
	}
	if renders.Load() != 7 {
		t.Errorf("errors are not cached: renders=%d, want 7", renders.Load())
	}

	// Concurrent misses of one page: one render, everyone gets the page.
	before := renders.Load()
	var wg sync.WaitGroup
	bodies := make([]string, 8)
	for i := range bodies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bodies[i] = get("/slow").Body.String()
		}()
	}
	time.Sleep(50 * time.Millisecond) // let them queue behind the first
	close(release)
	wg.Wait()
	if n := renders.Load() - before; n != 1 {
		t.Errorf("%d renders for 8 concurrent requests, want 1", n)
	}
	for i, b := range bodies {
		if b != "page /slow" {
			t.Errorf("request %d got %q", i, b)
		}
	}
	if len(s.cache.entries) > 3 {
		t.Errorf("cache holds %d entries, bound 3", len(s.cache.entries))
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("timed out")
}
