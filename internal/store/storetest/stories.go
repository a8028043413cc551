package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
)

func storyIDs(t *testing.T, s store.Store, articles []store.Upserted) []int64 {
	t.Helper()
	var out []int64
	for _, r := range articles {
		a, err := s.Article(context.Background(), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, a.StoryID)
	}
	return out
}

// testStories saves assignments and records, reads them back, lists and
// filters them, and merges one story into another.
func testStories(t *testing.T, s store.Store) {
	ctx := context.Background()
	arts := seed(t, s, 4)
	a, b, c, d := arts[0].ID, arts[1].ID, arts[2].ID, arts[3].ID
	if _, err := s.Story(ctx, a); !errors.Is(err, news.ErrNotFound) {
		t.Fatalf("Story before any save: %v, want ErrNotFound", err)
	}
	s1 := news.Story{ID: a, Title: "عنوان 0", ArticleID: b, Image: "https://example.com/i.jpg", ArticleCount: 2, Groups: 1,
		Sources: []string{"a", "b"}, FirstSeen: t0, LastSeen: t0.Add(time.Hour)}
	s2 := news.Story{ID: c, Title: "عنوان 2", ArticleID: c, ArticleCount: 2, Groups: 2,
		Sources: []string{"c", "a"}, FirstSeen: t0.Add(2 * time.Hour), LastSeen: t0.Add(3 * time.Hour)}
	err := s.SaveStories(ctx, store.StoryUpdate{
		Assign:  []store.StoryAssignment{in(a, a), in(b, a), in(c, c), in(d, c), in(999999, c)},
		Stories: []news.Story{s1, s2},
	})
	if err != nil {
		t.Fatalf("SaveStories: %v", err)
	}
	if got := storyIDs(t, s, arts); !slices.Equal(got, []int64{a, a, c, c}) {
		t.Errorf("story IDs = %v, want [%d %d %d %d]", got, a, a, c, c)
	}
	got, err := s.Story(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if !equalStory(got, s1) {
		t.Errorf("Story(%d) = %+v, want %+v", a, got, s1)
	}
	list, err := s.Stories(ctx, store.StoryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || !equalStory(list[0], s2) || !equalStory(list[1], s1) {
		t.Errorf("Stories = %+v, want [s2 s1] (last seen first)", list)
	}
	for _, tc := range []struct {
		f    store.StoryFilter
		want []int64
	}{
		{store.StoryFilter{After: t0.Add(2 * time.Hour)}, []int64{c}},
		{store.StoryFilter{MinSources: 3}, nil},
		{store.StoryFilter{Limit: 1, Offset: 1}, []int64{a}},
	} {
		l, err := s.Stories(ctx, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, st := range l {
			ids = append(ids, st.ID)
		}
		if !slices.Equal(ids, tc.want) {
			t.Errorf("Stories(%+v) = %v, want %v", tc.f, ids, tc.want)
		}
		stats, err := s.StoryStats(ctx, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		ids = ids[:0]
		for _, st := range stats {
			ids = append(ids, st.ID)
		}
		if !slices.Equal(ids, tc.want) {
			t.Errorf("StoryStats(%+v) = %v, want %v", tc.f, ids, tc.want)
		}
	}
	stats, err := s.StoryStats(ctx, store.StoryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := []store.StoryStat{{ID: c, Sources: 2, Groups: 2, FirstSeen: s2.FirstSeen, LastSeen: s2.LastSeen},
		{ID: a, Sources: 2, Groups: 1, FirstSeen: s1.FirstSeen, LastSeen: s1.LastSeen}}
	if len(stats) != 2 || !equalStat(stats[0], want[0]) || !equalStat(stats[1], want[1]) {
		t.Errorf("StoryStats = %+v, want %+v", stats, want)
	}
	// A bridge merges story c into a.
	s1.ArticleCount, s1.Groups, s1.Sources, s1.LastSeen = 4, 3, []string{"a", "b", "c"}, s2.LastSeen
	if err := s.SaveStories(ctx, store.StoryUpdate{Merged: []store.StoryMerge{{From: c, Into: a}}, Stories: []news.Story{s1}}); err != nil {
		t.Fatalf("SaveStories (merge): %v", err)
	}
	if got := storyIDs(t, s, arts); !slices.Equal(got, []int64{a, a, a, a}) {
		t.Errorf("after merge story IDs = %v, want all %d", got, a)
	}
	if _, err := s.Story(ctx, c); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("merged-away story: %v, want ErrNotFound", err)
	}
	inStory, err := s.Articles(ctx, store.ArticleFilter{StoryID: a, Limit: 10})
	if err != nil || len(inStory) != 4 {
		t.Errorf("Articles(story %d) = %d, %v; want 4", a, len(inStory), err)
	}
	after, err := s.ArticleStories(ctx, a, 2)
	if err != nil {
		t.Fatal(err)
	}
	if want := []store.StoryAssignment{in(b, a), in(c, a)}; !slices.Equal(after, want) {
		t.Errorf("ArticleStories(after %d, 2) = %v, want %v", a, after, want)
	}
	if err := s.SaveStories(ctx, store.StoryUpdate{Stories: []news.Story{{ID: 0}}}); !errors.Is(err, news.ErrInvalid) {
		t.Errorf("story without ID: %v, want ErrInvalid", err)
	}
}

func equalStory(a, b news.Story) bool {
	return a.ID == b.ID && a.Title == b.Title && a.ArticleID == b.ArticleID && a.Image == b.Image &&
		a.ArticleCount == b.ArticleCount && a.Groups == b.Groups && slices.Equal(a.Sources, b.Sources) &&
		a.FirstSeen.Equal(b.FirstSeen) && a.LastSeen.Equal(b.LastSeen)
}

func in(article, story int64) store.StoryAssignment {
	return store.StoryAssignment{ArticleID: article, StoryID: story}
}

func equalStat(a, b store.StoryStat) bool {
	return a.ID == b.ID && a.Sources == b.Sources && a.Groups == b.Groups &&
		a.FirstSeen.Equal(b.FirstSeen) && a.LastSeen.Equal(b.LastSeen)
}
