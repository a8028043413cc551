package store

import (
	"context"
	"time"

	"github.com/marsad/marsad/internal/news"
)

// StoryStore keeps stories: which story each article is in (articles.story_id)
// and each story's record (headline, counts, sources, first and last seen),
// written by the clustering stage and read by the UI, API and CLI.
type StoryStore interface {
	// SaveStories applies one clustering step in one transaction: merges
	// first (every article of From moves to Into and From's record goes),
	// then assignments, then the records (upserted by ID). Assigning an
	// unknown article is not an error (it was deleted meanwhile).
	SaveStories(ctx context.Context, u StoryUpdate) error
	// Story returns one story; news.ErrNotFound when absent.
	Story(ctx context.Context, id int64) (news.Story, error)
	// Stories lists stories, the most recently seen first.
	Stories(ctx context.Context, f StoryFilter) ([]news.Story, error)
	// StoryStats lists what ranking needs of the stories f selects (in
	// Stories' order), read from an index without the records: the home
	// page ranks hundreds of recent stories and shows a few.
	StoryStats(ctx context.Context, f StoryFilter) ([]StoryStat, error)
	// ArticleStories lists up to limit articles with an ID above afterID,
	// in ID order, with their story (0 when not clustered yet): how a
	// clustering process catches up with what other processes stored.
	ArticleStories(ctx context.Context, afterID int64, limit int) ([]StoryAssignment, error)
}

// StoryUpdate is one clustering step.
type StoryUpdate struct {
	Merged  []StoryMerge
	Assign  []StoryAssignment
	Stories []news.Story
}

// StoryMerge moves every article of story From into story Into.
type StoryMerge struct{ From, Into int64 }

// StoryAssignment puts an article into a story.
type StoryAssignment struct{ ArticleID, StoryID int64 }

// StoryStat is a story's size and age.
type StoryStat struct {
	ID                  int64
	Sources, Groups     int
	FirstSeen, LastSeen time.Time
}

// StoryFilter selects stories. Zero fields do not filter.
type StoryFilter struct {
	// After: stories last seen at or after this time.
	After time.Time
	// MinSources: stories covered by at least this many sources.
	MinSources int
	Limit      int // 0 means DefaultLimit
	Offset     int
}
