// Package fetch is marsad's one polite HTTP client. Every request it makes
// obeys robots.txt (cached per host, honoured for every page and redirect
// hop), a per-host budget (one request in flight, minimum spacing,
// Crawl-delay, Retry-After, exponential back-off with jitter), caps on body
// size, redirects and time, and an address policy that refuses private,
// loopback and metadata addresses after DNS resolution. Conditional GET
// validators go in with the request and come back with the response; the
// caller stores them once it has used the body.
package fetch

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Sentinel errors; test with errors.Is.
var (
	// ErrDisallowed: robots.txt forbids the URL.
	ErrDisallowed = errors.New("disallowed by robots.txt")
	// ErrTooLarge: the body exceeds the size cap (compressed or decompressed).
	ErrTooLarge = errors.New("response too large")
	// ErrTooManyRedirects: the redirect chain exceeds MaxRedirects.
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrUnsupported: not an http(s) URL, or a content type the caller cannot use.
	ErrUnsupported = errors.New("unsupported")
	// ErrStatus: an HTTP error status; see StatusError.
	ErrStatus = errors.New("http error status")
)

// StatusError is an HTTP status the client does not treat as success.
type StatusError struct {
	URL    string
	Status int
	// RetryAfter is the server's Retry-After (429, 503); 0 when absent.
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("fetch %s: HTTP %d %s", e.URL, e.Status, http.StatusText(e.Status))
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return s
}

func (e *StatusError) Unwrap() error { return ErrStatus }

// Temporary reports whether retrying later may succeed (5xx, 408, 429).
func (e *StatusError) Temporary() bool {
	return e.Status >= 500 || e.Status == http.StatusTooManyRequests || e.Status == http.StatusRequestTimeout
}

// Options configure a Client. Zero values take the defaults.
type Options struct {
	// UserAgent names marsad with a contact URL.
	UserAgent string
	// Agent is the product token matched against robots.txt groups.
	Agent string
	// Policy decides which IP addresses may be dialled; PublicOnly when nil.
	Policy AddrPolicy
	// Spacing is the minimum time between two requests to one host (1 s).
	Spacing time.Duration
	// MaxBackoff bounds a host's failure back-off (10 min).
	MaxBackoff time.Duration
	// Timeout bounds one request, body included (30 s).
	Timeout time.Duration
	// MaxBytes caps a decompressed body (10 MiB); MaxWireBytes the bytes read
	// from the network (5 MiB).
	MaxBytes, MaxWireBytes int64
	// MaxRedirects bounds a redirect chain (5).
	MaxRedirects int
	// RobotsTTL is how long a robots.txt is trusted before it is checked
	// again (24 h, the RFC 9309 ceiling).
	RobotsTTL time.Duration
	// Robots persists robots.txt bodies between runs; optional.
	Robots RobotsCache
	// Budget holds the per-host politeness state; NewMemoryBudget() when
	// nil. Processes that crawl together share one (in their database).
	Budget Budget
	// Owner names this process in the Budget (its job-runner ID), so the
	// turns of a process that died can be handed back; unique per process.
	Owner string
	// Observe, if set, is told the outcome of every request: its HTTP
	// status as a number, or "error" (metrics).
	Observe func(status string)
	Logger  *slog.Logger
	// Now and Sleep are the clock; tests replace them.
	Now   func() time.Time
	Sleep func(context.Context, time.Duration) error
	// Rand returns a float in [0, 1) for jitter.
	Rand func() float64
}

// DefaultUserAgent names marsad and where to learn about it.
const DefaultUserAgent = "marsad/0.1 (+https://github.com/marsad/marsad; Arabic news aggregator)"

// RobotsCache stores robots.txt files across runs so a restart does not
// refetch them all.
type RobotsCache interface {
	LoadRobots(ctx context.Context, robotsURL string) (CachedRobots, bool, error)
	SaveRobots(ctx context.Context, robotsURL string, r CachedRobots) error
}

// CachedRobots is a stored robots.txt response.
type CachedRobots struct {
	Status       int
	Body         []byte
	ETag         string
	LastModified string
	Fetched      time.Time
}

// Client is safe for concurrent use.
type Client struct {
	opt    Options
	http   *http.Client
	hosts  *hosts
	log    *slog.Logger
	robMu  sync.Mutex
	robots map[string]*robotsEntry
}

type robotsEntry struct {
	mu      sync.Mutex // one fetch per host at a time
	r       *Robots
	expires time.Time
	cached  CachedRobots
}

