package web

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/marsad/marsad/internal/httpx"
)

// pageCache keeps rendered pages for a short TTL ("micro-caching"): a
// popular page is rendered once per TTL however many readers ask, and the
// store is not queried for each of them. Pages are at most TTL stale,
// which works across processes (a worker elsewhere writing articles needs
// no invalidation message). Concurrent misses of one page wait for a
// single render. Only 200 answers are kept; the key includes the reader's
// settings (the page variant) and the full request URI.
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
		if p := c.get(key); p != nil {
			c.serve(w, r, p)
			return
		}
		c.mu.Lock()
		if call, ok := c.flight[key]; ok {
			c.mu.Unlock()
			<-call.done
			if call.page != nil {
				c.serve(w, r, call.page)
			} else {
				h(w, r) // the leader's answer was not cacheable: render our own
			}
			return
		}
		call := &renderCall{done: make(chan struct{})}
		c.flight[key] = call
		c.mu.Unlock()

		rec := &recorder{header: http.Header{}, status: http.StatusOK}
		// Render as for a fresh client, so the cache gets the body, not a 304.
		fresh := r.Clone(r.Context())
		fresh.Header.Del("If-None-Match")
		fresh.Method = http.MethodGet
		func() {
			defer func() {
				c.mu.Lock()
				delete(c.flight, key)
				c.mu.Unlock()
				close(call.done)
			}()
			h(rec, fresh)
			if rec.status == http.StatusOK {
				body := bytes.Clone(rec.body.Bytes())
				call.page = &cachedPage{body: body, gz: gzipped(body), contentType: rec.header.Get("Content-Type"),
					etag: rec.header.Get("ETag"), at: c.now()}
				c.put(key, call.page)
			}
		}()
		if call.page != nil {
			c.serve(w, r, call.page)
			return
		}
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.status)
		if r.Method != http.MethodHead {
			w.Write(rec.body.Bytes())
		}
	}
}

func (c *pageCache) get(key string) *cachedPage {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.entries[key]
	if p == nil || c.now().Sub(p.at) >= c.ttl {
		return nil
	}
	return p
}

func (c *pageCache) put(key string, p *cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.max {
		now := c.now()
		for k, e := range c.entries {
			if now.Sub(e.at) >= c.ttl {
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
