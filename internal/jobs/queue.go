package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
)

// Queue is the database River keeps the jobs in: the SQLite store's write
// pool (the embedded default) or the PostgreSQL store's pool (scale-out).
// River's client is generic over its driver's transaction type; everything
// marsad does with it goes through riverClient, so the crawl has one code
// path for both.
type Queue struct {
	name      string
	exec      riverdriver.Executor
	newClient func(cfg *river.Config) (riverClient, error)
	migrate   func(ctx context.Context, log *slog.Logger) error
}

// riverClient is the part of *river.Client[TTx] the crawl uses.
type riverClient interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
	InsertMany(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
	JobList(ctx context.Context, params *river.JobListParams) (*river.JobListResult, error)
}

func newClient[TTx any](d riverdriver.Driver[TTx]) func(*river.Config) (riverClient, error) {
	return func(cfg *river.Config) (riverClient, error) { return river.NewClient(d, cfg) }
}

// SQLiteQueue keeps jobs in a SQLite database through the store's single
// write connection (River's riversqlite driver).
func SQLiteQueue(db *sql.DB) Queue {
	d := riversqlite.New(db)
	return Queue{name: "sqlite", exec: d.GetExecutor(), newClient: newClient(d),
		migrate: func(ctx context.Context, log *slog.Logger) error {
			// SQLite writers are serialised by the database itself
			// (BEGIN IMMEDIATE), so concurrent starters cannot race.
			m, err := rivermigrate.New(d, &rivermigrate.Config{Logger: quiet(log)})
			if err != nil {
				return err
			}
			_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
			return err
		}}
}

// riverMigrationLock is the advisory lock key that serialises River's
// migrations between processes starting at once ("river" in ASCII).
const riverMigrationLock = 0x7269766572000000

// PostgresQueue keeps jobs in PostgreSQL through the store's pool (River's
// riverpgxv5 driver), in the schema the pool's search_path selects.
func PostgresQueue(pool *pgxpool.Pool) Queue {
	d := riverpgxv5.New(pool)
	return Queue{name: "postgres", exec: d.GetExecutor(), newClient: newClient(d),
		migrate: func(ctx context.Context, log *slog.Logger) error {
			m, err := rivermigrate.New(d, &rivermigrate.Config{Logger: quiet(log)})
			if err != nil {
				return err
			}
			// River's migrator takes no lock; many workers starting at once
			// would race to create the same tables. A session advisory lock,
			// held on a connection of its own while River migrates on
			// others, makes the next starter wait and then find nothing to
			// do. (Not one transaction: River's migrations add an enum value
			// and use it, which PostgreSQL refuses within one.)
			conn, err := pool.Acquire(ctx)
			if err != nil {
				return err
			}
			defer conn.Release()
			if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(riverMigrationLock)); err != nil {
				return err
			}
			defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(riverMigrationLock))
			_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
			return err
		}}
}

// Migrate creates or upgrades River's own tables with River's migrator.
// River versions its schema itself (river_migration); marsad's store
// migrations do not duplicate it, so a River upgrade is River's business.
func Migrate(ctx context.Context, q Queue, log *slog.Logger) error {
	if q.migrate == nil {
		return fmt.Errorf("jobs: migrate: no queue database")
	}
	if err := q.migrate(ctx, log); err != nil {
		return fmt.Errorf("jobs: migrate river (%s): %w", q.name, err)
	}
	return nil
}

// Count returns how many jobs are in state (all kinds), for metrics.
func (q Queue) Count(ctx context.Context, state rivertype.JobState) (int, error) {
	if q.exec == nil {
		return 0, fmt.Errorf("jobs: count: no queue database")
	}
	n, err := q.exec.JobCountByState(ctx, &riverdriver.JobCountByStateParams{State: state})
	if err != nil {
		return 0, fmt.Errorf("jobs: count %s jobs: %w", state, err)
	}
	return n, nil
}
