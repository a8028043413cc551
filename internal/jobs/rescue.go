package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivertype"

	"github.com/marsad/marsad/internal/store"
)

// River hands back a job left "running" by a process that died only after
// RescueStuckJobsAfter (a global timeout, default an hour; River has no
// per-client heartbeat — riverqueue/river#682, #773). For a crawler killed
// and restarted that is an hour of missing articles, so each runner notes
// it is alive in the store (job_runners) and, at start and at every
// heartbeat, hands back the running jobs whose runner is gone: not seen for
// deadAfter, or — a fast path for runners on the same machine — a process
// on this host that no longer exists. The hand-back uses River's own
// driver operation, the one its rescuer uses, so River's bookkeeping
// (errors, rescue count) stays consistent. The dead runner's turns at
// hosts (the shared politeness budget) are ended too, after a pause in
// case its last request was still reaching the site.
const (
	heartbeatEvery = 5 * time.Second
	deadAfter      = 30 * time.Second
	deadHostPause  = 5 * time.Second
)

// rescueLease names the lease that lets one process at a time rescue:
// River's rescue operation does not check a job's state, so two processes
// handing back the same job could hand it back again after a live runner
// took it. The lease is a turn in the shared host budget under a name no
// host has.
const rescueLease = "(job-rescue)"

// rescue hands back the jobs of dead runners and returns how many.
func (c *Crawler) rescue(ctx context.Context) (int, error) {
	now := c.opt.Now()
	holder := fmt.Sprintf("%s#rescue-%d", c.id, c.rescues.Add(1))
	turn, err := c.opt.Store.ClaimHost(ctx, store.HostClaim{Host: rescueLease, Owner: c.id, Holder: holder, Now: now,
		Lease: time.Minute})
	if err != nil || !turn.Granted {
		return 0, err // another process is rescuing
	}
	defer func() {
		if err := c.opt.Store.ReleaseHost(context.WithoutCancel(ctx), store.HostRelease{Host: rescueLease,
			Holder: holder, Next: now}); err != nil {
			c.log.Warn("releasing the rescue lease", "err", err)
		}
	}()
	seen, err := c.opt.Store.Runners(ctx, now.Add(-24*time.Hour))
	if err != nil {
		return 0, err
	}
	host, _ := os.Hostname()
	host = strings.ReplaceAll(host, ":", "_")
	params := &riverdriver.JobRescueManyParams{StuckHorizon: time.Now().Add(time.Minute)}
	gone := map[string]bool{}
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
			gone[runner] = true
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
	for runner := range gone {
		if _, err := c.opt.Store.ReleaseHostsOf(ctx, runner, now.Add(deadHostPause)); err != nil {
			return 0, err
		}
	}
	if _, err := c.exec.JobRescueMany(ctx, params); err != nil {
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
