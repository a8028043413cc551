package postgres

import (
	"context"
	"fmt"

	"github.com/marsad/marsad/internal/store"
)

// SourceCounts implements store.SourceCounter.
func (s *Store) SourceCounts(ctx context.Context) ([]store.SourceCount, error) {
	rows, err := s.pool.Query(ctx, s.q.Get("SourceCounts"))
	if err != nil {
		return nil, fmt.Errorf("postgres: source counts: %w", err)
	}
	defer rows.Close()
	out := []store.SourceCount{}
	for rows.Next() {
		var c store.SourceCount
		if err := rows.Scan(&c.SourceID, &c.Articles, &c.Newest); err != nil {
			return nil, fmt.Errorf("postgres: source counts: %w", err)
		}
		c.Newest = c.Newest.UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}
