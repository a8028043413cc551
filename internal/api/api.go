// Package api is marsad's JSON API v1. Shapes match the CLI's --json output
// (DESIGN.md); errors are {"error": {"code", "message"}} and never carry
// internal detail.
package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/marsad/marsad/internal/dedup"
	"github.com/marsad/marsad/internal/httpx"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/search"
	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/stories"
)

// Options configure the API.
type Options struct {
	Store  store.Store
	Search *search.Service
	Log    *slog.Logger
	// AdminToken guards mutations; empty disables them.
	AdminToken string
	// Discover finds a source's feeds for POST /api/v1/sources.
	Discover DiscoverFunc
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// Stories serves related reading; nil answers 503.
	Stories *stories.Service
	// Copies serves copy lineages; nil answers 404.
	Copies *dedup.Lineages
}

// Server serves /api/v1.
type Server struct {
	store      store.Store
	search     *search.Service
	log        *slog.Logger
	adminToken string
	discover   DiscoverFunc
	now        func() time.Time
	mux        *http.ServeMux
	stories    *stories.Service
	copies     *dedup.Lineages
}

// New returns the API server.
func New(o Options) *Server {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Server{store: o.Store, search: o.Search, log: o.Log, adminToken: o.AdminToken, discover: o.Discover, now: o.Now,
		stories: o.Stories, copies: o.Copies}
}

// Register adds the API's routes to mux.
func (s *Server) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/articles", s.articles)
	mux.HandleFunc("GET /api/v1/articles/{id}", s.article)
	mux.HandleFunc("GET /api/v1/search", s.searchHandler)
	mux.HandleFunc("GET /api/v1/stories", s.storiesHandler)
	mux.HandleFunc("GET /api/v1/stories/{id}", s.storyHandler)
	mux.HandleFunc("GET /api/v1/articles/{id}/similar", s.similarHandler)
	mux.HandleFunc("GET /api/v1/articles/{id}/copies", s.copiesHandler)
	mux.HandleFunc("GET /api/v1/sources", s.sourcesHandler)
	mux.HandleFunc("POST /api/v1/sources", s.addSource)
	mux.HandleFunc("DELETE /api/v1/sources/{id}", s.deleteSource)
	mux.HandleFunc("POST /api/v1/sources/{id}/crawl", s.recrawl)
	mux.HandleFunc("GET /api/v1/openapi.json", s.openAPI)
	s.mux = mux
	mux.HandleFunc("/api/", s.unrouted)
}

// unrouted answers what no route takes, in the API's error shape: 405 with
// Allow when the path exists under other methods, else 404. (The mux's own
// 405 would be plain text, and the catch-all would hide it.)
func (s *Server) unrouted(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/api/" {
			allow = append(allow, m)
		}
	}
	if len(allow) == 0 {
		writeError(w, r, http.StatusNotFound, "not_found", "no such API endpoint")
		return
	}
	if slices.Contains(allow, http.MethodGet) {
		allow = append(allow, http.MethodHead)
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	writeError(w, r, http.StatusMethodNotAllowed, "method_not_allowed", r.Method+" is not allowed here; use "+strings.Join(allow, ", "))
}

// Article is the API's article shape.
type Article struct {
	ID          int64      `json:"id"`
	URL         string     `json:"url"`
	Source      string     `json:"source"`
	Title       string     `json:"title"`
	Author      string     `json:"author,omitempty"`
	Published   *time.Time `json:"published,omitempty"`
	Lang        string     `json:"lang,omitempty"`
	SiteName    string     `json:"site_name,omitempty"`
	Image       string     `json:"image,omitempty"`
	Attribution string     `json:"attribution,omitempty"`
	Text        string     `json:"text,omitempty"`
	HTML        string     `json:"html,omitempty"`
	StoryID     int64      `json:"story_id,omitempty"`
	OriginalID  int64      `json:"original_id,omitempty"`
	FetchedAt   time.Time  `json:"fetched_at"`
}

