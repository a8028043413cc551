package jobs

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/marsad/marsad/internal/charset"
	"github.com/marsad/marsad/internal/feed"
	"github.com/marsad/marsad/internal/fetch"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/urlnorm"
)

// maxHostWait is how long a job waits for its host's turn before it is put
// back in the queue (snoozed), freeing its worker for another host.
const maxHostWait = 3 * time.Second

// Polling intervals adapt between these bounds: halved when a fetch finds
// new articles, grown by half when it finds none.
const (
	minInterval     = 5 * time.Minute
	maxInterval     = 6 * time.Hour
	initialInterval = 15 * time.Minute
	maxFailBackoff  = 12 * time.Hour
)

type feedArgs struct {
	SourceID string `json:"source_id"`
	FeedURL  string `json:"feed_url"`
}

func (feedArgs) Kind() string { return kindFeed }

type articleArgs struct {
	// Key is the URL's identity: one job per article however many feeds
	// list it.
	Key       string    `json:"key" river:"unique"`
	URL       string    `json:"url"`
	SourceID  string    `json:"source_id"`
	Title     string    `json:"title,omitempty"`
	Author    string    `json:"author,omitempty"`
	Summary   string    `json:"summary,omitempty"`
	Image     string    `json:"image,omitempty"`
	Lang      string    `json:"lang,omitempty"`
	Published time.Time `json:"published,omitzero"`
}

func (articleArgs) Kind() string { return kindArticle }

type tickArgs struct{}

func (tickArgs) Kind() string { return kindTick }

// snooze puts a job back until its host is free (not an attempt).
func snoozeFor(err error) (error, bool) {
	var be *fetch.BusyError
	if errors.As(err, &be) {
		d := be.RetryIn + time.Duration(rand.Int64N(int64(500*time.Millisecond)))
		return river.JobSnooze(d), true
	}
	return nil, false
}

type feedWorker struct {
	river.WorkerDefaults[feedArgs]
	c *Crawler
}

func (w *feedWorker) Work(ctx context.Context, job *river.Job[feedArgs]) error {
	c, a := w.c, job.Args
	src, err := c.opt.Store.Source(ctx, a.SourceID)
	if errors.Is(err, news.ErrNotFound) {
		return nil // removed since it was queued
	}
	if err != nil {
		return err
	}
	start := c.opt.Now()
	req := fetch.Request{URL: a.FeedURL, MaxWait: maxHostWait}
	if st, err := c.opt.Store.FetchState(ctx, a.FeedURL); err == nil && st.Status == http.StatusOK {
		req.ETag, req.LastModified = st.ETag, st.LastModified
	}
	resp, err := c.opt.Fetcher.Get(ctx, req)
	if serr, ok := snoozeFor(err); ok {
		return serr
	}
	if err != nil {
		return c.sourceFailed(ctx, src, start, err)
	}
	c.stats.bytes.Add(resp.WireBytes)
	if resp.NotModified {
		c.stats.feeds304.Add(1)
		return c.sourceOK(ctx, src, start, resp.Elapsed, 0)
	}
	if resp.Kind != fetch.KindXML && resp.Kind != fetch.KindJSON {
		return c.sourceFailed(ctx, src, start, fmt.Errorf("%s: got %s (%s), not a feed", a.FeedURL, resp.Kind, resp.ContentType))
	}
	body, _, err := charset.Decode(resp.Body, resp.ContentType)
	if err != nil {
		return c.sourceFailed(ctx, src, start, fmt.Errorf("%s: %w", a.FeedURL, err))
	}
	f, err := feed.Parse(body, feed.Options{BaseURL: resp.URL, Location: c.opt.TZ, ParseDate: c.opt.ParseDate, Now: c.opt.Now})
	if err != nil {
		return c.sourceFailed(ctx, src, start, fmt.Errorf("%s: %w", a.FeedURL, err))
	}
	var inserts []river.InsertManyParams
	for i, sm := range f.Sitemaps {
		if i >= 50 {
			break
		}
		inserts = append(inserts, river.InsertManyParams{Args: feedArgs{SourceID: src.ID, FeedURL: sm}, InsertOpts: uniqueOpts()})
	}
	newItems, err := c.newItems(ctx, src, f)
	if err != nil {
		return err
	}
	for _, it := range c.stagger(newItems) {
		opts := uniqueOpts()
		opts.ScheduledAt = it.at
		inserts = append(inserts, river.InsertManyParams{Args: it.args, InsertOpts: opts})
	}
	if len(inserts) > 0 {
		if _, err := c.client.InsertMany(ctx, inserts); err != nil {
			return fmt.Errorf("jobs: queue articles of %s: %w", a.FeedURL, err)
		}
	}
	c.stats.queued.Add(int64(len(newItems)))
	// Validators are saved only now that the entries are queued: a crash
	// before this line refetches the feed in full next time.
	if err := c.opt.Store.SaveFetchState(ctx, store.FetchState{URL: a.FeedURL, ETag: resp.ETag,
		LastModified: resp.LastModified, Status: http.StatusOK, FetchedAt: c.opt.Now()}); err != nil {
		return err
	}
	return c.sourceOK(ctx, src, start, resp.Elapsed, len(newItems))
}

