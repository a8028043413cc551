package main

import (
	"context"
	"fmt"
	"net/url"
)

// runWorker works the crawl queue (feed, article and schedule jobs) with no
// HTTP server until SIGINT or SIGTERM, then stops gracefully: it takes no
// new job, gives running ones a few seconds, and hands the rest back to the
// queue. Any number of workers on any number of machines may share one
// PostgreSQL database; each job is run by one of them.
func runWorker(ctx context.Context, c cmd) error {
	if len(c.args) > 0 {
		return errUsage
	}
	stop, err := c.app.StartCrawler(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stderr, "marsad: worker %s taking jobs from %s (%d at once); stop with SIGTERM or Ctrl-C\n",
		c.app.RunnerID, redactDB(c.cfg.DB), c.cfg.Workers)
	<-ctx.Done()
	stop()
	fmt.Fprintln(c.stderr, "marsad: worker stopped")
	return nil
}

// redactDB hides a password in a postgres:// URL before it is printed.
func redactDB(db string) string {
	if u, err := url.Parse(db); err == nil && u.Scheme != "" && u.User != nil {
		return u.Redacted()
	}
	return db
}
