package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"time"

	"github.com/marsad/marsad/internal/api"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
)

// storyPage is one story: its headline, the sources with their first
// article, coverage per hour by source, and every article grouped by copy
// group (an original and its republished copies).
type storyPage struct {
	Page
	Story         news.Story
	FirstReporter storySource
	Sources       []storySource
	Timeline      timeline
	Groups        []copyGroup
}

type storySource struct {
	ID, Name string
	First    time.Time
	Count    int
	Color    string
}

type copyGroup struct {
	Original news.Article
	Copies   []news.Article
}

// timeline is an inline SVG chart: articles per hour (per day for long
// stories), stacked by source.
type timeline struct {
	Width, Height int
	Unit          string // "ساعة" or "يوم"
	Rects         []timeRect
	First, Last   string
	Max           int
}

type timeRect struct {
	X, Y, W, H int
	Color      string
	Label      string
}

// palette colours sources on the timeline, in order of first article.
var palette = []string{"#1b6ca8", "#c0392b", "#27ae60", "#8e44ad", "#d35400", "#16a085", "#2c3e50",
	"#b7950b", "#7f8c8d", "#e84393", "#00838f", "#6d4c41", "#558b2f", "#4527a0"}

func (s *Server) storyDetail(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.store.Story(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	arts, err := api.StoryArticles(r.Context(), s.store, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := storyPage{Page: Page{Title: st.Title}, Story: st}
	bySrc := map[string]*storySource{}
	for _, a := range arts {
		src := bySrc[a.SourceID]
		if src == nil {
			src = &storySource{ID: a.SourceID, Name: s.sourceName(a), First: a.When(), Color: palette[len(bySrc)%len(palette)]}
			bySrc[a.SourceID] = src
			p.Sources = append(p.Sources, *src)
		}
		src.Count++
	}
	for i := range p.Sources {
		p.Sources[i].Count = bySrc[p.Sources[i].ID].Count
	}
	if len(p.Sources) > 0 {
		p.FirstReporter = p.Sources[0]
	}
	p.Groups = s.copyGroups(r.Context(), arts)
	p.Timeline = s.storyTimeline(arts, bySrc)
	s.render(w, r, http.StatusOK, "story", p)
}

// copyGroups groups a story's articles (oldest first) by copy group: the
// dedup stage's original link, else the clustering's own copy detection.
func (s *Server) copyGroups(ctx context.Context, arts []news.Article) []copyGroup {
	idx := map[int64]int{}
	var out []copyGroup
	for _, a := range arts {
		key := a.ID
		if a.OriginalID != 0 {
			key = a.OriginalID
		} else if s.stories != nil {
			key = s.stories.CopyGroup(a.ID)
		}
		if k, ok := idx[key]; ok {
			out[k].Copies = append(out[k].Copies, a)
			continue
		}
		idx[key] = len(out)
		out = append(out, copyGroup{Original: a})
	}
	return out
}

const timelineBars = 48

// storyTimeline buckets the articles per hour, or per day when the story
// spans more than timelineBars hours, stacking sources in their colours.
func (s *Server) storyTimeline(arts []news.Article, bySrc map[string]*storySource) timeline {
	tl := timeline{Height: 80, Unit: "ساعة"}
	if len(arts) == 0 {
		return tl
	}
	first, last := arts[0].When().In(s.tz), arts[len(arts)-1].When().In(s.tz)
	step := time.Hour
	start := first.Truncate(time.Hour)
	if last.Sub(start) >= timelineBars*time.Hour {
		step, tl.Unit = 24*time.Hour, "يوم"
		start = time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, s.tz)
	}
	n := int(last.Sub(start)/step) + 1
	n = min(n, 400)
	counts := make([]map[string]int, n)
	for _, a := range arts {
		k := min(int(a.When().In(s.tz).Sub(start)/step), n-1)
		if counts[k] == nil {
			counts[k] = map[string]int{}
		}
		counts[k][a.SourceID]++
	}
	for _, c := range counts {
		total := 0
		for _, v := range c {
			total += v
		}
		tl.Max = max(tl.Max, total)
	}
	barW := max(4, min(16, 640/n))
	tl.Width = n * barW
	// Labels read as Arabic dates ("21 يوليو 2015، 11:00"); the template
	// puts them in the reader's digits.
	label := s.formatDate
	if step > time.Hour {
		label = formatDay
	}
	tl.First, tl.Last = label(start), label(start.Add(time.Duration(n-1)*step))
	for k, c := range counts {
		srcs := make([]string, 0, len(c))
		for id := range c {
			srcs = append(srcs, id)
		}
		slices.SortFunc(srcs, func(a, b string) int { return cmp.Compare(bySrc[a].Color, bySrc[b].Color) })
		y := tl.Height
		// Bars run right to left: the first hour sits at the reading start.
		x := tl.Width - (k+1)*barW
		for _, id := range srcs {
			h := int(math.Round(float64(c[id]) * float64(tl.Height) / float64(tl.Max)))
			h = max(h, 1)
			y -= h
			tl.Rects = append(tl.Rects, timeRect{X: x + 1, Y: y, W: barW - 2, H: h, Color: bySrc[id].Color,
				Label: fmt.Sprintf("%s · %s: %d", label(start.Add(time.Duration(k)*step)), bySrc[id].Name, c[id])})
		}
	}
	return tl
}

// topStory is a story on the home page.
type topStory struct {
	Story news.Story
	Score float64
}

// topStoriesWindow: the home page ranks stories seen in the last two days
// before the newest story (an archive may be long silent).
const (
	topStoriesWindow = 48 * time.Hour
	topStoriesCount  = 8
)

// topStories ranks recent stories by how many sources cover them, how
// recent they are and how fast they grew (articles per hour of their life).
func (s *Server) topStories(ctx context.Context) ([]topStory, error) {
	latest, err := s.store.StoryStats(ctx, store.StoryFilter{Limit: 1})
	if err != nil || len(latest) == 0 {
		return nil, err
	}
	newest := latest[0].LastSeen
	// Rank from the index's figures, then read only the records shown.
	cands, err := s.store.StoryStats(ctx, store.StoryFilter{After: newest.Add(-topStoriesWindow), MinSources: 2, Limit: 5000})
	if err != nil {
		return nil, err
	}
	type ranked struct {
		id    int64
		score float64
	}
	rs := make([]ranked, len(cands))
	for i, st := range cands {
		rs[i] = ranked{st.ID, storyRank(st, newest)}
	}
	slices.SortStableFunc(rs, func(a, b ranked) int { return cmp.Compare(b.score, a.score) })
	out := make([]topStory, 0, topStoriesCount)
	for _, r := range rs[:min(len(rs), topStoriesCount)] {
		st, err := s.store.Story(ctx, r.id)
		if errors.Is(err, news.ErrNotFound) {
			continue // merged away since the list was read
		}
		if err != nil {
			return nil, err
		}
		out = append(out, topStory{Story: st, Score: r.score})
	}
	return out, nil
}

// storyRank: sources (log-damped), velocity (articles per hour of the
// story's life, damped) and recency (halving every 12 hours since the last
// article).
func storyRank(st store.StoryStat, now time.Time) float64 {
	hours := max(1, st.LastSeen.Sub(st.FirstSeen).Hours())
	velocity := float64(st.Groups) / hours
	age := max(0, now.Sub(st.LastSeen).Hours())
	return math.Log1p(float64(st.Sources)) * (1 + math.Log1p(velocity)) * math.Exp2(-age/12)
}
