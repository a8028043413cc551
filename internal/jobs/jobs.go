// Package jobs runs marsad's crawl as durable jobs on River: a feed job per
// source feed turns new entries into article jobs; an article job fetches,
// extracts and ingests one page. Jobs live in the same database as the
// articles (SQLite by default), so a killed process resumes where it
// stopped: unfinished jobs are still there, jobs a dead process was running
// are handed back (see rescue.go), and an article whose URL is already
// stored is never fetched again.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivertype"

	"github.com/marsad/marsad/internal/feed"
	"github.com/marsad/marsad/internal/fetch"
	"github.com/marsad/marsad/internal/ingest"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
)

// Page is an extracted article page. Its fields are those of
// extract.Result, in order, so internal/app converts one into the other.
type Page struct {
	URL, CanonicalURL, Title, Author string
	Published, Modified              time.Time
	Lang, SiteName, Image            string
	Text, HTML, Attribution, Charset string
}

// ExtractFunc extracts a page; it is extract.Extractor.Extract's shape.
type ExtractFunc func(body []byte, pageURL string, contentType string) (Page, error)

// Fetcher is the part of *fetch.Client the crawl uses.
type Fetcher interface {
	Get(ctx context.Context, req fetch.Request) (*fetch.Response, error)
	// Gap is the time the fetcher keeps between two requests to host
	// (host:port): its spacing, or the site's Crawl-delay when larger.
	Gap(host string) time.Duration
}

// Ingester stores articles (ingest.Pipeline).
type Ingester interface {
	Ingest(ctx context.Context, batch []news.Article) ([]store.Upserted, ingest.Stats, error)
}

// Options configure a Crawler.
type Options struct {
	Store store.Store
	// Queue is River's database: the store's own (SQLiteQueue or
	// PostgresQueue).
	Queue   Queue
	Fetcher Fetcher
	// Extract turns a page into an article. When nil, or when it fails, the
	// article is stored from its feed entry (title, summary, date).
	Extract ExtractFunc
	Ingest  Ingester
	Logger  *slog.Logger
	// TZ reads zone-less feed dates.
	TZ *time.Location
	// ParseDate reads dates the feed parser's layouts do not (Arabic).
	ParseDate feed.DateFunc
	// Workers is the number of jobs run at once (default 32); the per-host
	// budget in fetch keeps each site at one request at a time regardless.
	Workers int
	// Once tunes retries for a single pass (few, short) instead of a
	// long-running server (more, backing off to an hour).
	Once bool
	// Recrawl fetches article pages even when their URL is stored.
	Recrawl bool
	// Schedule runs the periodic scheduler (serve): due sources get feed
	// jobs every ScheduleEvery (1 min).
	Schedule      bool
	ScheduleEvery time.Duration
	Now           func() time.Time
	// PollInterval is how often River looks for new jobs (200 ms).
	PollInterval time.Duration
	// RunnerID names this process among the job runners (NewRunnerID when
	// empty); give the fetcher the same one as its budget owner, so the
	// host turns of a dead runner are handed back with its jobs.
	RunnerID string
}

// Crawler owns the River client and the crawl workers.
type Crawler struct {
	opt     Options
	log     *slog.Logger
	client  riverClient
	exec    riverdriver.Executor
	id      string
	stats   counters
	rescues atomic.Int64
	stop    context.CancelFunc
	done    chan struct{}
}

// Job kinds.
const (
	kindFeed    = "crawl_feed"
	kindArticle = "crawl_article"
	kindTick    = "crawl_schedule"
)

// quiet lowers River's chatter by one level: its info lines (leadership,
// queue start) are debug detail for marsad.
func quiet(log *slog.Logger) *slog.Logger {
	if log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(levelShift{log.Handler()})
}

type levelShift struct{ slog.Handler }

func (h levelShift) Enabled(ctx context.Context, l slog.Level) bool {
	if l < slog.LevelWarn {
		l -= 4
	}
	return h.Handler.Enabled(ctx, l)
}

func (h levelShift) Handle(ctx context.Context, r slog.Record) error {
	if r.Level < slog.LevelWarn {
		r.Level -= 4
	}
	return h.Handler.Handle(ctx, r)
}

