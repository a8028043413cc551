package web

import (
	"net/http"
	"time"

	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
)

// sourcesPage lists the followed sources and their crawl health: last
// fetch, its latency and error, and how much each publishes per day.
type sourcesPage struct {
	Page
	Sources   []sourceRow
	Healthy   int
	Unhealthy int
	// Imported are sources known only from imported articles (not crawled).
	Imported []importedRow
}

type importedRow struct {
	ID, Name string
	Articles int
	Newest   time.Time
	Days     sparkline
}

type sourceRow struct {
	news.Source
	Healthy   bool
	Fetched   bool // fetched at least once
	LatencyMS int64
	Stored    int // articles stored from the source
	Days      sparkline
}

func (s *Server) sourcesList(w http.ResponseWriter, r *http.Request) {
	srcs, err := s.store.Sources(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, offset := time.Now().In(s.tz).Zone()
	p := sourcesPage{Page: Page{Title: "المصادر"}}
	for _, src := range srcs {
		row := sourceRow{Source: src, Healthy: src.Status.Healthy(), Fetched: !src.Status.LastFetch.IsZero()}
		row.LatencyMS = src.Status.LastLatency.Milliseconds()
		// One grouped query per source: the list is tens of outlets, and
		// the page is not on a hot path.
		days, err := s.store.ArticleDays(r.Context(), store.ArticleFilter{SourceID: src.ID}, offset)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, d := range days {
			row.Stored += d.Count
		}
		row.Days = daySparkline(days)
		switch {
		case !row.Healthy:
			p.Unhealthy++
		case row.Fetched:
			p.Healthy++
		}
		p.Sources = append(p.Sources, row)
	}
	counts, err := s.store.SourceCounts(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	followed := map[string]bool{}
	for _, src := range srcs {
		followed[src.ID] = true
	}
	for _, c := range counts {
		if followed[c.SourceID] {
			continue
		}
		days, err := s.store.ArticleDays(r.Context(), store.ArticleFilter{SourceID: c.SourceID}, offset)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p.Imported = append(p.Imported, importedRow{ID: c.SourceID, Name: s.names.name(c.SourceID), Articles: c.Articles,
			Newest: c.Newest, Days: daySparkline(days)})
	}
	s.render(w, r, http.StatusOK, "sources", p)
}