// ArticleOf converts a domain article; withBody includes text and HTML.
func ArticleOf(a news.Article, withBody bool) Article {
	out := Article{
		ID: a.ID, URL: a.URL, Source: a.SourceID, Title: a.Title, Author: a.Author, Lang: a.Lang,
		SiteName: a.SiteName, Image: a.Image, Attribution: a.Attribution, StoryID: a.StoryID,
		OriginalID: a.OriginalID, FetchedAt: a.FetchedAt, Published: timePtr(a.Published),
	}
	if withBody {
		out.Text, out.HTML = a.Text, a.HTML
	}
	return out
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// SearchResult is one entry of {results: […]} (search and similar).
type SearchResult struct {
	ID        int64      `json:"id"`
	URL       string     `json:"url"`
	Source    string     `json:"source"`
	Title     string     `json:"title"`
	Published *time.Time `json:"published,omitempty"`
	Score     float64    `json:"score"`
	Snippet   string     `json:"snippet"`
	StoryID   int64      `json:"story_id"`
	// Copies: other matching articles of its copy group (search only).
	Copies int `json:"copies,omitempty"`
}

// SearchResults is the search/similar response shape.
type SearchResults struct {
	Query string `json:"query,omitempty"`
	Total int    `json:"total"`
	// Approx marks Total as an upper bound (phrase queries with many candidates).
	Approx  bool           `json:"approx,omitempty"`
	TookMS  float64        `json:"took_ms,omitempty"`
	Results []SearchResult `json:"results"`
	Facets  *SearchFacets  `json:"facets,omitempty"`
}

// SearchFacets counts the matching articles by source and by day.
type SearchFacets struct {
	Sources []FacetCount `json:"sources"`
	Days    []FacetCount `json:"days"`
}

// FacetCount is one facet value: a source ID or a day (YYYY-MM-DD).
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// SearchResultsOf converts a search page.
func SearchResultsOf(r search.Results) SearchResults {
	out := SearchResults{Query: r.Query, Total: r.Total, Approx: r.Approx, TookMS: float64(r.Took.Microseconds()) / 1000,
		Results: []SearchResult{}}
	for _, h := range r.Results {
		out.Results = append(out.Results, SearchResult{
			ID: h.Article.ID, URL: h.Article.URL, Source: h.Article.SourceID, Title: h.Article.Title,
			Published: timePtr(h.Article.Published), Score: h.Score, Snippet: h.Snippet.String(),
			StoryID: h.Article.StoryID, Copies: h.Copies,
		})
	}
	if r.Sources != nil || r.Days != nil {
		f := &SearchFacets{Sources: []FacetCount{}, Days: []FacetCount{}}
		for _, c := range r.Sources {
			f.Sources = append(f.Sources, FacetCount{Value: c.Source, Count: c.Count})
		}
		for _, d := range r.Days {
			f.Days = append(f.Days, FacetCount{Value: d.Day, Count: d.Count})
		}
		out.Facets = f
	}
	return out
}

type articleList struct {
	Articles []Article `json:"articles"`
	Total    int       `json:"total"`
	Limit    int       `json:"limit"`
	Offset   int       `json:"offset"`
	// Next is the next page's URL; absent on the last page.
	Next string `json:"next,omitempty"`
}

func (s *Server) articles(w http.ResponseWriter, r *http.Request) {
	limit, offset, ok := paging(w, r)
	if !ok {
		return
	}
	f := store.ArticleFilter{SourceID: r.URL.Query().Get("source"), Limit: limit, Offset: offset}
	arts, err := s.store.Articles(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	total, err := s.store.CountArticles(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := articleList{Articles: []Article{}, Total: total, Limit: limit, Offset: offset, Next: nextPage(w, r, limit, offset, total)}
	for _, a := range arts {
		out.Articles = append(out.Articles, ArticleOf(a, false))
	}
	writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) article(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		writeError(w, r, http.StatusBadRequest, "bad_id", "article id must be a positive integer")
		return
	}
	a, err := s.store.Article(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, ArticleOf(a, true))
}

// searchHandler: q in the query language; sort=relevance|date; expand=1
// lists copies as results of their own; facets=1 adds counts by source and
// day. A malformed query is a 400 whose message says what to fix.
func (s *Server) searchHandler(w http.ResponseWriter, r *http.Request) {
	limit, offset, ok := paging(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	req := search.Request{Query: q.Get("q"), Limit: limit, Offset: offset}
	switch q.Get("sort") {
	case "", "relevance":
	case "date":
		req.SortByDate = true
	default:
		writeError(w, r, http.StatusBadRequest, "bad_sort", "sort must be relevance or date")
		return
	}
	req.Expand = q.Get("expand") == "1" || q.Get("expand") == "true"
	// Facet days are UTC days: an API client shows them in its own zone.
	req.Facets = q.Get("facets") == "1" || q.Get("facets") == "true"
	res, err := s.search.Search(r.Context(), req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	nextPage(w, r, limit, offset, res.Total)
	writeJSON(w, r, http.StatusOK, SearchResultsOf(res))
}

const maxLimit = 100

// nextPage is the URL of the page after this one (same query, offset moved
// on), also sent as a Link: rel="next" header; empty on the last page.
func nextPage(w http.ResponseWriter, r *http.Request, limit, offset, total int) string {
	if offset+limit >= total {
		return ""
	}
	q := r.URL.Query()
	q.Set("limit", strconv.Itoa(limit))
	q.Set("offset", strconv.Itoa(offset+limit))
	next := r.URL.Path + "?" + q.Encode()
	w.Header().Add("Link", "<"+next+`>; rel="next"`)
	return next
}

func paging(w http.ResponseWriter, r *http.Request) (limit, offset int, ok bool) {
	limit, offset = store.DefaultLimit, 0
	q := r.URL.Query()
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			writeError(w, r, http.StatusBadRequest, "bad_limit", "limit must be an integer from 1 to 100")
			return 0, 0, false
		}
		limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 100000 {
			writeError(w, r, http.StatusBadRequest, "bad_offset", "offset must be an integer from 0 to 100000")
			return 0, 0, false
		}
		offset = n
	}
	return limit, offset, true
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, news.ErrNotFound):
		writeError(w, r, http.StatusNotFound, "not_found", "not found")
	case errors.Is(err, news.ErrInvalid):
		// Validation messages are ours, written for users; no internals.
		writeError(w, r, http.StatusBadRequest, "invalid", err.Error())
	default:
		s.log.Error("api", "path", r.URL.Path, "err", err)
		writeError(w, r, http.StatusInternalServerError, "internal", "internal error")
	}
}

// TooManyRequests answers a rate-limited request (Retry-After is set by
// the limiter).
func TooManyRequests(w http.ResponseWriter, r *http.Request) {
	writeError(w, r, http.StatusTooManyRequests, "rate_limited", "too many requests; retry after the Retry-After header's seconds")
}

// InternalError answers a request that failed unexpectedly (a recovered
// panic) in the API's error shape.
func InternalError(w http.ResponseWriter, r *http.Request) {
	writeError(w, r, http.StatusInternalServerError, "internal", "internal error")
}

type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func writeError(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	var b errorBody
	b.Error.Code, b.Error.Message = code, msg
	writeJSON(w, r, status, b)
}

// writeJSON encodes v and sends it with an ETag (304 when unchanged).
func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, `{"error":{"code":"internal","message":"internal error"}}`, http.StatusInternalServerError)
		return
	}
	httpx.Write(w, r, status, "application/json; charset=utf-8", buf.Bytes())
}
