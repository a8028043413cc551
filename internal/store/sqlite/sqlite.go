// Package sqlite is marsad's default store: one embedded SQLite file (pure Go,
// modernc.org/sqlite), WAL mode, FTS5 for search. SQL lives in queries/*.sql
// and migrations/*.sql.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"runtime"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

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
}

// Store is the SQLite implementation of store.Store.
type Store struct {
	// SQLite allows one writer at a time; a single-connection pool for writes
	// queues them in Go instead of failing with SQLITE_BUSY, while reads use
	// their own pool and run concurrently under WAL.
	w, r *sql.DB
	q    sqlfile.Queries
	log  *slog.Logger
	now  func() time.Time
	// mergeAt: see recentBuckets.
	mergeAt int
	// copyStmts keeps the copy transaction's statements prepared on the
	// write connection from one transaction to the next.
	copyStmts *stmtCache
	// reads keeps the read pool's named statements prepared (readStmt).
	reads *stmtCache
}

var _ store.Store = (*Store)(nil)

// Open opens (creating if needed) the database file at path. It does not
// migrate; call Migrate.
func Open(ctx context.Context, path string, opt Options) (*Store, error) {
	if path == "" {
		return nil, fmt.Errorf("sqlite: empty database path: %w", news.ErrInvalid)
	}
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
	w, err := openPool(ctx, path, 1, false)
	if err != nil {
		return nil, err
	}
	r, err := openPool(ctx, path, max(4, runtime.GOMAXPROCS(0)), true)
	if err != nil {
		w.Close()
		return nil, err
	}
	return &Store{w: w, r: r, q: q, log: opt.Logger, now: opt.Now, mergeAt: recentBuckets, copyStmts: newStmtCache(), reads: newStmtCache()}, nil
}

// cacheKiB is each connection's page cache. serve's startup loads read
// every article, filling the cache of each connection they use: at 32 MB
// each (4 readers and the writer) that was about 180 MB of serve's
// resident memory at 310k articles. Reads of single articles are no slower
// with 8 MB (the OS's file cache holds the database; docs/benchmarks.md).
const cacheKiB = 8000

func openPool(ctx context.Context, path string, conns int, readOnly bool) (*sql.DB, error) {
	v := url.Values{}
	for _, p := range []string{
		"busy_timeout(10000)",
		"journal_mode(WAL)",
		"synchronous(NORMAL)",
		"foreign_keys(1)",
		"temp_store(MEMORY)",
		fmt.Sprintf("cache_size(-%d)", cacheKiB),
	} {
		v.Add("_pragma", p)
	}
	if readOnly {
		v.Add("_pragma", "query_only(1)")
	} else {
		// Take the write lock at BEGIN so a read-then-write transaction never
		// fails half-way on lock upgrade.
		v.Set("_txlock", "immediate")
	}
	dsn := "file:" + path + "?" + v.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxIdleTime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return db, nil
}

func loadQueries() (sqlfile.Queries, error) {
	q, err := sqlfile.Load(files, "queries/*.sql")
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	vars, err := q.ArticleColumns()
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	vars["scols"] = q.List("SourceColumns")
	q.Expand(vars)
	return q, nil
}

// Ping implements store.Store.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.r.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	return nil
}

// Close closes both pools.
func (s *Store) Close() error {
	return errors.Join(s.copyStmts.close(), s.reads.close(), s.r.Close(), s.w.Close())
}

// DB exposes the write pool for components that share the database (the
// job queue). Callers must not hold it across long operations.
func (s *Store) DB() *sql.DB { return s.w }

// FTS5's automerge (segments per level that start a merge during writes;
// FTS5's default) and the writer's WAL checkpoint size in pages (SQLite's
// default), and what a bulk load uses instead: no merges, as Optimize
// merges every segment once at the end (FTS5 still merges a level that
// reaches 16 segments), and a 64 MB WAL, checkpointed a sixteenth as often.
const (
	ftsAutomerge      = 4
	walCheckpoint     = 1000
	bulkWALCheckpoint = 16000
)

// BeginBulk implements app.BulkLoader. An import of 31k articles spent a
// sixth of its store time merging search-index segments that the final
// optimize merges again, and checkpointing the WAL. The settings last until
// Optimize; FTS5 keeps automerge in the database, so a bulk load that
// never reaches Optimize leaves it off, which Migrate (every writer's
// start) mends.
func (s *Store) BeginBulk(ctx context.Context) error {
	if err := s.setAutomerge(ctx, 0); err != nil {
		return err
	}
	if _, err := s.w.ExecContext(ctx, fmt.Sprintf("PRAGMA wal_autocheckpoint = %d", bulkWALCheckpoint)); err != nil {
		return fmt.Errorf("sqlite: bulk load: %w", err)
	}
	return nil
}

func (s *Store) setAutomerge(ctx context.Context, n int) error {
	if _, err := s.w.ExecContext(ctx, `INSERT INTO articles_fts(articles_fts, rank) VALUES ('automerge', ?)`, n); err != nil {
		return fmt.Errorf("sqlite: search index automerge: %w", err)
	}
	return nil
}

// Optimize merges the search index's segments; worth running after bulk
// loads. It ends BeginBulk's settings.
func (s *Store) Optimize(ctx context.Context) error {
	if err := s.setAutomerge(ctx, ftsAutomerge); err != nil {
		return err
	}
	if _, err := s.w.ExecContext(ctx, fmt.Sprintf("PRAGMA wal_autocheckpoint = %d", walCheckpoint)); err != nil {
		return fmt.Errorf("sqlite: optimize: %w", err)
	}
	if _, err := s.w.ExecContext(ctx, `INSERT INTO articles_fts(articles_fts) VALUES ('optimize')`); err != nil {
		return fmt.Errorf("sqlite: optimize: %w", err)
	}
	if _, err := s.w.ExecContext(ctx, `PRAGMA optimize`); err != nil {
		return fmt.Errorf("sqlite: optimize: %w", err)
	}
	return nil
}

// Migrate applies every embedded migration not yet applied, each in its own
// transaction, in file-name order.
func (s *Store) Migrate(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	entries, err := files.ReadDir("migrations")
	if err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	for _, e := range entries { // ReadDir sorts by name
		if err := s.applyMigration(ctx, e.Name()); err != nil {
			return err
		}
	}
	// A bulk load that stopped before Optimize left the search index's
	// merges off (BeginBulk).
	var automerge int
	err = s.w.QueryRowContext(ctx, `SELECT v FROM articles_fts_config WHERE k = 'automerge'`).Scan(&automerge)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("sqlite: migrate: %w", err)
	case automerge == 0:
		return s.setAutomerge(ctx, ftsAutomerge)
	}
	return nil
}

func (s *Store) applyMigration(ctx context.Context, name string) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: migrate %s: %w", name, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return fmt.Errorf("sqlite: migrate %s: %w", name, err)
	}
	if n > 0 {
		return nil
	}
	body, err := files.ReadFile("migrations/" + name)
	if err != nil {
		return fmt.Errorf("sqlite: migrate %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("sqlite: migrate %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`,
		name, s.now().Unix()); err != nil {
		return fmt.Errorf("sqlite: migrate %s: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: migrate %s: %w", name, err)
	}
	s.log.Info("applied migration", "name", name)
	return nil
}

// unix converts a time to a nullable column value.
func unix(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Unix()
}

// fromUnix is unix's inverse.
func fromUnix(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.Unix(v.Int64, 0).UTC()
}
