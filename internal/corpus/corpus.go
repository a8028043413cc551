// Package corpus loads the SaudiNewsNet evaluation corpus and replicates it
// into larger synthetic archives (×10 = 310k articles) for benchmarks: each
// replica k shifts every date by k times the corpus span and moves every URL
// to its own path prefix, so replicas are distinct articles with the same
// text statistics.
package corpus

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"time"

	"github.com/marsad/marsad/internal/ingest"
	"github.com/marsad/marsad/internal/news"
)

// Load reads an import-line file (.jsonl or .jsonl.gz) into memory, skipping
// bad lines.
func Load(ctx context.Context, path string) ([]news.Article, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	defer f.Close()
	r, err := ingest.Decompress(f)
	if err != nil {
		return nil, fmt.Errorf("corpus: %s: %w", path, err)
	}
	var out []news.Article
	err = ingest.ReadLines(ctx, r, time.UTC, func(it ingest.Item) error {
		if it.Err == nil {
			out = append(out, it.Article)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("corpus: %s: %w", path, err)
	}
	return out, nil
}

// Span is the time the articles cover (last minus first), rounded up to a day.
func Span(arts []news.Article) time.Duration {
	var lo, hi time.Time
	for _, a := range arts {
		w := a.When()
		if w.IsZero() {
			continue
		}
		if lo.IsZero() || w.Before(lo) {
			lo = w
		}
		if w.After(hi) {
			hi = w
		}
	}
	return (hi.Sub(lo)/(24*time.Hour) + 1) * 24 * time.Hour
}

// Replica returns copy k of a (k = 0 is a itself): dates shifted by k×span,
// URL path prefixed with "/r{k}". IDs, story and original links are cleared.
func Replica(a news.Article, k int, span time.Duration) news.Article {
	if k == 0 {
		return a
	}
	shift := time.Duration(k) * span
	if !a.Published.IsZero() {
		a.Published = a.Published.Add(shift)
	}
	if !a.Modified.IsZero() {
		a.Modified = a.Modified.Add(shift)
	}
	if !a.FetchedAt.IsZero() {
		a.FetchedAt = a.FetchedAt.Add(shift)
	}
	if u, err := url.Parse(a.URL); err == nil {
		u.Path = fmt.Sprintf("/r%d%s", k, u.Path)
		u.RawPath = ""
		a.URL = u.String()
	}
	a.ID, a.StoryID, a.OriginalID = 0, 0, 0
	return a
}

// Replicate returns n replicas of arts in time order (replica 0 first).
func Replicate(arts []news.Article, n int) []news.Article {
	span := Span(arts)
	out := make([]news.Article, 0, len(arts)*n)
	for k := range n {
		for _, a := range arts {
			out = append(out, Replica(a, k, span))
		}
	}
	return out
}
