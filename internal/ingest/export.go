package ingest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
)

// Export writes every stored article as an import line (plus story_id and
// original_url), in ID order, so `marsad import` of the output restores the
// articles.
func Export(ctx context.Context, s store.Store, w io.Writer) (int, error) {
	bw := bufio.NewWriterSize(w, 256<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	originals := map[int64]string{}
	n := 0
	err := s.ScanArticles(ctx, func(a news.Article) error {
		l := LineOf(a)
		if a.OriginalID != 0 {
			u, ok := originals[a.OriginalID]
			if !ok {
				o, err := s.Article(ctx, a.OriginalID)
				if err != nil {
					return fmt.Errorf("original of %s: %w", a.URL, err)
				}
				u = o.URL
				originals[a.OriginalID] = u
			}
			l.OriginalURL = u
		}
		n++
		return enc.Encode(l)
	})
	if err != nil {
		return n, fmt.Errorf("export: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return n, fmt.Errorf("export: %w", err)
	}
	return n, nil
}

// LineOf converts an article to its import line.
func LineOf(a news.Article) Line {
	// Import unescapes HTML entities in titles and authors (scrapers leave
	// them escaped), so a literal '&' is written as "&amp;": otherwise a
	// title reading "&lt;" would become "<" on the next import (FuzzParseLine).
	l := Line{
		URL: a.URL, Source: a.SourceID, Title: escapeAmp(a.Title), Author: escapeAmp(a.Author),
		Text: a.Text, HTML: a.HTML, Lang: a.Lang, StoryID: a.StoryID,
	}
	if !a.Published.IsZero() {
		l.Published = a.Published.Format(time.RFC3339)
	}
	return l
}

func escapeAmp(s string) string { return strings.ReplaceAll(s, "&", "&amp;") }
