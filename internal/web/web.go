// Package web is marsad's reader-facing UI: Arabic, right-to-left, server-
// rendered with html/template (no JavaScript needed). Each page has a typed
// view model built in its own handler; templates never mark untrusted text
// safe.
//
// The reader's settings (theme, digits; see Prefs) do not reach the view
// models: every page is parsed once per combination of settings, with
// template funcs bound to it, and render picks the variant for the
// request. Templates use:
//
//	{{num .N}} {{num64 .N}} {{date .T}} {{day .T}}       numbers, dates and days in the reader's digits
//	{{isoday "2015-08-05"}}                               a YYYY-MM-DD day as "5 أغسطس 2015"
//	{{plural .N "مقال واحد" "مقالان" "مقالات" "مقالاً" "مقال"}}  a count agreeing with its noun
//	{{digits "…"}}                                        any other UI text with digits
//	{{isodate .T}}                                        machine-readable (datetime attributes)
//	{{theme}} {{digitsMode}}                              the settings, for the layout
//	{{asset "style.css"}}                                 a static file's versioned URL
//	{{sourceName .SourceID}}                              an outlet's display name
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
	"sync"
	"time"

	"github.com/marsad/marsad/internal/dedup"
	"github.com/marsad/marsad/internal/httpx"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/search"
	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/stories"
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
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// PageCache is how long a rendered page is reused (see pageCache);
	// 0 renders every request.
	PageCache time.Duration
	// Stories gives related reading and copy groups; nil leaves them out.
	Stories *stories.Service
	// Copies gives provenance and copy lineages; nil leaves them out.
	Copies *dedup.Lineages
}

// pageCacheEntries bounds the page cache (an article page is ~20 KB).
const pageCacheEntries = 1024

// Server renders the UI.
type Server struct {
	store   store.Store
	search  *search.Service
	log     *slog.Logger
	tz      *time.Location
	baseURL string
	// pages[variant][page]; variant is prefsKey(Prefs).
	pages   map[string]map[string]*template.Template
	static  *assets
	bufs    sync.Pool
	now     func() time.Time
	names   sourceNames
	cache   *pageCache
	stories *stories.Service
	copies  *dedup.Lineages
}

// pages are the templates that define "main" (one per page); fragments
// define named templates any page may include.
var (
	pages     = []string{"home", "article", "search", "error", "sources", "source", "story", "copies"}
	fragments = []string{"sparkline", "searchhelp", "searchfacets", "frag_topstories", "frag_related", "frag_provenance"}
)

// New parses the templates; an error here is a build defect.
func New(o Options) (*Server, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.TZ == nil {
		o.TZ = time.UTC
	}
	s := &Server{store: o.Store, search: o.Search, log: o.Log, tz: o.TZ, baseURL: strings.TrimRight(o.BaseURL, "/"),
		pages: map[string]map[string]*template.Template{}, now: o.Now, stories: o.Stories, copies: o.Copies}
	if s.now == nil {
		s.now = time.Now
	}
	s.names.s = s
	if o.PageCache > 0 {
		s.cache = newPageCache(o.PageCache, pageCacheEntries, s.now)
	}
	s.bufs.New = func() any { return new(bytes.Buffer) }
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	if s.static, err = loadAssets(sub); err != nil {
		return nil, err
	}
	base := template.FuncMap{
		"date":       s.formatDate,
		"isodate":    func(t time.Time) string { return t.Format(time.RFC3339) },
		"num":        strconv.Itoa,
		"num64":      func(n int64) string { return strconv.FormatInt(n, 10) },
		"digits":     func(s string) string { return s },
		"day":        formatDay,
		"isoday":     formatISODay,
		"plural":     plural,
		"theme":      func() string { return themeAuto },
		"digitsMode": func() string { return digitsLatn },
		"asset":      s.static.url,
		"sourceName": s.names.name,
	}
	for _, page := range pages {
		files := []string{"templates/layout.html"}
		for _, f := range fragments {
			files = append(files, "templates/"+f+".html")
		}
		t, err := template.New("layout.html").Funcs(base).ParseFS(templateFS, append(files, "templates/"+page+".html")...)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", page, err)
		}
		for _, theme := range themes {
			for _, dg := range digits {
				v, err := t.Clone()
				if err != nil {
					return nil, fmt.Errorf("web: template %s: %w", page, err)
				}
				v.Funcs(s.variantFuncs(theme, dg))
				key := prefsKey(Prefs{Theme: theme, Digits: dg})
				if s.pages[key] == nil {
					s.pages[key] = map[string]*template.Template{}
				}
				s.pages[key][page] = v
			}
		}
	}
	return s, nil
}

func prefsKey(p Prefs) string { return p.Theme + "/" + p.Digits }

// variantFuncs binds the template funcs that depend on the reader's
// settings.
func (s *Server) variantFuncs(theme, dg string) template.FuncMap {
	conv := func(s string) string { return s }
	if dg == digitsArab {
		conv = arabicIndic
	}
	return template.FuncMap{
		"date":   func(t time.Time) string { return conv(s.formatDate(t)) },
		"num":    func(n int) string { return conv(strconv.Itoa(n)) },
		"num64":  func(n int64) string { return conv(strconv.FormatInt(n, 10)) },
		"digits": conv,
		"day":    func(t time.Time) string { return conv(formatDay(t)) },
		"plural": func(n int, one, two, few, many, other string) string {
			return conv(plural(n, one, two, few, many, other))
		},
		"theme":      func() string { return theme },
		"digitsMode": func() string { return dg },
	}
}

// Register adds the UI's routes to mux.
func (s *Server) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", s.cached(s.home))
	mux.HandleFunc("GET /article/{id}", s.cached(s.article))
	mux.HandleFunc("GET /article/{id}/copies", s.cached(s.copiesPage))
	mux.HandleFunc("GET /story/{id}", s.cached(s.storyDetail))
	mux.HandleFunc("GET /search", s.searchPage)
	mux.HandleFunc("GET /sources", s.cached(s.sourcesList))
	mux.HandleFunc("GET /source/{id}", s.cached(s.sourceDetail))
	mux.Handle("GET /static/", s.static)
	// Cross-origin posts are refused: another site cannot flip a reader's
	// settings.
	mux.Handle("POST /settings", http.NewCrossOriginProtection().Handler(http.HandlerFunc(s.settings)))
	s.registerFeeds(mux)
}

// render executes a page into a buffer first, so a template error becomes a
// clean 500 page rather than half a page.
// Pages vary with the settings cookies; buffers are pooled.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	buf := s.bufs.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 1<<20 { // a rare huge page should not pin its buffer
			buf.Reset()
			s.bufs.Put(buf)
		}
	}()
	t := s.pages[prefsKey(prefsOf(r))][page]
	if err := t.Execute(buf, data); err != nil {
		s.log.Error("render", "page", page, "path", r.URL.Path, "err", err)
		http.Error(w, "خطأ داخلي", http.StatusInternalServerError)
		return
	}
	w.Header().Add("Vary", "Cookie")
	httpx.Write(w, r, status, "text/html; charset=utf-8", buf.Bytes())
}

// sourceName is how the UI names an article's outlet.
func (s *Server) sourceName(a news.Article) string {
	if a.SiteName != "" {
		return a.SiteName
	}
	return s.names.name(a.SourceID)
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
