package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/marsad/marsad/internal/dedup"
	"github.com/marsad/marsad/internal/store"
)

// Dups is the copy groups' shape (`marsad dups --json`):
// {groups: [{original: url, copies: [url…]}]}.
type Dups struct {
	Groups []DupGroup `json:"groups"`
}

// DupGroup is an original and the URLs of its copies, earliest first.
type DupGroup struct {
	Original string   `json:"original"`
	Copies   []string `json:"copies"`
}

// DupsOf converts the store's groups.
func DupsOf(gs []store.CopyGroup) Dups {
	out := Dups{Groups: make([]DupGroup, 0, len(gs))}
	for _, g := range gs {
		d := DupGroup{Original: g.Original.URL, Copies: make([]string, 0, len(g.Copies))}
		for _, c := range g.Copies {
			d.Copies = append(d.Copies, c.URL)
		}
		out.Groups = append(out.Groups, d)
	}
	return out
}

// CopyLineage is GET /api/v1/articles/{id}/copies: the article's copy
// group, by URL as in Dups, and each copy with what it changed.
type CopyLineage struct {
	Original   string       `json:"original"`
	Copies     []string     `json:"copies"`
	OriginalID int64        `json:"original_id"`
	Source     string       `json:"source"`
	Published  *time.Time   `json:"published,omitempty"`
	Items      []CopyDetail `json:"items"`
}

// CopyDetail is one copy of a lineage.
type CopyDetail struct {
	ID               int64      `json:"id"`
	URL              string     `json:"url"`
	Source           string     `json:"source"`
	Title            string     `json:"title"`
	Published        *time.Time `json:"published,omitempty"`
	Similarity       float64    `json:"similarity"`
	Contained        float64    `json:"contained"`
	Exact            bool       `json:"exact"`
	TitleChanged     bool       `json:"title_changed"`
	SentencesAdded   int        `json:"sentences_added"`
	SentencesRemoved int        `json:"sentences_removed"`
	Rule             string     `json:"rule"`
}

// CopyLineageOf converts a lineage.
func CopyLineageOf(l dedup.Lineage) CopyLineage {
	out := CopyLineage{Original: l.Original.URL, Copies: []string{}, OriginalID: l.Original.ID,
		Source: l.Original.SourceID, Published: timeOrNil(l.Original.When()), Items: []CopyDetail{}}
	for _, c := range l.Copies {
		out.Copies = append(out.Copies, c.Article.URL)
		out.Items = append(out.Items, CopyDetail{ID: c.Article.ID, URL: c.Article.URL, Source: c.Article.SourceID,
			Title: c.Article.Title, Published: timeOrNil(c.Article.When()), Similarity: c.Link.Similarity,
			Contained: c.Link.Contained, Exact: c.Link.Exact, TitleChanged: c.Link.TitleChanged,
			SentencesAdded: c.Link.SentencesAdded, SentencesRemoved: c.Link.SentencesRemoved, Rule: c.Link.Rule})
	}
	return out
}

func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// copiesHandler serves GET /api/v1/articles/{id}/copies.
func (s *Server) copiesHandler(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		writeError(w, r, http.StatusBadRequest, "bad_id", "article id must be a positive integer")
		return
	}
	if s.copies == nil {
		writeError(w, r, http.StatusNotFound, "not_found", "copy detection is not enabled")
		return
	}
	l, err := s.copies.Of(r.Context(), id, 100, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, CopyLineageOf(l))
}
