package api

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/marsad/marsad/internal/cluster"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/stories"
)

// Story is one entry of {stories: […]} (CLI `stories --json`, /api/v1/stories).
type Story struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
	// Articles are the story's article URLs, oldest first.
	Articles     []string  `json:"articles"`
	Sources      []string  `json:"sources"`
	FirstSeen    time.Time `json:"first_seen"`
	LastSeen     time.Time `json:"last_seen"`
	ArticleCount int       `json:"article_count"`
	// Originals counts distinct texts (copies count once).
	Originals int    `json:"originals"`
	ArticleID int64  `json:"article_id"`
	Image     string `json:"image,omitempty"`
}

// StoryList is the stories response shape.
type StoryList struct {
	Stories []Story `json:"stories"`
}

// StoryEntry is one article of a story in the detail view.
type StoryEntry struct {
	ID         int64      `json:"id"`
	URL        string     `json:"url"`
	Source     string     `json:"source"`
	Title      string     `json:"title"`
	Published  *time.Time `json:"published,omitempty"`
	OriginalID int64      `json:"original_id"`
}

// StoryDetail is /api/v1/stories/{id}: the story and its articles.
type StoryDetail struct {
	Story
	Entries []StoryEntry `json:"entries"`
}

// StoryOf converts a story record and its articles (any order).
func StoryOf(st news.Story, arts []news.Article) Story {
	arts = slices.Clone(arts)
	SortOldestFirst(arts)
	out := Story{ID: st.ID, Title: st.Title, Articles: []string{}, Sources: st.Sources, FirstSeen: st.FirstSeen.UTC(),
		LastSeen: st.LastSeen.UTC(), ArticleCount: st.ArticleCount, Originals: st.Groups, ArticleID: st.ArticleID, Image: st.Image}
	if out.Sources == nil {
		out.Sources = []string{}
	}
	for _, a := range arts {
		out.Articles = append(out.Articles, a.URL)
	}
	return out
}

// SortOldestFirst orders a story's articles by time, then ID.
func SortOldestFirst(arts []news.Article) {
	slices.SortStableFunc(arts, func(a, b news.Article) int {
		if c := a.When().Compare(b.When()); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
}

// maxStoryArticles bounds the articles read for one story.
const maxStoryArticles = 1000

// StoryArticles returns a story's articles, oldest first.
func StoryArticles(ctx context.Context, st store.Store, id int64) ([]news.Article, error) {
	arts, err := st.Articles(ctx, store.ArticleFilter{StoryID: id, Limit: maxStoryArticles})
	if err != nil {
		return nil, err
	}
	SortOldestFirst(arts)
	return arts, nil
}

// SimilarResultsOf converts related reading to the search/similar shape.
func SimilarResultsOf(rel []stories.Related) SearchResults {
	out := SearchResults{Total: len(rel), Results: []SearchResult{}}
	for _, r := range rel {
		a := r.Article
		out.Results = append(out.Results, SearchResult{ID: a.ID, URL: a.URL, Source: a.SourceID, Title: a.Title,
			Published: timePtr(a.Published), Score: r.Score, Snippet: Lead(a.Text, 200), StoryID: a.StoryID})
	}
	return out
}

// Lead is the start of a text, cut at a word boundary to at most n runes.
func Lead(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	r := []rune(text)
	if len(r) <= n {
		return text
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > 0 {
		cut = cut[:i]
	}
	return cut + "…"
}

func (s *Server) storiesHandler(w http.ResponseWriter, r *http.Request) {
	limit, offset, ok := paging(w, r)
	if !ok {
		return
	}
	list, err := s.store.Stories(r.Context(), store.StoryFilter{Limit: limit, Offset: offset})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := StoryList{Stories: []Story{}}
	for _, st := range list {
		arts, err := StoryArticles(r.Context(), s.store, st.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		out.Stories = append(out.Stories, StoryOf(st, arts))
	}
	writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) storyHandler(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "story")
	if !ok {
		return
	}
	st, err := s.store.Story(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	arts, err := StoryArticles(r.Context(), s.store, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := StoryDetail{Story: StoryOf(st, arts), Entries: []StoryEntry{}}
	for _, a := range arts {
		out.Entries = append(out.Entries, StoryEntry{ID: a.ID, URL: a.URL, Source: a.SourceID, Title: a.Title,
			Published: timePtr(a.Published), OriginalID: a.OriginalID})
	}
	writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) similarHandler(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, "article")
	if !ok {
		return
	}
	limit, _, ok := paging(w, r)
	if !ok {
		return
	}
	if r.URL.Query().Get("limit") == "" {
		limit = 10
	}
	if _, err := s.store.Article(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	if s.stories == nil {
		writeError(w, r, http.StatusServiceUnavailable, "unavailable", "related reading is not available")
		return
	}
	rel, err := s.stories.Related(r.Context(), id, cluster.RelatedOptions{Limit: limit})
	if errors.Is(err, stories.ErrLoading) {
		w.Header().Set("Retry-After", "5")
		writeError(w, r, http.StatusServiceUnavailable, "loading", "related reading is loading; retry shortly")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, SimilarResultsOf(rel))
}

// pathID reads the {id} path value, answering 400 when it is not a
// positive integer.
func pathID(w http.ResponseWriter, r *http.Request, what string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		writeError(w, r, http.StatusBadRequest, "bad_id", what+" id must be a positive integer")
		return 0, false
	}
	return id, true
}
