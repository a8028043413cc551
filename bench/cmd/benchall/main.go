// Command benchall runs every marsad benchmark — the Go benchmarks of both
// modules (whatever packages declare them) and the command-style
// measurements of the built binary (import, serve memory and latency, wrk)
// — and writes the generated section of docs/benchmarks.md between its
// markers, with min/median/max over runs and each peer ratio from the same
// run.
//
//	cd bench && go run ./cmd/benchall -count 3   # full run (long; 310k figures included)
//	cd bench && go run ./cmd/benchall -smoke     # every benchmark once on tiny inputs; no docs written
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/marsad/marsad/bench/internal/benchdata"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "benchall:", err)
		os.Exit(1)
	}
}

type options struct {
	count     int
	smoke     bool
	docs      string
	bench     string
	pkg       string
	big       bool
	commands  bool
	timeout   string
	logPath   string
	reqs      int
	wrkFor    time.Duration
	benchtime string
	prepare   bool
	merge     bool
	render    bool
	rounds    bool
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("benchall", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.IntVar(&o.count, "count", 3, "runs of every figure")
	fs.BoolVar(&o.smoke, "smoke", false, "smoke test: every benchmark once on tiny inputs (MARSAD_BENCH_SMOKE=1, -short, -benchtime 1x), no 310k, docs untouched; fails when anything fails")
	fs.StringVar(&o.docs, "docs", "../docs/benchmarks.md", "document whose generated section is rewritten (empty: print only)")
	fs.StringVar(&o.bench, "bench", ".", "go test -bench pattern")
	fs.StringVar(&o.pkg, "pkg", "", "only packages whose import path matches this regexp")
	fs.BoolVar(&o.big, "310k", true, "run the 310k-article figures (MARSAD_BENCH_310K=1; builds and caches the corpus and its database)")
	fs.BoolVar(&o.commands, "commands", true, "measure the built binary (import, serve)")
	fs.StringVar(&o.timeout, "timeout", "120m", "go test -timeout per package")
	fs.StringVar(&o.logPath, "log", "", "raw output file (default: the bench cache directory)")
	fs.IntVar(&o.reqs, "requests", 50, "requests per route and run in the serve measurement")
	fs.DurationVar(&o.wrkFor, "wrk", 10*time.Second, "wrk duration per URL (0: no wrk)")
	fs.StringVar(&o.benchtime, "benchtime", "", "go test -benchtime")
	fs.BoolVar(&o.merge, "merge", false, "add this run's packages to the last full run's results (kept in the cache) instead of replacing them")
	fs.BoolVar(&o.rounds, "rounds", true, "run each package's benchmarks in -count separate go test processes (-count 1 each), so marsad's and its peers' run i are adjacent in time; false: one go test -count N")
	fs.BoolVar(&o.render, "render", false, "run nothing: rewrite the generated section from the last full run's saved results (after a change to the report)")
	fs.BoolVar(&o.prepare, "prepare", false, "only build the cached 310k corpus and its imported database, then exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.smoke {
		o.count, o.big, o.docs, o.benchtime, o.reqs, o.wrkFor = 1, false, "", "1x", 3, 0
		if o.timeout == "120m" {
			o.timeout = "5m"
		}
	}
	if o.count < 1 {
		return errors.New("-count must be at least 1")
	}
	pkgRE, err := regexp.Compile(o.pkg)
	if err != nil {
		return fmt.Errorf("-pkg: %w", err)
	}
	benchDir, err := os.Getwd()
	if err != nil {
		return err
	}
	if b, err := os.ReadFile(filepath.Join(benchDir, "go.mod")); err != nil || !strings.Contains(string(b), "module github.com/marsad/marsad/bench\n") {
		return errors.New("run from the bench/ directory (cd bench && go run ./cmd/benchall)")
	}
	root := filepath.Dir(benchDir)
	cache := benchdata.CacheDir()
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return err
	}
	last := filepath.Join(cache, "benchall-last.json")
	if o.render {
		prev, err := loadRun(last)
		if err != nil {
			return err
		}
		return emit(indexResults(prev.Results), prev.Env, prev.Notes, o.docs, stdout, stderr)
	}
	if o.logPath == "" {
		name := "benchall-" + time.Now().UTC().Format("20060102-150405") + ".log"
		if o.smoke {
			name = "benchall-smoke.log"
		}
		o.logPath = filepath.Join(cache, name)
	}
	logf, err := os.Create(o.logPath)
	if err != nil {
		return err
	}
	defer logf.Close()
	fmt.Fprintf(stderr, "benchall: raw output in %s\n", o.logPath)
	if o.prepare {
		c, done, err := newCommands(ctx, o, root, cache, logf, stderr, &Results{})
		if err != nil {
			return err
		}
		defer done()
		db := c.prepare310k(ctx)
		if db == "" {
			return fmt.Errorf("%s", c.Notes[len(c.Notes)-1].Text)
		}
		fmt.Fprintln(stdout, db)
		return nil
	}

	start := time.Now()
	env := Env{
		Date:      start.UTC().Format("2006-01-02 15:04 UTC"),
		Machine:   machine(),
		GoVersion: strings.TrimPrefix(strings.TrimSpace(output(ctx, root, "go", "env", "GOVERSION")), "go"),
		Commit:    commit(ctx, root),
		Command:   "cd bench && go run ./cmd/benchall " + strings.Join(args, " "),
		LoadStart: loadAvg(),
		Runs:      o.count,
	}
	env.GoVersion = "go" + env.GoVersion + " " + runtime.GOOS + "/" + runtime.GOARCH
	env.Command = strings.TrimSpace(env.Command)

	childEnv := []string{}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "MARSAD_BENCH_310K=") && !strings.HasPrefix(kv, "MARSAD_BENCH_SMOKE=") && !strings.HasPrefix(kv, "MARSAD_BENCH_CACHE=") {
			childEnv = append(childEnv, kv)
		}
	}
	childEnv = append(childEnv, "MARSAD_BENCH_CACHE="+cache)
	if o.big {
		childEnv = append(childEnv, "MARSAD_BENCH_310K=1")
	}
	if o.smoke {
		childEnv = append(childEnv, "MARSAD_BENCH_SMOKE=1")
	}

	var pkgs []Package
	for _, dir := range []string{root, benchDir} {
		ps, err := discover(ctx, dir)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if pkgRE.MatchString(p.ImportPath) {
				pkgs = append(pkgs, p)
			}
		}
	}
	rs := &Results{}
	var notes []Note
	// The 310k database is built (or found in the cache) first: Go
	// benchmarks over an imported database use it (MARSAD_BENCH_DB), and
	// the serve measurement below.
	var c *Commands // nil without -commands
	var db310k string
	if o.commands {
		var done func()
		c, done, err = newCommands(ctx, o, root, cache, logf, stderr, rs)
		if err != nil {
			return err
		}
		defer done()
		if o.big {
			db310k = c.prepare310k(ctx)
			if db310k != "" {
				childEnv = append(childEnv, "MARSAD_BENCH_DB="+db310k)
			}
		}
	}
	br := BenchRun{Bench: o.bench, Benchtime: o.benchtime, Count: o.count, Rounds: o.rounds, Short: o.smoke, Timeout: o.timeout, Env: childEnv, Log: logf, Progress: stderr}
	for _, p := range pkgs {
		fmt.Fprintf(stderr, "benchall: %s (%s)\n", p.ImportPath, strings.Join(p.Benchmarks, ", "))
		notes = append(notes, runPackage(ctx, p, br, rs)...)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}

	if c != nil {
		c.run(ctx, o, db310k)
		notes = append(notes, c.Notes...)
	}
	env.LoadEnd = loadAvg()
	env.Wall = time.Since(start).Round(time.Second).String()
	if o.merge {
		prev, err := loadRun(last)
		if err != nil {
			return err
		}
		env, rs, notes = mergeRuns(prev, savedRun{Env: env, Results: rs.list, Notes: notes})
	}
	if !o.smoke {
		if err := saveRun(last, savedRun{Env: env, Results: rs.list, Notes: notes}); err != nil {
			return err
		}
	}
	if err := emit(rs, env, notes, o.docs, stdout, stderr); err != nil {
		return err
	}
	if o.smoke {
		var failed []string
		for _, n := range notes {
			if n.Kind == "failed" {
				failed = append(failed, strings.TrimSpace(n.Pkg+" "+n.Name)+": "+n.Text)
			}
		}
		if len(failed) > 0 {
			return fmt.Errorf("smoke: %d failures:\n  %s", len(failed), strings.Join(failed, "\n  "))
		}
		if len(rs.list) == 0 {
			return errors.New("smoke: no benchmark reported anything")
		}
	}
	return nil
}

