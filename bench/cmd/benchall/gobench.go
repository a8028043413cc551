package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
)

// Package is a Go package with benchmarks.
type Package struct {
	ModuleDir  string // where `go test` runs
	ImportPath string
	Benchmarks []string
}

var benchFunc = regexp.MustCompile(`(?m)^func (Benchmark\w*)\(\s*\w+\s+\*testing\.B\s*\)`)

// discover lists the packages of the module in dir that declare benchmark
// functions, so benchmarks other work adds are run without editing the
// runner. It reads the test files go list names (this build's files only).
func discover(ctx context.Context, dir string) ([]Package, error) {
	cmd := exec.CommandContext(ctx, "go", "list", "-f", `{{.ImportPath}}{{"\t"}}{{.Dir}}{{"\t"}}{{join .TestGoFiles " "}} {{join .XTestGoFiles " "}}`, "./...")
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("benchall: go list in %s: %w", dir, err)
	}
	var pkgs []Package
	for line := range strings.Lines(string(out)) {
		f := strings.Split(strings.TrimRight(line, "\n"), "\t")
		if len(f) != 3 {
			continue
		}
		p := Package{ModuleDir: dir, ImportPath: f[0]}
		for _, name := range strings.Fields(f[2]) {
			src, err := os.ReadFile(f[1] + "/" + name)
			if err != nil {
				return nil, fmt.Errorf("benchall: %w", err)
			}
			for _, m := range benchFunc.FindAllSubmatch(src, -1) {
				p.Benchmarks = append(p.Benchmarks, string(m[1]))
			}
		}
		if len(p.Benchmarks) > 0 {
			pkgs = append(pkgs, p)
		}
	}
	return pkgs, nil
}

// Result is every value one benchmark (or command measurement) reported,
// per unit, in run order.
type Result struct {
	Pkg, Name string
	Units     []string // in first-reported order
	Values    map[string][]float64
}

func (r *Result) add(unit string, v float64) {
	if r.Values == nil {
		r.Values = map[string][]float64{}
	}
	if _, ok := r.Values[unit]; !ok {
		r.Units = append(r.Units, unit)
	}
	r.Values[unit] = append(r.Values[unit], v)
}

// Results keeps results in first-seen order.
type Results struct {
	list  []*Result
	index map[string]*Result
}

func (rs *Results) get(pkg, name string) *Result {
	if rs.index == nil {
		rs.index = map[string]*Result{}
	}
	k := pkg + "\x00" + name
	r, ok := rs.index[k]
	if !ok {
		r = &Result{Pkg: pkg, Name: name}
		rs.index[k] = r
		rs.list = append(rs.list, r)
	}
	return r
}

// Add records one value.
func (rs *Results) Add(pkg, name, unit string, v float64) { rs.get(pkg, name).add(unit, v) }

// Lookup returns the result of a benchmark, or nil.
func (rs *Results) Lookup(pkg, name string) *Result { return rs.index[pkg+"\x00"+name] }

// Note is something the report must mention: a skipped benchmark (with its
// reason) or a failed package.
type Note struct {
	Pkg, Name, Kind, Text string
}

// parseBench reads `go test -v -bench` output: result lines
// ("BenchmarkX/sub-2  3  123 ns/op  45.6 articles/s"), "pkg:" lines, and
// "--- SKIP"/"--- FAIL" lines with their indented log lines (before the
// verdict under -v, after it otherwise). procs is the GOMAXPROCS suffix go
// test appends to names (none when 1). Notes repeated by -count are kept
// once.
func parseBench(r io.Reader, defaultPkg string, procs int, rs *Results) ([]Note, error) {
	suffix := ""
	if procs > 1 {
		suffix = "-" + strconv.Itoa(procs)
	}
	var notes []Note
	seen := map[Note]bool{}
	pkg := defaultPkg
	var logged []string // indented lines since the last other line
	var open *Note      // the SKIP/FAIL whose following log lines are read
	flush := func() {
		if open == nil {
			return
		}
		if !seen[*open] {
			seen[*open] = true
			notes = append(notes, *open)
		}
		open = nil
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if t := strings.TrimSpace(line); strings.HasPrefix(line, "    ") && t != "" {
			if open != nil {
				open.Text = strings.TrimSpace(open.Text + " " + t)
			} else {
				logged = append(logged, t)
			}
			continue
		}
		flush()
		switch {
		case strings.HasPrefix(line, "pkg: "):
			pkg = strings.TrimSpace(strings.TrimPrefix(line, "pkg: "))
		case strings.HasPrefix(line, "--- SKIP: "), strings.HasPrefix(line, "--- FAIL: "):
			kind := "skipped"
			if strings.HasPrefix(line, "--- FAIL") {
				kind = "failed"
			}
			f := strings.Fields(line)
			n := ""
			if len(f) > 2 {
				n = strings.TrimSuffix(f[2], suffix)
			}
			open = &Note{Pkg: pkg, Name: n, Kind: kind, Text: strings.Join(logged, " ")}
		case strings.HasPrefix(line, "Benchmark"):
			f := strings.Fields(line)
			if len(f) < 4 || len(f)%2 != 0 {
				break // a name alone (-v) or output interleaved
			}
			if _, err := strconv.ParseInt(f[1], 10, 64); err != nil {
				break
			}
			name := strings.TrimSuffix(f[0], suffix)
			for i := 2; i+1 < len(f); i += 2 {
				v, err := strconv.ParseFloat(f[i], 64)
				if err != nil {
					return notes, fmt.Errorf("benchall: bad value in %q", line)
				}
				rs.Add(pkg, name, f[i+1], v)
			}
		}
		logged = logged[:0]
	}
	flush()
	return notes, sc.Err()
}

