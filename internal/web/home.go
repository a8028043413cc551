package web

import (
	"net/http"

	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
)

type homePage struct {
	Page
	Articles []news.Article
	Source   string
	NextPage int // 0 when there is none
	PrevPage int // 0 on the first page
	// TopStories are on the first page only.
	TopStories []topStory
}

const homePageSize = 30

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	page := queryInt(r, "page", 1, 1, 10000)
	// One row more than a page tells whether there is a next page without
	// a COUNT over the whole table.
	f := store.ArticleFilter{SourceID: r.URL.Query().Get("source"), Limit: homePageSize + 1, Offset: (page - 1) * homePageSize}
	arts, err := s.store.Articles(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := homePage{Page: Page{Title: "آخر الأخبار"}, Articles: arts, Source: f.SourceID}
	if page > 1 {
		p.PrevPage = page - 1
	}
	if len(arts) > homePageSize {
		p.Articles, p.NextPage = arts[:homePageSize], page+1
	}
	if page == 1 && f.SourceID == "" {
		if p.TopStories, err = s.topStories(r.Context()); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "home", p)
}
