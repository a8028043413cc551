// Package store defines the storage interface every backend implements
// (SQLite by default, PostgreSQL for scale-out) and the types that cross it.
// Callers see only this package; storetest holds the one conformance suite.
//
// Text reaches a store already analysed: the search index holds the terms
// produced by internal/arabic, never a database's own stemmer, so every
// backend gives the same matches for the same query.
package store

import (
	"context"
	"time"

	"github.com/marsad/marsad/internal/news"
)

// Store is marsad's persistence. Implementations are safe for concurrent use.
type Store interface {
	SourceCounter
	StoryStore
	// Migrate brings the schema to the newest version. Idempotent.
	Migrate(ctx context.Context) error
	// Ping checks the database answers (for /healthz).
	Ping(ctx context.Context) error
	Close() error

	// UpsertArticles stores a batch in one transaction, keyed by URL
	// identity (urlnorm.Key): an article whose URL exists in any variant is
	// updated in place, keeping its ID, first-seen URL and FetchedAt. A URL
	// that is not absolute http(s) fails the batch with news.ErrInvalid.
	// Results are in input order.
	UpsertArticles(ctx context.Context, docs []ArticleDoc) ([]Upserted, error)
	// Article returns one article; news.ErrNotFound when absent.
	Article(ctx context.Context, id int64) (news.Article, error)
	// ArticleByURL looks an article up by any variant of its URL.
	ArticleByURL(ctx context.Context, url string) (news.Article, error)
	// Articles lists articles newest first.
	Articles(ctx context.Context, f ArticleFilter) ([]news.Article, error)
	// CountArticles counts the articles the filter selects (ignoring Limit/Offset).
	CountArticles(ctx context.Context, f ArticleFilter) (int, error)
	// ArticleDays counts the filter's articles per calendar day in a zone
	// offsetSeconds east of UTC, oldest day first; days without articles
	// are absent.
	ArticleDays(ctx context.Context, f ArticleFilter, offsetSeconds int) ([]DayCount, error)
	// ScanArticles calls fn for every article in ID order; fn's error stops the scan.
	ScanArticles(ctx context.Context, fn func(news.Article) error) error

	// Search runs a full-text query over the analysed title and body.
	Search(ctx context.Context, q SearchQuery) (SearchPage, error)
	// ArticleChanges lists up to limit articles whose change number is
	// above after, by change number. Every insert, and every update of
	// what search reads (title, body, time, source, URL, copy group), gives
	// the article the next number, so a process keeping its own search
	// index (internal/index) follows what other processes store. On
	// PostgreSQL concurrent transactions may make a number visible after a
	// higher one: followers re-read a trailing window.
	ArticleChanges(ctx context.Context, after int64, limit int) ([]ArticleChange, error)
	// ArticlesByID returns the stored articles among ids (absent ones are
	// left out), in no particular order, without their HTML: it reads
	// articles to list them (search pages, index and story rebuilds),
	// where the HTML would only be read and dropped.
	ArticlesByID(ctx context.Context, ids []int64) ([]news.Article, error)

	// UpsertSource adds a source or updates its description (name, URLs,
	// host, language), keeping its crawl status. A source needs an ID and at
	// least one feed URL (news.ErrInvalid otherwise). created reports a new ID.
	UpsertSource(ctx context.Context, src news.Source) (created bool, err error)
	// Source returns one source; news.ErrNotFound when absent.
	Source(ctx context.Context, id string) (news.Source, error)
	// Sources lists every source by ID.
	Sources(ctx context.Context) ([]news.Source, error)
	// DueSources lists up to limit sources whose NextDue is unset or not
	// after now, the most overdue first.
	DueSources(ctx context.Context, now time.Time, limit int) ([]news.Source, error)
	// DeleteSource removes a source (its articles stay); news.ErrNotFound when absent.
	DeleteSource(ctx context.Context, id string) error
	// SaveSourceStatus records a crawl outcome; news.ErrNotFound for an unknown ID.
	SaveSourceStatus(ctx context.Context, id string, st news.SourceStatus) error

	// FetchState returns what was last fetched from url (validators for a
	// conditional GET, and the body for small documents such as robots.txt);
	// news.ErrNotFound when never fetched.
	FetchState(ctx context.Context, url string) (FetchState, error)
	// SaveFetchState records it, replacing the previous state of the URL.
	SaveFetchState(ctx context.Context, st FetchState) error
	// KnownURLs reports, for each URL, whether an article with its identity
	// (urlnorm.Key) is stored. URLs that are not http(s) are reported unknown.
	KnownURLs(ctx context.Context, urls []string) ([]bool, error)

	// TouchRunner records that job runner id is alive at now.
	TouchRunner(ctx context.Context, id string, now time.Time) error
	// Runners returns when each job runner was last seen; runners not seen
	// since before forgetBefore are dropped first.
	Runners(ctx context.Context, forgetBefore time.Time) (map[string]time.Time, error)

	// ClaimHost takes one host's turn for a request: the per-host
	// politeness budget lives in the database so that every process
	// crawling it shares one. The claim is atomic: it is granted when
	// nobody holds the host (or the holder's lease has lapsed) and the
	// host's next slot is not after c.Now, and then lapses at c.Now+c.Lease
	// unless released first. When refused, the turn says why (NextAt,
	// HeldUntil).
	ClaimHost(ctx context.Context, c HostClaim) (HostTurn, error)
	// ReleaseHost ends r.Holder's turn and records the host's next slot
	// (never moved earlier) and failure count. A turn no longer held by
	// r.Holder is left alone.
	ReleaseHost(ctx context.Context, r HostRelease) error
	// ReleaseHostsOf ends every turn held by owner (a process that
	// stopped), pushing those hosts' next slot to at least next.
	ReleaseHostsOf(ctx context.Context, owner string, next time.Time) (int, error)

	Copies // copy detection's fingerprints and groups (copies.go)
}

