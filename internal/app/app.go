// Package app wires marsad's parts together and owns their lifecycle: it
// opens the store the configuration selects, builds the pipeline, search,
// UI and API, and runs the HTTP server.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/marsad/marsad/internal/api"
	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/config"
	"github.com/marsad/marsad/internal/dedup"
	"github.com/marsad/marsad/internal/extract"
	"github.com/marsad/marsad/internal/fetch"
	"github.com/marsad/marsad/internal/httpx"
	"github.com/marsad/marsad/internal/index"
	"github.com/marsad/marsad/internal/ingest"
	"github.com/marsad/marsad/internal/jobs"
	"github.com/marsad/marsad/internal/metrics"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/search"
	"github.com/marsad/marsad/internal/sources"
	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/store/postgres"
	"github.com/marsad/marsad/internal/store/sqlite"
	"github.com/marsad/marsad/internal/stories"
	"github.com/marsad/marsad/internal/web"
)

// App is a running marsad: one store and the services over it.
type App struct {
	Config   config.Config
	Log      *slog.Logger
	Store    store.Store
	Analyzer *arabic.Analyzer
	Pipeline *ingest.Pipeline
	Search   *search.Service
	// Index is search's in-memory index: built from the store when Serve
	// starts, kept current by a pipeline stage; until it is ready (and in
	// the other verbs) search runs on the store.
	Index   *index.Index
	Metrics *metrics.Registry
	// Stories clusters every stored batch (a pipeline stage) and answers
	// related reading; its state is rebuilt from the store on first use.
	Stories *stories.Service

	// Queue is the job queue in the store's own database (River on the
	// SQLite write pool or the PostgreSQL pool).
	Queue jobs.Queue
	// RunnerID names this process among the job runners and in the shared
	// per-host budget.
	RunnerID string

	httpRequests *metrics.Counter
	httpLatency  *metrics.Histogram
	fetches      *metrics.Counter
}

// Open opens and migrates the configured store and builds the services.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger) (*App, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	st, err := OpenStore(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	an := arabic.New()
	a := &App{
		Config:   cfg,
		Log:      log,
		Store:    st,
		Analyzer: an,
		Pipeline: ingest.New(st, an, log, dedup.NewStage(dedup.Options{
			Store: st, Analyzer: an, Logger: log, Credit: extract.Credit,
		})),
		Search:  search.New(st, an),
		Metrics: metrics.NewRegistry(),
	}
	// Stories last: it is the stage a bulk import runs behind the next
	// batch's store (ingest.Trailer); the index needs only copy groups.
	a.Index = index.New()
	a.Pipeline.AddStage(index.Stage{Index: a.Index, Store: st})
	a.Stories = stories.New(stories.Options{Store: st, Analyzer: an, Log: log})
	a.Pipeline.AddStage(a.Stories)
	a.Search.UseIndex(a.Index)
	switch st := st.(type) {
	case *sqlite.Store:
		a.Queue = jobs.SQLiteQueue(st.DB())
	case *postgres.Store:
		a.Queue = jobs.PostgresQueue(st.Pool())
	default:
		st.Close()
		return nil, fmt.Errorf("app: no job queue for store %T", st)
	}
	// River's tables come from River's own migrator, right after the
	// store's: every verb opens a database that can take jobs.
	if err := jobs.Migrate(ctx, a.Queue, log); err != nil {
		st.Close()
		return nil, err
	}
	a.RunnerID = jobs.NewRunnerID()
	a.registerMetrics()
	return a, nil
}

func (a *App) registerMetrics() {
	a.httpRequests = a.Metrics.NewCounter("marsad_http_requests_total", "HTTP requests by route and status.", "route", "status")
	a.httpLatency = a.Metrics.NewHistogram("marsad_http_request_duration_seconds", "HTTP request latency by route.", metrics.DefBuckets, "route")
	a.Metrics.GaugeFunc("marsad_articles", "Articles stored.", func(ctx context.Context) (float64, error) {
		n, err := a.Store.CountArticles(ctx, store.ArticleFilter{})
		return float64(n), err
	})
	// Queue depth is the database's, so every replica reports the same.
	// Scheduled jobs are mostly article jobs staggered per host: the bulk
	// of a big crawl's backlog.
	for _, state := range []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStateRunning, rivertype.JobStateScheduled} {
		a.Metrics.GaugeFunc("marsad_jobs_"+string(state), "Crawl jobs "+string(state)+" in the queue (all processes).",
			func(ctx context.Context) (float64, error) {
				n, err := a.Queue.Count(ctx, state)
				return float64(n), err
			})
	}
	// Search's in-memory index: articles held (0 until the first build
	// finishes; search uses the store meanwhile).
	a.Metrics.GaugeFunc("marsad_search_index_articles", "Articles in search's in-memory index (0 while it builds or when it is off).", func(context.Context) (float64, error) {
		if a.Index == nil || !a.Index.Ready() {
			return 0, nil
		}
		return float64(a.Index.Len()), nil
	})
	// The stories' state, loaded in the background as serve starts
	// (minutes of CPU at 310k articles): related reading and story pages
	// wait for it, and so should a benchmark of a settled server.
	a.Metrics.GaugeFunc("marsad_stories_ready", "1 once the stories' state is loaded (serve loads it in the background as it starts), else 0.", func(context.Context) (float64, error) {
		if a.Stories.Ready() {
			return 1, nil
		}
		return 0, nil
	})
	a.fetches = a.Metrics.NewCounter("marsad_fetches_total", "HTTP fetches by this process, by status (a code or \"error\").", "status")
}

