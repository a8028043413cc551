package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/search"
	"github.com/marsad/marsad/internal/store"
)

type searchPage struct {
	Page
	Results  search.Results
	Searched bool
	Error    string
	ByDate   bool
	Expand   bool
	NextURL  string
	PrevURL  string
	// SortURL switches the order, ExpandURL shows or hides copies.
	SortURL, ExpandURL string
	Sources            []facetLink
	Days               []facetLink
	FeedURL            string
	TookMS             string
}

// facetLink narrows (or, when Active, widens again) the current query.
type facetLink struct {
	Label  string
	Count  int
	URL    string
	Active bool
}

const searchPageSize = 20

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	page := queryInt(r, "page", 1, 1, 500)
	p := searchPage{Page: Page{Title: "بحث", Query: q}, ByDate: r.URL.Query().Get("sort") == "date",
		Expand: r.URL.Query().Get("expand") == "1"}
	if q == "" {
		s.render(w, r, http.StatusOK, "search", p)
		return
	}
	p.Title = "بحث: " + q
	p.Searched = true
	res, err := s.search.Search(r.Context(), search.Request{Query: q, Limit: searchPageSize, Offset: (page - 1) * searchPageSize,
		SortByDate: p.ByDate, Expand: p.Expand, Facets: true, DayOffset: zoneOffset(s.now().In(s.tz))})
	var qe *search.QueryError
	switch {
	case errors.As(err, &qe):
		p.Error = qe.Arabic
		s.render(w, r, http.StatusBadRequest, "search", p)
		return
	case errors.Is(err, news.ErrInvalid):
		p.Error = "تعذّر فهم الاستعلام."
		s.render(w, r, http.StatusBadRequest, "search", p)
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	p.Results = res
	p.TookMS = strconv.FormatFloat(float64(res.Took.Microseconds())/1000, 'f', 1, 64)
	link := func(query string, byDate, expand bool, page int) string {
		v := url.Values{"q": {query}}
		if byDate {
			v.Set("sort", "date")
		}
		if expand {
			v.Set("expand", "1")
		}
		if page > 1 {
			v.Set("page", strconv.Itoa(page))
		}
		return "/search?" + v.Encode()
	}
	if page*searchPageSize < res.Total {
		p.NextURL = link(q, p.ByDate, p.Expand, page+1)
	}
	if page > 1 {
		p.PrevURL = link(q, p.ByDate, p.Expand, page-1)
	}
	p.SortURL = link(q, !p.ByDate, p.Expand, 1)
	p.ExpandURL = link(q, p.ByDate, !p.Expand, 1)
	p.FeedURL = "/search/feed.atom?" + url.Values{"q": {q}}.Encode()
	for _, c := range res.Sources {
		nq := res.Parsed
		active := slices.Contains(nq.Sources, c.Source)
		if active {
			nq.Sources = slices.DeleteFunc(slices.Clone(nq.Sources), func(x string) bool { return x == c.Source })
		} else {
			nq.Sources = append(slices.Clone(nq.Sources), c.Source)
		}
		p.Sources = append(p.Sources, facetLink{Label: c.Source, Count: c.Count, URL: link(nq.String(), p.ByDate, p.Expand, 1), Active: active})
	}
	for _, d := range latestDays(res.Days, res.Parsed.From.Format("2006-01-02"), facetDays) {
		day, err := time.Parse("2006-01-02", d.Day)
		if err != nil {
			continue
		}
		nq := res.Parsed
		active := nq.From.Equal(day) && nq.To.Equal(day.AddDate(0, 0, 1))
		if active {
			nq.From, nq.To = time.Time{}, time.Time{}
		} else {
			nq.From, nq.To = day, day.AddDate(0, 0, 1)
		}
		p.Days = append(p.Days, facetLink{Label: d.Day, Count: d.Count, URL: link(nq.String(), p.ByDate, p.Expand, 1), Active: active})
	}
	s.render(w, r, http.StatusOK, "search", p)
}

// facetDays is how many days with matches the search page links to.
const facetDays = 30

// latestDays keeps the last n of days (sorted by day) and the chosen one:
// a common word matched on thousands of days at 310k articles, a list no
// reader scans, and half of the page's bytes and of its rendering.
func latestDays(days []store.DayCount, chosen string, n int) []store.DayCount {
	if len(days) <= n {
		return days
	}
	var out []store.DayCount
	for _, d := range days[:len(days)-n] {
		if d.Day == chosen {
			out = append(out, d)
		}
	}
	return append(out, days[len(days)-n:]...)
}

// zoneOffset is the zone's offset from UTC at t, in seconds: facet days are
// the reader's days. (Across a DST change, days before it shift by an hour.)
func zoneOffset(t time.Time) int {
	_, off := t.Zone()
	return off
}
