package sqlite_test

import (
	"context"
	"database/sql"
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

// TestConformanceBulk runs the suite in a bulk load (BeginBulk): the search
// index without merges finds the same.
func TestConformanceBulk(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) store.Store {
		s := open(0)(t)
		if err := s.(*sqlite.Store).BeginBulk(context.Background()); err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// TestBulkAutomerge: BeginBulk turns the search index's merges off until
// Optimize, and a writer's start (Migrate) turns them back on when a bulk
// load stopped before Optimize.
func TestBulkAutomerge(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "marsad.db")
	automerge := func() int {
		t.Helper()
		db, err := sql.Open("sqlite", "file:"+path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var n int
		if err := db.QueryRowContext(ctx, `SELECT v FROM articles_fts_config WHERE k = 'automerge'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	openAt := func() *sqlite.Store {
		t.Helper()
		s, err := sqlite.Open(ctx, path, sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := openAt()
	for _, step := range []struct {
		name string
		fn   func(context.Context) error
		want int
	}{{"BeginBulk", s.BeginBulk, 0}, {"Optimize", s.Optimize, 4}, {"BeginBulk again", s.BeginBulk, 0}} {
		if err := step.fn(ctx); err != nil {
			t.Fatal(err)
		}
		if got := automerge(); got != step.want {
			t.Errorf("after %s: automerge %d, want %d", step.name, got, step.want)
		}
	}
	s.Close()
	openAt().Close()
	if got := automerge(); got != 4 {
		t.Errorf("after a restart: automerge %d, want 4", got)
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
