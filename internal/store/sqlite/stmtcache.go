package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"sync"
)

// stmtCache keeps statements prepared on the write pool's one connection
// across transactions. A copy transaction (one per batch) ran its
// statements hundreds of times but prepared them anew each time: the
// candidate query has one subquery per key, and preparing its forms (up
// to 64 keys: about 3 ms each) and re-preparing them on their first step
// took 2.2 of an import's 33 CPU-seconds on the critical path.
//
// A statement cannot be prepared on the pool while a transaction holds
// its only connection, so a statement first seen inside a transaction is
// prepared there and noted; the next transaction prepares the noted ones
// on the pool before it begins, and then uses them through Tx.StmtContext,
// which reuses a statement already prepared on the transaction's
// connection.
type stmtCache struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
	want  map[string]string // key → query, to prepare before the next transaction
}

func newStmtCache() *stmtCache {
	return &stmtCache{stmts: map[string]*sql.Stmt{}, want: map[string]string{}}
}

// prepare prepares the statements noted since the last call on db. It must
// not be called while this goroutine holds db's connection; it does not
// hold the cache's lock while it waits for the connection, which another
// goroutine's transaction may hold while it looks statements up.
func (c *stmtCache) prepare(ctx context.Context, db *sql.DB) error {
	c.mu.Lock()
	want := maps.Clone(c.want)
	c.mu.Unlock()
	for key, query := range want {
		st, err := db.PrepareContext(ctx, query)
		if err != nil {
			return fmt.Errorf("prepare %s: %w", key, err)
		}
		c.keep(key, st)
	}
	return nil
}

// keep stores st for key and returns it, unless a statement for key was
// stored meanwhile (prepared by another transaction's turn or another
// reader): then st is closed and that one returned.
func (c *stmtCache) keep(key string, st *sql.Stmt) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.want, key)
	if old := c.stmts[key]; old != nil {
		st.Close()
		return old
	}
	c.stmts[key] = st
	return st
}

// get returns the statement prepared for key, or nil.
func (c *stmtCache) get(key string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stmts[key]
}

// note records query, first seen inside a transaction, to be prepared
// before the next one.
func (c *stmtCache) note(key, query string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.stmts[key]; !ok {
		c.want[key] = query
	}
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for key, st := range c.stmts {
		errs = append(errs, st.Close())
		delete(c.stmts, key)
	}
	return errors.Join(errs...)
}

// readStmt returns the named query prepared on the read pool. database/sql
// prepares a query string anew on every call: for the page of articles a
// search shows that was about a quarter of the read's time. A *sql.Stmt is
// safe for concurrent use and is prepared once on each pool connection
// that runs it.
func (s *Store) readStmt(ctx context.Context, name string) (*sql.Stmt, error) {
	if st := s.reads.get(name); st != nil {
		return st, nil
	}
	st, err := s.r.PrepareContext(ctx, s.q.Get(name))
	if err != nil {
		return nil, fmt.Errorf("prepare %s: %w", name, err)
	}
	return s.reads.keep(name, st), nil
}

// query runs the named query on the read pool.
func (s *Store) query(ctx context.Context, name string, args ...any) (*sql.Rows, error) {
	st, err := s.readStmt(ctx, name)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// queryRow runs the named query on the read pool for one row. When the
// statement cannot be prepared, the query runs unprepared, so its error
// reaches the caller through the row.
func (s *Store) queryRow(ctx context.Context, name string, args ...any) *sql.Row {
	st, err := s.readStmt(ctx, name)
	if err != nil {
		return s.r.QueryRowContext(ctx, s.q.Get(name), args...)
	}
	return st.QueryRowContext(ctx, args...)
}