// OpenStore opens the store cfg.DB selects: a postgres:// URL is the
// scale-out PostgreSQL store, anything else a SQLite file.
func OpenStore(ctx context.Context, cfg config.Config, log *slog.Logger) (store.Store, error) {
	if cfg.IsPostgres() {
		return postgres.Open(ctx, cfg.DB, postgres.Options{Logger: log})
	}
	return sqlite.Open(ctx, cfg.DB, sqlite.Options{Logger: log})
}

// NewFetcher returns the polite HTTP client, refusing private addresses
// unless the configuration allows them.
func (a *App) NewFetcher() *fetch.Client {
	policy := fetch.PublicOnly
	if a.Config.AllowPrivate {
		policy = fetch.AllowAll
	}
	return fetch.New(fetch.Options{Policy: policy, Robots: jobs.RobotsCache(a.Store), Logger: a.Log,
		Budget: jobs.HostBudget(a.Store), Owner: a.RunnerID,
		Observe: func(status string) { a.fetches.Inc(status) }})
}

// CrawlOptions select how a crawler runs.
type CrawlOptions struct {
	Once, Recrawl, Schedule bool
}

// NewCrawler builds the job-queue crawler over the app's store.
func (a *App) NewCrawler(o CrawlOptions) (*jobs.Crawler, error) {
	return jobs.New(jobs.Options{
		Store: a.Store, Queue: a.Queue, Fetcher: a.NewFetcher(), Ingest: a.Pipeline, Logger: a.Log,
		TZ: a.Config.TZ, Once: o.Once, Recrawl: o.Recrawl, Schedule: o.Schedule,
		Workers: a.Config.Workers, RunnerID: a.RunnerID,
		Extract:   pageExtractor(a),
		ParseDate: arabic.ParseDate,
	})
}

// StartCrawler starts the crawl workers and the scheduler (serve, worker)
// and returns the function that stops them gracefully: no new jobs are
// taken, running ones get 10 s to finish, and the rest are cancelled and
// go back to the queue for the next runner.
func (a *App) StartCrawler(ctx context.Context) (stop func(), err error) {
	c, err := a.NewCrawler(CrawlOptions{Schedule: true})
	if err != nil {
		return nil, err
	}
	if err := c.Start(ctx); err != nil {
		return nil, err
	}
	return func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := c.Stop(stopCtx); err != nil {
			a.Log.Warn("stopping the crawler", "err", err)
		}
	}, nil
}

// pageExtractor is the article extractor the crawl uses.
func pageExtractor(a *App) jobs.ExtractFunc {
	e := extract.New(extract.Options{Logger: a.Log, TZ: a.Config.TZ, Now: time.Now})
	return func(body []byte, pageURL, contentType string) (jobs.Page, error) {
		r, err := e.Extract(body, pageURL, contentType)
		return jobs.Page{
			URL: r.URL, CanonicalURL: r.CanonicalURL, Title: r.Title, Author: r.Author,
			Published: r.Published, Modified: r.Modified, Lang: r.Lang, SiteName: r.SiteName, Image: r.Image,
			Text: r.Text, HTML: r.HTML, Attribution: r.Attribution, Charset: r.Charset,
		}, err
	}
}

// Close releases the store.
func (a *App) Close() error { return a.Store.Close() }

// Optimizer is implemented by stores that can compact their search index
// after a bulk load.
type Optimizer interface {
	Optimize(ctx context.Context) error
}

// BulkLoader is implemented by stores that can put off, during a bulk
// load, upkeep the load would repeat many times (SQLite: the search
// index's segment merges and the WAL's checkpoints); Optimize ends it.
type BulkLoader interface {
	Optimizer
	BeginBulk(ctx context.Context) error
}

// Import loads import-line files into the store the way `marsad import`
// does (and the import benchmark measures): the store's bulk mode, when
// it has one, for the whole load, then its search index compacted.
func (a *App) Import(ctx context.Context, files []string, opts ingest.ImportOptions) (ingest.ImportResult, error) {
	if b, ok := a.Store.(BulkLoader); ok {
		if err := b.BeginBulk(ctx); err != nil {
			return ingest.ImportResult{}, fmt.Errorf("import: %w", err)
		}
	}
	res, err := a.Pipeline.ImportFiles(ctx, files, opts)
	if err != nil {
		return res, err
	}
	if o, ok := a.Store.(Optimizer); ok {
		if err := o.Optimize(ctx); err != nil {
			return res, fmt.Errorf("import: optimize: %w", err)
		}
	}
	return res, nil
}

