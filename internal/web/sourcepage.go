package web

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
)

// sourcePage is one outlet: its health, how much it publishes per day and
// its latest articles. Imported articles may name a source marsad does not
// crawl; the page then shows what the articles say.
type sourcePage struct {
	Page
	Source   news.Source
	Followed bool // in the sources table (crawled)
	Healthy  bool
	Total    int
	Days     sparkline
	Articles []news.Article
	NextPage int
}

// sparkline is an inline SVG bar chart of articles per day
// (templates/sparkline.html).
type sparkline struct {
	Width, Height int
	Bars          []bar
	First, Last   time.Time // days (UTC midnight)
	Max           int
}

type bar struct {
	X, Y, W, H int
	Day        time.Time
	N          int
}

// sparkDays is how many days the sparkline covers, ending at the source's
// newest article (an archive's sources may be long silent).
const sparkDays = 30

func (s *Server) sourceDetail(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	page := queryInt(r, "page", 1, 1, 10000)
	src, err := s.store.Source(r.Context(), id)
	followed := err == nil
	if err != nil && !errors.Is(err, news.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	f := store.ArticleFilter{SourceID: id, Limit: homePageSize, Offset: (page - 1) * homePageSize}
	total, err := s.store.CountArticles(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !followed && total == 0 {
		s.fail(w, r, fmt.Errorf("source %q: %w", id, news.ErrNotFound))
		return
	}
	arts, err := s.store.Articles(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !followed {
		src = news.Source{ID: id}
		if len(arts) > 0 {
			src.Name = arts[0].SiteName
		}
	}
	if src.Name == "" {
		src.Name = s.names.name(id)
	}
	_, offset := time.Now().In(s.tz).Zone()
	days, err := s.store.ArticleDays(r.Context(), store.ArticleFilter{SourceID: id}, offset)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := sourcePage{Page: Page{Title: src.Name}, Source: src, Followed: followed, Healthy: src.Status.Healthy(),
		Total: total, Days: daySparkline(days), Articles: arts}
	if page*homePageSize < total {
		p.NextPage = page + 1
	}
	s.render(w, r, http.StatusOK, "source", p)
}

// daySparkline draws the last sparkDays days up to the newest one, empty
// days included.
func daySparkline(days []store.DayCount) sparkline {
	sp := sparkline{Width: sparkDays * 8, Height: 40}
	if len(days) == 0 {
		return sp
	}
	last, err := time.Parse(time.DateOnly, days[len(days)-1].Day)
	if err != nil {
		return sp
	}
	counts := map[string]int{}
	for _, d := range days {
		counts[d.Day] = d.Count
		sp.Max = max(sp.Max, d.Count)
	}
	first := last.AddDate(0, 0, -(sparkDays - 1))
	sp.First, sp.Last = first, last
	for i := range sparkDays {
		day := first.AddDate(0, 0, i)
		n := counts[day.Format(time.DateOnly)]
		h := 0
		if sp.Max > 0 && n > 0 {
			h = max(1, n*sp.Height/sp.Max)
		}
		// Bars run right to left: the newest day sits at the reading start.
		x := sp.Width - (i+1)*8
		sp.Bars = append(sp.Bars, bar{X: x + 1, Y: sp.Height - h, W: 6, H: h, Day: day, N: n})
	}
	return sp
}