// newItems turns feed entries into article jobs, dropping stored URLs.
func (c *Crawler) newItems(ctx context.Context, src news.Source, f *feed.Feed) ([]articleArgs, error) {
	var (
		args []articleArgs
		urls []string
		seen = map[string]bool{}
	)
	for _, it := range f.Items {
		clean, err := urlnorm.Clean(it.URL)
		if err != nil {
			continue
		}
		key, err := urlnorm.Key(clean)
		if err != nil || seen[key] {
			continue
		}
		seen[key] = true
		lang := it.Language
		if lang == "" {
			lang = f.Language
		}
		args = append(args, articleArgs{Key: key, URL: clean, SourceID: src.ID, Title: it.Title, Author: it.Author,
			Summary: it.Summary, Image: it.Image, Lang: lang, Published: it.Published})
		urls = append(urls, clean)
	}
	if c.opt.Recrawl {
		return args, nil
	}
	known, err := c.opt.Store.KnownURLs(ctx, urls)
	if err != nil {
		return nil, err
	}
	out := args[:0]
	for i, a := range args {
		if !known[i] {
			out = append(out, a)
		}
	}
	return out, nil
}

type staggered struct {
	args articleArgs
	at   time.Time // zero: now
}

// stagger spreads a feed's new articles over time, per host, by the
// host's politeness gap: the first now, the next a gap later, and so on.
// Jobs are taken in scheduled order, so the queue interleaves sites and a
// worker seldom picks a job whose host is not ready yet — without it, a
// site's whole batch sits at the head of the queue and every worker waits
// on that one site.
func (c *Crawler) stagger(items []articleArgs) []staggered {
	out := make([]staggered, len(items))
	n := map[string]int{}
	now := c.opt.Now()
	for i, a := range items {
		out[i].args = a
		u, err := url.Parse(a.URL)
		if err != nil {
			continue
		}
		if k := n[u.Host]; k > 0 {
			out[i].at = now.Add(time.Duration(k) * c.opt.Fetcher.Gap(u.Host))
		}
		n[u.Host]++
	}
	return out
}

// sourceOK records a successful fetch and adapts the polling interval.
func (c *Crawler) sourceOK(ctx context.Context, src news.Source, start time.Time, latency time.Duration, found int) error {
	c.stats.sourcesOK.Add(1)
	st := src.Status
	now := c.opt.Now()
	st.LastFetch, st.LastSuccess, st.LastError, st.Failures, st.LastLatency = start, now, "", 0, latency
	st.ArticlesFound += found
	switch {
	case st.Interval == 0:
		st.Interval = initialInterval
	case found > 0:
		st.Interval = max(minInterval, st.Interval/2)
	default:
		st.Interval = min(maxInterval, st.Interval*3/2)
	}
	if found > 0 {
		st.LastNew = now
	}
	st.NextDue = now.Add(jitter(st.Interval))
	return c.saveStatus(ctx, src.ID, st)
}

// sourceFailed marks the source unhealthy and backs it off; the job itself
// succeeds (the scheduler retries the source when it is due again).
func (c *Crawler) sourceFailed(ctx context.Context, src news.Source, start time.Time, ferr error) error {
	c.stats.sourcesFailed.Add(1)
	c.log.Warn("source failed", "source", src.ID, "err", ferr)
	st := src.Status
	now := c.opt.Now()
	st.LastFetch, st.LastError, st.LastLatency = start, ferr.Error(), now.Sub(start)
	st.Failures++
	if st.Interval == 0 {
		st.Interval = initialInterval
	}
	back := minInterval
	for i := 1; i < st.Failures && back < maxFailBackoff; i++ {
		back *= 2
	}
	var se *fetch.StatusError
	if errors.As(ferr, &se) && se.RetryAfter > back {
		back = se.RetryAfter
	}
	st.NextDue = now.Add(jitter(min(back, maxFailBackoff)))
	return c.saveStatus(ctx, src.ID, st)
}

func (c *Crawler) saveStatus(ctx context.Context, id string, st news.SourceStatus) error {
	err := c.opt.Store.SaveSourceStatus(ctx, id, st)
	if errors.Is(err, news.ErrNotFound) {
		return nil
	}
	return err
}

