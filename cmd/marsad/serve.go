package main

import (
	"context"
	"fmt"
	"net"

	"github.com/marsad/marsad/internal/store"
)

func runServe(ctx context.Context, c cmd) error {
	ln, err := net.Listen("tcp", c.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.cfg.Addr, err)
	}
	n, err := c.app.Store.CountArticles(ctx, store.ArticleFilter{})
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stderr, "marsad: serving %d articles from %s on %s\n", n, redactDB(c.cfg.DB), publicURL(c, ln))
	if n == 0 {
		fmt.Fprintln(c.stderr, "marsad: the database is empty; import articles with: marsad import FILE.jsonl.gz")
	}
	return c.app.Serve(ctx, ln)
}

// publicURL names the address actually bound (":0" picks a port).
func publicURL(c cmd, ln net.Listener) string {
	cfg := c.cfg
	cfg.Addr = ln.Addr().String()
	if host, _, err := net.SplitHostPort(c.cfg.Addr); err == nil && host == "" {
		_, port, _ := net.SplitHostPort(cfg.Addr)
		cfg.Addr = ":" + port
	}
	return cfg.PublicURL()
}
