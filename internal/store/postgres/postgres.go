// Package postgres is marsad's scale-out store: PostgreSQL through pgx v5,
// shared by many workers and servers. It implements the same store.Store
// as the SQLite default and passes the same conformance suite. SQL lives in
// queries/*.sql and migrations/*.sql.
//
// Search uses a tsvector built in Go from internal/arabic's terms (never
// PostgreSQL's parser or its Snowball "arabic" stemmer) and ranks with the
// BM25 formula SQLite's FTS5 uses, so both stores order results alike.
package postgres

import (
	"context"
	"embed"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/store/sqlfile"
)

//go:embed migrations/*.sql queries/*.sql
var files embed.FS

// Options configure Open.
type Options struct {
	Logger *slog.Logger
	// Now is the clock for FetchedAt/UpdatedAt; time.Now when nil.
	Now func() time.Time
	// Schema, when set, is used as the search_path (tests isolate themselves
	// in a schema each).
	Schema string
}

// Store is the PostgreSQL implementation of store.Store.
type Store struct {
	pool *pgxpool.Pool
	q    sqlfile.Queries
	log  *slog.Logger
	now  func() time.Time
}

var _ store.Store = (*Store)(nil)

// Open connects to the database at dsn (a postgres:// URL). It does not
// migrate; call Migrate.
func Open(ctx context.Context, dsn string, opt Options) (*Store, error) {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	q, err := loadQueries()
	if err != nil {
		return nil, err
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if opt.Schema != "" {
		cfg.ConnConfig.RuntimeParams["search_path"] = opt.Schema
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = "marsad"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	return &Store{pool: pool, q: q, log: opt.Logger, now: opt.Now}, nil
}

func loadQueries() (sqlfile.Queries, error) {
	q, err := sqlfile.Load(files, "queries/*.sql")
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	vars, err := q.ArticleColumns()
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	q.Expand(vars)
	return q, nil
}

// Pool exposes the connection pool for components sharing the database
// (the job queue).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Optimize merges the search index's pending entries into the index and
// refreshes the planner's statistics; worth running after bulk loads.
func (s *Store) Optimize(ctx context.Context) error {
	for _, q := range []string{"CleanPendingList", "AnalyzeArticles"} {
		if _, err := s.pool.Exec(ctx, s.q.Get(q)); err != nil {
			return fmt.Errorf("postgres: optimize: %w", err)
		}
	}
	return nil
}

// BeginBulk implements app.BulkLoader: PostgreSQL has nothing to put off
// (the GIN index's pending list is cleaned by Optimize either way).
func (s *Store) BeginBulk(context.Context) error { return nil }

// Ping implements store.Store.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	return nil
}

// Close implements store.Store.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// migrationLock is the advisory lock key that serialises migrations when
// many workers start at once ("marsad" in ASCII).
const migrationLock = 0x6d61727361640000

// Migrate applies every embedded migration not yet applied, in file-name
// order, under an advisory lock so concurrent starters do not race.
func (s *Store) Migrate(ctx context.Context) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(migrationLock)); err != nil {
		return fmt.Errorf("postgres: migrate: lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(migrationLock))
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)`); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	entries, err := files.ReadDir("migrations")
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	for _, e := range entries {
		if err := s.applyMigration(ctx, conn.Conn(), e.Name()); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) applyMigration(ctx context.Context, conn *pgx.Conn, name string) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrate %s: %w", name, err)
	}
	defer tx.Rollback(ctx)
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM schema_migrations WHERE name = $1`, name).Scan(&n); err != nil {
		return fmt.Errorf("postgres: migrate %s: %w", name, err)
	}
	if n > 0 {
		return nil
	}
	body, err := files.ReadFile("migrations/" + name)
	if err != nil {
		return fmt.Errorf("postgres: migrate %s: %w", name, err)
	}
	if _, err := tx.Exec(ctx, string(body)); err != nil {
		return fmt.Errorf("postgres: migrate %s: %w", name, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)`, name, s.now()); err != nil {
		return fmt.Errorf("postgres: migrate %s: %w", name, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: migrate %s: %w", name, err)
	}
	s.log.Info("applied migration", "name", name)
	return nil
}

// args builds a positional argument list: add returns the placeholder.
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// nullTime converts a time to a nullable column value.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

func fromNull(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

var errNotFound = news.ErrNotFound
