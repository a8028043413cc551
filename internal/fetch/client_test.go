package fetch

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var localhost = netip.MustParseAddr("127.0.0.1")

// fakeClock is a clock whose sleeps advance it instantly.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.t = c.t.Add(d)
	return ctx.Err()
}

func (c *fakeClock) slept() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	var s time.Duration
	for _, d := range c.sleeps {
		s += d
	}
	return s
}

// testClient allows only 127.0.0.1 (the httptest servers).
func testClient(t *testing.T, o Options) *Client {
	t.Helper()
	if o.Policy == nil {
		o.Policy = AllowOnly(localhost)
	}
	if o.Spacing == 0 {
		o.Spacing = time.Millisecond
	}
	return New(o)
}

// site serves robots.txt (if given) and the handler for everything else.
func site(t *testing.T, robots string, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		if robots == "" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, robots)
	})
	mux.HandleFunc("/", h)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestPolicy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ip, want string
	}{
		{"8.8.8.8", ""},
		{"2001:4860:4860::8888", ""},
		{"127.0.0.1", "loopback"},
		{"127.1.2.3", "loopback"},
		{"::1", "loopback"},
		{"::ffff:127.0.0.1", "loopback"},
		{"::ffff:10.0.0.1", "private"},
		{"10.1.2.3", "private"},
		{"172.16.0.1", "private"},
		{"192.168.1.1", "private"},
		{"100.64.0.1", "private"},
		{"fd12::1", "private"},
		{"169.254.1.1", "link-local"},
		{"fe80::1", "link-local"},
		{"169.254.169.254", "cloud-metadata"},
		{"fd00:ec2::254", "cloud-metadata"},
		{"224.0.0.1", "multicast"},
		{"ff02::1", "multicast"},
		{"0.0.0.0", "unspecified"},
		{"::", "unspecified"},
		{"0.1.2.3", "unspecified"},
		{"240.0.0.1", "reserved"},
	}
	for _, tt := range tests {
		if got := PublicOnly(netip.MustParseAddr(tt.ip)); got != tt.want {
			t.Errorf("PublicOnly(%s) = %q, want %q", tt.ip, got, tt.want)
		}
	}
	p := AllowOnly(localhost)
	if p(localhost) != "" || p(netip.MustParseAddr("::ffff:127.0.0.1")) != "" || p(netip.MustParseAddr("127.0.0.2")) != "loopback" {
		t.Error("AllowOnly")
	}
}

func TestRefusesLoopbackByDefault(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := site(t, "", func(w http.ResponseWriter, r *http.Request) { hits.Add(1) })
	c := New(Options{})
	_, err := c.Get(context.Background(), Request{URL: srv.URL + "/a"})
	var re *RefusedError
	if !errors.As(err, &re) || !errors.Is(err, ErrRefused) || re.Reason != "loopback" {
		t.Fatalf("err = %v, want a loopback refusal", err)
	}
	want := "refusing to fetch " + srv.URL + "/a: loopback address 127.0.0.1; use --allow-private for tests"
	if err.Error() != want {
		t.Errorf("message\n got %q\nwant %q", err.Error(), want)
	}
	// A host name is judged by the address it resolves to, in the dialer.
	_, err = c.Get(context.Background(), Request{URL: strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) + "/a"})
	if !errors.As(err, &re) || re.Reason != "loopback" {
		t.Fatalf("via a name: err = %v, want a loopback refusal", err)
	}
	if hits.Load() != 0 {
		t.Errorf("server saw %d requests", hits.Load())
	}
}

func TestRedirectToRefusedAddress(t *testing.T) {
	t.Parallel()
	srv := site(t, "", func(w http.ResponseWriter, r *http.Request) {
		// The cloud-metadata address and a loopback address other than the allowed one.
		switch r.URL.Path {
		case "/meta":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		case "/lo":
			http.Redirect(w, r, "http://127.0.0.2:1/x", http.StatusMovedPermanently)
		case "/mapped":
			http.Redirect(w, r, "http://[::ffff:127.0.0.3]:1/x", http.StatusFound)
		default:
			fmt.Fprint(w, "<html>ok</html>")
		}
	})
	c := testClient(t, Options{})
	for path, reason := range map[string]string{"/meta": "cloud-metadata", "/lo": "loopback", "/mapped": "loopback"} {
		_, err := c.Get(context.Background(), Request{URL: srv.URL + path})
		var re *RefusedError
		if !errors.As(err, &re) || re.Reason != reason {
			t.Errorf("%s: err = %v, want %s refusal", path, err, reason)
		}
	}
	// The dialer hook itself, as used for names that resolve to such addresses.
	if err := AllowOnly(localhost).control("tcp4", "127.0.0.9:80", nil); !errors.Is(err, ErrRefused) {
		t.Errorf("control: %v", err)
	}
	if err := AllowOnly(localhost).control("tcp4", "127.0.0.1:80", nil); err != nil {
		t.Errorf("control allowed addr: %v", err)
	}
}

