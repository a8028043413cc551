package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
)

// ClaimHost implements store.Store. On SQLite the claim runs on the single
// write connection, so it is serialised with every other writer, including
// other processes on the same file (BEGIN IMMEDIATE).
func (s *Store) ClaimHost(ctx context.Context, c store.HostClaim) (store.HostTurn, error) {
	if c.Host == "" || c.Holder == "" {
		return store.HostTurn{}, fmt.Errorf("claim host: empty host or holder: %w", news.ErrInvalid)
	}
	now := c.Now.UnixMilli()
	var next int64
	var turn store.HostTurn
	err := s.w.QueryRowContext(ctx, s.q.Get("ClaimHost"), c.Host, c.Holder, c.Owner, c.Now.Add(c.Lease).UnixMilli(), now).
		Scan(&next, &turn.Failures)
	if err == nil {
		turn.Granted, turn.NextAt = true, fromMilli(next)
		return turn, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return store.HostTurn{}, fmt.Errorf("sqlite: claim host %s: %w", c.Host, err)
	}
	var lease int64
	if err := s.w.QueryRowContext(ctx, s.q.Get("HostState"), c.Host).Scan(&next, &lease, &turn.Failures); err != nil {
		return store.HostTurn{}, fmt.Errorf("sqlite: host %s: %w", c.Host, err)
	}
	turn.NextAt = fromMilli(next)
	if lease > now {
		turn.HeldUntil = fromMilli(lease)
	}
	return turn, nil
}

// ReleaseHost implements store.Store.
func (s *Store) ReleaseHost(ctx context.Context, r store.HostRelease) error {
	if _, err := s.w.ExecContext(ctx, s.q.Get("ReleaseHost"), r.Next.UnixMilli(), r.Failures, r.Host, r.Holder); err != nil {
		return fmt.Errorf("sqlite: release host %s: %w", r.Host, err)
	}
	return nil
}

// ReleaseHostsOf implements store.Store.
func (s *Store) ReleaseHostsOf(ctx context.Context, owner string, next time.Time) (int, error) {
	res, err := s.w.ExecContext(ctx, s.q.Get("ReleaseHostsOf"), next.UnixMilli(), owner)
	if err != nil {
		return 0, fmt.Errorf("sqlite: release hosts of %s: %w", owner, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// fromMilli reads a Unix-millisecond column; 0 is the zero time.
func fromMilli(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}
