// Command marsad is an Arabic-first news aggregation engine. This file is
// the only place that exits: every verb returns an error to run.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"slices"
	"syscall"
	_ "time/tzdata" // time zones (MARSAD_TZ) on machines without a zoneinfo database

	"github.com/marsad/marsad/internal/app"
	"github.com/marsad/marsad/internal/config"
	"github.com/marsad/marsad/internal/search"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv})
	stop()
	os.Exit(code)
}

// env is the process's outside world, replaceable in tests.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// stderrTTY reports whether stderr is a terminal (progress bars).
	stderrTTY bool
}

type verb struct {
	name, args, help string
	run              func(ctx context.Context, c cmd) error
	// noApp verbs do not open the database.
	noApp bool
	// more is printed after the flags by --help.
	more string
}

// cmd is what a verb gets: configuration, positional arguments, the opened
// app (unless noApp) and the process environment.
type cmd struct {
	cfg  config.Config
	args []string
	app  *app.App
	log  *slog.Logger
	env
}

func verbs() []verb {
	return []verb{
		{name: "serve", args: "[--addr :8080] [--no-crawl]", help: "web UI + JSON API + feeds", run: runServe},
		{name: "worker", help: "work the crawl queue, no HTTP (scale-out: many per database)", run: runWorker},
		{name: "import", args: "FILE.jsonl[.gz]...", help: "bulk-import pre-extracted articles (- reads stdin)", run: runImport},
		{name: "crawl", args: "--once [--sources FILE] [--allow-private]", help: "one full crawl pass, then exit", run: runCrawl},
		{name: "sources", args: "add URL | import FILE|--defaults | export | list", help: "manage the sources marsad follows", run: runSources},
		{name: "search", args: "[--limit N] [--sort date] [--expand] QUERY", help: "full-text search", more: search.Syntax, run: runSearch},
		{name: "similar", args: "[--limit N] URL|ID", help: "related reading for one article", run: runSimilar},
		{name: "stories", args: "[--limit N]", help: "stories with their article URLs (every story unless --limit)", run: runStories},
		{name: "extract", args: "[--json] [--url U] FILE|URL...", help: "extract the article of saved pages (.html.gz read as gzip)", run: runExtract, noApp: true},
		{name: "dups", help: "copy groups: each original with its copies", run: runDups},
		{name: "export", help: "every stored article as import lines", run: runExport},
		{name: "analyze", args: "TEXT|-", help: "the Arabic analyzer's tokens (- reads stdin)", run: runAnalyze, noApp: true},
		{name: "migrate", help: "create or upgrade the database schema", run: runMigrate},
	}
}

// errUsage marks a command-line mistake: usage is printed, exit code 2.
var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, e env) int {
	if f, ok := e.stderr.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			e.stderrTTY = true
		}
	}
	if len(args) == 0 || slices.Contains([]string{"-h", "--help", "help"}, args[0]) {
		usage(e.stderr)
		return 2
	}
	var v *verb
	for _, cand := range verbs() {
		if cand.name == args[0] {
			v = &cand
			break
		}
	}
	if v == nil {
		fmt.Fprintf(e.stderr, "marsad: unknown command %q\n\n", args[0])
		usage(e.stderr)
		return 2
	}
	cfg, pos, err := config.Load(v.name, args[1:], e.getenv, e.stderr)
	if errors.Is(err, config.ErrHelp) {
		fmt.Fprintf(e.stderr, "\nmarsad %s %s\n  %s\n", v.name, v.args, v.help)
		if v.more != "" {
			fmt.Fprintf(e.stderr, "\n%s\n", v.more)
		}
		return 0
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "marsad %s: %v\n", v.name, err)
		return 2
	}
	log := newLogger(cfg, e.stderr)
	// Profilers of the whole command (import, serve …), how the benchmarks'
	// profiles are taken on the real binary: MARSAD_CPUPROFILE=FILE a CPU
	// profile, MARSAD_TRACE=FILE an execution trace (where a pipeline's
	// goroutines wait: go tool trace -pprof=sched FILE).
	for _, p := range []struct {
		env, what string
		start     func(io.Writer) error
		end       func()
	}{
		{"MARSAD_CPUPROFILE", "cpu profile", pprof.StartCPUProfile, pprof.StopCPUProfile},
		{"MARSAD_TRACE", "trace", trace.Start, trace.Stop},
	} {
		path := e.getenv(p.env)
		if path == "" {
			continue
		}
		stop, err := startWriting(path, p.what, p.start, p.end)
		if err != nil {
			fmt.Fprintf(e.stderr, "marsad %s: %v\n", v.name, err)
			return 1
		}
		defer stop()
	}
	c := cmd{cfg: cfg, args: pos, log: log, env: e}
	if !v.noApp {
		a, err := app.Open(ctx, cfg, log)
		if err != nil {
			fmt.Fprintf(e.stderr, "marsad %s: %v\n", v.name, err)
			return 1
		}
		defer a.Close()
		c.app = a
	}
	err = v.run(ctx, c)
	// MARSAD_HEAPPROFILE=FILE writes the live heap when the command ends
	// (serve: on SIGINT/SIGTERM), before the app is closed: where serve's
	// resident memory goes.
	if path := e.getenv("MARSAD_HEAPPROFILE"); path != "" {
		if err := writeHeapProfile(path); err != nil {
			fmt.Fprintf(e.stderr, "marsad %s: %v\n", v.name, err)
		}
		runtime.KeepAlive(c.app)
	}
	if err != nil {
		if errors.Is(err, errUsage) {
			fmt.Fprintf(e.stderr, "usage: marsad %s %s\n", v.name, v.args)
			return 2
		}
		fmt.Fprintf(e.stderr, "marsad %s: %v\n", v.name, err)
		return 1
	}
	return 0
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "marsad (مرصد): an Arabic-first news aggregation engine\n\nusage: marsad COMMAND [flags] [args]\n\ncommands:")
	for _, v := range verbs() {
		fmt.Fprintf(w, "  %-8s %-28s %s\n", v.name, v.args, v.help)
	}
	fmt.Fprintln(w, "\nEvery command takes --db (env MARSAD_DB, default ./marsad.db); \"marsad COMMAND --help\" lists its flags.")
}

// startWriting starts a profiler writing to the file at path; stop ends it
// and closes the file.
func startWriting(path, what string, start func(io.Writer) error, end func()) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if err := start(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return func() { end(); f.Close() }, nil
}

// writeHeapProfile writes the heap profile as of a fresh collection (the
// profile reports the live heap at the last GC).
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("heap profile: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	return nil
}
