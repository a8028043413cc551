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
)

// SaveStories implements store.Store. Saves of all processes are serialised
// by an advisory lock, so two processes' records for one story never
// interleave (the last complete save wins).
func (s *Store) SaveStories(ctx context.Context, u store.StoryUpdate) error {
	if len(u.Merged)+len(u.Assign)+len(u.Stories) == 0 {
		return nil
	}
	for _, r := range u.Stories {
		if r.ID <= 0 {
			return fmt.Errorf("postgres: save story: id %d: %w", r.ID, news.ErrInvalid)
		}
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, s.q.Get("LockStories")); err != nil {
			return err
		}
		b := &pgx.Batch{}
		for _, m := range u.Merged {
			b.Queue(s.q.Get("MergeStoryArticles"), m.From, m.Into)
			b.Queue(s.q.Get("DeleteStory"), m.From)
		}
		if len(u.Assign) > 0 {
			ids, stories := make([]int64, len(u.Assign)), make([]int64, len(u.Assign))
			for i, a := range u.Assign {
				ids[i], stories[i] = a.ArticleID, a.StoryID
			}
			b.Queue(s.q.Get("AssignStories"), ids, stories)
		}
		for _, r := range u.Stories {
			b.Queue(s.q.Get("UpsertStory"), r.ID, r.Title, r.ArticleID, r.Image, r.ArticleCount, r.Groups,
				len(r.Sources), strings.Join(r.Sources, ","), epoch(r.FirstSeen), epoch(r.LastSeen))
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("postgres: save stories: %w", err)
	}
	return nil
}

// epoch stores a zero time as the epoch (the columns are NOT NULL).
func epoch(t time.Time) time.Time {
	if t.IsZero() {
		return time.Unix(0, 0).UTC()
	}
	return t.UTC().Truncate(time.Second)
}

// Story implements store.Store.
func (s *Store) Story(ctx context.Context, id int64) (news.Story, error) {
	st, err := scanStory(s.pool.QueryRow(ctx, s.q.Get("StoryByID"), id))
	if errors.Is(err, pgx.ErrNoRows) {
		return news.Story{}, fmt.Errorf("story %d: %w", id, news.ErrNotFound)
	}
	if err != nil {
		return news.Story{}, fmt.Errorf("postgres: story %d: %w", id, err)
	}
	return st, nil
}

// Stories implements store.Store.
func (s *Store) Stories(ctx context.Context, f store.StoryFilter) ([]news.Story, error) {
	rows, err := s.pool.Query(ctx, s.q.Get("ListStories"), epoch(f.After), f.MinSources, limit(f.Limit), max(0, f.Offset))
	if err != nil {
		return nil, fmt.Errorf("postgres: stories: %w", err)
	}
	defer rows.Close()
	out, err := store.Collect(rows, func(r store.Rows) (news.Story, error) { return scanStory(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: stories: %w", err)
	}
	return out, nil
}

// StoryStats implements store.Store.
func (s *Store) StoryStats(ctx context.Context, f store.StoryFilter) ([]store.StoryStat, error) {
	rows, err := s.pool.Query(ctx, s.q.Get("StoryStats"), epoch(f.After), f.MinSources, limit(f.Limit), max(0, f.Offset))
	if err != nil {
		return nil, fmt.Errorf("postgres: story stats: %w", err)
	}
	defer rows.Close()
	out, err := store.Collect(rows, func(r store.Rows) (store.StoryStat, error) {
		var st store.StoryStat
		err := r.Scan(&st.ID, &st.Sources, &st.Groups, &st.FirstSeen, &st.LastSeen)
		st.FirstSeen, st.LastSeen = fromEpoch(st.FirstSeen), fromEpoch(st.LastSeen)
		return st, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: story stats: %w", err)
	}
	return out, nil
}

func scanStory(r pgx.Row) (news.Story, error) {
	var (
		st      news.Story
		sources string
	)
	if err := r.Scan(&st.ID, &st.Title, &st.ArticleID, &st.Image, &st.ArticleCount, &st.Groups, &sources,
		&st.FirstSeen, &st.LastSeen); err != nil {
		return news.Story{}, err
	}
	if sources != "" {
		st.Sources = strings.Split(sources, ",")
	}
	st.FirstSeen, st.LastSeen = fromEpoch(st.FirstSeen), fromEpoch(st.LastSeen)
	return st, nil
}

// ArticleStories implements store.Store.
func (s *Store) ArticleStories(ctx context.Context, afterID int64, limit int) ([]store.StoryAssignment, error) {
	rows, err := s.pool.Query(ctx, s.q.Get("ArticleStories"), afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: article stories: %w", err)
	}
	defer rows.Close()
	out, err := store.Collect(rows, store.ScanAssignment)
	if err != nil {
		return nil, fmt.Errorf("postgres: article stories: %w", err)
	}
	return out, nil
}
