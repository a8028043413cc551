package main

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
)

// savedRun is a run's results, kept so that packages added later can be
// run alone and merged in (-merge) instead of rerunning everything.
type savedRun struct {
	Env     Env
	Results []*Result
	Notes   []Note
}

func saveRun(path string, r savedRun) error {
	b, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		return fmt.Errorf("saving the run: %w", err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("saving the run: %w", err)
	}
	return nil
}

func loadRun(path string) (savedRun, error) {
	var r savedRun
	b, err := os.ReadFile(path)
	if err != nil {
		return r, fmt.Errorf("-merge and -render need an earlier full run: %w", err)
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return r, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// indexResults indexes a saved run's results.
func indexResults(list []*Result) *Results {
	rs := &Results{}
	for _, r := range list {
		x := rs.get(r.Pkg, r.Name)
		for _, u := range r.Units {
			for _, v := range r.Values[u] {
				x.add(u, v)
			}
		}
	}
	return rs
}

// mergeRuns keeps prev's results and notes except for the packages next
// ran, which next replaces; the run description says both.
func mergeRuns(prev, next savedRun) (Env, *Results, []Note) {
	rerun := map[string]bool{}
	for _, r := range next.Results {
		rerun[r.Pkg] = true
	}
	for _, n := range next.Notes {
		rerun[n.Pkg] = true
	}
	var kept []*Result
	for _, r := range prev.Results {
		if !rerun[r.Pkg] {
			kept = append(kept, r)
		}
	}
	rs := indexResults(slices.Concat(kept, next.Results))
	var notes []Note
	for _, n := range prev.Notes {
		if !rerun[n.Pkg] {
			notes = append(notes, n)
		}
	}
	notes = append(notes, next.Notes...)
	env := prev.Env
	env.Command += "`, then `" + next.Env.Command
	env.Date += ", " + next.Env.Date
	env.LoadEnd = next.Env.LoadEnd
	env.Wall += " + " + next.Env.Wall
	return env, rs, notes
}