func TestRobotsHonoured(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var paths []string
	srv := site(t, "User-agent: *\nDisallow: /private/\nCrawl-delay: 1\n", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		mu.Unlock()
		if r.URL.Path == "/hop" {
			http.Redirect(w, r, "/private/secret", http.StatusFound)
			return
		}
		fmt.Fprint(w, "<html>ok</html>")
	})
	clk := newFakeClock()
	c := testClient(t, Options{Now: clk.Now, Sleep: clk.Sleep})
	ctx := context.Background()
	if _, err := c.Get(ctx, Request{URL: srv.URL + "/private/x"}); !errors.Is(err, ErrDisallowed) {
		t.Fatalf("disallowed page: %v", err)
	}
	if _, err := c.Get(ctx, Request{URL: srv.URL + "/hop"}); !errors.Is(err, ErrDisallowed) {
		t.Fatalf("redirect into a disallowed path: %v", err)
	}
	for range 3 {
		if _, err := c.Get(ctx, Request{URL: srv.URL + "/ok"}); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range paths {
		if strings.HasPrefix(p, "/private/") {
			t.Errorf("fetched %s", p)
		}
	}
	// robots, /hop, /ok ×3 with Crawl-delay 1 s between them.
	if s := clk.slept(); s < 3*time.Second {
		t.Errorf("slept %v in total, want ≥ 3 s of Crawl-delay", s)
	}
}

func TestRobotsUnavailable(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		fmt.Fprint(w, "<html>ok</html>")
	}))
	defer srv.Close()
	c := testClient(t, Options{})
	if _, err := c.Get(context.Background(), Request{URL: srv.URL + "/a"}); !errors.Is(err, ErrDisallowed) {
		t.Errorf("5xx robots.txt must disallow: %v", err)
	}
	srv404 := site(t, "", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html>ok</html>") })
	if _, err := c.Get(context.Background(), Request{URL: srv404.URL + "/a"}); err != nil {
		t.Errorf("404 robots.txt must allow: %v", err)
	}
}

// memRobots is an in-memory RobotsCache.
type memRobots struct {
	mu sync.Mutex
	m  map[string]CachedRobots
}

func (m *memRobots) LoadRobots(_ context.Context, u string) (CachedRobots, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.m[u]
	return r, ok, nil
}

func (m *memRobots) SaveRobots(_ context.Context, u string, r CachedRobots) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.m[u] = r
	return nil
}

func TestConditionalGetAndRobotsCache(t *testing.T) {
	t.Parallel()
	var robotsHits, robots304 atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			robotsHits.Add(1)
			w.Header().Set("ETag", `"r1"`)
			if r.Header.Get("If-None-Match") == `"r1"` {
				robots304.Add(1)
				w.WriteHeader(http.StatusNotModified)
				return
			}
			fmt.Fprint(w, "User-agent: *\nDisallow: /no\n")
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Wed, 05 Aug 2015 10:00:00 GMT")
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"></rss>`)
	}))
	defer srv.Close()
	cache := &memRobots{m: map[string]CachedRobots{}}
	clk := newFakeClock()
	c := testClient(t, Options{Robots: cache, Now: clk.Now, Sleep: clk.Sleep})
	ctx := context.Background()
	r1, err := c.Get(ctx, Request{URL: srv.URL + "/feed"})
	if err != nil || r1.ETag != `"v1"` || r1.Kind != KindXML || r1.NotModified {
		t.Fatalf("first: %+v %v", r1, err)
	}
	r2, err := c.Get(ctx, Request{URL: srv.URL + "/feed", ETag: r1.ETag, LastModified: r1.LastModified})
	if err != nil || !r2.NotModified || len(r2.Body) != 0 {
		t.Fatalf("second: %+v %v", r2, err)
	}
	// A new client (a restart) reuses the stored robots.txt…
	c2 := testClient(t, Options{Robots: cache, Now: clk.Now, Sleep: clk.Sleep})
	if ok, err := c2.Allowed(ctx, srv.URL+"/no/x"); err != nil || ok {
		t.Fatalf("cached robots: %v %v", ok, err)
	}
	if robotsHits.Load() != 1 {
		t.Fatalf("robots.txt fetched %d times, want 1", robotsHits.Load())
	}
	// …and revalidates it once it is stale.
	clk.Sleep(ctx, 25*time.Hour)
	c3 := testClient(t, Options{Robots: cache, Now: clk.Now, Sleep: clk.Sleep})
	if ok, err := c3.Allowed(ctx, srv.URL+"/no/x"); err != nil || ok {
		t.Fatalf("revalidated robots: %v %v", ok, err)
	}
	if robots304.Load() != 1 {
		t.Errorf("robots revalidation 304s = %d, want 1", robots304.Load())
	}
}