// HostClaim asks for a host's turn. Times are kept to the millisecond.
type HostClaim struct {
	Host string
	// Owner is the claiming process (its job-runner ID); Holder names this
	// one claim, unique among the owner's.
	Owner, Holder string
	Now           time.Time
	// Lease bounds how long the turn is held if never released (a process
	// killed mid-request).
	Lease time.Duration
}

// HostTurn is a claim's outcome.
type HostTurn struct {
	Granted bool
	// NextAt is the host's next free slot (zero when never set).
	NextAt time.Time
	// HeldUntil is the lease end of another holder's turn; zero when free.
	HeldUntil time.Time
	// Failures is the host's count of consecutive failed requests.
	Failures int
}

// HostRelease ends a turn.
type HostRelease struct {
	Host, Holder string
	// Next is the earliest start of the host's next request.
	Next     time.Time
	Failures int
}

// FetchState is the stored outcome of the last fetch of one URL.
type FetchState struct {
	URL          string
	ETag         string
	LastModified string
	Status       int
	// Body is kept only when the caller asks (robots.txt); nil otherwise.
	Body      []byte
	FetchedAt time.Time
}

// ArticleChange is an article's latest change number.
type ArticleChange struct {
	ID, Seq int64
}

// DayCount is a number of articles on one day ("2015-08-05").
type DayCount struct {
	Day   string
	Count int
}

// ArticleDoc is an article with its analysed text, ready to store.
type ArticleDoc struct {
	Article    news.Article
	TitleTerms []string
	BodyTerms  []string
}

// Upserted says what UpsertArticles did with one document.
type Upserted struct {
	ID      int64
	Created bool // a new URL
	Changed bool // an existing URL whose content changed
}

// ArticleFilter selects articles. Zero fields do not filter.
type ArticleFilter struct {
	SourceID string
	StoryID  int64
	// Before/After bound the article's time (published, else fetched).
	Before, After time.Time
	Limit         int // 0 means DefaultLimit
	Offset        int
}

// DefaultLimit is the page size when a filter or query sets none.
const DefaultLimit = 20

// SearchQuery is a search already reduced to analysed terms. An article
// matches when it holds every All term, every Phrase, every TitleTerm, one
// alternative of each Any group, and no Not match (see Clauses).
type SearchQuery struct {
	// All: every term must match (in title or body).
	All []string
	// Phrases: each run of adjacent terms must occur (in title or body).
	Phrases [][]string
	// TitleTerms: each term must occur in the title.
	TitleTerms []string
	// Any: each group needs at least one of its alternatives.
	Any [][]Match
	// Not: an article matching any of these is left out.
	Not []Match
	// SourceIDs, if set, restrict results to these sources.
	SourceIDs []string
	From, To  time.Time
	// ByDate orders newest first instead of by relevance.
	ByDate bool
	// Collapse shows each copy group (articles sharing OriginalID-or-ID)
	// once: its original when it matches, else its best match, ranked by
	// the group's best score (newest member by date), with the number of
	// other matching members in SearchHit.Copies (see Collapse). Total
	// still counts matching articles: counting groups would mean grouping
	// every match of a common word.
	Collapse bool
	// Facets asks for counts of all matching articles (not groups) by
	// source and by day in a zone TZOffset seconds east of UTC.
	Facets   bool
	TZOffset int
	Limit    int
	Offset   int
}

// SearchPage is one page of hits, best first.
type SearchPage struct {
	Hits  []SearchHit
	Total int // matching articles over all pages
	// Sources (most articles first) and Days (oldest first) when Facets was asked.
	Sources []SourceFacet
	Days    []DayCount
}

// SearchHit is an article with its relevance score (higher is better).
type SearchHit struct {
	Article news.Article
	Score   float64
	// Copies is the number of other matching articles of its copy group
	// (Collapse only).
	Copies int
}

// SameContent reports whether an upsert of a onto the stored old changes
// nothing a store keeps (times at the second, the stores' precision).
func SameContent(old, a news.Article) bool {
	return old.SourceID == a.SourceID && old.Title == a.Title && old.Author == a.Author &&
		old.Published.Equal(a.Published.Truncate(time.Second)) && old.Modified.Equal(a.Modified.Truncate(time.Second)) &&
		old.Text == a.Text && old.HTML == a.HTML && old.Lang == a.Lang && old.SiteName == a.SiteName &&
		old.Image == a.Image && old.Attribution == a.Attribution
}
