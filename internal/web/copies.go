package web

import (
	"context"
	"errors"
	"math"
	"net/http"

	"github.com/marsad/marsad/internal/dedup"
	"github.com/marsad/marsad/internal/news"
)

// provenance is the article page's «نُشر أولاً في …» line: who published
// the text first and how many outlets republished it.
type provenance struct {
	Original news.Article
	IsCopy   bool // the page's article is a copy
	Sources  int  // outlets that republished the original
	Copies   int
	GroupID  int64 // the article whose lineage page lists the group
}

func (s *Server) provenance(ctx context.Context, a news.Article) *provenance {
	if s.copies == nil {
		return nil
	}
	l, err := s.copies.Of(ctx, a.ID, 0, false)
	if err != nil {
		if !errors.Is(err, news.ErrNotFound) {
			s.log.Warn("copy lineage", "article", a.ID, "err", err)
		}
		return nil
	}
	if len(l.Links) == 0 {
		return nil
	}
	return &provenance{Original: l.Original, IsCopy: a.OriginalID != 0, Sources: l.Sources(), Copies: len(l.Links), GroupID: a.ID}
}

// lineageCopies bounds the copies diffed on one lineage page.
const lineageCopies = 50

type copiesPage struct {
	Page
	Article  news.Article
	Original news.Article
	Copies   []copyView
	More     int // copies not shown
}

// copyView is one copy on the lineage page, percentages rounded.
type copyView struct {
	dedup.Republished
	Similarity, Contained int
}

// copiesPage is /article/{id}/copies: the copy lineage of an article, each
// copy's headline and sentences diffed against the original.
func (s *Server) copiesPage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.copies == nil {
		s.fail(w, r, news.ErrNotFound)
		return
	}
	a, err := s.store.Article(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l, err := s.copies.Of(r.Context(), id, lineageCopies, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := copiesPage{Page: Page{Title: "نسخ الخبر: " + l.Original.Title}, Article: a, Original: l.Original}
	for _, c := range l.Copies {
		p.Copies = append(p.Copies, copyView{Republished: c,
			Similarity: int(math.Round(100 * c.Link.Similarity)), Contained: int(math.Round(100 * c.Link.Contained))})
	}
	p.More = len(l.Links) - len(l.Copies)
	s.render(w, r, http.StatusOK, "copies", p)
}