// emit prints the generated section and writes it into docs (unless
// docs is empty).
func emit(rs *Results, env Env, notes []Note, docs string, stdout, stderr io.Writer) error {
	section := render(env, rs, notes)
	fmt.Fprint(stdout, section)
	if docs == "" {
		return nil
	}
	if err := writeDoc(docs, section); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "benchall: wrote %s\n", docs)
	return nil
}

// newCommands builds marsad into a temporary directory (removed by done).
func newCommands(ctx context.Context, o options, root, cache string, log, stderr io.Writer, rs *Results) (*Commands, func(), error) {
	c := &Commands{Root: root, Cache: cache, Runs: o.count, Smoke: o.smoke, Log: log, Stderr: stderr, Res: rs}
	tmp, err := os.MkdirTemp("", "benchall-")
	if err != nil {
		return nil, nil, err
	}
	c.Tmp = tmp
	done := func() { os.RemoveAll(tmp) }
	if err := c.build(ctx, tmp); err != nil {
		done()
		return nil, nil, err
	}
	return c, done, nil
}

// prepare310k returns the cached 310k database, importing it first when
// needed, and records its import; "" (with a note) when it cannot.
func (c *Commands) prepare310k(ctx context.Context) string {
	corpus, err := benchdata.Replica310k(ctx)
	if err != nil {
		c.note("serve 310k", "failed", "%v", err)
		return ""
	}
	db, imp, err := c.Database310k(ctx, corpus)
	if err != nil {
		c.note("serve 310k", "failed", "%v", err)
		return ""
	}
	c.addImport("import 310k (once per schema, "+imp.When+")", imp)
	return db
}

