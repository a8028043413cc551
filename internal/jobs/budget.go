package jobs

import (
	"context"

	"github.com/marsad/marsad/internal/fetch"
	"github.com/marsad/marsad/internal/store"
)

// HostBudget keeps the fetcher's per-host politeness budget in the store,
// so every process crawling the database (workers on many machines, or
// serve and crawl --once on one SQLite file) takes turns at each host
// together: one request in flight, spacing, Crawl-delay and back-off hold
// across them.
func HostBudget(s store.Store) fetch.Budget { return hostBudget{s} }

type hostBudget struct{ s store.Store }

func (b hostBudget) Claim(ctx context.Context, c fetch.Claim) (fetch.Turn, error) {
	t, err := b.s.ClaimHost(ctx, store.HostClaim(c))
	return fetch.Turn(t), err
}

func (b hostBudget) Release(ctx context.Context, r fetch.Release) error {
	return b.s.ReleaseHost(ctx, store.HostRelease(r))
}
