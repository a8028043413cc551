package fetch

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// ErrHostBusy is returned by a fetch that would have to wait longer than the
// caller allowed for its turn at a host; see BusyError.RetryIn.
var ErrHostBusy = errors.New("host busy")

// BusyError says how long until the host is likely free.
type BusyError struct {
	Host    string
	RetryIn time.Duration
}

func (e *BusyError) Error() string {
	return fmt.Sprintf("fetch: %s busy, retry in %s", e.Host, e.RetryIn.Round(time.Millisecond))
}

func (e *BusyError) Unwrap() error { return ErrHostBusy }

// Budget keeps the per-host turn-taking state: who holds a host's turn (one
// request in flight), when its next request may start, and its run of
// failures. The default keeps it in this process; a Budget over the
// database (jobs.HostBudget) shares it between every process crawling that
// database, on one machine or many. The client computes the spacing and
// back-off; a Budget only stores them, atomically.
type Budget interface {
	// Claim takes c.Host's turn if nobody holds it (or the holder's lease
	// lapsed) and its next slot is not after c.Now.
	Claim(ctx context.Context, c Claim) (Turn, error)
	// Release ends r.Holder's turn, setting the host's next slot (never
	// earlier than already set) and failure count.
	Release(ctx context.Context, r Release) error
}

// Claim asks for a host's turn; the turn lapses at Now+Lease if never
// released. Its fields are store.HostClaim's.
type Claim struct {
	Host          string
	Owner, Holder string
	Now           time.Time
	Lease         time.Duration
}

// Turn is a claim's outcome: granted, or when the host is likely free
// (NextAt, or HeldUntil while another request is in flight).
type Turn struct {
	Granted   bool
	NextAt    time.Time
	HeldUntil time.Time
	Failures  int
}

// Release ends a turn.
type Release struct {
	Host, Holder string
	Next         time.Time
	Failures     int
}

// hosts is the per-host budget: at most one request in flight per host, a
// minimum spacing between the end of one request and the start of the next
// (the larger of the client's spacing and the site's Crawl-delay), and a
// back-off after failures, 429 and 503 (honouring Retry-After).
//
// Two layers: the Budget holds the shared state (in the database when
// several processes crawl), and a local turn per host lets only one of this
// process's goroutines talk to the Budget for a host at a time, so waiting
// goroutines sleep on a channel instead of polling the database.
type hosts struct {
	mu      sync.Mutex
	m       map[string]*hostState
	budget  Budget
	owner   string
	tag     string
	seq     atomic.Int64
	lease   time.Duration
	now     func() time.Time
	sleep   func(context.Context, time.Duration) error
	spacing time.Duration
	// maxBackoff bounds the failure back-off.
	maxBackoff time.Duration
	rand       func() float64
	onError    func(host string, err error)
}

type hostState struct {
	busy    bool          // a goroutine of this process holds the local turn
	wake    chan struct{} // closed when busy ends
	waiting int
	delay   time.Duration // Crawl-delay, when larger than spacing
}

func (h *hosts) state(host string) *hostState {
	s := h.m[host]
	if s == nil {
		s = &hostState{}
		h.m[host] = s
	}
	return s
}

// acquire waits for host's turn. maxWait > 0 bounds the wait: a longer
// expected wait returns a *BusyError at once, so a job queue can put the job
// back instead of holding a worker.
func (h *hosts) acquire(ctx context.Context, host string, maxWait time.Duration) (func(outcome), error) {
	var deadline time.Time
	if maxWait > 0 {
		deadline = h.now().Add(maxWait)
	}
	gap, err := h.local(ctx, host, deadline)
	if err != nil {
		return nil, err
	}
	holder := h.owner + "#" + h.tag + "." + strconv.FormatInt(h.seq.Add(1), 10)
	for {
		now := h.now()
		turn, err := h.budget.Claim(ctx, Claim{Host: host, Owner: h.owner, Holder: holder, Now: now, Lease: h.lease})
		if err != nil {
			h.unlock(host)
			return nil, fmt.Errorf("fetch: host budget: %w", err)
		}
		if turn.Granted {
			return func(o outcome) { h.release(host, holder, turn.Failures, o) }, nil
		}
		at := turn.NextAt
		if turn.HeldUntil.After(now) {
			// Another process has a request in flight; when it ends, the
			// host's next slot is at least a gap later.
			at = now.Add(gap)
		}
		wait := max(at.Sub(now), 5*time.Millisecond)
		if !deadline.IsZero() && now.Add(wait).After(deadline) {
			h.unlock(host)
			return nil, &BusyError{Host: host, RetryIn: wait}
		}
		if err := h.sleep(ctx, wait); err != nil {
			h.unlock(host)
			return nil, err
		}
	}
}

