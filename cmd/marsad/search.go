package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/marsad/marsad/internal/api"
	"github.com/marsad/marsad/internal/search"
)

func runSearch(ctx context.Context, c cmd) error {
	q := strings.TrimSpace(strings.Join(c.args, " "))
	if q == "" {
		return errUsage
	}
	res, err := c.app.Search.Search(ctx, search.Request{Query: q, Limit: c.cfg.Limit, SortByDate: c.cfg.SortByDate, Expand: c.cfg.Expand})
	if err != nil {
		return err
	}
	if c.cfg.JSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(api.SearchResultsOf(res))
	}
	about := ""
	if res.Approx {
		about = "about "
	}
	fmt.Fprintf(c.stdout, "%s%d results for %q (%s)\n\n", about, res.Total, q, res.Took.Round(100_000))
	for i, r := range res.Results {
		copies := ""
		if r.Copies > 0 {
			copies = fmt.Sprintf(" · %d copies", r.Copies)
		}
		fmt.Fprintf(c.stdout, "%2d. %s\n    %s · %s · %.2f%s\n    %s\n    %s\n\n", i+1, r.Article.Title, r.Article.SourceID,
			r.Article.When().In(c.cfg.TZ).Format("2006-01-02 15:04"), r.Score, copies, r.Snippet.String(), r.Article.URL)
	}
	return nil
}
