package store

import (
	"context"
	"time"
)

// SourceCounter reports the articles table per source: every source that
// has articles, followed (in the sources table) or only imported.
type SourceCounter interface {
	// SourceCounts lists each source ID with articles, with their number
	// and the newest one's time (published, else fetched), by source ID.
	SourceCounts(ctx context.Context) ([]SourceCount, error)
}

// SourceCount is one source's share of the stored articles.
type SourceCount struct {
	SourceID string
	Articles int
	Newest   time.Time
}
