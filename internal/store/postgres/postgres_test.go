package postgres_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/store/postgres"
	"github.com/marsad/marsad/internal/store/storetest"
)

// dsn returns the test database: $MARSAD_TEST_POSTGRES (then it must work),
// else the local default, skipping with a clear message when unreachable.
func dsn(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("MARSAD_TEST_POSTGRES"); d != "" {
		return d
	}
	const def = "postgres://127.0.0.1:5432/test?sslmode=disable"
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, def)
	if err != nil {
		t.Skipf("skipping PostgreSQL tests: %s unreachable (%v); set MARSAD_TEST_POSTGRES to a DSN to run them", def, err)
	}
	conn.Close(ctx)
	return def
}

var schemaSeq atomic.Int64

// Open returns a fresh, migrated store in a schema of its own, dropped at
// cleanup.
func Open(t *testing.T) *postgres.Store {
	t.Helper()
	ctx := context.Background()
	d := dsn(t)
	schema := fmt.Sprintf("marsad_test_%d_%d", os.Getpid(), schemaSeq.Add(1))
	conn, err := pgx.Connect(ctx, d)
	if err != nil {
		t.Fatalf("connect %s: %v", d, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE; CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	s, err := postgres.Open(ctx, d, postgres.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		c, err := pgx.Connect(context.Background(), d)
		if err == nil {
			c.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+schema+" CASCADE")
			c.Close(context.Background())
		}
	})
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) store.Store { return Open(t) })
}
