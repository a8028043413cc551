// Package news holds marsad's domain types and the sentinel errors callers
// branch on. It imports nothing of marsad's own and only the standard library.
package news

import (
	"errors"
	"time"
)

// Sentinel errors. Wrap them with context; test with errors.Is.
var (
	// ErrNotFound: the requested article, story or source does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid: input that can never succeed (bad URL, empty title, …).
	ErrInvalid = errors.New("invalid input")
)

// Article is one news article as marsad stores and serves it.
type Article struct {
	ID       int64
	URL      string // canonical URL; an article's identity
	SourceID string
	Title    string
	Author   string
	// Published is when the outlet says it published; zero when unknown.
	Published time.Time
	Modified  time.Time
	// Text is the plain body, paragraphs separated by "\n". It is shown as
	// written: normalisation happens only in analysed copies.
	Text string
	// HTML is a sanitized body (allow-listed tags only); may be empty.
	HTML     string
	Lang     string
	SiteName string
	Image    string
	// Attribution is the normalised agency or outlet the text credits
	// ("واس", "رويترز", …), empty when none.
	Attribution string
	// FetchedAt is when marsad first stored the article; UpdatedAt the last change.
	FetchedAt time.Time
	UpdatedAt time.Time
	// StoryID is the story the article belongs to; 0 before clustering.
	StoryID int64
	// OriginalID is the article this one copies; 0 when it is an original.
	OriginalID int64
}

// When is the best time to order the article by: Published, else FetchedAt.
func (a Article) When() time.Time {
	if !a.Published.IsZero() {
		return a.Published
	}
	return a.FetchedAt
}

// Source is an outlet marsad follows.
type Source struct {
	ID       string // short stable slug, e.g. "aawsat"
	Name     string
	HomeURL  string
	FeedURLs []string
	Host     string
	Lang     string
	Status   SourceStatus
}

// SourceStatus is a source's crawl health.
type SourceStatus struct {
	LastFetch     time.Time
	LastSuccess   time.Time
	LastError     string
	Failures      int // consecutive
	NextDue       time.Time
	ArticlesFound int
	LastLatency   time.Duration
	// Interval is the current polling interval, adapted to how often the
	// source publishes; 0 before the first fetch.
	Interval time.Duration
	// LastNew is when a fetch last found articles not seen before.
	LastNew time.Time
}

// Healthy reports whether the last fetch of the source succeeded.
func (s SourceStatus) Healthy() bool { return s.Failures == 0 }

// Story is a group of articles about one event, across outlets.
type Story struct {
	// ID is the ID of the article that started the story.
	ID           int64
	Title        string // the most central article's headline
	ArticleID    int64  // that article
	Image        string // a lead image, "" when none
	ArticleCount int
	// Groups counts distinct texts: copies of one original count once.
	Groups int
	// Sources in the order of their first article in the story.
	Sources   []string
	FirstSeen time.Time
	LastSeen  time.Time
}

// Copy links an article to the original it republishes, with what the
// copy changed.
type Copy struct {
	ArticleID, OriginalID int64
	// SourceID is the copy's source (read with the link, not stored in it).
	SourceID string
	// Similarity is the Jaccard similarity of the two texts' word
	// shingles; Contained the share of the shorter text the longer holds.
	Similarity, Contained float64
	// Exact: the analysed words are identical.
	Exact bool
	// TitleChanged: the headline differs.
	TitleChanged bool
	// SentencesAdded and SentencesRemoved count the copy's sentences
	// not in the original and the original's not in the copy.
	SentencesAdded, SentencesRemoved int
	// Rule is the provenance rule that decided the original.
	Rule       string
	DetectedAt time.Time
}