// local takes this process's turn at host (one goroutine per host talks
// to the Budget) and returns the host's gap.
func (h *hosts) local(ctx context.Context, host string, deadline time.Time) (time.Duration, error) {
	h.mu.Lock()
	s := h.state(host)
	s.waiting++
	defer func() {
		h.mu.Lock()
		s.waiting--
		h.mu.Unlock()
	}()
	for s.busy {
		gap := max(h.spacing, s.delay)
		if !deadline.IsZero() {
			// Expected wait: the one in flight plus those queued ahead.
			est := time.Duration(s.waiting) * max(gap, 100*time.Millisecond)
			if h.now().Add(est).After(deadline) {
				h.mu.Unlock()
				return 0, &BusyError{Host: host, RetryIn: est}
			}
		}
		if s.wake == nil {
			s.wake = make(chan struct{})
		}
		wake := s.wake
		h.mu.Unlock()
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-wake:
		}
		h.mu.Lock()
	}
	s.busy = true
	gap := max(h.spacing, s.delay)
	h.mu.Unlock()
	return gap, nil
}

// unlock ends this process's local turn at host.
func (h *hosts) unlock(host string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.state(host)
	s.busy = false
	if s.wake != nil {
		close(s.wake)
		s.wake = nil
	}
}

// outcome is what a finished request tells the budget.
type outcome struct {
	failed     bool          // network error or 5xx
	retryAfter time.Duration // from 429/503 Retry-After; 0 when none
}

// release ends a turn: the host's next slot is a gap after now, or later
// after a failure (back-off) or a Retry-After.
func (h *hosts) release(host, holder string, failures int, o outcome) {
	defer h.unlock(host)
	h.mu.Lock()
	gap := max(h.spacing, h.state(host).delay)
	h.mu.Unlock()
	now := h.now()
	next := now.Add(gap)
	if o.failed {
		failures++
		next = now.Add(h.backoff(failures))
	} else if o.retryAfter == 0 {
		failures = 0
	}
	if o.retryAfter > 0 {
		next = now.Add(max(o.retryAfter, gap))
	}
	// The release must happen even when the request's context was
	// cancelled; if it fails, the turn lapses with its lease.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.budget.Release(ctx, Release{Host: host, Holder: holder, Next: next, Failures: failures}); err != nil && h.onError != nil {
		h.onError(host, err)
	}
}

// backoff is exponential with full jitter in [d/2, d], d = spacing·2^n,
// capped at maxBackoff.
func (h *hosts) backoff(failures int) time.Duration {
	d := max(h.spacing, time.Second)
	for i := 1; i < failures && d < h.maxBackoff; i++ {
		d *= 2
	}
	d = min(d, h.maxBackoff)
	return d/2 + time.Duration(h.rand()*float64(d/2))
}

// setDelay records a site's Crawl-delay. Every process reads robots.txt
// (from the shared cache or the site) before its first request to a host,
// so each knows the delay without it being in the Budget.
func (h *hosts) setDelay(host string, d time.Duration) {
	h.mu.Lock()
	h.state(host).delay = d
	h.mu.Unlock()
}

// memBudget is the Budget of a single process.
type memBudget struct {
	mu sync.Mutex
	m  map[string]*memHost
}

type memHost struct {
	holder    string
	leaseEnd  time.Time
	next      time.Time
	failures  int
	hasHolder bool
}

// NewMemoryBudget returns a Budget kept in this process's memory: enough
// for one process; several processes need one in their shared database.
func NewMemoryBudget() Budget { return &memBudget{m: map[string]*memHost{}} }

func (b *memBudget) Claim(_ context.Context, c Claim) (Turn, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.m[c.Host]
	if s == nil {
		s = &memHost{}
		b.m[c.Host] = s
	}
	held := s.hasHolder && s.leaseEnd.After(c.Now)
	if held || s.next.After(c.Now) {
		t := Turn{NextAt: s.next, Failures: s.failures}
		if held {
			t.HeldUntil = s.leaseEnd
		}
		return t, nil
	}
	s.holder, s.hasHolder, s.leaseEnd = c.Holder, true, c.Now.Add(c.Lease)
	return Turn{Granted: true, NextAt: s.next, Failures: s.failures}, nil
}

func (b *memBudget) Release(_ context.Context, r Release) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.m[r.Host]
	if s == nil || !s.hasHolder || s.holder != r.Holder {
		return nil
	}
	s.hasHolder, s.holder = false, ""
	if r.Next.After(s.next) {
		s.next = r.Next
	}
	s.failures = r.Failures
	return nil
}

func defaultRand() float64 { return rand.Float64() }

// sleepCtx sleeps for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
