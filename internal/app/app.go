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
	"time"

	"github.com/marsad/marsad/internal/api"
	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/config"
	"github.com/marsad/marsad/internal/fetch"
	"github.com/marsad/marsad/internal/ingest"
	"github.com/marsad/marsad/internal/jobs"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/search"
	"github.com/marsad/marsad/internal/sources"
	"github.com/marsad/marsad/internal/store"
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
	// db is the store's write pool, shared with the job queue.
	db *sql.DB
}

// ErrPostgresUnavailable: the configured database is PostgreSQL, which this
// build cannot open yet.
var ErrPostgresUnavailable = errors.New("the PostgreSQL store is not available in this build; use a SQLite path for --db")

// Open opens and migrates the configured store and builds the services.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger) (*App, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.IsPostgres() {
		return nil, ErrPostgresUnavailable
	}
	st, err := sqlite.Open(ctx, cfg.DB, sqlite.Options{Logger: log})
	if err != nil {
		return nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	// River's tables come from River's own migrator, right after the
	// store's: every verb opens a database that can take jobs.
	if err := jobs.Migrate(ctx, st.DB(), log); err != nil {
		st.Close()
		return nil, err
	}
	an := arabic.New()
	return &App{
		Config:   cfg,
		Log:      log,
		Store:    st,
		Analyzer: an,
		Pipeline: ingest.New(st, an, log),
		Search:   search.New(st, an),
		db:       st.DB(),
	}, nil
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
	return jobs.New(jobs.Options{
		Store: a.Store, DB: a.db, Fetcher: a.NewFetcher(), Ingest: a.Pipeline, Logger: a.Log,
		TZ: a.Config.TZ, Once: o.Once, Recrawl: o.Recrawl, Schedule: o.Schedule,
		Extract:   pageExtractor(a),
		ParseDate: nil, // arabic.ParseDate once internal/arabic/date.go is on main
	})
}

// pageExtractor is the article extractor the crawl uses. internal/extract
// is not on main yet: until it is, articles are stored from their feed
// entries (title, summary, date, image). Wiring it is one line:
// e := extract.New(extract.Options{Logger: a.Log, TZ: a.Config.TZ});
// return func(b []byte, u, ct string) (jobs.Page, error) { r, err := e.Extract(b, u, ct); return jobs.Page(r), err }
func pageExtractor(*App) jobs.ExtractFunc { return nil }

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
	ui, err := web.New(web.Options{Store: a.Store, Search: a.Search, Log: a.Log, TZ: a.Config.TZ})
	if err != nil {
		return nil, err
	}
	ui.Register(mux)
	fetcher := a.NewFetcher()
	api.New(api.Options{Store: a.Store, Search: a.Search, Log: a.Log, AdminToken: a.Config.AdminToken,
		Discover: func(ctx context.Context, u string) (news.Source, error) { return sources.Discover(ctx, fetcher, u) },
	}).Register(mux)
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

// middleware adds security headers and turns panics into 500s (logged, never
// shown to the client).
func (a *App) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// Serve runs the HTTP server on ln until ctx ends, then shuts down
// gracefully. Unless NoCrawl, the crawl scheduler runs alongside.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	h, err := a.Handler()
	if err != nil {
		return err
	}
	if !a.Config.NoCrawl {
		c, err := a.NewCrawler(CrawlOptions{Schedule: true})
		if err != nil {
			return err
		}
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
