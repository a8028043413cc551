package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/marsad/marsad/internal/store/postgres/pgtest"
	"github.com/marsad/marsad/internal/urlnorm"
)

// scaleOutRun is one crawl of TestScaleOut: procs `marsad worker`
// processes, each running workers jobs at once, over their own newsweb
// server and PostgreSQL schema.
type scaleOutRun struct {
	name           string
	procs, workers int
	kill           bool

	w        *newsweb
	dsn      string
	children []*exec.Cmd
	outputs  []*syncBuffer
	killed   int // index of the killed worker, -1 when none
	killAt   time.Duration
	took     time.Duration
	err      error
}

// TestScaleOut is the scale-out acceptance test on PostgreSQL: `marsad
// worker` processes crawl the simulated news web (sources imported; the
// workers' own scheduler queues the feeds). Three crawls run at once, each
// on its own server and schema:
//
//   - one worker and two workers, each process running one job at a time:
//     the process is the bottleneck (as when pages must be extracted and
//     analysed, or with many more sites than job slots), so two must finish
//     sooner. With 32 jobs per process one worker already keeps every one
//     of the 14 sites at its politeness bound and a second could not help.
//   - two workers running 32 jobs each, one killed with SIGKILL mid-crawl:
//     many jobs of both processes compete for the same hosts, so the shared
//     budget is what keeps them polite, and the survivor hands back the
//     dead worker's jobs and finishes the crawl.
//
// Every article must be stored exactly once and fetched once (except pages
// in flight at the kill), and the access logs must show robots.txt obeyed
// and never two requests to a host less than a second apart.
func TestScaleOut(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the scale-out crawl under -short")
	}
	t.Parallel()
	pgtest.DSN(t) // skips without PostgreSQL
	runs := []*scaleOutRun{
		{name: "one worker", procs: 1, workers: 1},
		{name: "two workers", procs: 2, workers: 1},
		{name: "two workers, one killed", procs: 2, workers: 32, kill: true},
	}
	for _, r := range runs {
		r.w = startNewsweb(t)
		r.dsn = pgtest.Schema(t)
		if res := runCLI(t, "", nil, "sources", "import", "--db", r.dsn, r.w.opml); res.code != 0 {
			t.Fatalf("sources import: %+v", res)
		}
	}
	var wg sync.WaitGroup
	for _, r := range runs {
		r.start(t)
		wg.Go(r.wait)
	}
	wg.Wait()
	for _, r := range runs {
		t.Run(r.name, r.check)
	}
	one, two := runs[0].took, runs[1].took
	if one == 0 || two == 0 {
		return // a crawl failed; its subtest said why
	}
	t.Logf("one worker %.1f s, two workers %.1f s: %.2f× faster", one.Seconds(), two.Seconds(), one.Seconds()/two.Seconds())
	if two >= one {
		t.Errorf("two workers took %v, one worker %v: no faster", two, one)
	}
}

// start starts the worker processes (and the timer that kills one).
func (r *scaleOutRun) start(t *testing.T) {
	args := fmt.Sprintf("worker --allow-private --workers %d --db %s", r.workers, r.dsn)
	r.killed = -1
	for range r.procs {
		c := child(t, args)
		out := &syncBuffer{}
		c.Stdout, c.Stderr = out, out
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		r.children = append(r.children, c)
		r.outputs = append(r.outputs, out)
		t.Cleanup(func() { c.Process.Kill(); c.Wait() })
	}
	if r.kill {
		r.killed = 0
		r.killAt = time.Duration(8000+rand.IntN(12000)) * time.Millisecond
		time.AfterFunc(r.killAt, func() { r.children[0].Process.Signal(syscall.SIGKILL) })
	}
}

// wait waits for the crawl to finish, then stops the workers with SIGTERM.
func (r *scaleOutRun) wait() {
	start := time.Now()
	r.took, r.err = waitCrawled(r.dsn, start, 240*time.Second)
	for i, c := range r.children {
		if i != r.killed {
			c.Process.Signal(syscall.SIGTERM)
		}
		err := c.Wait()
		switch {
		case i == r.killed:
		case err != nil || !strings.Contains(r.outputs[i].String(), "marsad: worker stopped"):
			r.err = fmt.Errorf("worker %d did not stop cleanly on SIGTERM: %v\n%s", i, err, r.outputs[i].String())
		}
	}
}

// check checks what one crawl stored and how politely it fetched.
func (r *scaleOutRun) check(t *testing.T) {
	if r.err != nil {
		r.took = 0
		t.Fatal(r.err)
	}
	keys, n := stored(t, r.dsn)
	found := 0
	for _, row := range r.w.truth {
		k, _ := urlnorm.Key(row.URL)
		if _, ok := keys[k]; ok {
			found++
		}
	}
	if n != found || found*100 < len(r.w.truth)*98 {
		t.Errorf("stored %d articles, %d of the %d in the truth", n, found, len(r.w.truth))
	}
	logs := r.w.access(t)
	requests := checkPolite(t, logs)
	twice := fetchedTwice(logs)
	switch {
	case !r.kill && twice > 0:
		t.Errorf("%d documents fetched twice by %d workers", twice, r.procs)
	case r.kill && twice > 14:
		// Only pages the killed worker had in flight: one per site at most.
		t.Errorf("%d documents fetched twice after a kill, want ≤ 14", twice)
	}
	if r.kill {
		// The survivor handed back the jobs the dead worker was running.
		rescued, err := rescuedJobs(r.dsn)
		if err != nil || rescued == 0 {
			t.Errorf("jobs handed back after the kill: %d, %v", rescued, err)
		}
		t.Logf("killed worker 0 after %v; %d of its running jobs handed back", r.killAt, rescued)
	}
	t.Logf("%d articles in %.1f s (%.1f pages/s), %d requests, %d documents fetched twice",
		n, r.took.Seconds(), float64(n)/r.took.Seconds(), requests, twice)
	if t.Failed() {
		r.took = 0
	}
}

// waitCrawled polls River's tables until the crawl is done: every feed
// fetched and no feed or article job left unfinished, twice in a row.
func waitCrawled(dsn string, start time.Time, limit time.Duration) (time.Duration, error) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0, err
	}
	defer conn.Close(ctx)
	quiet := 0
	for time.Since(start) < limit {
		var feeds, open int
		err := conn.QueryRow(ctx, `SELECT
			count(*) FILTER (WHERE kind = 'crawl_feed' AND state = 'completed'),
			count(*) FILTER (WHERE kind IN ('crawl_feed', 'crawl_article') AND state NOT IN ('completed', 'cancelled', 'discarded'))
			FROM river_job`).Scan(&feeds, &open)
		if err != nil {
			return 0, err
		}
		if feeds >= 14 && open == 0 {
			if quiet++; quiet == 2 {
				return time.Since(start), nil
			}
		} else {
			quiet = 0
		}
		time.Sleep(250 * time.Millisecond)
	}
	return 0, fmt.Errorf("crawl not done after %v", limit)
}

// rescuedJobs counts jobs handed back from a dead runner (River's rescue
// operation counts them in the job's metadata).
func rescuedJobs(dsn string) (int, error) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0, err
	}
	defer conn.Close(ctx)
	var n int
	err = conn.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE metadata ? 'river:rescue_count'`).Scan(&n)
	return n, err
}

// syncBuffer is a bytes.Buffer that a child's stdout and stderr copiers
// may write at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
