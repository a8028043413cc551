// Command replicate writes the 310k-article benchmark corpus: SaudiNewsNet
// replicated ×N by internal/corpus.Replicate (dates shifted by the corpus span
// per replica, distinct URLs), as gzip'd import lines that `marsad import`
// reads. The output is cached: an existing file newer than the input is kept
// unless -force is given.
//
//	go run ./cmd/replicate [-in articles.jsonl.gz] [-n 10] [-out /work/cache/saudinewsnet-x10.jsonl.gz]
package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/marsad/marsad/bench/internal/benchdata"
	"github.com/marsad/marsad/internal/corpus"
	"github.com/marsad/marsad/internal/ingest"
	"github.com/marsad/marsad/internal/news"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "replicate:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("replicate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "", "source corpus (default: the shared SaudiNewsNet articles.jsonl.gz)")
	n := fs.Int("n", 10, "number of replicas (replica 0 is the corpus itself)")
	out := fs.String("out", "", "output .jsonl.gz (default: "+benchdata.CacheDir()+"/saudinewsnet-x{n}.jsonl.gz)")
	force := fs.Bool("force", false, "rewrite the output even when it is cached")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 1 {
		return errors.New("-n must be at least 1")
	}
	if *in == "" {
		p, err := benchdata.SaudiNewsNet()
		if err != nil {
			return err
		}
		*in = p
	}
	if *out == "" {
		*out = filepath.Join(benchdata.CacheDir(), fmt.Sprintf("saudinewsnet-x%d.jsonl.gz", *n))
	}
	p, count, err := Ensure(ctx, *in, *n, *out, *force)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%s: %d articles\n", p, count)
	fmt.Println(p)
	return nil
}

// Ensure writes the replicated corpus to out unless a cached copy newer than
// in exists (count is then -1: not counted). It writes to a temporary file and
// renames it, so an interrupted run never leaves a truncated cache.
func Ensure(ctx context.Context, in string, n int, out string, force bool) (string, int, error) {
	if !force {
		if fresh, err := upToDate(in, out); err != nil {
			return "", 0, err
		} else if fresh {
			return out, -1, nil
		}
	}
	arts, err := corpus.Load(ctx, in)
	if err != nil {
		return "", 0, err
	}
	reps := corpus.Replicate(arts, n)
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return "", 0, fmt.Errorf("replicate: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".replicate-*")
	if err != nil {
		return "", 0, fmt.Errorf("replicate: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if err := write(tmp, reps); err != nil {
		tmp.Close()
		return "", 0, fmt.Errorf("replicate: writing %s: %w", out, err)
	}
	// CreateTemp makes the file private; the cache is shared by helpers.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return "", 0, fmt.Errorf("replicate: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", 0, fmt.Errorf("replicate: %w", err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return "", 0, fmt.Errorf("replicate: %w", err)
	}
	return out, len(reps), nil
}

func upToDate(in, out string) (bool, error) {
	fo, err := os.Stat(out)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("replicate: %w", err)
	}
	fi, err := os.Stat(in)
	if err != nil {
		return false, fmt.Errorf("replicate: %w", err)
	}
	return fo.ModTime().After(fi.ModTime()) && fo.Size() > 0, nil
}

func write(w io.Writer, arts []news.Article) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(zw, 1<<20)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for _, a := range arts {
		if err := enc.Encode(ingest.LineOf(a)); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}
