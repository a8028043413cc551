// Package pgtest gives tests a PostgreSQL database of their own: a fresh
// schema in the test database, dropped at cleanup. Tests skip with a clear
// message when PostgreSQL is unreachable, unless MARSAD_TEST_POSTGRES names
// a database (CI), in which case it must work.
package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/marsad/marsad/internal/store/postgres"
)

// Default is the local test database.
const Default = "postgres://127.0.0.1:5432/test?sslmode=disable"

// DSN returns the test database: $MARSAD_TEST_POSTGRES, else Default,
// skipping the test when Default is unreachable.
func DSN(tb testing.TB) string {
	tb.Helper()
	if d := os.Getenv("MARSAD_TEST_POSTGRES"); d != "" {
		return d
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, Default)
	if err != nil {
		tb.Skipf("skipping PostgreSQL tests: %s unreachable (%v); set MARSAD_TEST_POSTGRES to a DSN to run them", Default, err)
	}
	conn.Close(ctx)
	return Default
}

var seq atomic.Int64

// Schema creates an empty schema and returns a DSN whose search_path
// selects it (every connection made from it, in this process or a child,
// works there). The schema is dropped at cleanup.
func Schema(tb testing.TB) string {
	tb.Helper()
	ctx := context.Background()
	d := DSN(tb)
	schema := fmt.Sprintf("marsad_test_%d_%d", os.Getpid(), seq.Add(1))
	conn, err := pgx.Connect(ctx, d)
	if err != nil {
		tb.Fatalf("connect %s: %v", d, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE; CREATE SCHEMA "+schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), d)
		if err == nil {
			c.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+schema+" CASCADE")
			c.Close(context.Background())
		}
	})
	u, err := url.Parse(d)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open returns a fresh, migrated store in a schema of its own.
func Open(tb testing.TB) *postgres.Store {
	tb.Helper()
	ctx := context.Background()
	s, err := postgres.Open(ctx, Schema(tb), postgres.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	// Registered after Schema's cleanup, so it runs first: the pool closes
	// before the schema is dropped.
	tb.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	return s
}
