package jobs

import (
	"context"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivertype"
)

// River hands back a job left "running" by a process that died only after
// RescueStuckJobsAfter (a global timeout, default an hour; River has no
// per-client heartbeat — riverqueue/river#682, #773). For a crawler killed
// and restarted that is an hour of missing articles, so each runner notes
// it is alive in the store (job_runners) and, at start and every half
// minute, hands back the running jobs whose runner is gone: not seen for
// deadAfter, or — a fast path for the usual one-machine SQLite setup — a
// process on this host that no longer exists. The hand-back uses River's
// own driver operation, the one its rescuer uses, so River's bookkeeping
// (errors, rescue count) stays consistent.
const (
	heartbeatEvery = 5 * time.Second
	deadAfter      = 30 * time.Second
)

// rescue hands back the jobs of dead runners and returns how many.
func (c *Crawler) rescue(ctx context.Context) (int, error) {
	now := c.opt.Now()
	seen, err := c.opt.Store.Runners(ctx, now.Add(-24*time.Hour))
	if err != nil {
		return 0, err
	}
	host, _ := os.Hostname()
	host = strings.ReplaceAll(host, ":", "_")
	params := &riverdriver.JobRescueManyParams{StuckHorizon: time.Now().Add(time.Minute)}
	var cursor *river.JobListCursor
	for {
		lp := river.NewJobListParams().States(rivertype.JobStateRunning).First(500)
		if cursor != nil {
			lp = lp.After(cursor)
		}
		res, err := c.client.JobList(ctx, lp)
		if err != nil {
			return 0, err
		}
		for _, j := range res.Jobs {
			if len(j.AttemptedBy) == 0 {
				continue
			}
			runner := j.AttemptedBy[len(j.AttemptedBy)-1]
			if runner == c.id || !dead(runner, seen, now, host) {
				continue
			}
			msg, _ := json.Marshal(rivertype.AttemptError{At: time.Now().UTC(), Attempt: j.Attempt,
				Error: "runner " + runner + " stopped while running the job; handed back"})
			at := time.Now().UTC()
			params.ID = append(params.ID, j.ID)
			params.Error = append(params.Error, msg)
			params.FinalizedAt = append(params.FinalizedAt, nil)
			params.ScheduledAt = append(params.ScheduledAt, at)
			params.State = append(params.State, string(rivertype.JobStateAvailable))
		}
		if len(res.Jobs) < 500 || res.LastCursor == nil {
			break
		}
		cursor = res.LastCursor
	}
	if len(params.ID) == 0 {
		return 0, nil
	}
	if _, err := c.driver.GetExecutor().JobRescueMany(ctx, params); err != nil {
		return 0, err
	}
	return len(params.ID), nil
}

// dead reports whether a runner is gone.
func dead(runner string, seen map[string]time.Time, now time.Time, host string) bool {
	// Runner IDs are host:pid:start (see New).
	if parts := strings.Split(runner, ":"); len(parts) == 3 && parts[0] == host {
		if pid, err := strconv.Atoi(parts[1]); err == nil && pid > 0 && !processExists(pid) {
			return true
		}
	}
	last, ok := seen[runner]
	return !ok || now.Sub(last) > deadAfter
}
