package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/marsad/marsad/internal/api"
	"github.com/marsad/marsad/internal/cluster"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
)

// runStories prints stories with their article URLs, most recently seen
// first: every story, or the --limit most recent.
func runStories(ctx context.Context, c cmd) error {
	if len(c.args) > 0 {
		return errUsage
	}
	f := store.StoryFilter{Limit: 1 << 30}
	if c.cfg.LimitSet {
		f.Limit = c.cfg.Limit
	}
	list, err := c.app.Store.Stories(ctx, f)
	if err != nil {
		return err
	}
	// One pass over the articles instead of a query per story.
	urls := map[int64][]news.Article{}
	want := make(map[int64]bool, len(list))
	for _, st := range list {
		want[st.ID] = true
	}
	if err := c.app.Store.ScanArticles(ctx, func(a news.Article) error {
		if want[a.StoryID] {
			urls[a.StoryID] = append(urls[a.StoryID], a)
		}
		return nil
	}); err != nil {
		return err
	}
	out := api.StoryList{Stories: []api.Story{}}
	for _, st := range list {
		out.Stories = append(out.Stories, api.StoryOf(st, urls[st.ID]))
	}
	if c.cfg.JSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	for _, st := range out.Stories {
		fmt.Fprintf(c.stdout, "%d  %s\n    %d articles · %d sources (%s) · %s – %s\n", st.ID, st.Title, st.ArticleCount,
			len(st.Sources), strings.Join(st.Sources, ", "), st.FirstSeen.In(c.cfg.TZ).Format("2006-01-02 15:04"),
			st.LastSeen.In(c.cfg.TZ).Format("2006-01-02 15:04"))
	}
	return nil
}

// runSimilar prints related reading for one article, given by URL or ID.
func runSimilar(ctx context.Context, c cmd) error {
	if len(c.args) != 1 {
		return errUsage
	}
	var (
		a   news.Article
		err error
	)
	if id, perr := strconv.ParseInt(c.args[0], 10, 64); perr == nil {
		a, err = c.app.Store.Article(ctx, id)
	} else {
		a, err = c.app.Store.ArticleByURL(ctx, c.args[0])
	}
	if err != nil {
		return err
	}
	if err := c.app.Stories.Load(ctx); err != nil {
		return err
	}
	rel, err := c.app.Stories.Related(ctx, a.ID, cluster.RelatedOptions{Limit: c.cfg.Limit})
	if err != nil {
		return err
	}
	res := api.SimilarResultsOf(rel)
	if c.cfg.JSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(res)
	}
	fmt.Fprintf(c.stdout, "related to %d %s\n\n", a.ID, a.Title)
	for i, r := range res.Results {
		fmt.Fprintf(c.stdout, "%2d. %s\n    %s · %.3f · story %d\n    %s\n\n", i+1, r.Title, r.Source, r.Score, r.StoryID, r.URL)
	}
	return nil
}
