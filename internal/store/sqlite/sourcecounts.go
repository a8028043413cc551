package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/marsad/marsad/internal/store"
)

// SourceCounts implements store.SourceCounter.
func (s *Store) SourceCounts(ctx context.Context) ([]store.SourceCount, error) {
	rows, err := s.query(ctx, "SourceCounts")
	if err != nil {
		return nil, fmt.Errorf("sqlite: source counts: %w", err)
	}
	defer rows.Close()
	out := []store.SourceCount{}
	for rows.Next() {
		var c store.SourceCount
		var newest int64
		if err := rows.Scan(&c.SourceID, &c.Articles, &newest); err != nil {
			return nil, fmt.Errorf("sqlite: source counts: %w", err)
		}
		c.Newest = time.Unix(newest, 0).UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}
