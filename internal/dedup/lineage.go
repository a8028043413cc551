package dedup

import (
	"context"
	"fmt"

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
)

// Lineages reads copy groups for the UI and the API.
type Lineages struct {
	store store.Store
	dif   *Differ
}

// NewLineages returns a reader over s.
func NewLineages(s store.Store, an *arabic.Analyzer) *Lineages {
	return &Lineages{store: s, dif: NewDiffer(an)}
}

// Lineage is an article's copy group: the original and its copies,
// earliest copy first. A group of one (no copies) has no Copies.
type Lineage struct {
	Original news.Article
	// Links are all the copies' links; Copies the first of them loaded
	// in full (as many as Of was asked for).
	Links  []news.Copy
	Copies []Republished
}

// Republished is one copy with its link and, when asked for, its diff
// against the original.
type Republished struct {
	Article news.Article
	Link    news.Copy
	Change  *Change
}

// Sources counts the distinct outlets that republished the original.
func (l Lineage) Sources() int {
	seen := map[string]bool{}
	for _, c := range l.Links {
		if c.SourceID != l.Original.SourceID {
			seen[c.SourceID] = true
		}
	}
	return len(seen)
}

// Of returns the copy group of article id (which may be the original or
// any copy) with the first load copies read in full; diffs adds their
// sentence diffs against the original. news.ErrNotFound when the article
// does not exist.
func (l *Lineages) Of(ctx context.Context, id int64, load int, diffs bool) (Lineage, error) {
	a, err := l.store.Article(ctx, id)
	if err != nil {
		return Lineage{}, err
	}
	var lin Lineage
	if a.OriginalID != 0 {
		if lin.Original, err = l.store.Article(ctx, a.OriginalID); err != nil {
			return Lineage{}, fmt.Errorf("dedup: original of %d: %w", id, err)
		}
	} else {
		lin.Original = a
	}
	links, err := l.store.CopyLinks(ctx, lin.Original.ID)
	if err != nil {
		return Lineage{}, err
	}
	lin.Links = links
	for _, ln := range links[:min(load, len(links))] {
		c, err := l.store.Article(ctx, ln.ArticleID)
		if err != nil {
			return Lineage{}, fmt.Errorf("dedup: copy %d: %w", ln.ArticleID, err)
		}
		r := Republished{Article: c, Link: ln}
		if diffs {
			ch := l.dif.Diff(lin.Original.Title, lin.Original.Text, c.Title, c.Text)
			r.Change = &ch
		}
		lin.Copies = append(lin.Copies, r)
	}
	return lin, nil
}
