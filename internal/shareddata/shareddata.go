// Package shareddata locates the shared evaluation data (../shared/data next
// to the repository, or $MARSAD_SHARED_DATA) for tests and benchmarks.
// Tests that need it skip with a clear message when it is absent, as it is in
// a user's clone.
package shareddata

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// ErrAbsent: the shared data directory was not found.
var ErrAbsent = errors.New("shared data not found (set MARSAD_SHARED_DATA or place it at ../shared/data next to the repository)")

// Dir returns the shared data directory.
func Dir() (string, error) {
	if d := os.Getenv("MARSAD_SHARED_DATA"); d != "" {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			return d, nil
		}
		return "", ErrAbsent
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	// Walk up to the repository root (it holds .git, a file in a worktree)
	// and look beside it.
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			d := filepath.Join(filepath.Dir(dir), "shared", "data")
			if fi, err := os.Stat(d); err == nil && fi.IsDir() {
				return d, nil
			}
			return "", ErrAbsent
		}
		if filepath.Dir(dir) == dir {
			return "", ErrAbsent
		}
	}
}

// Path joins elem onto the shared data directory, skipping the test when the
// directory or the file is absent.
func Path(tb testing.TB, elem ...string) string {
	tb.Helper()
	d, err := Dir()
	if err != nil {
		tb.Skipf("skipping: %v", err)
	}
	p := filepath.Join(append([]string{d}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("skipping: %s absent", p)
	}
	return p
}