// BenchRun configures go test.
type BenchRun struct {
	Bench, Benchtime string
	Count            int
	// Rounds runs go test -count 1 Count times instead of -count Count
	// once: go test repeats each sub-benchmark back to back, so marsad's
	// run i and a peer's run i were minutes apart (the whole import
	// benchmark's three marsad runs came before Bleve's first) and the
	// machine's drift fell into their ratio; in rounds, they are adjacent.
	Rounds   bool
	Short    bool
	Timeout  string
	Env      []string
	Log      io.Writer // raw output, appended
	Progress io.Writer
}

// runPackage runs one package's benchmarks and parses what they printed; a
// failing package is a note, not an error, so one broken benchmark does not
// hide the others.
func runPackage(ctx context.Context, p Package, br BenchRun, rs *Results) []Note {
	if !br.Rounds || br.Count <= 1 {
		return runGoTest(ctx, p, br, br.Count, rs)
	}
	var notes []Note
	seen := map[Note]bool{}
	for range br.Count {
		for _, n := range runGoTest(ctx, p, br, 1, rs) {
			if !seen[n] {
				seen[n] = true
				notes = append(notes, n)
			}
		}
		if ctx.Err() != nil {
			break
		}
	}
	return notes
}

// runGoTest runs go test -count count once over the package.
func runGoTest(ctx context.Context, p Package, br BenchRun, count int, rs *Results) []Note {
	args := []string{"test", "-v", "-run", "^$", "-bench", br.Bench, "-count", strconv.Itoa(count), "-timeout", br.Timeout}
	if br.Benchtime != "" {
		args = append(args, "-benchtime", br.Benchtime)
	}
	if br.Short {
		args = append(args, "-short")
	}
	args = append(args, p.ImportPath)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = p.ModuleDir
	cmd.Env = br.Env
	var buf bytes.Buffer
	fmt.Fprintf(br.Log, "\n$ (cd %s && go %s)\n", p.ModuleDir, strings.Join(args, " "))
	w := io.MultiWriter(&buf, br.Log, &lineFilter{w: br.Progress})
	cmd.Stdout, cmd.Stderr = w, w
	err := cmd.Run()
	notes, perr := parseBench(&buf, p.ImportPath, runtime.GOMAXPROCS(0), rs)
	if perr != nil {
		notes = append(notes, Note{Pkg: p.ImportPath, Kind: "failed", Text: perr.Error()})
	}
	if err != nil {
		notes = append(notes, Note{Pkg: p.ImportPath, Kind: "failed", Text: fmt.Sprintf("go test: %v: %s", err, lastLines(buf.String(), 5))})
	}
	return notes
}

// lineFilter shows benchmark result and failure lines as they complete.
type lineFilter struct {
	w    io.Writer
	part []byte
}

func (l *lineFilter) Write(b []byte) (int, error) {
	l.part = append(l.part, b...)
	for {
		i := bytes.IndexByte(l.part, '\n')
		if i < 0 {
			return len(b), nil
		}
		line := string(l.part[:i+1])
		l.part = l.part[i+1:]
		if strings.HasPrefix(line, "Benchmark") && len(strings.Fields(line)) < 4 {
			continue // a name alone (-v)
		}
		for _, p := range []string{"Benchmark", "--- ", "FAIL", "ok ", "panic"} {
			if strings.HasPrefix(line, p) {
				io.WriteString(l.w, line) //nolint:errcheck // progress only
				break
			}
		}
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], " / ")
}
