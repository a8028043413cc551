package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/store/sqlite"
	"github.com/marsad/marsad/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, open(0))
}

// TestConformanceMerged runs the suite with bucket rows merged into the
// main bucket table at once (1) or every few rows (3), so that lookups,
// limits and removals are checked over both tables.
func TestConformanceMerged(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 3} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			storetest.Run(t, open(n))
		})
	}
}

// open returns a store opener; mergeAt > 0 overrides the merge threshold.
func open(mergeAt int) func(t *testing.T) store.Store {
	return func(t *testing.T) store.Store {
		ctx := context.Background()
		s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "marsad.db"), sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if mergeAt > 0 {
			sqlite.SetMergeAt(s, mergeAt)
		}
		return s
	}
}