// New returns a client.
func New(opt Options) *Client {
	if opt.UserAgent == "" {
		opt.UserAgent = DefaultUserAgent
	}
	if opt.Agent == "" {
		opt.Agent = "marsad"
	}
	if opt.Policy == nil {
		opt.Policy = PublicOnly
	}
	if opt.Spacing == 0 {
		opt.Spacing = time.Second
	}
	if opt.MaxBackoff == 0 {
		opt.MaxBackoff = 10 * time.Minute
	}
	if opt.Timeout == 0 {
		opt.Timeout = 30 * time.Second
	}
	if opt.MaxBytes == 0 {
		opt.MaxBytes = 10 << 20
	}
	if opt.MaxWireBytes == 0 {
		opt.MaxWireBytes = 5 << 20
	}
	if opt.MaxRedirects == 0 {
		opt.MaxRedirects = 5
	}
	if opt.RobotsTTL == 0 {
		opt.RobotsTTL = 24 * time.Hour
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Sleep == nil {
		opt.Sleep = sleepCtx
	}
	if opt.Rand == nil {
		opt.Rand = defaultRand
	}
	if opt.Budget == nil {
		opt.Budget = NewMemoryBudget()
	}
	if opt.Owner == "" {
		opt.Owner = fmt.Sprintf("fetch:%d:%d", os.Getpid(), time.Now().UnixNano())
	}
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second, Control: opt.Policy.control}
	tr := &http.Transport{
		Proxy:                 nil, // a proxy would dial for us and bypass the address policy
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 20 * time.Second,
		IdleConnTimeout:       60 * time.Second,
		MaxIdleConnsPerHost:   2,
		DisableCompression:    true, // decompressed here, under the size cap
		ForceAttemptHTTP2:     true,
	}
	return &Client{
		opt: opt,
		http: &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // followed by Get, hop by hop
		}},
		// Holders are owner#tag.seq: the tag keeps two clients of one
		// process apart.
		hosts: &hosts{m: map[string]*hostState{}, budget: opt.Budget, owner: opt.Owner,
			tag: strconv.FormatUint(uint64(rand.Uint32()), 36),
			// A turn outlives its request only if the process dies mid-way.
			lease: opt.Timeout + 15*time.Second,
			now:   opt.Now, sleep: opt.Sleep, spacing: opt.Spacing, maxBackoff: opt.MaxBackoff, rand: opt.Rand,
			onError: func(host string, err error) {
				opt.Logger.Warn("releasing a host's turn; it lapses with its lease", "host", host, "err", err)
			}},
		log:    opt.Logger,
		robots: map[string]*robotsEntry{},
	}
}

// Request is one fetch.
type Request struct {
	URL string
	// ETag and LastModified from the previous response make it conditional.
	ETag, LastModified string
	// MaxWait > 0 returns a *BusyError instead of waiting longer than this
	// for the host's turn.
	MaxWait time.Duration
}

// Response is a fetched document.
type Response struct {
	// URL is the final URL after redirects.
	URL    string
	Status int
	// NotModified is a 304: Body is empty, the caller's copy is current.
	NotModified bool
	// Body is decompressed but not charset-decoded (see internal/charset).
	// For KindOther it may be only the first bytes: such bodies are never
	// parsed, so they are not downloaded in full.
	Body        []byte
	ContentType string
	Kind        Kind
	// ETag and LastModified are the validators to send next time.
	ETag, LastModified string
	// WireBytes counts bytes read from the network (compressed).
	WireBytes int64
	Elapsed   time.Duration
}

// Get fetches req.URL, following redirects hop by hop (each hop checked
// against robots.txt, the address policy and its own host's budget).
func (c *Client) Get(ctx context.Context, req Request) (*Response, error) {
	start := c.opt.Now()
	target := req.URL
	for hop := 0; ; hop++ {
		resp, next, err := c.once(ctx, target, req, hop == 0)
		if err != nil {
			return nil, err
		}
		if next == "" {
			resp.Elapsed = c.opt.Now().Sub(start)
			return resp, nil
		}
		if hop >= c.opt.MaxRedirects {
			return nil, fmt.Errorf("fetch %s: %w (%d)", req.URL, ErrTooManyRedirects, hop+1)
		}
		target = next
	}
}

