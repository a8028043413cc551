// Package benchdata locates the benchmark inputs: the shared SaudiNewsNet
// corpus and the cache of generated inputs (the 310k-article replica and its
// imported database), which are too large and too slow to rebuild per run.
package benchdata

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/marsad/marsad/internal/ingest"
	"github.com/marsad/marsad/internal/shareddata"
)

// CacheDir is $MARSAD_BENCH_CACHE, else "cache" beside the shared data
// directory's parent (../cache next to the repository), else the user cache.
func CacheDir() string {
	if d := os.Getenv("MARSAD_BENCH_CACHE"); d != "" {
		return d
	}
	if d, err := shareddata.Dir(); err == nil {
		return filepath.Join(filepath.Dir(filepath.Dir(d)), "cache")
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "marsad-bench")
	}
	return filepath.Join(os.TempDir(), "marsad-bench")
}

// SaudiNewsNet is the path of the 31,030-article corpus.
func SaudiNewsNet() (string, error) {
	d, err := shareddata.Dir()
	if err != nil {
		return "", fmt.Errorf("benchdata: %w", err)
	}
	p := filepath.Join(d, "saudinewsnet", "articles.jsonl.gz")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("benchdata: %w", err)
	}
	return p, nil
}

// Smoke reports a smoke run (MARSAD_BENCH_SMOKE set, as `benchall -smoke`
// does): benchmarks shrink their inputs so every one runs in seconds.
func Smoke() bool { return os.Getenv("MARSAD_BENCH_SMOKE") != "" }

// Is310k reports whether the 310k-article benchmarks are wanted
// (MARSAD_BENCH_310K=1); they take minutes each.
func Is310k() bool { return os.Getenv("MARSAD_BENCH_310K") == "1" }

// SmokeLines is how many articles a smoke run uses.
const SmokeLines = 300

// Head writes the first n lines of the gzip'd or plain import-line file src
// to a plain file in dir and returns its path: the tiny input of smoke runs.
func Head(src, dir string, n int) (string, error) {
	f, err := os.Open(src)
	if err != nil {
		return "", fmt.Errorf("benchdata: %w", err)
	}
	defer f.Close()
	r, err := ingest.Decompress(f)
	if err != nil {
		return "", fmt.Errorf("benchdata: %s: %w", src, err)
	}
	out := filepath.Join(dir, "head.jsonl")
	w, err := os.Create(out)
	if err != nil {
		return "", fmt.Errorf("benchdata: %w", err)
	}
	br := bufio.NewReaderSize(r, 1<<20)
	for range n {
		line, err := br.ReadBytes('\n')
		if _, werr := w.Write(line); werr != nil {
			w.Close()
			return "", fmt.Errorf("benchdata: %w", werr)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			w.Close()
			return "", fmt.Errorf("benchdata: %s: %w", src, err)
		}
	}
	if err := w.Close(); err != nil {
		return "", fmt.Errorf("benchdata: %w", err)
	}
	return out, nil
}

// ImportFile is the import-line file a benchmark reads: all of SaudiNewsNet,
// or its first SmokeLines lines in a smoke run. It skips b when the shared
// data is absent.
func ImportFile(tb testing.TB) string {
	tb.Helper()
	p, err := SaudiNewsNet()
	if err != nil {
		tb.Skipf("skipping: %v", err)
	}
	if !Smoke() {
		return p
	}
	h, err := Head(p, tb.TempDir(), SmokeLines)
	if err != nil {
		tb.Fatal(err)
	}
	return h
}