func (h levelShift) WithAttrs(a []slog.Attr) slog.Handler { return levelShift{h.Handler.WithAttrs(a)} }
func (h levelShift) WithGroup(n string) slog.Handler      { return levelShift{h.Handler.WithGroup(n)} }

// New builds a crawler; Start runs it.
func New(opt Options) (*Crawler, error) {
	if opt.Store == nil || opt.Queue.newClient == nil || opt.Fetcher == nil || opt.Ingest == nil {
		return nil, errors.New("jobs: Store, Queue, Fetcher and Ingest are required")
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.TZ == nil {
		opt.TZ = time.UTC
	}
	if opt.Workers <= 0 {
		opt.Workers = 32
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.ScheduleEvery <= 0 {
		opt.ScheduleEvery = time.Minute
	}
	if opt.PollInterval <= 0 {
		opt.PollInterval = 200 * time.Millisecond
	}
	if opt.RunnerID == "" {
		opt.RunnerID = NewRunnerID()
	}
	c := &Crawler{opt: opt, log: opt.Logger, id: opt.RunnerID, exec: opt.Queue.exec}
	workers := river.NewWorkers()
	river.AddWorker(workers, &feedWorker{c: c})
	river.AddWorker(workers, &articleWorker{c: c})
	river.AddWorker(workers, &tickWorker{c: c})
	cfg := &river.Config{
		ID:                c.id,
		Logger:            quiet(opt.Logger),
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: opt.Workers}},
		Workers:           workers,
		FetchCooldown:     min(opt.PollInterval, 100*time.Millisecond),
		FetchPollInterval: opt.PollInterval,
		JobTimeout:        2 * time.Minute,
		MaxAttempts:       8,
		RetryPolicy:       &retryPolicy{once: opt.Once},
		// Stuck jobs of dead processes are handed back sooner by rescue.go;
		// this is the backstop for runners that vanish without a trace.
		RescueStuckJobsAfter:        15 * time.Minute,
		CompletedJobRetentionPeriod: 24 * time.Hour,
	}
	if opt.Once {
		cfg.MaxAttempts = 3
	}
	if opt.Schedule {
		cfg.PeriodicJobs = []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(opt.ScheduleEvery),
			func() (river.JobArgs, *river.InsertOpts) { return tickArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true})}
	}
	client, err := opt.Queue.newClient(cfg)
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	c.client = client
	return c, nil
}

// NewRunnerID names a job runner: host:pid:start. The host and PID let a
// runner on the same machine tell at once that another has died (see
// rescue.go); machines must therefore have distinct host names (containers
// get their own by default).
func NewRunnerID() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s:%d:%d", strings.ReplaceAll(host, ":", "_"), os.Getpid(), time.Now().UnixNano())
}

