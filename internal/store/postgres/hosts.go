package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
)

// ClaimHost implements store.Store with one INSERT … ON CONFLICT DO UPDATE
// … WHERE … RETURNING: the conflicting row is locked, so of many processes
// claiming a host at once exactly one is granted.
func (s *Store) ClaimHost(ctx context.Context, c store.HostClaim) (store.HostTurn, error) {
	if c.Host == "" || c.Holder == "" {
		return store.HostTurn{}, fmt.Errorf("claim host: empty host or holder: %w", news.ErrInvalid)
	}
	now := c.Now.UTC().Truncate(time.Millisecond)
	var next time.Time
	var turn store.HostTurn
	err := s.pool.QueryRow(ctx, s.q.Get("ClaimHost"), c.Host, c.Holder, c.Owner, now.Add(c.Lease), now).
		Scan(&next, &turn.Failures)
	if err == nil {
		turn.Granted, turn.NextAt = true, fromEpoch(next)
		return turn, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return store.HostTurn{}, fmt.Errorf("postgres: claim host %s: %w", c.Host, err)
	}
	var lease time.Time
	if err := s.pool.QueryRow(ctx, s.q.Get("HostState"), c.Host).Scan(&next, &lease, &turn.Failures); err != nil {
		return store.HostTurn{}, fmt.Errorf("postgres: host %s: %w", c.Host, err)
	}
	turn.NextAt = fromEpoch(next)
	if lease.After(now) {
		turn.HeldUntil = lease.UTC()
	}
	return turn, nil
}

// ReleaseHost implements store.Store.
func (s *Store) ReleaseHost(ctx context.Context, r store.HostRelease) error {
	if _, err := s.pool.Exec(ctx, s.q.Get("ReleaseHost"), r.Next.UTC().Truncate(time.Millisecond), r.Failures,
		r.Host, r.Holder); err != nil {
		return fmt.Errorf("postgres: release host %s: %w", r.Host, err)
	}
	return nil
}

// ReleaseHostsOf implements store.Store.
func (s *Store) ReleaseHostsOf(ctx context.Context, owner string, next time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, s.q.Get("ReleaseHostsOf"), next.UTC().Truncate(time.Millisecond), owner)
	if err != nil {
		return 0, fmt.Errorf("postgres: release hosts of %s: %w", owner, err)
	}
	return int(tag.RowsAffected()), nil
}

// fromEpoch maps the 'epoch' default (never set) to the zero time.
func fromEpoch(t time.Time) time.Time {
	if t.Unix() == 0 {
		return time.Time{}
	}
	return t.UTC()
}
