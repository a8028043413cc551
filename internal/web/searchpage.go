package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/search"
)

type searchPage struct {
	Page
	Results  search.Results
	Searched bool
	Error    string
	NextPage int
	PrevPage int
}

const searchPageSize = 20

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	page := queryInt(r, "page", 1, 1, 500)
	p := searchPage{Page: Page{Title: "بحث", Query: q}}
	if q == "" {
		s.render(w, r, http.StatusOK, "search", p)
		return
	}
	p.Title = "بحث: " + q
	p.Searched = true
	res, err := s.search.Search(r.Context(), search.Request{Query: q, Limit: searchPageSize, Offset: (page - 1) * searchPageSize})
	switch {
	case errors.Is(err, news.ErrInvalid):
		p.Error = "لم نجد في الاستعلام كلمات يمكن البحث عنها."
		s.render(w, r, http.StatusBadRequest, "search", p)
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	p.Results = res
	if page*searchPageSize < res.Total {
		p.NextPage = page + 1
	}
	if page > 1 {
		p.PrevPage = page - 1
	}
	s.render(w, r, http.StatusOK, "search", p)
}