// run measures the built binary: import of SaudiNewsNet (or its head in a
// smoke run), then serve over the 310k database (or over a fresh import
// when the 310k figures are off).
func (c *Commands) run(ctx context.Context, o options, db310k string) {
	src, err := benchdata.SaudiNewsNet()
	if err != nil {
		c.note("import", "skipped", "%v", err)
		return
	}
	name := "import 31k"
	if o.smoke {
		if src, err = benchdata.Head(src, c.Tmp, benchdata.SmokeLines); err != nil {
			c.note("import", "failed", "%v", err)
			return
		}
		name = fmt.Sprintf("import %d (smoke)", benchdata.SmokeLines)
	}
	fmt.Fprintf(c.Stderr, "benchall: %s\n", name)
	c.Import(ctx, name, src)
	if o.big {
		if db310k != "" {
			fmt.Fprintf(c.Stderr, "benchall: serve 310k\n")
			c.Serve(ctx, "serve 310k", db310k, o.reqs, o.wrkFor)
		}
		return
	}
	db := filepath.Join(c.Tmp, "serve.db")
	if _, err := c.importCLI(ctx, db, src); err != nil {
		c.note("serve", "failed", "%v", err)
		return
	}
	c.Serve(ctx, strings.Replace(name, "import", "serve", 1), db, o.reqs, o.wrkFor)
}

func output(ctx context.Context, dir, name string, args ...string) string {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	b, _ := cmd.Output()
	return string(b)
}

func commit(ctx context.Context, root string) string {
	c := strings.TrimSpace(output(ctx, root, "git", "log", "-1", "--format=%h %s"))
	if c == "" {
		return "unknown"
	}
	if len(c) > 90 {
		c = c[:87] + "…"
	}
	if strings.TrimSpace(output(ctx, root, "git", "status", "--porcelain", "--untracked-files=no")) != "" {
		c += " (with uncommitted changes)"
	}
	return strings.ReplaceAll(c, "|", "/")
}

func machine() string {
	model, cores := "", 0
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				cores++
			}
		}
	}
	if cores == 0 {
		cores = runtime.NumCPU()
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb float64
		fmt.Sscanf(strings.TrimPrefix(strings.SplitN(string(b), "\n", 2)[0], "MemTotal:"), "%f", &kb)
		mem = fmt.Sprintf(", %.0f GiB RAM", kb/(1<<20))
	}
	kernel := ""
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		kernel = ", Linux " + strings.TrimSpace(string(b))
	}
	return fmt.Sprintf("%s, %d cores%s%s", model, cores, mem, kernel)
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(b))[0]
}