// once makes one request; a redirect returns the next URL.
func (c *Client) once(ctx context.Context, rawURL string, req Request, first bool) (*Response, string, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, "", fmt.Errorf("fetch %q: not an absolute http(s) URL: %w", rawURL, ErrUnsupported)
	}
	u.Fragment = ""
	if err := c.opt.Policy.checkLiteral(u.String(), u.Hostname()); err != nil {
		return nil, "", err
	}
	rob, err := c.robotsFor(ctx, u)
	if err != nil {
		var re *RefusedError
		if errors.As(err, &re) {
			re.URL = u.String()
		}
		return nil, "", err
	}
	if !rob.Allowed(u.RequestURI()) {
		return nil, "", fmt.Errorf("fetch %s: %w", u, ErrDisallowed)
	}
	hreq, err := http.NewRequest(http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, "", fmt.Errorf("fetch %s: %w", u, err)
	}
	hreq.Header.Set("Accept-Encoding", "gzip, deflate")
	hreq.Header.Set("Accept", "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9,*/*;q=0.5")
	if first {
		if req.ETag != "" {
			hreq.Header.Set("If-None-Match", req.ETag)
		}
		if req.LastModified != "" {
			hreq.Header.Set("If-Modified-Since", req.LastModified)
		}
	}
	resp, err := c.do(ctx, hreq, req.MaxWait)
	if err != nil {
		return nil, "", err
	}
	if resp.Status >= 300 && resp.Status < 400 && resp.Status != http.StatusNotModified {
		loc := resp.location
		if loc == "" {
			return nil, "", fmt.Errorf("fetch %s: HTTP %d without Location: %w", u, resp.Status, ErrStatus)
		}
		next, err := u.Parse(loc)
		if err != nil {
			return nil, "", fmt.Errorf("fetch %s: bad redirect %q: %w", u, loc, ErrUnsupported)
		}
		return nil, next.String(), nil
	}
	return &resp.Response, "", nil
}

type rawResponse struct {
	Response
	location string
}

// do sends one request within the host's budget and reads the body under
// the caps.
func (c *Client) do(ctx context.Context, hreq *http.Request, maxWait time.Duration) (*rawResponse, error) {
	host := hreq.URL.Host
	release, err := c.hosts.acquire(ctx, host, maxWait)
	if err != nil {
		return nil, err
	}
	var o outcome
	status := "error"
	defer func() {
		release(o)
		if c.opt.Observe != nil {
			c.opt.Observe(status)
		}
	}()
	ctx, cancel := context.WithTimeout(ctx, c.opt.Timeout)
	defer cancel()
	hreq = hreq.WithContext(ctx)
	hreq.Header.Set("User-Agent", c.opt.UserAgent)
	resp, err := c.http.Do(hreq)
	if err != nil {
		o.failed = true
		var re *RefusedError
		if errors.As(err, &re) {
			re.URL = hreq.URL.String()
			return nil, re
		}
		return nil, fmt.Errorf("fetch %s: %w", hreq.URL, err)
	}
	defer resp.Body.Close()
	status = strconv.Itoa(resp.StatusCode)
	out := &rawResponse{Response: Response{
		URL: hreq.URL.String(), Status: resp.StatusCode,
		ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"),
		ContentType: resp.Header.Get("Content-Type"),
	}, location: resp.Header.Get("Location")}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		out.NotModified = true
		return out, nil
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return out, nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable:
		o.retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), c.opt.Now())
		if o.retryAfter == 0 {
			o.failed = true
		}
		return nil, &StatusError{URL: hreq.URL.String(), Status: resp.StatusCode, RetryAfter: o.retryAfter}
	case resp.StatusCode >= 500:
		o.failed = true
		return nil, &StatusError{URL: hreq.URL.String(), Status: resp.StatusCode}
	case resp.StatusCode >= 400:
		return nil, &StatusError{URL: hreq.URL.String(), Status: resp.StatusCode}
	}
	body, wire, err := c.readBody(resp)
	out.WireBytes = wire
	if err != nil {
		if !errors.Is(err, ErrTooLarge) {
			o.failed = true
		}
		return nil, fmt.Errorf("fetch %s: %w", hreq.URL, err)
	}
	out.Body = body
	out.Kind = Sniff(out.ContentType, body)
	return out, nil
}