// Handler is the whole HTTP surface: UI, API, health.
func (a *App) Handler() (http.Handler, error) {
	mux := http.NewServeMux()
	ui, err := web.New(web.Options{Store: a.Store, Search: a.Search, Log: a.Log, TZ: a.Config.TZ, BaseURL: a.Config.PublicURL(), Now: time.Now,
		PageCache: a.Config.PageCache, Stories: a.Stories, Copies: dedup.NewLineages(a.Store, a.Analyzer)})
	if err != nil {
		return nil, err
	}
	ui.Register(mux)
	fetcher := a.NewFetcher()
	apiMux := http.NewServeMux()
	api.New(api.Options{Store: a.Store, Search: a.Search, Log: a.Log, AdminToken: a.Config.AdminToken, Now: time.Now,
		Stories:  a.Stories,
		Copies:   dedup.NewLineages(a.Store, a.Analyzer),
		Discover: func(ctx context.Context, u string) (news.Source, error) { return sources.Discover(ctx, fetcher, u) },
	}).Register(apiMux)
	var apiHandler http.Handler = apiMux
	if a.Config.APIRate > 0 {
		limiter := httpx.NewRateLimiter(a.Config.APIRate, int(2*a.Config.APIRate), nil)
		apiHandler = limiter.Middleware(apiMux, api.TooManyRequests)
	}
	mux.Handle("/api/", apiHandler)
	mux.Handle("GET /metrics", a.Metrics.Handler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := a.Store.Ping(ctx); err != nil {
			a.Log.Error("healthz", "err", err)
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	return a.middleware(mux), nil
}

// middleware adds security headers, records request metrics and turns panics
// into 500s (logged, never shown to the client).
func (a *App) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		w := &statusWriter{ResponseWriter: rw, status: http.StatusOK}
		defer func() {
			// The mux sets r.Pattern on the request it routes; unmatched
			// paths share one label so scanners cannot explode cardinality.
			route := r.Pattern
			if route == "" {
				route = "unmatched"
			}
			a.httpRequests.Inc(route, strconv.Itoa(w.status))
			a.httpLatency.Observe(time.Since(start).Seconds(), route)
		}()
		h := w.Header()
		// Article images come from the outlets' own hosts, so img-src allows
		// any http(s) origin; nothing else leaves 'self'.
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' https: http: data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				a.Log.Error("panic serving request", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				if !w.wrote {
					if strings.HasPrefix(r.URL.Path, "/api/") {
						api.InternalError(w, r)
					} else {
						http.Error(w, "internal error", http.StatusInternalServerError)
					}
				}
			}
		}()
		if len(r.URL.RawQuery) > maxRawQuery {
			http.Error(w, "الطلب طويل جداً (request URI too long)", http.StatusRequestURITooLong)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// maxRawQuery bounds a request's query string. Every search is analysed and
// run term by term, so an unbounded q is a cheap way to keep a core busy
// (a 240 KB query took 10 s); 4 KiB is ~1,300 Arabic letters
// percent-encoded, far beyond any real query.
const maxRawQuery = 4 << 10

// statusWriter remembers the status a handler sent.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Serve runs the HTTP server on ln until ctx ends, then shuts down
// gracefully. Unless NoCrawl, the crawl scheduler runs alongside.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	h, err := a.Handler()
	if err != nil {
		return err
	}
	// Startup loads (the clustering state, the search index) leave garbage
	// as large as what they keep: collect more often while they run (a 10%
	// target: at 310k articles 100% peaked at twice what is kept, 25% at
	// 1.35 times), hand the freed pages back once both are done, then keep
	// a soft memory limit sized from what is held (memlimit.go).
	restoreGC := debug.SetGCPercent(10)
	var loads sync.WaitGroup
	// Related reading needs the clustering state: rebuild it in the
	// background (pages show no related reading until it is ready).
	loads.Go(func() {
		if err := a.Stories.Load(ctx); err != nil && ctx.Err() == nil {
			a.Log.Error("loading stories", "err", err)
		}
	})
	// Search answers from the store until its in-memory index is built,
	// then from the index, which follows the store's changes (this
	// process's at once through the pipeline stage, other processes'
	// within a poll).
	if !a.Config.NoSearchIndex {
		f := &index.Follower{Index: a.Index, Store: a.Store, Analyzer: a.Analyzer, Log: a.Log}
		every := 2 * time.Second
		if a.Config.IsPostgres() {
			// Concurrent transactions commit change numbers out of order.
			f.Lag, every = time.Minute, 5*time.Second
		}
		// The first pass builds the index (a startup load); Run follows.
		loads.Go(func() {
			if _, err := f.CatchUp(ctx); err != nil && ctx.Err() == nil {
				a.Log.Error("search index", "err", err)
			}
			go f.Run(ctx, every)
		})
	}
	go func() {
		loads.Wait()
		debug.SetGCPercent(restoreGC)
		debug.FreeOSMemory()
		limitMemory(ctx, a.Log)
	}()
	if !a.Config.NoCrawl {
		stop, err := a.StartCrawler(ctx)
		if err != nil {
			return err
		}
		defer stop()
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	return nil
}