// jitter spreads d by ±10% so sources added together drift apart.
func jitter(d time.Duration) time.Duration {
	return d - d/10 + time.Duration(rand.Int64N(int64(d/5)+1))
}

type articleWorker struct {
	river.WorkerDefaults[articleArgs]
	c *Crawler
}

func (w *articleWorker) Work(ctx context.Context, job *river.Job[articleArgs]) error {
	c, a := w.c, job.Args
	if !c.opt.Recrawl {
		known, err := c.opt.Store.KnownURLs(ctx, []string{a.URL})
		if err != nil {
			return err
		}
		if known[0] {
			c.stats.skipped.Add(1)
			return nil // stored by an earlier attempt or another feed
		}
	}
	resp, err := c.opt.Fetcher.Get(ctx, fetch.Request{URL: a.URL, MaxWait: maxHostWait})
	if serr, ok := snoozeFor(err); ok {
		return serr
	}
	if err != nil {
		return c.pageFailed(a, err)
	}
	c.stats.pages.Add(1)
	c.stats.bytes.Add(resp.WireBytes)
	if resp.Kind != fetch.KindHTML {
		c.stats.pagesFailed.Add(1)
		c.log.Warn("article is not an HTML page; skipped", "url", a.URL, "kind", resp.Kind, "content_type", resp.ContentType)
		return nil
	}
	art := c.article(a, resp)
	_, st, err := c.opt.Ingest.Ingest(ctx, []news.Article{art})
	if err != nil {
		return err
	}
	c.stats.artNew.Add(int64(st.New))
	c.stats.artUpd.Add(int64(st.Updated))
	c.stats.artSame.Add(int64(st.Unchanged))
	return nil
}

// pageFailed sorts fetch errors: permanent ones end the job (logged and
// counted), temporary ones return for River to retry with back-off.
func (c *Crawler) pageFailed(a articleArgs, err error) error {
	var se *fetch.StatusError
	switch {
	case errors.Is(err, fetch.ErrDisallowed):
		c.stats.disallowed.Add(1)
		c.log.Info("robots.txt disallows article; skipped", "url", a.URL)
		return nil
	case errors.As(err, &se) && se.Temporary():
		return err
	case errors.As(err, &se), errors.Is(err, fetch.ErrRefused), errors.Is(err, fetch.ErrTooLarge),
		errors.Is(err, fetch.ErrUnsupported), errors.Is(err, fetch.ErrTooManyRedirects):
		c.stats.pagesFailed.Add(1)
		c.log.Warn("article fetch failed; skipped", "url", a.URL, "err", err)
		return nil
	}
	c.stats.pagesFailed.Add(1)
	return err // network trouble: retry
}

// article builds the stored article from the extracted page, filling gaps
// from the feed entry; with no extractor (or a failed extraction) the feed
// entry alone is kept, so the article is not lost.
func (c *Crawler) article(a articleArgs, resp *fetch.Response) news.Article {
	art := news.Article{URL: a.URL, SourceID: a.SourceID, Title: a.Title, Author: a.Author, Text: a.Summary,
		Image: a.Image, Lang: a.Lang, Published: a.Published, FetchedAt: c.opt.Now()}
	if c.opt.Extract == nil {
		return art
	}
	p, err := c.opt.Extract(resp.Body, resp.URL, resp.ContentType)
	if err != nil {
		c.log.Warn("extraction failed; keeping the feed entry", "url", a.URL, "err", err)
		return art
	}
	if strings.TrimSpace(p.Text) != "" {
		art.Text, art.HTML = p.Text, p.HTML
	}
	art.Title = firstNonEmpty(p.Title, art.Title)
	art.Author = firstNonEmpty(p.Author, art.Author)
	art.Image = firstNonEmpty(p.Image, art.Image)
	art.Lang = firstNonEmpty(p.Lang, art.Lang)
	art.SiteName, art.Attribution = p.SiteName, p.Attribution
	if !p.Published.IsZero() {
		art.Published = p.Published
	}
	art.Modified = p.Modified
	return art
}

func firstNonEmpty(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

// tickWorker is the scheduler (serve): it queues feed jobs for sources
// that are due. Being a River periodic job, one runner does it at a time.
type tickWorker struct {
	river.WorkerDefaults[tickArgs]
	c *Crawler
}

func (w *tickWorker) Work(ctx context.Context, _ *river.Job[tickArgs]) error {
	due, err := w.c.opt.Store.DueSources(ctx, w.c.opt.Now(), 500)
	if err != nil {
		return err
	}
	if len(due) == 0 {
		return nil
	}
	n, err := w.c.EnqueueSources(ctx, due)
	if err == nil {
		w.c.log.Debug("scheduled feeds", "sources", len(due), "feeds", n)
	}
	return err
}
