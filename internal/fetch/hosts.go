package fetch

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
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

// hosts is the per-host budget: at most one request in flight per host, a
// minimum spacing between the end of one request and the start of the next
// (the larger of the client's spacing and the site's Crawl-delay), and a
// back-off after failures, 429 and 503 (honouring Retry-After).
type hosts struct {
	mu      sync.Mutex
	m       map[string]*hostState
	now     func() time.Time
	sleep   func(context.Context, time.Duration) error
	spacing time.Duration
	// maxBackoff bounds the failure back-off.
	maxBackoff time.Duration
	rand       func() float64
}

type hostState struct {
	busy     bool
	next     time.Time     // earliest next start
	wake     chan struct{} // closed when busy ends
	waiting  int
	delay    time.Duration // Crawl-delay, when larger than spacing
	failures int
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
	h.mu.Lock()
	s := h.state(host)
	s.waiting++
	defer func() {
		h.mu.Lock()
		s.waiting--
		h.mu.Unlock()
	}()
	var deadline time.Time
	if maxWait > 0 {
		deadline = h.now().Add(maxWait)
	}
	for {
		now := h.now()
		gap := max(h.spacing, s.delay)
		if !s.busy && !now.Before(s.next) {
			s.busy = true
			h.mu.Unlock()
			return func(o outcome) { h.release(host, o) }, nil
		}
		if s.busy {
			if !deadline.IsZero() {
				// Expected wait: the one in flight plus those queued ahead.
				est := time.Duration(s.waiting) * max(gap, 100*time.Millisecond)
				if now.Add(est).After(deadline) {
					h.mu.Unlock()
					return nil, &BusyError{Host: host, RetryIn: est}
				}
			}
			if s.wake == nil {
				s.wake = make(chan struct{})
			}
			wake := s.wake
			h.mu.Unlock()
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-wake:
			}
			h.mu.Lock()
			continue
		}
		wait := s.next.Sub(now)
		if !deadline.IsZero() && now.Add(wait).After(deadline) {
			h.mu.Unlock()
			return nil, &BusyError{Host: host, RetryIn: wait}
		}
		h.mu.Unlock()
		if err := h.sleep(ctx, wait); err != nil {
			return nil, err
		}
		h.mu.Lock()
	}
}

// outcome is what a finished request tells the budget.
type outcome struct {
	failed     bool          // network error or 5xx
	retryAfter time.Duration // from 429/503 Retry-After; 0 when none
}

func (h *hosts) release(host string, o outcome) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.state(host)
	now := h.now()
	next := now.Add(max(h.spacing, s.delay))
	if o.failed {
		s.failures++
		next = now.Add(h.backoff(s.failures))
	} else if o.retryAfter == 0 {
		s.failures = 0
	}
	if o.retryAfter > 0 {
		next = now.Add(max(o.retryAfter, max(h.spacing, s.delay)))
	}
	if next.After(s.next) {
		s.next = next
	}
	s.busy = false
	if s.wake != nil {
		close(s.wake)
		s.wake = nil
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

// setDelay records a site's Crawl-delay.
func (h *hosts) setDelay(host string, d time.Duration) {
	h.mu.Lock()
	h.state(host).delay = d
	h.mu.Unlock()
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
