package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/urlnorm"
)

// UpsertSource implements store.Store.
func (s *Store) UpsertSource(ctx context.Context, src news.Source) (bool, error) {
	if strings.TrimSpace(src.ID) == "" || len(src.FeedURLs) == 0 {
		return false, fmt.Errorf("source %q: needs an id and a feed URL: %w", src.ID, news.ErrInvalid)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("sqlite: upsert source: %w", err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, s.q.Get("SourceExists"), src.ID).Scan(&n); err != nil {
		return false, fmt.Errorf("sqlite: upsert source %s: %w", src.ID, err)
	}
	now := s.now().UTC()
	if _, err := tx.ExecContext(ctx, s.q.Get("UpsertSource"), src.ID, src.Name, src.HomeURL,
		strings.Join(src.FeedURLs, "\n"), src.Host, src.Lang, now.Unix(), unix(src.Status.NextDue)); err != nil {
		return false, fmt.Errorf("sqlite: upsert source %s: %w", src.ID, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("sqlite: upsert source %s: %w", src.ID, err)
	}
	return n == 0, nil
}

func scanSource(r rowScanner) (news.Source, error) {
	var (
		src                                      news.Source
		feeds                                    string
		lastFetch, lastSuccess, nextDue, lastNew sql.NullInt64
		latencyMS, intervalS                     int64
	)
	err := r.Scan(&src.ID, &src.Name, &src.HomeURL, &feeds, &src.Host, &src.Lang, &lastFetch, &lastSuccess,
		&src.Status.LastError, &src.Status.Failures, &nextDue, &src.Status.ArticlesFound, &latencyMS, &intervalS, &lastNew)
	if err != nil {
		return news.Source{}, err
	}
	if feeds != "" {
		src.FeedURLs = strings.Split(feeds, "\n")
	}
	src.Status.LastFetch, src.Status.LastSuccess = fromUnix(lastFetch), fromUnix(lastSuccess)
	src.Status.NextDue, src.Status.LastNew = fromUnix(nextDue), fromUnix(lastNew)
	src.Status.LastLatency = time.Duration(latencyMS) * time.Millisecond
	src.Status.Interval = time.Duration(intervalS) * time.Second
	return src, nil
}

// Source implements store.Store.
func (s *Store) Source(ctx context.Context, id string) (news.Source, error) {
	src, err := scanSource(s.queryRow(ctx, "SourceByID", id))
	if errors.Is(err, sql.ErrNoRows) {
		return news.Source{}, fmt.Errorf("source %q: %w", id, news.ErrNotFound)
	}
	if err != nil {
		return news.Source{}, fmt.Errorf("sqlite: source %s: %w", id, err)
	}
	return src, nil
}

// Sources implements store.Store.
func (s *Store) Sources(ctx context.Context) ([]news.Source, error) {
	return s.listSources(ctx, "ListSources")
}

// DueSources implements store.Store.
func (s *Store) DueSources(ctx context.Context, now time.Time, limit int) ([]news.Source, error) {
	return s.listSources(ctx, "DueSources", now.Unix(), max(1, limit))
}

func (s *Store) listSources(ctx context.Context, query string, args ...any) ([]news.Source, error) {
	rows, err := s.r.QueryContext(ctx, s.q.Get(query), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: sources: %w", err)
	}
	defer rows.Close()
	var out []news.Source
	for rows.Next() {
		src, err := scanSource(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: read source: %w", err)
		}
		out = append(out, src)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: sources: %w", err)
	}
	return out, nil
}

// DeleteSource implements store.Store.
func (s *Store) DeleteSource(ctx context.Context, id string) error {
	res, err := s.w.ExecContext(ctx, s.q.Get("DeleteSource"), id)
	if err != nil {
		return fmt.Errorf("sqlite: delete source %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("source %q: %w", id, news.ErrNotFound)
	}
	return nil
}

// SaveSourceStatus implements store.Store.
func (s *Store) SaveSourceStatus(ctx context.Context, id string, st news.SourceStatus) error {
	res, err := s.w.ExecContext(ctx, s.q.Get("SaveSourceStatus"), unix(st.LastFetch), unix(st.LastSuccess),
		st.LastError, st.Failures, unix(st.NextDue), st.ArticlesFound, st.LastLatency.Milliseconds(),
		int64(st.Interval/time.Second), unix(st.LastNew), id)
	if err != nil {
		return fmt.Errorf("sqlite: source status %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("source %q: %w", id, news.ErrNotFound)
	}
	return nil
}

// FetchState implements store.Store.
func (s *Store) FetchState(ctx context.Context, u string) (store.FetchState, error) {
	var (
		st      store.FetchState
		fetched int64
	)
	err := s.queryRow(ctx, "FetchState", u).Scan(&st.URL, &st.ETag, &st.LastModified,
		&st.Status, &st.Body, &fetched)
	if errors.Is(err, sql.ErrNoRows) {
		return store.FetchState{}, fmt.Errorf("fetch state %s: %w", u, news.ErrNotFound)
	}
	if err != nil {
		return store.FetchState{}, fmt.Errorf("sqlite: fetch state %s: %w", u, err)
	}
	st.FetchedAt = time.Unix(fetched, 0).UTC()
	return st, nil
}

// SaveFetchState implements store.Store.
func (s *Store) SaveFetchState(ctx context.Context, st store.FetchState) error {
	if st.URL == "" {
		return fmt.Errorf("fetch state: empty URL: %w", news.ErrInvalid)
	}
	fetched := st.FetchedAt
	if fetched.IsZero() {
		fetched = s.now()
	}
	if _, err := s.w.ExecContext(ctx, s.q.Get("SaveFetchState"), st.URL, st.ETag, st.LastModified, st.Status,
		st.Body, fetched.Unix()); err != nil {
		return fmt.Errorf("sqlite: save fetch state %s: %w", st.URL, err)
	}
	return nil
}

// KnownURLs implements store.Store.
func (s *Store) KnownURLs(ctx context.Context, urls []string) ([]bool, error) {
	out := make([]bool, len(urls))
	if len(urls) == 0 {
		return out, nil
	}
	conn, err := s.r.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: known urls: %w", err)
	}
	defer conn.Close()
	st, err := conn.PrepareContext(ctx, s.q.Get("ArticleKeyExists"))
	if err != nil {
		return nil, fmt.Errorf("sqlite: known urls: %w", err)
	}
	defer st.Close()
	for i, u := range urls {
		key, err := urlnorm.Key(u)
		if err != nil {
			continue
		}
		var n int
		if err := st.QueryRowContext(ctx, key).Scan(&n); err != nil {
			return nil, fmt.Errorf("sqlite: known urls: %w", err)
		}
		out[i] = n > 0
	}
	return out, nil
}

// TouchRunner implements store.Store.
func (s *Store) TouchRunner(ctx context.Context, id string, now time.Time) error {
	if _, err := s.w.ExecContext(ctx, s.q.Get("TouchRunner"), id, now.Unix()); err != nil {
		return fmt.Errorf("sqlite: touch runner: %w", err)
	}
	return nil
}

// Runners implements store.Store.
func (s *Store) Runners(ctx context.Context, forgetBefore time.Time) (map[string]time.Time, error) {
	if _, err := s.w.ExecContext(ctx, s.q.Get("DeleteRunnersBefore"), forgetBefore.Unix()); err != nil {
		return nil, fmt.Errorf("sqlite: runners: %w", err)
	}
	rows, err := s.query(ctx, "ListRunners")
	if err != nil {
		return nil, fmt.Errorf("sqlite: runners: %w", err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var id string
		var seen int64
		if err := rows.Scan(&id, &seen); err != nil {
			return nil, fmt.Errorf("sqlite: runners: %w", err)
		}
		out[id] = time.Unix(seen, 0).UTC()
	}
	return out, rows.Err()
}
