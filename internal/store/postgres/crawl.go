package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/urlnorm"
)

func (s *Store) sourceQuery(name string) string {
	cols := strings.Join(strings.Fields(s.q.Get("SourceColumns")), " ")
	return strings.ReplaceAll(s.q.Get(name), "{{scols}}", cols)
}

// UpsertSource implements store.Store.
func (s *Store) UpsertSource(ctx context.Context, src news.Source) (bool, error) {
	if strings.TrimSpace(src.ID) == "" || len(src.FeedURLs) == 0 {
		return false, fmt.Errorf("source %q: needs an id and a feed URL: %w", src.ID, news.ErrInvalid)
	}
	var created bool
	err := s.pool.QueryRow(ctx, s.q.Get("UpsertSource"), src.ID, src.Name, src.HomeURL,
		strings.Join(src.FeedURLs, "\n"), src.Host, src.Lang, s.now().UTC(), nullTime(src.Status.NextDue)).Scan(&created)
	if err != nil {
		return false, fmt.Errorf("postgres: upsert source %s: %w", src.ID, err)
	}
	return created, nil
}

func scanSource(r pgx.Row) (news.Source, error) {
	var (
		src                                      news.Source
		feeds                                    string
		lastFetch, lastSuccess, nextDue, lastNew *time.Time
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
	src.Status.LastFetch, src.Status.LastSuccess = fromNull(lastFetch), fromNull(lastSuccess)
	src.Status.NextDue, src.Status.LastNew = fromNull(nextDue), fromNull(lastNew)
	src.Status.LastLatency = time.Duration(latencyMS) * time.Millisecond
	src.Status.Interval = time.Duration(intervalS) * time.Second
	return src, nil
}

// Source implements store.Store.
func (s *Store) Source(ctx context.Context, id string) (news.Source, error) {
	src, err := scanSource(s.pool.QueryRow(ctx, s.sourceQuery("SourceByID"), id))
	if errors.Is(err, pgx.ErrNoRows) {
		return news.Source{}, fmt.Errorf("source %q: %w", id, news.ErrNotFound)
	}
	if err != nil {
		return news.Source{}, fmt.Errorf("postgres: source %s: %w", id, err)
	}
	return src, nil
}

// Sources implements store.Store.
func (s *Store) Sources(ctx context.Context) ([]news.Source, error) {
	return s.listSources(ctx, "ListSources")
}

// DueSources implements store.Store.
func (s *Store) DueSources(ctx context.Context, now time.Time, limit int) ([]news.Source, error) {
	return s.listSources(ctx, "DueSources", now.UTC(), max(1, limit))
}

func (s *Store) listSources(ctx context.Context, query string, args ...any) ([]news.Source, error) {
	rows, err := s.pool.Query(ctx, s.sourceQuery(query), args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: sources: %w", err)
	}
	defer rows.Close()
	var out []news.Source
	for rows.Next() {
		src, err := scanSource(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: read source: %w", err)
		}
		out = append(out, src)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: sources: %w", err)
	}
	return out, nil
}

// DeleteSource implements store.Store.
func (s *Store) DeleteSource(ctx context.Context, id string) error {
	tag, err := s.pool.Exec(ctx, s.q.Get("DeleteSource"), id)
	if err != nil {
		return fmt.Errorf("postgres: delete source %s: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("source %q: %w", id, news.ErrNotFound)
	}
	return nil
}

// SaveSourceStatus implements store.Store.
func (s *Store) SaveSourceStatus(ctx context.Context, id string, st news.SourceStatus) error {
	tag, err := s.pool.Exec(ctx, s.q.Get("SaveSourceStatus"), nullTime(st.LastFetch), nullTime(st.LastSuccess),
		st.LastError, st.Failures, nullTime(st.NextDue), st.ArticlesFound, st.LastLatency.Milliseconds(),
		int64(st.Interval/time.Second), nullTime(st.LastNew), id)
	if err != nil {
		return fmt.Errorf("postgres: source status %s: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("source %q: %w", id, news.ErrNotFound)
	}
	return nil
}

// FetchState implements store.Store.
func (s *Store) FetchState(ctx context.Context, u string) (store.FetchState, error) {
	var st store.FetchState
	err := s.pool.QueryRow(ctx, s.q.Get("FetchState"), u).Scan(&st.URL, &st.ETag, &st.LastModified,
		&st.Status, &st.Body, &st.FetchedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.FetchState{}, fmt.Errorf("fetch state %s: %w", u, news.ErrNotFound)
	}
	if err != nil {
		return store.FetchState{}, fmt.Errorf("postgres: fetch state %s: %w", u, err)
	}
	st.FetchedAt = st.FetchedAt.UTC()
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
	if _, err := s.pool.Exec(ctx, s.q.Get("SaveFetchState"), st.URL, st.ETag, st.LastModified, st.Status,
		st.Body, fetched.UTC().Truncate(time.Second)); err != nil {
		return fmt.Errorf("postgres: save fetch state %s: %w", st.URL, err)
	}
	return nil
}

// KnownURLs implements store.Store with one query for the whole list.
func (s *Store) KnownURLs(ctx context.Context, urls []string) ([]bool, error) {
	out := make([]bool, len(urls))
	if len(urls) == 0 {
		return out, nil
	}
	keys := make([]string, len(urls))
	for i, u := range urls {
		if k, err := urlnorm.Key(u); err == nil {
			keys[i] = k
		}
	}
	rows, err := s.pool.Query(ctx, s.q.Get("KnownKeys"), keys)
	if err != nil {
		return nil, fmt.Errorf("postgres: known urls: %w", err)
	}
	known, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: known urls: %w", err)
	}
	set := make(map[string]bool, len(known))
	for _, k := range known {
		set[k] = true
	}
	for i, k := range keys {
		out[i] = k != "" && set[k]
	}
	return out, nil
}

// TouchRunner implements store.Store.
func (s *Store) TouchRunner(ctx context.Context, id string, now time.Time) error {
	if _, err := s.pool.Exec(ctx, s.q.Get("TouchRunner"), id, now.UTC()); err != nil {
		return fmt.Errorf("postgres: touch runner: %w", err)
	}
	return nil
}

// Runners implements store.Store.
func (s *Store) Runners(ctx context.Context, forgetBefore time.Time) (map[string]time.Time, error) {
	if _, err := s.pool.Exec(ctx, s.q.Get("DeleteRunnersBefore"), forgetBefore.UTC()); err != nil {
		return nil, fmt.Errorf("postgres: runners: %w", err)
	}
	rows, err := s.pool.Query(ctx, s.q.Get("ListRunners"))
	if err != nil {
		return nil, fmt.Errorf("postgres: runners: %w", err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var id string
		var seen time.Time
		if err := rows.Scan(&id, &seen); err != nil {
			return nil, fmt.Errorf("postgres: runners: %w", err)
		}
		out[id] = seen.UTC()
	}
	return out, rows.Err()
}
