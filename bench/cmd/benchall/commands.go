package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/marsad/marsad/bench/internal/promtext"
)

// Commands measures marsad as a user runs it: the built binary's import and
// serve, timed from outside.
type Commands struct {
	Root   string // the main module
	Bin    string // built marsad
	Tmp    string // scratch directory
	Cache  string
	Runs   int
	Smoke  bool
	Log    io.Writer
	Stderr io.Writer
	Res    *Results
	Notes  []Note
}

const cmdPkg = "commands"

func (c *Commands) note(name, kind, format string, args ...any) {
	c.Notes = append(c.Notes, Note{Pkg: cmdPkg, Name: name, Kind: kind, Text: fmt.Sprintf(format, args...)})
	fmt.Fprintf(c.Stderr, "benchall: %s: %s: %s\n", name, kind, fmt.Sprintf(format, args...))
}

// build compiles marsad from the main module.
func (c *Commands) build(ctx context.Context, dir string) error {
	c.Bin = filepath.Join(dir, "marsad")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", c.Bin, "./cmd/marsad")
	cmd.Dir = c.Root
	cmd.Stdout, cmd.Stderr = c.Log, c.Log
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("benchall: building marsad: %w", err)
	}
	return nil
}

// importResult is `marsad import --json`'s summary.
type importResult struct {
	Articles int     `json:"articles"`
	New      int     `json:"new"`
	Bad      int     `json:"bad_lines"`
	Seconds  float64 `json:"seconds"`
	Rate     float64 `json:"articles_per_second"`
	DBBytes  int64   `json:"db_bytes"`
	PeakRSS  float64 `json:"peak_rss_mib"` // added here, from the child's rusage
	When     string  `json:"when,omitempty"`
}

// importCLI runs `marsad import --json` into db and adds the child's peak
// RSS.
func (c *Commands) importCLI(ctx context.Context, db, file string) (importResult, error) {
	cmd := exec.CommandContext(ctx, c.Bin, "import", "--json", "--db", db, file)
	var out strings.Builder
	cmd.Stdout = &out
	cmd.Stderr = c.Log
	fmt.Fprintf(c.Log, "\n$ %s\n", strings.Join(cmd.Args, " "))
	if err := cmd.Run(); err != nil {
		return importResult{}, fmt.Errorf("benchall: %s: %w", strings.Join(cmd.Args, " "), err)
	}
	var r importResult
	if err := json.Unmarshal([]byte(out.String()), &r); err != nil {
		return r, fmt.Errorf("benchall: import output %q: %w", out.String(), err)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.PeakRSS = float64(ru.Maxrss) / 1024 // Linux reports KiB
	}
	fmt.Fprintf(c.Log, "%s\n", strings.TrimSpace(out.String()))
	return r, nil
}

func (c *Commands) addImport(name string, r importResult) {
	c.Res.Add(cmdPkg, name, "articles/s", r.Rate)
	c.Res.Add(cmdPkg, name, "wall-s", r.Seconds)
	c.Res.Add(cmdPkg, name, "peak-RSS-MiB", r.PeakRSS)
	c.Res.Add(cmdPkg, name, "db-MiB", float64(r.DBBytes)/(1<<20))
}

// Import times `marsad import` of file into fresh databases, Runs times.
func (c *Commands) Import(ctx context.Context, name, file string) {
	for range c.Runs {
		dir, err := os.MkdirTemp("", "benchall-import-")
		if err != nil {
			c.note(name, "failed", "%v", err)
			return
		}
		r, err := c.importCLI(ctx, filepath.Join(dir, "marsad.db"), file)
		os.RemoveAll(dir)
		if err != nil {
			c.note(name, "failed", "%v", err)
			return
		}
		c.addImport(name, r)
	}
}