func TestRetryAfterAndBackoff(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	srv := site(t, "", func(w http.ResponseWriter, r *http.Request) {
		switch n.Add(1) {
		case 1:
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusTooManyRequests)
		case 2:
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			fmt.Fprint(w, "<html>ok</html>")
		}
	})
	clk := newFakeClock()
	c := testClient(t, Options{Now: clk.Now, Sleep: clk.Sleep, Rand: func() float64 { return 1 }, Spacing: 100 * time.Millisecond})
	ctx := context.Background()
	_, err := c.Get(ctx, Request{URL: srv.URL + "/a"})
	var se *StatusError
	if !errors.As(err, &se) || se.Status != 429 || se.RetryAfter != 7*time.Second || !se.Temporary() {
		t.Fatalf("429: %v", err)
	}
	before := clk.slept()
	_, err = c.Get(ctx, Request{URL: srv.URL + "/a"})
	if !errors.As(err, &se) || se.Status != 503 {
		t.Fatalf("503: %v", err)
	}
	if d := clk.slept() - before; d < 7*time.Second {
		t.Errorf("waited %v after Retry-After: 7", d)
	}
	before = clk.slept()
	if _, err := c.Get(ctx, Request{URL: srv.URL + "/a"}); err != nil {
		t.Fatal(err)
	}
	if d := clk.slept() - before; d < 900*time.Millisecond {
		t.Errorf("waited %v after a 503, want the ≥ 1 s back-off", d)
	}
	// With MaxWait the caller is told to come back instead of waiting.
	release, err := c.hosts.acquire(ctx, strings.TrimPrefix(srv.URL, "http://"), 0)
	if err != nil {
		t.Fatal(err)
	}
	release(outcome{retryAfter: time.Minute})
	_, err = c.Get(ctx, Request{URL: srv.URL + "/a", MaxWait: time.Second})
	var be *BusyError
	if !errors.As(err, &be) || be.RetryIn < 59*time.Second {
		t.Errorf("MaxWait: %v", err)
	}
	if got := parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", time.Date(2015, 10, 21, 7, 27, 0, 0, time.UTC)); got != time.Minute {
		t.Errorf("HTTP-date Retry-After = %v", got)
	}
}

