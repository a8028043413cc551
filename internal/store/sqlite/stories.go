package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
)

// SaveStories implements store.Store.
func (s *Store) SaveStories(ctx context.Context, u store.StoryUpdate) error {
	if len(u.Merged)+len(u.Assign)+len(u.Stories) == 0 {
		return nil
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: save stories: %w", err)
	}
	defer tx.Rollback()
	st, err := prepare(ctx, tx, s.q, "MergeStoryArticles", "DeleteStory", "AssignStory", "UpsertStory")
	if err != nil {
		return fmt.Errorf("sqlite: save stories: %w", err)
	}
	defer closeAll(st)
	for _, m := range u.Merged {
		if _, err := st["MergeStoryArticles"].ExecContext(ctx, m.From, m.Into); err != nil {
			return fmt.Errorf("sqlite: merge story %d into %d: %w", m.From, m.Into, err)
		}
		if _, err := st["DeleteStory"].ExecContext(ctx, m.From); err != nil {
			return fmt.Errorf("sqlite: merge story %d into %d: %w", m.From, m.Into, err)
		}
	}
	for _, a := range u.Assign {
		if _, err := st["AssignStory"].ExecContext(ctx, a.ArticleID, a.StoryID); err != nil {
			return fmt.Errorf("sqlite: assign article %d to story %d: %w", a.ArticleID, a.StoryID, err)
		}
	}
	for _, r := range u.Stories {
		if r.ID <= 0 {
			return fmt.Errorf("sqlite: save story: id %d: %w", r.ID, news.ErrInvalid)
		}
		if _, err := st["UpsertStory"].ExecContext(ctx, r.ID, r.Title, r.ArticleID, r.Image, r.ArticleCount, r.Groups,
			len(r.Sources), strings.Join(r.Sources, ","), r.FirstSeen.Unix(), r.LastSeen.Unix()); err != nil {
			return fmt.Errorf("sqlite: save story %d: %w", r.ID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: save stories: %w", err)
	}
	return nil
}

// Story implements store.Store.
func (s *Store) Story(ctx context.Context, id int64) (news.Story, error) {
	st, err := scanStory(s.queryRow(ctx, "StoryByID", id))
	if errors.Is(err, sql.ErrNoRows) {
		return news.Story{}, fmt.Errorf("story %d: %w", id, news.ErrNotFound)
	}
	if err != nil {
		return news.Story{}, fmt.Errorf("sqlite: story %d: %w", id, err)
	}
	return st, nil
}

// Stories implements store.Store.
func (s *Store) Stories(ctx context.Context, f store.StoryFilter) ([]news.Story, error) {
	var after int64
	if !f.After.IsZero() {
		after = f.After.Unix()
	}
	rows, err := s.query(ctx, "ListStories", after, f.MinSources, limit(f.Limit), max(0, f.Offset))
	if err != nil {
		return nil, fmt.Errorf("sqlite: stories: %w", err)
	}
	defer rows.Close()
	out, err := store.Collect(rows, func(r store.Rows) (news.Story, error) { return scanStory(r) })
	if err != nil {
		return nil, fmt.Errorf("sqlite: stories: %w", err)
	}
	return out, nil
}

// StoryStats implements store.Store.
func (s *Store) StoryStats(ctx context.Context, f store.StoryFilter) ([]store.StoryStat, error) {
	var after int64
	if !f.After.IsZero() {
		after = f.After.Unix()
	}
	rows, err := s.query(ctx, "StoryStats", after, f.MinSources, limit(f.Limit), max(0, f.Offset))
	if err != nil {
		return nil, fmt.Errorf("sqlite: story stats: %w", err)
	}
	defer rows.Close()
	out, err := store.Collect(rows, func(r store.Rows) (store.StoryStat, error) {
		var (
			st          store.StoryStat
			first, last sql.NullInt64
		)
		err := r.Scan(&st.ID, &st.Sources, &st.Groups, &first, &last)
		st.FirstSeen, st.LastSeen = fromUnix(first), fromUnix(last)
		return st, err
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: story stats: %w", err)
	}
	return out, nil
}

func scanStory(r interface{ Scan(...any) error }) (news.Story, error) {
	var (
		st          news.Story
		sources     string
		first, last sql.NullInt64
	)
	if err := r.Scan(&st.ID, &st.Title, &st.ArticleID, &st.Image, &st.ArticleCount, &st.Groups, &sources, &first, &last); err != nil {
		return news.Story{}, err
	}
	if sources != "" {
		st.Sources = strings.Split(sources, ",")
	}
	st.FirstSeen, st.LastSeen = fromUnix(first), fromUnix(last)
	return st, nil
}

// ArticleStories implements store.Store.
func (s *Store) ArticleStories(ctx context.Context, afterID int64, limit int) ([]store.StoryAssignment, error) {
	rows, err := s.query(ctx, "ArticleStories", afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: article stories: %w", err)
	}
	defer rows.Close()
	out, err := store.Collect(rows, store.ScanAssignment)
	if err != nil {
		return nil, fmt.Errorf("sqlite: article stories: %w", err)
	}
	return out, nil
}
