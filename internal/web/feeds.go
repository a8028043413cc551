package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/marsad/marsad/internal/api"
	"github.com/marsad/marsad/internal/httpx"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/search"
	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/webfeed"
)

// feedSize is the number of items in every outgoing feed.
const feedSize = 50

type feedFormat struct {
	ext, contentType string
	render           func(webfeed.Feed) ([]byte, error)
}

var feedFormats = []feedFormat{
	{"rss", webfeed.RSSType, webfeed.RSS},
	{"atom", webfeed.AtomType, webfeed.Atom},
	{"json", webfeed.JSONType, webfeed.JSON},
}

// registerFeeds adds /feed.{rss,atom,json} (latest),
// /search/feed.{rss,atom,json}?q= (a saved search a monitor can subscribe to),
// and the same three for each source and each story.
func (s *Server) registerFeeds(mux *http.ServeMux) {
	for _, f := range feedFormats {
		mux.HandleFunc("GET /feed."+f.ext, func(w http.ResponseWriter, r *http.Request) { s.latestFeed(w, r, f) })
		mux.HandleFunc("GET /search/feed."+f.ext, func(w http.ResponseWriter, r *http.Request) { s.searchFeed(w, r, f) })
		mux.HandleFunc("GET /source/{id}/feed."+f.ext, func(w http.ResponseWriter, r *http.Request) { s.sourceFeed(w, r, f) })
		mux.HandleFunc("GET /story/{id}/feed."+f.ext, func(w http.ResponseWriter, r *http.Request) { s.storyFeed(w, r, f) })
	}
}

// storyFeed lists a story's coverage newest first, so a reader following
// one event sees each new report.
func (s *Server) storyFeed(w http.ResponseWriter, r *http.Request, f feedFormat) {
	id, err := pathID(r)
	if err != nil {
		s.feedError(w, r, err)
		return
	}
	st, err := s.store.Story(r.Context(), id)
	if err != nil {
		s.feedError(w, r, err)
		return
	}
	arts, err := api.StoryArticles(r.Context(), s.store, id)
	if err != nil {
		s.feedError(w, r, err)
		return
	}
	base := s.baseURL + "/story/" + strconv.FormatInt(id, 10)
	feed := webfeed.Feed{
		Title:       "مرصد: " + st.Title,
		Description: "تغطية المصادر لقصة «" + st.Title + "»",
		Link:        base,
		FeedURL:     base + "/feed." + f.ext,
	}
	for i := len(arts) - 1; i >= 0 && len(feed.Items) < feedSize; i-- {
		feed.Items = append(feed.Items, s.feedItem(arts[i], ""))
	}
	s.writeFeed(w, r, f, feed)
}

func (s *Server) latestFeed(w http.ResponseWriter, r *http.Request, f feedFormat) {
	arts, err := s.store.Articles(r.Context(), store.ArticleFilter{Limit: feedSize})
	if err != nil {
		s.feedError(w, r, err)
		return
	}
	feed := webfeed.Feed{
		Title:       "مرصد: آخر الأخبار",
		Description: "آخر الأخبار من المصادر العربية التي يتابعها مرصد",
		Link:        s.baseURL + "/",
		FeedURL:     s.baseURL + "/feed." + f.ext,
	}
	for _, a := range arts {
		feed.Items = append(feed.Items, s.feedItem(a, ""))
	}
	s.writeFeed(w, r, f, feed)
}

func (s *Server) sourceFeed(w http.ResponseWriter, r *http.Request, f feedFormat) {
	id := r.PathValue("id")
	arts, err := s.store.Articles(r.Context(), store.ArticleFilter{SourceID: id, Limit: feedSize})
	if err != nil {
		s.feedError(w, r, err)
		return
	}
	name := id
	if src, err := s.store.Source(r.Context(), id); err == nil && src.Name != "" {
		name = src.Name
	} else if len(arts) == 0 {
		s.feedError(w, r, fmt.Errorf("source %q: %w", id, news.ErrNotFound))
		return
	} else if arts[0].SiteName != "" {
		name = arts[0].SiteName
	}
	feed := webfeed.Feed{
		Title:       "مرصد: " + name,
		Description: "آخر أخبار " + name,
		Link:        s.baseURL + "/source/" + url.PathEscape(id),
		FeedURL:     s.baseURL + "/source/" + url.PathEscape(id) + "/feed." + f.ext,
	}
	for _, a := range arts {
		feed.Items = append(feed.Items, s.feedItem(a, ""))
	}
	s.writeFeed(w, r, f, feed)
}

func (s *Server) searchFeed(w http.ResponseWriter, r *http.Request, f feedFormat) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	res, err := s.search.Search(r.Context(), search.Request{Query: q, Limit: feedSize, SortByDate: true})
	if err != nil {
		s.feedError(w, r, err)
		return
	}
	qs := "?q=" + url.QueryEscape(q)
	feed := webfeed.Feed{
		Title:       "مرصد: بحث «" + q + "»",
		Description: "أحدث الأخبار التي تطابق «" + q + "»",
		Link:        s.baseURL + "/search" + qs,
		FeedURL:     s.baseURL + "/search/feed." + f.ext + qs,
	}
	for _, h := range res.Results {
		feed.Items = append(feed.Items, s.feedItem(h.Article, h.Snippet.String()))
	}
	s.writeFeed(w, r, f, feed)
}

func (s *Server) feedItem(a news.Article, summary string) webfeed.Item {
	link := s.baseURL + "/article/" + strconv.FormatInt(a.ID, 10)
	return webfeed.Item{
		ID: link, Link: link, Original: a.URL, Title: a.Title, Summary: summary,
		Paragraphs: paragraphs(a.Text), Published: a.Published, Updated: a.UpdatedAt,
		Author: a.Author, SourceName: s.sourceName(a), Image: a.Image,
	}
}

func (s *Server) writeFeed(w http.ResponseWriter, r *http.Request, f feedFormat, feed webfeed.Feed) {
	b, err := f.render(feed)
	if err != nil {
		s.feedError(w, r, err)
		return
	}
	httpx.Write(w, r, http.StatusOK, f.contentType, b)
}

// feedError answers a feed request with plain text: feed readers show the
// status, not an HTML page.
func (s *Server) feedError(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := http.StatusInternalServerError, "internal error"
	switch {
	case errors.Is(err, news.ErrInvalid):
		status, msg = http.StatusBadRequest, "bad request: "+err.Error()
	case errors.Is(err, news.ErrNotFound):
		status, msg = http.StatusNotFound, "not found"
	default:
		s.log.Error("feed", "path", r.URL.Path, "err", err)
	}
	httpx.Write(w, r, status, "text/plain; charset=utf-8", fmt.Appendf(nil, "%s\n", msg))
}
