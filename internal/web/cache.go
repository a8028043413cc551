package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/marsad/marsad/internal/httpx"
)

// pageCache keeps rendered pages for a short TTL ("micro-caching"): a
// popular page is rendered once per TTL however many readers ask, and the
// store is not queried for each of them. A page past its TTL is served
// while one background render replaces it (stale-while-revalidate, up to
// staleFactor × TTL old), so readers of a busy page never wait for a
// render. Staleness bounded by time works across processes (a worker
// elsewhere writing articles needs no invalidation message). Concurrent
// misses of one page wait for a single render. Only 200 answers are kept;
// the key includes the reader's settings (the page variant) and the full
// request URI.
type pageCache struct {
	ttl time.Duration
	max int
	now func() time.Time

	mu      sync.Mutex
	entries map[string]*cachedPage
	flight  map[string]*renderCall
}

type cachedPage struct {
	body        []byte
	gz          []byte // body gzipped once per render; served to clients that accept it
	contentType string
	etag        string
	at          time.Time
}

// gzipped compresses a page for the cache; a page is compressed once and
// served many times, so mobile readers get a fifth of the bytes for free.
func gzipped(body []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	zw.Write(body)
	zw.Close()
	return buf.Bytes()
}

type renderCall struct {
	done chan struct{}
	rec  *recorder
	page *cachedPage // nil when the render was not a 200
}

func newPageCache(ttl time.Duration, max int, now func() time.Time) *pageCache {
	return &pageCache{ttl: ttl, max: max, now: now, entries: map[string]*cachedPage{}, flight: map[string]*renderCall{}}
}

// cached wraps a page handler. Without a TTL it is the handler itself.
func (s *Server) cached(h http.HandlerFunc) http.HandlerFunc {
	c := s.cache
	if c == nil || c.ttl <= 0 {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request) {
		key := prefsKey(prefsOf(r)) + " " + r.URL.RequestURI()
		p, fresh := c.get(key)
		if p != nil {
			if !fresh {
				// Stale but recent: answer at once and re-render in the
				// background, so no reader waits for a render.
				c.start(key, h, r, true)
			}
			c.serve(w, r, p)
			return
		}
		call, leader := c.start(key, h, r, false)
		<-call.done
		switch {
		case call.page != nil:
			c.serve(w, r, call.page)
		case leader:
			// Not cacheable (an error page): send what was rendered.
			for k, v := range call.rec.header {
				w.Header()[k] = v
			}
			w.WriteHeader(call.rec.status)
			if r.Method != http.MethodHead {
				w.Write(call.rec.body.Bytes())
			}
		default:
			h(w, r) // the leader's answer was not cacheable: render our own
		}
	}
}

// start renders key unless a render of it is running; it returns the
// render to wait for and whether this call started it. In the background
// the render outlives the request that triggered it (bounded by a timeout).
func (c *pageCache) start(key string, h http.HandlerFunc, r *http.Request, background bool) (*renderCall, bool) {
	c.mu.Lock()
	if call, ok := c.flight[key]; ok {
		c.mu.Unlock()
		return call, false
	}
	call := &renderCall{done: make(chan struct{}), rec: &recorder{header: http.Header{}, status: http.StatusOK}}
	c.flight[key] = call
	c.mu.Unlock()

	ctx := r.Context()
	cancel := func() {}
	if background {
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	}
	// Render as for a fresh client, so the cache gets the body, not a 304.
	fresh := r.Clone(ctx)
	fresh.Header.Del("If-None-Match")
	fresh.Method = http.MethodGet
	render := func() {
		defer cancel()
		defer func() {
			c.mu.Lock()
			delete(c.flight, key)
			c.mu.Unlock()
			close(call.done)
		}()
		h(call.rec, fresh)
		if call.rec.status == http.StatusOK {
			body := bytes.Clone(call.rec.body.Bytes())
			call.page = &cachedPage{body: body, gz: gzipped(body), contentType: call.rec.header.Get("Content-Type"),
				etag: call.rec.header.Get("ETag"), at: c.now()}
			c.put(key, call.page)
		}
	}
	if background {
		go render()
	} else {
		render()
	}
	return call, true
}

// get returns the cached page and whether it is within the TTL. A page
// past it is still returned for staleFactor TTLs (served while it is
// re-rendered); an older one is not: a rarely read page is rendered anew.
func (c *pageCache) get(key string) (*cachedPage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.entries[key]
	if p == nil {
		return nil, false
	}
	age := c.now().Sub(p.at)
	if age >= staleFactor*c.ttl {
		return nil, false
	}
	return p, age < c.ttl
}

// staleFactor bounds how old a served page can be: staleFactor × TTL.
const staleFactor = 5

func (c *pageCache) put(key string, p *cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.max {
		now := c.now()
		for k, e := range c.entries {
			if now.Sub(e.at) >= staleFactor*c.ttl {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= c.max {
			clear(c.entries) // all fresh: a burst of distinct URLs; start over
		}
	}
	c.entries[key] = p
}

func (c *pageCache) serve(w http.ResponseWriter, r *http.Request, p *cachedPage) {
	h := w.Header()
	h.Add("Vary", "Cookie, Accept-Encoding")
	body, etag := p.body, p.etag
	if acceptsGzip(r) {
		// The gzipped bytes are another representation: another strong ETag.
		body, etag = p.gz, strings.TrimSuffix(p.etag, `"`)+`-gz"`
		h.Set("Content-Encoding", "gzip")
	}
	if p.etag != "" {
		h.Set("ETag", etag)
		// Same policy as httpx.Write: revalidate, cheaply.
		h.Set("Cache-Control", "no-cache")
		if httpx.Match(r.Header.Get("If-None-Match"), etag) {
			h.Set("Content-Type", p.contentType)
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	h.Set("Content-Type", p.contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// recorder captures one render.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
	wrote  bool
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.body.Write(b)
}
