package web

import (
	"net/http"
	"strings"

	"github.com/marsad/marsad/internal/news"
)

type articlePage struct {
	Page
	Article    news.Article
	Paragraphs []string
	Related    relatedBlock
	Provenance *provenance
}

func (s *Server) article(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.store.Article(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "article", articlePage{
		Page:       Page{Title: a.Title},
		Article:    a,
		Paragraphs: paragraphs(a.Text),
		Related:    s.related(r.Context(), a),
		Provenance: s.provenance(r.Context(), a),
	})
}

// paragraphs splits body text on newlines, dropping blank lines.
func paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(text, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
