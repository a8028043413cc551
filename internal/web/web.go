// Package web is marsad's reader-facing UI: Arabic, right-to-left, server-
// rendered with html/template (no JavaScript needed). Each page has a typed
// view model built in its own handler; templates never mark untrusted text
// safe.
package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/marsad/marsad/internal/httpx"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/search"
	"github.com/marsad/marsad/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options configure the UI.
type Options struct {
	Store  store.Store
	Search *search.Service
	Log    *slog.Logger
	// TZ is the zone times are shown in.
	TZ *time.Location
	// BaseURL is the site's public URL, for absolute links in feeds.
	BaseURL string
}

// Server renders the UI.
type Server struct {
	store   store.Store
	search  *search.Service
	log     *slog.Logger
	tz      *time.Location
	baseURL string
	pages   map[string]*template.Template
	static  http.Handler
}

// New parses the templates; an error here is a build defect.
func New(o Options) (*Server, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.TZ == nil {
		o.TZ = time.UTC
	}
	s := &Server{store: o.Store, search: o.Search, log: o.Log, tz: o.TZ, baseURL: strings.TrimRight(o.BaseURL, "/"),
		pages: map[string]*template.Template{}}
	funcs := template.FuncMap{
		"date":    s.formatDate,
		"isodate": func(t time.Time) string { return t.Format(time.RFC3339) },
		"num":     strconv.Itoa,
		"num64":   func(n int64) string { return strconv.FormatInt(n, 10) },
	}
	for _, page := range []string{"home", "article", "search", "error", "sources", "source"} {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+page+".html")
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", page, err)
		}
		s.pages[page] = t
	}
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	s.static = http.StripPrefix("/static/", http.FileServerFS(sub))
	return s, nil
}

// Register adds the UI's routes to mux.
func (s *Server) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /article/{id}", s.article)
	mux.HandleFunc("GET /search", s.searchPage)
	mux.HandleFunc("GET /sources", s.sourcesList)
	mux.HandleFunc("GET /source/{id}", s.sourceDetail)
	mux.Handle("GET /static/", cacheStatic(s.static))
	s.registerFeeds(mux)
}

func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// render executes a page into a buffer first, so a template error becomes a
// clean 500 page rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	var buf bytes.Buffer
	if err := s.pages[page].Execute(&buf, data); err != nil {
		s.log.Error("render", "page", page, "path", r.URL.Path, "err", err)
		http.Error(w, "خطأ داخلي", http.StatusInternalServerError)
		return
	}
	httpx.Write(w, r, status, "text/html; charset=utf-8", buf.Bytes())
}

// sourceName is how the UI names an article's outlet.
func (s *Server) sourceName(a news.Article) string {
	if a.SiteName != "" {
		return a.SiteName
	}
	return a.SourceID
}

// Page is what the layout needs from every page.
type Page struct {
	Title string
	Query string // echoed in the header search box
}

type errorPage struct {
	Page
	Status  int
	Message string
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := http.StatusInternalServerError, "حدث خطأ داخلي. حاول مرة أخرى لاحقاً."
	switch {
	case errors.Is(err, news.ErrNotFound):
		status, msg = http.StatusNotFound, "الصفحة غير موجودة."
	case errors.Is(err, news.ErrInvalid):
		status, msg = http.StatusBadRequest, "طلب غير صالح."
	default:
		s.log.Error("web", "path", r.URL.Path, "err", err)
	}
	s.render(w, r, status, "error", errorPage{Page: Page{Title: msg}, Status: status, Message: msg})
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("id %q: %w", r.PathValue("id"), news.ErrNotFound)
	}
	return id, nil
}

func queryInt(r *http.Request, key string, def, lo, hi int) int {
	n, err := strconv.Atoi(r.URL.Query().Get(key))
	if err != nil {
		return def
	}
	return max(lo, min(n, hi))
}