// countingReader counts bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// readBody reads and decompresses under both caps.
func (c *Client) readBody(resp *http.Response) ([]byte, int64, error) {
	if resp.ContentLength > c.opt.MaxWireBytes {
		return nil, 0, fmt.Errorf("%w: Content-Length %d > %d", ErrTooLarge, resp.ContentLength, c.opt.MaxWireBytes)
	}
	wire := &countingReader{r: io.LimitReader(resp.Body, c.opt.MaxWireBytes+1)}
	var r io.Reader = wire
	switch enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(wire)
		if err != nil {
			return nil, wire.n, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		r = zr
	case "deflate":
		// "deflate" is meant to be zlib-wrapped but some servers send raw
		// DEFLATE; peek at the zlib header to tell.
		br := &peekReader{r: wire}
		hdr, _ := br.peek(2)
		if len(hdr) == 2 && hdr[0]&0x0f == 8 && (uint16(hdr[0])<<8|uint16(hdr[1]))%31 == 0 {
			zr, err := zlib.NewReader(br)
			if err != nil {
				return nil, wire.n, fmt.Errorf("deflate: %w", err)
			}
			defer zr.Close()
			r = zr
		} else {
			fr := flate.NewReader(br)
			defer fr.Close()
			r = fr
		}
	default:
		return nil, 0, fmt.Errorf("content encoding %q: %w", enc, ErrUnsupported)
	}
	lr := io.LimitReader(r, c.opt.MaxBytes+1)
	// The first bytes decide whether the body will ever be parsed: an image
	// or a PDF served as a news page is not, so the rest of it (possibly
	// hundreds of megabytes, up to the caps) is not downloaded either.
	head := make([]byte, sniffLen)
	n, herr := io.ReadFull(lr, head)
	head = head[:n]
	if herr == nil && Sniff(resp.Header.Get("Content-Type"), head) == KindOther {
		return head, wire.n, nil
	}
	rest, err := io.ReadAll(lr)
	if herr != nil && !errors.Is(herr, io.EOF) && !errors.Is(herr, io.ErrUnexpectedEOF) {
		err = herr
	}
	body := append(head, rest...)
	if wire.n > c.opt.MaxWireBytes {
		return nil, wire.n, fmt.Errorf("%w: more than %d bytes on the wire", ErrTooLarge, c.opt.MaxWireBytes)
	}
	if int64(len(body)) > c.opt.MaxBytes {
		return nil, wire.n, fmt.Errorf("%w: more than %d bytes decompressed", ErrTooLarge, c.opt.MaxBytes)
	}
	if err != nil {
		return nil, wire.n, fmt.Errorf("read body: %w", err)
	}
	return body, wire.n, nil
}

type peekReader struct {
	r   io.Reader
	buf []byte
}

func (p *peekReader) peek(n int) ([]byte, error) {
	b := make([]byte, n)
	m, err := io.ReadFull(p.r, b)
	p.buf = b[:m]
	return p.buf, err
}

func (p *peekReader) Read(b []byte) (int, error) {
	if len(p.buf) > 0 {
		n := copy(b, p.buf)
		p.buf = p.buf[n:]
		return n, nil
	}
	return p.r.Read(b)
}

// parseRetryAfter reads delay-seconds or an HTTP-date; 0 when absent or
// unparsable. It is capped at a day.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if n, err := strconv.Atoi(v); err == nil {
		d = time.Duration(n) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return max(0, min(d, 24*time.Hour))
}

// robotsFor returns the rules for u's host, fetching robots.txt when the
// cached copy is missing or stale. The robots request itself goes through
// the host budget like any other.
func (c *Client) robotsFor(ctx context.Context, u *url.URL) (*Robots, error) {
	key := u.Scheme + "://" + u.Host
	c.robMu.Lock()
	e := c.robots[key]
	if e == nil {
		e = &robotsEntry{}
		c.robots[key] = e
	}
	c.robMu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	now := c.opt.Now()
	if e.r != nil && now.Before(e.expires) {
		return e.r, nil
	}
	robotsURL := key + "/robots.txt"
	if e.r == nil && c.opt.Robots != nil {
		if cr, ok, err := c.opt.Robots.LoadRobots(ctx, robotsURL); err == nil && ok {
			e.cached = cr
			if now.Sub(cr.Fetched) < c.opt.RobotsTTL {
				e.r, e.expires = c.robotsFromStatus(cr.Status, cr.Body), cr.Fetched.Add(c.opt.RobotsTTL)
				c.hosts.setDelay(u.Host, e.r.Delay)
				return e.r, nil
			}
		}
	}
	r, cr, err := c.fetchRobots(ctx, robotsURL, e.cached)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		var re *RefusedError
		if errors.As(err, &re) {
			return nil, err
		}
		// Unreachable: assume complete disallow (RFC 9309 §2.3.1.4) and try
		// again in a few minutes.
		c.log.Warn("robots.txt unreachable; disallowing the host for now", "url", robotsURL, "err", err)
		e.r, e.expires = DisallowAllRobots(), now.Add(5*time.Minute)
		return e.r, nil
	}
	e.r, e.expires, e.cached = r, now.Add(c.opt.RobotsTTL), cr
	c.hosts.setDelay(u.Host, r.Delay)
	if c.opt.Robots != nil {
		if err := c.opt.Robots.SaveRobots(ctx, robotsURL, cr); err != nil {
			c.log.Warn("saving robots.txt", "url", robotsURL, "err", err)
		}
	}
	return r, nil
}

