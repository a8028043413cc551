// Command replicate writes the 310k-article benchmark corpus: SaudiNewsNet
// replicated ×N by internal/corpus.Replicate (dates shifted by the corpus span
// per replica, distinct URLs), as gzip'd import lines that `marsad import`
// reads. The output is cached: an existing file newer than the input is kept
// unless -force is given.
//
//	go run ./cmd/replicate [-in articles.jsonl.gz] [-n 10] [-out /work/cache/saudinewsnet-x10.jsonl.gz]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/marsad/marsad/bench/internal/benchdata"
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
	p, count, err := benchdata.EnsureReplica(ctx, *in, *n, *out, *force)
	if err != nil {
		return err
	}
	if count < 0 {
		fmt.Fprintf(stderr, "%s: cached\n", p)
	} else {
		fmt.Fprintf(stderr, "%s: %d articles\n", p, count)
	}
	fmt.Println(p)
	return nil
}
