// Package importer compares marsad's bulk import with Bleve's indexing of
// the same articles.
package importer

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/marsad/marsad/bench/internal/benchdata"
	"github.com/marsad/marsad/bench/internal/blevear"
	"github.com/marsad/marsad/internal/app"
	"github.com/marsad/marsad/internal/config"
	"github.com/marsad/marsad/internal/ingest"
)

// BenchmarkImport: one op imports every SaudiNewsNet article (31,030) from
// the gzip'd import-line file into a fresh store.
//
//   - marsad is the whole `marsad import` path: app.Open builds the pipeline
//     with every stage registered in internal/app (analysis, SQLite store and
//     full-text index, copy detection, story clustering), then App.Import
//     as the CLI calls it (the store's bulk mode, batches of the CLI's size,
//     index compaction).
//   - bleve reads the same lines with the same parser and indexes them with
//     Bleve v2's "ar" analyzer and BM25 (blevear), in batches of 500, on disk.
//
// Run with
//
//	cd bench && go test -run '^$' -bench Import -count 3 ./importer
func BenchmarkImport(b *testing.B) {
	path := benchdata.ImportFile(b)
	ctx := context.Background()
	b.Run("marsad", func(b *testing.B) {
		var n int
		var size int64
		var cpu cpuTimer
		for b.Loop() {
			b.StopTimer()
			dir := b.TempDir()
			cfg := config.Default()
			cfg.DB = filepath.Join(dir, "marsad.db")
			b.StartTimer()
			cpu.start()
			n, size = importMarsad(ctx, b, cfg, path)
			cpu.stop()
		}
		reportRate(b, n, cpu)
		b.ReportMetric(float64(size)/(1<<20), "store-MB")
	})
	b.Run("bleve", func(b *testing.B) {
		var n int
		var size int64
		var cpu cpuTimer
		for b.Loop() {
			b.StopTimer()
			dir := filepath.Join(b.TempDir(), "bleve")
			b.StartTimer()
			cpu.start()
			n = indexBleve(ctx, b, dir, path)
			cpu.stop()
			b.StopTimer()
			size = dirSize(b, dir)
			b.StartTimer()
		}
		reportRate(b, n, cpu)
		b.ReportMetric(float64(size)/(1<<20), "store-MB")
	})
}

func importMarsad(ctx context.Context, b *testing.B, cfg config.Config, path string) (int, int64) {
	a, err := app.Open(ctx, cfg, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	res, err := a.Import(ctx, []string{path}, ingest.ImportOptions{Location: cfg.TZ})
	if err != nil {
		b.Fatal(err)
	}
	if res.Bad != 0 || res.New != res.Articles {
		b.Fatalf("import: %+v", res)
	}
	b.StopTimer()
	defer b.StartTimer()
	return res.Articles, fileSize(cfg.DB) + fileSize(cfg.DB+"-wal")
}

func indexBleve(ctx context.Context, b *testing.B, dir, path string) int {
	ix, err := blevear.New(dir, 500)
	if err != nil {
		b.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	r, err := ingest.Decompress(f)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	loc := config.Default().TZ
	err = ingest.ReadLines(ctx, r, loc, func(it ingest.Item) error {
		if it.Err != nil {
			return it.Err
		}
		n++
		return ix.Add(it.Article)
	})
	if err == nil {
		err = ix.Flush()
	}
	if err == nil {
		err = ix.Close()
	}
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// reportRate reports articles/s over the timed part of all ops, and
// articles per CPU-second of the whole process (user + system, all
// threads): on the shared machine the wall rate follows the load of the
// moment, the CPU rate much less.
func reportRate(b *testing.B, perOp int, cpu cpuTimer) {
	n := float64(perOp) * float64(b.N)
	b.ReportMetric(n/max(b.Elapsed().Seconds(), 1e-9), "articles/s")
	b.ReportMetric(n/max(cpu.total.Seconds(), 1e-9), "articles/cpu-s")
}

// cpuTimer sums the process' CPU time between start and stop.
type cpuTimer struct {
	t0, total time.Duration
}

func cpuNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func (c *cpuTimer) start() { c.t0 = cpuNow() }
func (c *cpuTimer) stop()  { c.total += cpuNow() - c.t0 }

func fileSize(p string) int64 {
	fi, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return fi.Size()
}

func dirSize(b *testing.B, dir string) int64 {
	var n int64
	err := filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			n += fi.Size()
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return n
}