// schemaKey hashes the sources that decide what an imported database holds
// for the serve measurement: the schema and the pipeline stages that fill
// it (copy detection, story clustering). Analyzer and import-speed changes
// keep the cached 310k database (serve's memory and latency do not depend
// on them); delete it from the cache to force a rebuild.
func schemaKey(root string) (string, error) {
	h := sha256.New()
	for _, d := range []string{"internal/store/sqlite/migrations", "internal/dedup", "internal/cluster"} {
		err := filepath.WalkDir(filepath.Join(root, d), func(p string, e fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			if err != nil {
				return err
			}
			if e.IsDir() {
				if e.Name() == "testdata" {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(p, "_test.go") || !(strings.HasSuffix(p, ".go") || strings.HasSuffix(p, ".sql") || strings.HasSuffix(p, ".txt") || strings.HasSuffix(p, ".tsv")) {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "%s %d\n", strings.TrimPrefix(p, root), len(b))
			h.Write(b)
			return nil
		})
		if err != nil {
			return "", fmt.Errorf("benchall: hashing %s: %w", d, err)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

// Database310k returns a SQLite database holding the 310k corpus, imported
// by the built binary: cached under the schema key (the import takes many
// minutes), its import summary kept beside it.
func (c *Commands) Database310k(ctx context.Context, corpus string) (string, importResult, error) {
	key, err := schemaKey(c.Root)
	if err != nil {
		return "", importResult{}, err
	}
	db := filepath.Join(c.Cache, "marsad-x10-"+key+".db")
	meta := db + ".import.json"
	if b, err := os.ReadFile(meta); err == nil {
		var r importResult
		if json.Unmarshal(b, &r) == nil {
			if _, err := os.Stat(db); err == nil {
				return db, r, nil
			}
		}
	}
	// Older keys' databases are stale: remove them (gigabytes each).
	old, _ := filepath.Glob(filepath.Join(c.Cache, "marsad-x10-*.db*"))
	for _, p := range old {
		os.Remove(p)
	}
	fmt.Fprintf(c.Stderr, "benchall: importing the 310k corpus into %s (minutes)\n", db)
	tmp := filepath.Join(c.Cache, "importing-"+key+".db")
	for _, s := range []string{"", "-wal", "-shm"} {
		os.Remove(tmp + s)
	}
	r, err := c.importCLI(ctx, tmp, corpus)
	if err != nil {
		return "", r, err
	}
	r.When = time.Now().UTC().Format(time.DateOnly)
	for _, s := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(tmp + s); err == nil {
			if err := os.Rename(tmp+s, db+s); err != nil {
				return "", r, fmt.Errorf("benchall: %w", err)
			}
		}
	}
	if err := os.Rename(tmp, db); err != nil {
		return "", r, fmt.Errorf("benchall: %w", err)
	}
	b, _ := json.Marshal(r)
	if err := os.WriteFile(meta, b, 0o644); err != nil {
		return "", r, fmt.Errorf("benchall: %w", err)
	}
	return db, r, nil
}

// server is a running `marsad serve`.
type server struct {
	cmd  *exec.Cmd
	base string
	done chan error
}

var servingLine = regexp.MustCompile(`serving (\d+) articles from .* on (http://\S+)`)

func (c *Commands) startServe(ctx context.Context, db string) (*server, int, error) {
	cmd := exec.CommandContext(ctx, c.Bin, "serve", "--no-crawl", "--addr", "127.0.0.1:0", "--db", db, "--log-level", "warn",
		"--api-rate", "0") // the API's per-client limit (20/s) would answer 429 to one fast client
	cmd.Stdout = c.Log
	pr, pw := io.Pipe()
	cmd.Stderr = pw
	fmt.Fprintf(c.Log, "\n$ %s\n", strings.Join(cmd.Args, " "))
	if err := cmd.Start(); err != nil {
		return nil, 0, fmt.Errorf("benchall: starting serve: %w", err)
	}
	s := &server{cmd: cmd, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait(); pw.Close() }()
	found := make(chan []string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		sent := false
		for sc.Scan() {
			fmt.Fprintln(c.Log, sc.Text())
			if m := servingLine.FindStringSubmatch(sc.Text()); m != nil && !sent {
				found <- m
				sent = true
			}
		}
		io.Copy(io.Discard, pr) //nolint:errcheck // drain
		close(found)
	}()
	select {
	case m, ok := <-found:
		if !ok {
			return nil, 0, errors.New("benchall: serve exited before serving")
		}
		s.base = strings.TrimRight(m[2], "/")
		n, _ := strconv.Atoi(m[1])
		if err := waitHealthy(ctx, s.base); err != nil || n == 0 {
			return s, n, err
		}
		return s, n, waitLoaded(ctx, s.base)
	case <-time.After(10 * time.Minute):
		s.stop()
		return nil, 0, errors.New("benchall: serve did not start in 10 minutes")
	}
}

func waitHealthy(ctx context.Context, base string) error {
	for i := 0; i < 600; i++ {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return errors.New("benchall: serve not healthy")
}

// waitLoaded waits until serve's in-memory search index is built and its
// stories' state is loaded (their gauges in /metrics: articles indexed
// positive, marsad_stories_ready 1), so routes are measured on a settled
// server and the peak RSS includes both. The stories' load runs in the
// background for minutes at 310k articles, after the index.
func waitLoaded(ctx context.Context, base string) error {
	for range 2400 {
		if body, err := promtext.Get(base); err == nil {
			indexed, _ := promtext.Value(body, "marsad_search_index_articles")
			stories, _ := promtext.Value(body, "marsad_stories_ready")
			if indexed > 0 && stories == 1 {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
	return errors.New("benchall: serve's search index and stories not ready in 20 minutes")
}

// stop interrupts the server and waits for it.
func (s *server) stop() {
	s.cmd.Process.Signal(os.Interrupt) //nolint:errcheck // may have exited
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill() //nolint:errcheck
		<-s.done
	}
}

// memory reads the server's peak and current resident set (MiB).
func (s *server) memory() (hwm, rss float64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, 0, fmt.Errorf("benchall: %w", err)
	}
	for line := range strings.Lines(string(b)) {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		v, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmHWM:":
			hwm = v / 1024
		case "VmRSS:":
			rss = v / 1024
		}
	}
	return hwm, rss, nil
}

// route is one kind of page the serve measurement requests.
type route struct {
	name  string
	paths []string // requested in turn
}

func routes(articles int) []route {
	ids := func() []string {
		var out []string
		for _, k := range []int{1, 7, 13, 29, 31, 43, 61, 89, 97} {
			out = append(out, fmt.Sprintf("/article/%d", 1+(articles-1)*k/100))
		}
		return out
	}
	queries := []string{"السعودية", "وزير الخارجية", "أمطار", "الهلال", "النفط", "مجلس الوزراء", "اليمن", "سوق الأسهم"}
	search := func(prefix string) []string {
		var out []string
		for _, q := range queries {
			out = append(out, prefix+"?q="+url.QueryEscape(q))
		}
		return out
	}
	return []route{
		{"home", []string{"/"}},
		{"article", ids()},
		{"search", search("/search")},
		{"feed.rss", []string{"/feed.rss"}},
		{"feed.atom", []string{"/feed.atom"}},
		{"search feed.rss", search("/search/feed.rss")},
		{"api articles", []string{"/api/v1/articles"}},
	}
}

// Serve measures `marsad serve` over db: per run a fresh process, every
// route requested `reqs` times in turn (latency percentiles), wrk on the
// home page and the feed when wrk is installed, then the process' peak RSS.
func (c *Commands) Serve(ctx context.Context, name, db string, reqs int, wrkFor time.Duration) {
	wrk, _ := exec.LookPath("wrk")
	for range c.Runs {
		s, n, err := c.startServe(ctx, db)
		if err != nil {
			c.note(name, "failed", "%v", err)
			return
		}
		fmt.Fprintf(c.Stderr, "benchall: %s: serving %d articles at %s\n", name, n, s.base)
		c.Res.Add(cmdPkg, name, "articles", float64(n))
		failed := false
		for _, rt := range routes(n) {
			lat, err := timeRequests(ctx, s.base, rt.paths, reqs)
			if err != nil {
				c.note(name+" "+rt.name, "failed", "%v", err)
				failed = true
				break
			}
			c.Res.Add(cmdPkg, name+" "+rt.name, "p50-ms", percentile(lat, 0.50))
			c.Res.Add(cmdPkg, name+" "+rt.name, "p99-ms", percentile(lat, 0.99))
		}
		if wrk != "" && wrkFor > 0 && !failed {
			for _, p := range []struct{ name, path string }{{"home", "/"}, {"feed.rss", "/feed.rss"}} {
				w, err := runWrk(ctx, wrk, s.base+p.path, wrkFor, c.Log)
				if err != nil {
					c.note(name+" wrk "+p.name, "failed", "%v", err)
					continue
				}
				k := name + " wrk " + p.name
				c.Res.Add(cmdPkg, k, "req/s", w.rps)
				c.Res.Add(cmdPkg, k, "p50-ms", w.p50)
				c.Res.Add(cmdPkg, k, "p99-ms", w.p99)
			}
		}
		hwm, rss, err := s.memory()
		s.stop()
		if err != nil {
			c.note(name, "failed", "%v", err)
			return
		}
		c.Res.Add(cmdPkg, name+" memory", "VmHWM-MiB", hwm)
		c.Res.Add(cmdPkg, name+" memory", "VmRSS-MiB", rss)
		if failed {
			return
		}
	}
}

// timeRequests GETs each path in turn until n requests are done; every
// response must be 200 and is read to the end.
func timeRequests(ctx context.Context, base string, paths []string, n int) ([]float64, error) {
	cl := &http.Client{Timeout: 2 * time.Minute}
	var lat []float64
	for i := range n {
		u := base + paths[i%len(paths)]
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		t := time.Now()
		resp, err := cl.Do(req)
		if err != nil {
			return nil, fmt.Errorf("GET %s: %w", u, err)
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		d := time.Since(t)
		if err != nil {
			return nil, fmt.Errorf("GET %s: %w", u, err)
		}
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("GET %s: %s", u, resp.Status)
		}
		lat = append(lat, float64(d.Microseconds())/1000)
	}
	return lat, nil
}

// percentile is the nearest-rank percentile.
func percentile(vs []float64, p float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	i := int(p*float64(len(s))+0.999999) - 1
	return s[min(max(i, 0), len(s)-1)]
}

type wrkResult struct{ rps, p50, p99 float64 }

var (
	wrkRPS = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
	wrkPct = regexp.MustCompile(`(?m)^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\b`)
	wrkBad = regexp.MustCompile(`Non-2xx or 3xx responses:\s+(\d+)`)
)

// runWrk runs wrk (2 threads, 8 connections) against u.
func runWrk(ctx context.Context, wrk, u string, d time.Duration, log io.Writer) (wrkResult, error) {
	cmd := exec.CommandContext(ctx, wrk, "-t2", "-c8", "-d"+strconv.Itoa(int(d.Seconds()))+"s", "--latency", u)
	out, err := cmd.CombinedOutput()
	fmt.Fprintf(log, "\n$ %s\n%s", strings.Join(cmd.Args, " "), out)
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk: %w", err)
	}
	return parseWrk(string(out))
}

func parseWrk(out string) (wrkResult, error) {
	var r wrkResult
	m := wrkRPS.FindStringSubmatch(out)
	if m == nil {
		return r, errors.New("wrk: no Requests/sec in output")
	}
	if b := wrkBad.FindStringSubmatch(out); b != nil {
		return r, fmt.Errorf("wrk: %s non-2xx responses", b[1])
	}
	r.rps, _ = strconv.ParseFloat(m[1], 64)
	for _, p := range wrkPct.FindAllStringSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(p[2], 64)
		switch p[3] {
		case "us":
			v /= 1000
		case "s":
			v *= 1000
		}
		if p[1] == "50" {
			r.p50 = v
		} else {
			r.p99 = v
		}
	}
	return r, nil
}