func TestOneRequestPerHost(t *testing.T) {
	t.Parallel()
	var cur, peak atomic.Int32
	srv := site(t, "", func(w http.ResponseWriter, r *http.Request) {
		v := cur.Add(1)
		for {
			p := peak.Load()
			if v <= p || peak.CompareAndSwap(p, v) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
		cur.Add(-1)
		fmt.Fprint(w, "<html>ok</html>")
	})
	c := testClient(t, Options{})
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Go(func() {
			if _, err := c.Get(context.Background(), Request{URL: fmt.Sprintf("%s/p%d", srv.URL, i)}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if peak.Load() != 1 {
		t.Errorf("peak concurrency %d, want 1", peak.Load())
	}
}

func gzipped(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func TestBodiesAndCaps(t *testing.T) {
	t.Parallel()
	page := []byte("<!DOCTYPE html><html><body>" + strings.Repeat("خبر ", 200) + "</body></html>")
	bomb := gzipped(t, make([]byte, 50<<20)) // 50 MiB of zeros, ~50 KiB on the wire
	var zl, raw bytes.Buffer
	zw := zlib.NewWriter(&zl)
	zw.Write(page)
	zw.Close()
	fw, _ := flate.NewWriter(&raw, flate.BestSpeed)
	fw.Write(page)
	fw.Close()
	srv := site(t, "", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/gzip":
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(gzipped(t, page))
		case "/zlib":
			w.Header().Set("Content-Encoding", "deflate")
			w.Write(zl.Bytes())
		case "/rawdeflate":
			w.Header().Set("Content-Encoding", "deflate")
			w.Write(raw.Bytes())
		case "/bomb":
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Type", "text/html")
			w.Write(bomb)
		case "/huge":
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Length", "100000000")
			w.Write([]byte("<html>"))
		case "/chunked":
			w.Header().Set("Content-Type", "text/html")
			for range 300 {
				w.Write(make([]byte, 4096))
				w.(http.Flusher).Flush()
			}
		case "/slow":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html>"))
			w.(http.Flusher).Flush()
			select {
			case <-time.After(3 * time.Second):
			case <-r.Context().Done():
			}
		case "/pdf":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("%PDF-1.4 binary"))
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/br":
			w.Header().Set("Content-Encoding", "br")
			w.Write([]byte("xx"))
		}
	})
	c := testClient(t, Options{MaxBytes: 1 << 20, MaxWireBytes: 512 << 10, Timeout: 300 * time.Millisecond})
	ctx := context.Background()
	for _, p := range []string{"/gzip", "/zlib", "/rawdeflate"} {
		r, err := c.Get(ctx, Request{URL: srv.URL + p})
		if err != nil || !bytes.Equal(r.Body, page) || r.Kind != KindHTML {
			t.Errorf("%s: %v, %d bytes, kind %v", p, err, len(r.Body), r.Kind)
		}
	}
	for p, want := range map[string]error{"/bomb": ErrTooLarge, "/huge": ErrTooLarge, "/chunked": ErrTooLarge,
		"/loop": ErrTooManyRedirects, "/br": ErrUnsupported, "/slow": context.DeadlineExceeded} {
		start := time.Now()
		_, err := c.Get(ctx, Request{URL: srv.URL + p})
		if !errors.Is(err, want) {
			t.Errorf("%s: err %v, want %v", p, err, want)
		}
		if time.Since(start) > 2*time.Second {
			t.Errorf("%s took %v", p, time.Since(start))
		}
	}
	r, err := c.Get(ctx, Request{URL: srv.URL + "/pdf"})
	if err != nil || r.Kind != KindOther {
		t.Errorf("pdf served as html: %v %v", err, r)
	}
}

func TestSniff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ct, body string
		want     Kind
	}{
		{"text/html; charset=windows-1256", "<html>", KindHTML},
		{"text/html", `<?xml version="1.0"?><rss>`, KindXML},
		{"application/rss+xml", "<rss>", KindXML},
		{"application/atom+xml", "<feed>", KindXML},
		{"application/feed+json", "{}", KindJSON},
		{"", "\xef\xbb\xbf<?xml version='1.0'?><urlset>", KindXML},
		{"text/plain", "<rss version='2.0'>", KindXML},
		{"application/octet-stream", "<!DOCTYPE html><p>", KindHTML},
		{"image/jpeg", "\xff\xd8\xff\xe0", KindOther},
		{"text/html", "\x89PNG\r\n", KindOther},
		{"text/plain", "User-agent: *", KindText},
		{"", "\x00\x01\x02binary", KindOther},
	}
	for _, tt := range tests {
		if got := Sniff(tt.ct, []byte(tt.body)); got != tt.want {
			t.Errorf("Sniff(%q, %q) = %v, want %v", tt.ct, tt.body, got, tt.want)
		}
	}
}

// TestSharedBudget: two clients sharing one Budget (as two processes share
// the database's) never have two requests in flight to a host, and keep the
// spacing between them.
func TestSharedBudget(t *testing.T) {
	t.Parallel()
	var (
		mu      sync.Mutex
		cur     int
		peak    int
		starts  []time.Time
		ends    []time.Time
		spacing = 30 * time.Millisecond
	)
	srv := site(t, "", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		cur++
		peak = max(peak, cur)
		starts = append(starts, time.Now())
		mu.Unlock()
		time.Sleep(3 * time.Millisecond)
		mu.Lock()
		cur--
		ends = append(ends, time.Now())
		mu.Unlock()
		fmt.Fprint(w, "<html>ok</html>")
	})
	budget := NewMemoryBudget()
	var statuses sync.Map
	clients := []*Client{
		testClient(t, Options{Budget: budget, Owner: "a", Spacing: spacing}),
		testClient(t, Options{Budget: budget, Owner: "b", Spacing: spacing,
			Observe: func(s string) { statuses.Store(s, true) }}),
	}
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() {
			if _, err := clients[i%2].Get(context.Background(), Request{URL: fmt.Sprintf("%s/p%d", srv.URL, i)}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if peak != 1 {
		t.Errorf("peak concurrency %d across two clients, want 1", peak)
	}
	for i := 1; i < len(starts); i++ {
		// Each start comes a spacing after the previous request ended.
		if gap := starts[i].Sub(ends[i-1]); gap < spacing-2*time.Millisecond {
			t.Errorf("request %d started %v after the previous ended, want ≥ %v", i, gap, spacing)
		}
	}
	if _, ok := statuses.Load("200"); !ok {
		t.Error("Observe did not see a 200")
	}
}