func (c *Client) robotsFromStatus(status int, body []byte) *Robots {
	switch {
	case status >= 200 && status < 300:
		return ParseRobots(body, c.opt.Agent)
	case status >= 400 && status < 500:
		return AllowAllRobots() // "unavailable": no restrictions (RFC 9309 §2.3.1.3)
	default:
		return DisallowAllRobots()
	}
}

// fetchRobots fetches robots.txt (conditionally when a copy is cached),
// following up to five redirects.
func (c *Client) fetchRobots(ctx context.Context, robotsURL string, prev CachedRobots) (*Robots, CachedRobots, error) {
	target := robotsURL
	for hop := 0; hop <= 5; hop++ {
		u, err := url.Parse(target)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return nil, prev, fmt.Errorf("robots %s: bad redirect: %w", robotsURL, ErrUnsupported)
		}
		if err := c.opt.Policy.checkLiteral(u.String(), u.Hostname()); err != nil {
			return nil, prev, err
		}
		hreq, err := http.NewRequest(http.MethodGet, u.String(), nil)
		if err != nil {
			return nil, prev, err
		}
		hreq.Header.Set("Accept-Encoding", "gzip, deflate")
		if hop == 0 && len(prev.Body) > 0 {
			if prev.ETag != "" {
				hreq.Header.Set("If-None-Match", prev.ETag)
			}
			if prev.LastModified != "" {
				hreq.Header.Set("If-Modified-Since", prev.LastModified)
			}
		}
		resp, err := c.do(ctx, hreq, 0)
		now := c.opt.Now()
		var se *StatusError
		switch {
		case errors.As(err, &se):
			cr := CachedRobots{Status: se.Status, Fetched: now}
			return c.robotsFromStatus(se.Status, nil), cr, nil
		case err != nil:
			return nil, prev, err
		case resp.NotModified:
			prev.Fetched = now
			return c.robotsFromStatus(prev.Status, prev.Body), prev, nil
		case resp.Status >= 300 && resp.Status < 400:
			next, err := u.Parse(resp.location)
			if err != nil || resp.location == "" {
				return AllowAllRobots(), CachedRobots{Status: 404, Fetched: now}, nil
			}
			target = next.String()
			continue
		}
		body := resp.Body
		if resp.Kind == KindHTML || resp.Kind == KindOther {
			// A soft-404 HTML page or an image is not a robots.txt.
			return AllowAllRobots(), CachedRobots{Status: 404, Fetched: now}, nil
		}
		cr := CachedRobots{Status: resp.Status, Body: bytes.Clone(body), ETag: resp.ETag,
			LastModified: resp.LastModified, Fetched: now}
		return ParseRobots(body, c.opt.Agent), cr, nil
	}
	// RFC 9309: more than five redirects may be treated as unavailable.
	return AllowAllRobots(), CachedRobots{Status: 404, Fetched: c.opt.Now()}, nil
}

// Gap is the time the client keeps between two requests to host
// (host:port): its spacing, or the site's Crawl-delay when larger and
// known.
func (c *Client) Gap(host string) time.Duration {
	c.hosts.mu.Lock()
	defer c.hosts.mu.Unlock()
	if s := c.hosts.m[host]; s != nil {
		return max(c.hosts.spacing, s.delay)
	}
	return c.hosts.spacing
}

// Allowed reports whether robots.txt lets the client fetch rawURL (fetching
// robots.txt if needed).
func (c *Client) Allowed(ctx context.Context, rawURL string) (bool, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return false, fmt.Errorf("fetch %q: not an absolute http(s) URL: %w", rawURL, ErrUnsupported)
	}
	r, err := c.robotsFor(ctx, u)
	if err != nil {
		return false, err
	}
	return r.Allowed(u.RequestURI()), nil
}
