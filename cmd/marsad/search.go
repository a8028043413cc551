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
	res, err := c.app.Search.Search(ctx, search.Request{Query: q, Limit: c.cfg.Limit})
	if err != nil {
		return err
	}
	if c.cfg.JSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(api.SearchResultsOf(res))
	}
	fmt.Fprintf(c.stdout, "%d results for %q (%s)\n\n", res.Total, q, res.Took.Round(100_000))
	for i, r := range res.Results {
		fmt.Fprintf(c.stdout, "%2d. %s\n    %s · %s · %.2f\n    %s\n    %s\n\n", i+1, r.Article.Title, r.Article.SourceID,
			r.Article.When().In(c.cfg.TZ).Format("2006-01-02 15:04"), r.Score, r.Snippet.String(), r.Article.URL)
	}
	return nil
}