// Start hands back the jobs of dead runners, starts the heartbeat and the
// River client.
func (c *Crawler) Start(ctx context.Context) error {
	if err := c.opt.Store.TouchRunner(ctx, c.id, c.opt.Now()); err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	if n, err := c.rescue(ctx); err != nil {
		c.log.Warn("rescuing jobs of dead runners", "err", err)
	} else if n > 0 {
		c.log.Info("resumed jobs left running by a stopped process", "jobs", n)
	}
	bg, stop := context.WithCancel(context.WithoutCancel(ctx))
	c.stop, c.done = stop, make(chan struct{})
	go c.heartbeat(bg)
	if err := c.client.Start(ctx); err != nil {
		stop()
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// Stop stops taking jobs and waits for running ones (until ctx ends; then
// they are cancelled and snoozed back for the next start).
func (c *Crawler) Stop(ctx context.Context) error {
	err := c.client.Stop(ctx)
	if err != nil {
		err = c.client.StopAndCancel(context.WithoutCancel(ctx))
	}
	if c.stop != nil {
		c.stop()
		<-c.done
	}
	return err
}

// heartbeat notes the runner is alive and hands back dead runners' jobs.
func (c *Crawler) heartbeat(ctx context.Context) {
	defer close(c.done)
	t := time.NewTicker(heartbeatEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := c.opt.Store.TouchRunner(ctx, c.id, c.opt.Now()); err != nil && ctx.Err() == nil {
			c.log.Warn("job runner heartbeat", "err", err)
		}
		if n, err := c.rescue(ctx); err != nil && ctx.Err() == nil {
			c.log.Warn("rescuing jobs of dead runners", "err", err)
		} else if n > 0 {
			c.log.Info("resumed jobs left running by a stopped process", "jobs", n)
		}
	}
}

// EnqueueSources inserts a feed job for every feed of every source.
func (c *Crawler) EnqueueSources(ctx context.Context, sources []news.Source) (int, error) {
	var params []river.InsertManyParams
	for _, s := range sources {
		for _, f := range s.FeedURLs {
			params = append(params, river.InsertManyParams{Args: feedArgs{SourceID: s.ID, FeedURL: f}, InsertOpts: uniqueOpts()})
		}
	}
	if len(params) == 0 {
		return 0, nil
	}
	if _, err := c.client.InsertMany(ctx, params); err != nil {
		return 0, fmt.Errorf("jobs: enqueue feeds: %w", err)
	}
	return len(params), nil
}

// Pending counts feed and article jobs not yet finished.
func (c *Crawler) Pending(ctx context.Context) (int, error) {
	res, err := c.client.JobList(ctx, river.NewJobListParams().Kinds(kindFeed, kindArticle).
		States(rivertype.JobStateAvailable, rivertype.JobStateRunning, rivertype.JobStateRetryable,
			rivertype.JobStateScheduled, rivertype.JobStatePending).First(10000))
	if err != nil {
		return 0, fmt.Errorf("jobs: pending: %w", err)
	}
	return len(res.Jobs), nil
}

// Wait returns once no feed or article job is left, calling progress (if
// not nil) every interval.
func (c *Crawler) Wait(ctx context.Context, every time.Duration, progress func(Stats, int)) error {
	t := time.NewTicker(every)
	defer t.Stop()
	quiet := 0
	for {
		n, err := c.Pending(ctx)
		if err != nil {
			return err
		}
		if progress != nil {
			progress(c.Stats(), n)
		}
		// Two empty looks in a row: a feed job inserting articles
		// between them would show as pending in the second.
		if n == 0 {
			quiet++
			if quiet >= 2 {
				return nil
			}
		} else {
			quiet = 0
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// uniqueOpts make a job unique by its args among unfinished jobs, so a
// feed listed twice or an article in two feeds is queued once. Finished
// jobs do not count: the next pass may queue the feed again.
func uniqueOpts() *river.InsertOpts {
	return &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
		rivertype.JobStateRunning, rivertype.JobStateScheduled,
	}}}
}

// retryPolicy: exponential with jitter; short and few in a single pass.
type retryPolicy struct{ once bool }

func (p *retryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	base, ceiling := 10*time.Second, time.Hour
	if p.once {
		base, ceiling = time.Second, 5*time.Second
	}
	d := base
	for i := 1; i < job.Attempt && d < ceiling; i++ {
		d *= 2
	}
	d = min(d, ceiling)
	return time.Now().Add(d/2 + time.Duration(rand.Float64()*float64(d/2)))
}

// Stats counts what the crawl did since Start.
type Stats struct {
	SourcesOK, SourcesFailed int64
	Feeds304                 int64
	ArticlesQueued           int64
	Pages                    int64
	ArticlesNew, ArticlesUpd int64
	ArticlesSame, Skipped    int64
	PagesFailed, Disallowed  int64
	Bytes                    int64
}

type counters struct {
	sourcesOK, sourcesFailed, feeds304, queued, pages         atomic.Int64
	artNew, artUpd, artSame, skipped, pagesFailed, disallowed atomic.Int64
	bytes                                                     atomic.Int64
}

// Stats returns the counters.
func (c *Crawler) Stats() Stats {
	s := &c.stats
	return Stats{
		SourcesOK: s.sourcesOK.Load(), SourcesFailed: s.sourcesFailed.Load(), Feeds304: s.feeds304.Load(),
		ArticlesQueued: s.queued.Load(), Pages: s.pages.Load(),
		ArticlesNew: s.artNew.Load(), ArticlesUpd: s.artUpd.Load(), ArticlesSame: s.artSame.Load(),
		Skipped: s.skipped.Load(), PagesFailed: s.pagesFailed.Load(), Disallowed: s.disallowed.Load(),
		Bytes: s.bytes.Load(),
	}
}
