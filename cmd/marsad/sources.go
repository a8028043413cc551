package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/marsad/marsad/internal/api"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/sources"
)

func runSources(ctx context.Context, c cmd) error {
	if len(c.args) == 0 {
		return errUsage
	}
	switch sub, rest := c.args[0], c.args[1:]; sub {
	case "add":
		if len(rest) != 1 {
			return errUsage
		}
		src, err := sources.Discover(ctx, c.app.NewFetcher(), rest[0])
		if err != nil {
			return err
		}
		created, err := c.app.Store.UpsertSource(ctx, src)
		if err != nil {
			return err
		}
		verb := "updated"
		if created {
			verb = "added"
		}
		fmt.Fprintf(c.stdout, "%s source %s (%s): %s\n", verb, src.ID, src.Name, strings.Join(src.FeedURLs, " "))
		return nil
	case "import":
		var srcs []news.Source
		var err error
		switch {
		case c.cfg.Defaults && len(rest) == 0:
			srcs, err = sources.Defaults()
		case len(rest) == 1:
			srcs, err = readSourceFile(rest[0])
		default:
			return errUsage
		}
		if err != nil {
			return err
		}
		added, err := upsertSources(ctx, c, srcs)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "imported %d sources (%d new)\n", len(srcs), added)
		return nil
	case "export":
		srcs, err := c.app.Store.Sources(ctx)
		if err != nil {
			return err
		}
		return sources.WriteOPML(c.stdout, srcs)
	case "list":
		srcs, err := c.app.Store.Sources(ctx)
		if err != nil {
			return err
		}
		if c.cfg.JSON {
			enc := json.NewEncoder(c.stdout)
			enc.SetEscapeHTML(false)
			return enc.Encode(api.SourceListOf(srcs))
		}
		tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tHEALTH\tARTICLES\tLAST FETCH\tNEXT DUE\tFEEDS\tLAST ERROR")
		for _, s := range srcs {
			health := "ok"
			switch {
			case s.Status.LastFetch.IsZero():
				health = "new"
			case !s.Status.Healthy():
				health = fmt.Sprintf("failing×%d", s.Status.Failures)
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\n", s.ID, health, s.Status.ArticlesFound,
				when(s.Status.LastFetch, c), when(s.Status.NextDue, c), strings.Join(s.FeedURLs, " "), s.Status.LastError)
		}
		return tw.Flush()
	}
	return errUsage
}

func when(t time.Time, c cmd) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(c.cfg.TZ).Format("2006-01-02 15:04")
}

// readSourceFile reads an OPML or JSON source list.
func readSourceFile(path string) ([]news.Source, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if strings.EqualFold(filepath.Ext(path), ".json") || strings.HasPrefix(strings.TrimSpace(string(b)), "[") {
		return sources.ParseJSON(b)
	}
	return sources.ParseOPML(b)
}

func upsertSources(ctx context.Context, c cmd, srcs []news.Source) (int, error) {
	added := 0
	for _, s := range srcs {
		created, err := c.app.Store.UpsertSource(ctx, s)
		if err != nil {
			return added, err
		}
		if created {
			added++
		}
	}
	return added, nil
}
