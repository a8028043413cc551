package api

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/marsad/marsad/internal/news"
)

// Source is the API's (and `sources list --json`'s) source shape.
type Source struct {
	ID     string       `json:"id"`
	Name   string       `json:"name"`
	Home   string       `json:"home,omitempty"`
	Feeds  []string     `json:"feeds"`
	Host   string       `json:"host,omitempty"`
	Lang   string       `json:"lang,omitempty"`
	Status SourceStatus `json:"status"`
}

// SourceStatus is a source's crawl health.
type SourceStatus struct {
	Healthy       bool       `json:"healthy"`
	LastFetch     *time.Time `json:"last_fetch,omitempty"`
	LastSuccess   *time.Time `json:"last_success,omitempty"`
	LastError     string     `json:"last_error,omitempty"`
	Failures      int        `json:"failures"`
	NextDue       *time.Time `json:"next_due,omitempty"`
	ArticlesFound int        `json:"articles_found"`
	LatencyMS     int64      `json:"latency_ms"`
	IntervalS     int64      `json:"interval_s,omitempty"`
}

// SourceOf converts a domain source.
func SourceOf(s news.Source) Source {
	feeds := s.FeedURLs
	if feeds == nil {
		feeds = []string{}
	}
	st := s.Status
	return Source{ID: s.ID, Name: s.Name, Home: s.HomeURL, Feeds: feeds, Host: s.Host, Lang: s.Lang,
		Status: SourceStatus{Healthy: st.Healthy(), LastFetch: timePtr(st.LastFetch), LastSuccess: timePtr(st.LastSuccess),
			LastError: st.LastError, Failures: st.Failures, NextDue: timePtr(st.NextDue), ArticlesFound: st.ArticlesFound,
			LatencyMS: st.LastLatency.Milliseconds(), IntervalS: int64(st.Interval / time.Second)}}
}

// SourceList is {sources: […]}.
type SourceList struct {
	Sources []Source `json:"sources"`
}

// SourceListOf converts a list.
func SourceListOf(srcs []news.Source) SourceList {
	out := SourceList{Sources: []Source{}}
	for _, s := range srcs {
		out.Sources = append(out.Sources, SourceOf(s))
	}
	return out
}

// DiscoverFunc turns a URL (feed or home page) into a source.
type DiscoverFunc func(ctx context.Context, url string) (news.Source, error)

func (s *Server) sourcesHandler(w http.ResponseWriter, r *http.Request) {
	srcs, err := s.store.Sources(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, SourceListOf(srcs))
}

// addSource: POST /api/v1/sources {"url": "…"} with "Authorization:
// Bearer <MARSAD_ADMIN_TOKEN>". The feed is discovered from the URL.
func (s *Server) addSource(w http.ResponseWriter, r *http.Request) {
	if !s.admin(w, r) {
		return
	}
	var req struct {
		URL  string `json:"url"`
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&req); err != nil || strings.TrimSpace(req.URL) == "" {
		writeError(w, r, http.StatusBadRequest, "invalid", `want a JSON body {"url": "https://…"}`)
		return
	}
	if s.discover == nil {
		writeError(w, r, http.StatusServiceUnavailable, "unavailable", "adding sources is not available on this server")
		return
	}
	src, err := s.discover(r.Context(), req.URL)
	if err != nil {
		s.log.Info("add source: discovery failed", "url", req.URL, "err", err)
		writeError(w, r, http.StatusUnprocessableEntity, "no_feed", "could not find a feed at that address")
		return
	}
	if req.ID != "" {
		src.ID = req.ID
	}
	if req.Name != "" {
		src.Name = req.Name
	}
	created, err := s.store.UpsertSource(r.Context(), src)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	got, err := s.store.Source(r.Context(), src.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, r, status, SourceOf(got))
}

// admin guards a mutation. With no MARSAD_ADMIN_TOKEN configured,
// mutations are off (403 saying so); otherwise no bearer token is 401 and a
// wrong one 403. Both tokens are hashed before the constant-time compare,
// so neither the content nor the length of the secret leaks through timing.
func (s *Server) admin(w http.ResponseWriter, r *http.Request) bool {
	if s.adminToken == "" {
		writeError(w, r, http.StatusForbidden, "mutations_disabled",
			"mutations are disabled on this server: start it with MARSAD_ADMIN_TOKEN set to enable them")
		return false
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || tok == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="marsad"`)
		writeError(w, r, http.StatusUnauthorized, "unauthorized", "an admin token is required (Authorization: Bearer …)")
		return false
	}
	got, want := sha256.Sum256([]byte(tok)), sha256.Sum256([]byte(s.adminToken))
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
		writeError(w, r, http.StatusForbidden, "forbidden", "wrong admin token")
		return false
	}
	return true
}

// deleteSource: DELETE /api/v1/sources/{id} (admin). The source stops being
// crawled; its stored articles stay.
func (s *Server) deleteSource(w http.ResponseWriter, r *http.Request) {
	if !s.admin(w, r) {
		return
	}
	if err := s.store.DeleteSource(r.Context(), r.PathValue("id")); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// recrawl: POST /api/v1/sources/{id}/crawl (admin) makes the source due
// now; the crawl scheduler of any serve or worker process fetches it on its
// next tick (a minute at most). 202: the crawl is queued, not done.
func (s *Server) recrawl(w http.ResponseWriter, r *http.Request) {
	if !s.admin(w, r) {
		return
	}
	src, err := s.store.Source(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	st := src.Status
	st.NextDue = s.now().UTC().Truncate(time.Second)
	if err := s.store.SaveSourceStatus(r.Context(), src.ID, st); err != nil {
		s.fail(w, r, err)
		return
	}
	src.Status = st
	writeJSON(w, r, http.StatusAccepted, SourceOf(src))
}
