package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
)

func claim(t *testing.T, s store.Store, host, owner, holder string, now time.Time) store.HostTurn {
	t.Helper()
	turn, err := s.ClaimHost(context.Background(), store.HostClaim{Host: host, Owner: owner, Holder: holder,
		Now: now, Lease: 30 * time.Second})
	if err != nil {
		t.Fatalf("ClaimHost(%s, %s): %v", host, holder, err)
	}
	return turn
}

func release(t *testing.T, s store.Store, host, holder string, next time.Time, failures int) {
	t.Helper()
	if err := s.ReleaseHost(context.Background(), store.HostRelease{Host: host, Holder: holder, Next: next,
		Failures: failures}); err != nil {
		t.Fatalf("ReleaseHost(%s, %s): %v", host, holder, err)
	}
}

// testHostBudget walks one host through claims, refusals, releases and a
// lapsed lease.
func testHostBudget(t *testing.T, s store.Store) {
	const h = "okaz.example"
	if turn := claim(t, s, h, "p1", "p1#1", t0); !turn.Granted || turn.Failures != 0 || !turn.NextAt.IsZero() {
		t.Fatalf("first claim: %+v", turn)
	}
	// Held: refused with the holder's lease end, whoever asks.
	if turn := claim(t, s, h, "p2", "p2#1", t0.Add(time.Second)); turn.Granted || !turn.HeldUntil.Equal(t0.Add(30*time.Second)) {
		t.Errorf("claim while held: %+v", turn)
	}
	// Another host is independent.
	if turn := claim(t, s, "sabq.example", "p2", "p2#2", t0); !turn.Granted {
		t.Errorf("other host: %+v", turn)
	}
	// A release by someone else's holder changes nothing.
	release(t, s, h, "p2#1", t0, 0)
	if turn := claim(t, s, h, "p2", "p2#3", t0.Add(2*time.Second)); turn.Granted {
		t.Errorf("released by a stranger: %+v", turn)
	}
	next := t0.Add(3500 * time.Millisecond)
	release(t, s, h, "p1#1", next, 2)
	turn := claim(t, s, h, "p2", "p2#4", t0.Add(3*time.Second))
	if turn.Granted || !turn.NextAt.Equal(next) || !turn.HeldUntil.IsZero() || turn.Failures != 2 {
		t.Errorf("claim before the next slot: %+v, want refused until %v", turn, next)
	}
	turn = claim(t, s, h, "p2", "p2#5", next)
	if !turn.Granted || turn.Failures != 2 {
		t.Fatalf("claim at the next slot: %+v", turn)
	}
	// The next slot never moves earlier (a Retry-After set by one process
	// survives another's ordinary release).
	release(t, s, h, "p2#5", t0, 0)
	if turn := claim(t, s, h, "p3", "p3#1", next.Add(-time.Millisecond)); turn.Granted || !turn.NextAt.Equal(next) {
		t.Errorf("next slot moved earlier: %+v", turn)
	}
	// A lapsed lease frees the host (its holder died mid-request).
	if turn := claim(t, s, h, "p3", "p3#2", next); !turn.Granted {
		t.Fatalf("claim: %+v", turn)
	}
	if turn := claim(t, s, h, "p4", "p4#1", next.Add(30*time.Second)); !turn.Granted {
		t.Errorf("claim after the lease lapsed: %+v", turn)
	}
	// The late release of the lapsed holder does not free the new one's turn.
	release(t, s, h, "p3#2", next, 0)
	if turn := claim(t, s, h, "p5", "p5#1", next.Add(31*time.Second)); turn.Granted {
		t.Errorf("stale release freed the host: %+v", turn)
	}
	if _, err := s.ClaimHost(context.Background(), store.HostClaim{Holder: "x"}); !errors.Is(err, news.ErrInvalid) {
		t.Errorf("empty host: %v", err)
	}
}

// testReleaseHostsOf frees the hosts of a stopped process, and only those.
func testReleaseHostsOf(t *testing.T, s store.Store) {
	ctx := context.Background()
	for i, h := range []string{"a.example", "b.example", "c.example"} {
		owner := "dead"
		if i == 2 {
			owner = "live"
		}
		if turn := claim(t, s, h, owner, fmt.Sprintf("%s#%d", owner, i), t0); !turn.Granted {
			t.Fatalf("claim %s: %+v", h, turn)
		}
	}
	n, err := s.ReleaseHostsOf(ctx, "dead", t0.Add(5*time.Second))
	if err != nil || n != 2 {
		t.Fatalf("ReleaseHostsOf = %d, %v; want 2", n, err)
	}
	if turn := claim(t, s, "a.example", "p", "p#1", t0.Add(time.Second)); turn.Granted || !turn.NextAt.Equal(t0.Add(5*time.Second)) ||
		!turn.HeldUntil.IsZero() {
		t.Errorf("released host before its pause: %+v", turn)
	}
	if turn := claim(t, s, "b.example", "p", "p#2", t0.Add(5*time.Second)); !turn.Granted {
		t.Errorf("released host: %+v", turn)
	}
	if turn := claim(t, s, "c.example", "p", "p#3", t0.Add(5*time.Second)); turn.Granted {
		t.Errorf("a live process's host was released: %+v", turn)
	}
	if n, err := s.ReleaseHostsOf(ctx, "", t0); err != nil || n != 0 {
		t.Errorf("empty owner released %d, %v", n, err)
	}
}

// testConcurrentClaims races many claimers (as many processes would) over
// a few hosts: never two turns of one host at once, and every claimer gets
// its turns.
func testConcurrentClaims(t *testing.T, s store.Store) {
	ctx := context.Background()
	hosts := []string{"h1.example", "h2.example", "h3.example"}
	inFlight := make([]atomic.Int32, len(hosts))
	var granted atomic.Int32
	var wg sync.WaitGroup
	errc := make(chan error, 64)
	const claimers, turnsEach = 8, 5
	for c := range claimers {
		wg.Go(func() {
			deadline := time.Now().Add(30 * time.Second)
			for turn := 0; turn < turnsEach; {
				if time.Now().After(deadline) {
					errc <- fmt.Errorf("claimer %d: %d turns in 30 s", c, turn)
					return
				}
				i := (c + turn) % len(hosts)
				holder := fmt.Sprintf("c%d#%d", c, turn)
				got, err := s.ClaimHost(ctx, store.HostClaim{Host: hosts[i], Owner: fmt.Sprint("c", c), Holder: holder,
					Now: time.Now(), Lease: time.Minute})
				if err != nil {
					errc <- err
					return
				}
				if !got.Granted {
					time.Sleep(time.Millisecond)
					continue
				}
				if n := inFlight[i].Add(1); n != 1 {
					errc <- fmt.Errorf("%s: %d turns at once", hosts[i], n)
				}
				granted.Add(1)
				time.Sleep(2 * time.Millisecond)
				inFlight[i].Add(-1)
				if err := s.ReleaseHost(ctx, store.HostRelease{Host: hosts[i], Holder: holder, Next: time.Now()}); err != nil {
					errc <- err
					return
				}
				turn++
			}
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
	if g := granted.Load(); g != claimers*turnsEach {
		t.Errorf("%d turns granted, want %d", g, claimers*turnsEach)
	}
}
