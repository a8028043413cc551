package web

import (
	"context"
	"errors"

	"github.com/marsad/marsad/internal/cluster"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/stories"
)

// relatedBlock is the article page's «اقرأ أيضاً» (other outlets' coverage
// of the same story) and «مقالات مشابهة» (other stories on the topic), and
// the link to the article's story.
type relatedBlock struct {
	Story     *news.Story
	SameStory []stories.Related
	Similar   []stories.Related
}

const (
	relatedLimit  = 10
	readAlsoLimit = 4
	similarLimit  = 6
)

// related fills the block; failures only leave it empty (the article is
// what the reader came for).
func (s *Server) related(ctx context.Context, a news.Article) relatedBlock {
	var b relatedBlock
	if a.StoryID != 0 {
		if st, err := s.store.Story(ctx, a.StoryID); err == nil && st.ArticleCount > 1 {
			b.Story = &st
		}
	}
	if s.stories == nil {
		return b
	}
	rel, err := s.stories.Related(ctx, a.ID, cluster.RelatedOptions{Limit: relatedLimit, SameStory: readAlsoLimit})
	if err != nil {
		if !errors.Is(err, stories.ErrLoading) && !errors.Is(err, news.ErrNotFound) {
			s.log.Warn("related reading", "article", a.ID, "err", err)
		}
		return b
	}
	for _, r := range rel {
		switch {
		case r.SameStory && len(b.SameStory) < readAlsoLimit:
			b.SameStory = append(b.SameStory, r)
		case !r.SameStory && len(b.Similar) < similarLimit:
			b.Similar = append(b.Similar, r)
		}
	}
	return b
}
