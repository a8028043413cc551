package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/marsad/marsad/internal/api"
)

// runDups prints the copy groups: each original with its copies.
func runDups(ctx context.Context, c cmd) error {
	if len(c.args) > 0 {
		return errUsage
	}
	groups, err := c.app.Store.CopyGroups(ctx, 0, 0)
	if err != nil {
		return err
	}
	if c.cfg.JSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(api.DupsOf(groups))
	}
	copies := 0
	for _, g := range groups {
		copies += len(g.Copies)
	}
	fmt.Fprintf(c.stdout, "%d copy groups, %d copies\n\n", len(groups), copies)
	for _, g := range groups {
		o := g.Original
		fmt.Fprintf(c.stdout, "%s  [%s · %s]\n  original  %s\n", o.Title, o.SourceID, o.When().In(c.cfg.TZ).Format("2006-01-02 15:04"), o.URL)
		for _, cp := range g.Copies {
			fmt.Fprintf(c.stdout, "  copy      %s  [%s · %s]\n", cp.URL, cp.SourceID, cp.When().In(c.cfg.TZ).Format("2006-01-02 15:04"))
		}
		fmt.Fprintln(c.stdout)
	}
	return nil
}
