// Package benchdata locates the benchmark inputs: the shared SaudiNewsNet
// corpus and the cache of generated inputs (the 310k-article replica and its
// imported database), which are too large and too slow to rebuild per run.
package benchdata

import (
	"fmt"
	"os"
	"path/filepath"

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
