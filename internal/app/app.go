// Package app wires marsad's parts together and owns their lifecycle: it
// opens the store the configuration selects, builds the pipeline, search,
// UI and API, and runs the HTTP server.
package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/marsad/marsad/internal/api"
	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/config"
	"github.com/marsad/marsad/internal/extract"
	"github.com/marsad/marsad/internal/fetch"
	"github.com/marsad/marsad/internal/httpx"
	"github.com/marsad/marsad/internal/ingest"
	"github.com/marsad/marsad/internal/jobs"
	"github.com/marsad/marsad/internal/metrics"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/search"
	"github.com/marsad/marsad/internal/sources"
	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/store/postgres"
	"github.com/marsad/marsad/internal/store/sqlite"
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
	Metrics  *metrics.Registry

	// db is the SQLite store's write pool, shared with the job queue; nil on
	// PostgreSQL.
	db *sql.DB

	httpRequests *metrics.Counter
	httpLatency  *metrics.Histogram
}

// ErrNoQueue: the job queue does not run on this store yet.
var ErrNoQueue = errors.New("crawling on PostgreSQL is not available in this build yet (the job queue runs on SQLite); import articles or use a SQLite --db")

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
		Pipeline: ingest.New(st, an, log),
		Search:   search.New(st, an),
		Metrics:  metrics.NewRegistry(),
	}
	if lite, ok := st.(*sqlite.Store); ok {
		a.db = lite.DB()
		// River's tables come from River's own migrator, right after the
		// store's: every verb opens a database that can take jobs.
		if err := jobs.Migrate(ctx, a.db, log); err != nil {
			st.Close()
			return nil, err
		}
	}
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
	return fetch.New(fetch.Options{Policy: policy, Robots: jobs.RobotsCache(a.Store), Logger: a.Log})
}

// CrawlOptions select how a crawler runs.
type CrawlOptions struct {
	Once, Recrawl, Schedule bool
}

// NewCrawler builds the job-queue crawler over the app's store.
func (a *App) NewCrawler(o CrawlOptions) (*jobs.Crawler, error) {
	if a.db == nil {
		return nil, ErrNoQueue
	}
	return jobs.New(jobs.Options{
		Store: a.Store, DB: a.db, Fetcher: a.NewFetcher(), Ingest: a.Pipeline, Logger: a.Log,
		TZ: a.Config.TZ, Once: o.Once, Recrawl: o.Recrawl, Schedule: o.Schedule,
		Extract:   pageExtractor(a),
		ParseDate: arabic.ParseDate,
	})
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

// Handler is the whole HTTP surface: UI, API, health.
func (a *App) Handler() (http.Handler, error) {
	mux := http.NewServeMux()
	ui, err := web.New(web.Options{Store: a.Store, Search: a.Search, Log: a.Log, TZ: a.Config.TZ, BaseURL: a.Config.PublicURL()})
	if err != nil {
		return nil, err
	}
	ui.Register(mux)
	fetcher := a.NewFetcher()
	apiMux := http.NewServeMux()
	api.New(api.Options{Store: a.Store, Search: a.Search, Log: a.Log, AdminToken: a.Config.AdminToken,
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
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				a.Log.Error("panic serving request", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				if !w.wrote {
					http.Error(w, "internal error", http.StatusInternalServerError)
				}
			}
		}()
		next.ServeHTTP(w, r)
	})
}

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
	if c, err := a.NewCrawler(CrawlOptions{Schedule: true}); a.Config.NoCrawl {
		// serve replicas without a crawler
	} else if errors.Is(err, ErrNoQueue) {
		a.Log.Warn("serving without the crawl scheduler", "reason", err)
	} else if err != nil {
		return err
	} else {
		if err := c.Start(ctx); err != nil {
			return err
		}
		defer func() {
			stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := c.Stop(stopCtx); err != nil {
				a.Log.Warn("stopping the crawler", "err", err)
			}
		}()
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
