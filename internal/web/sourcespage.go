package web

import (
	"net/http"

	"github.com/marsad/marsad/internal/news"
)

// sourcesPage lists the followed sources and their crawl health.
type sourcesPage struct {
	Page
	Sources   []sourceRow
	Healthy   int
	Unhealthy int
}

type sourceRow struct {
	news.Source
	Healthy   bool
	Fetched   bool // fetched at least once
	LatencyMS int64
}

func (s *Server) sourcesList(w http.ResponseWriter, r *http.Request) {
	srcs, err := s.store.Sources(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := sourcesPage{Page: Page{Title: "المصادر"}}
	for _, src := range srcs {
		row := sourceRow{Source: src, Healthy: src.Status.Healthy(), Fetched: !src.Status.LastFetch.IsZero()}
		row.LatencyMS = src.Status.LastLatency.Milliseconds()
		if row.Healthy {
			p.Healthy++
		} else {
			p.Unhealthy++
		}
		p.Sources = append(p.Sources, row)
	}
	s.render(w, r, http.StatusOK, "sources", p)
}
