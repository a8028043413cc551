package benchdata

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/marsad/marsad/internal/corpus"
	"github.com/marsad/marsad/internal/ingest"
	"github.com/marsad/marsad/internal/news"
)

// Replica310k returns the cached SaudiNewsNet ×10 file (310,300 articles),
// writing it first when it is missing.
func Replica310k(ctx context.Context) (string, error) {
	in, err := SaudiNewsNet()
	if err != nil {
		return "", err
	}
	p, _, err := EnsureReplica(ctx, in, 10, filepath.Join(CacheDir(), "saudinewsnet-x10.jsonl.gz"), false)
	return p, err
}

// EnsureReplica writes the replicated corpus to out unless a cached copy newer than
// in exists (count is then -1: not counted). It writes to a temporary file and
// renames it, so an interrupted run never leaves a truncated cache.
func EnsureReplica(ctx context.Context, in string, n int, out string, force bool) (string, int, error) {
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
		return "", 0, fmt.Errorf("benchdata: replica: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".replicate-*")
	if err != nil {
		return "", 0, fmt.Errorf("benchdata: replica: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if err := write(tmp, reps); err != nil {
		tmp.Close()
		return "", 0, fmt.Errorf("benchdata: replica: writing %s: %w", out, err)
	}
	// CreateTemp makes the file private; the cache is shared by helpers.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return "", 0, fmt.Errorf("benchdata: replica: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", 0, fmt.Errorf("benchdata: replica: %w", err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return "", 0, fmt.Errorf("benchdata: replica: %w", err)
	}
	return out, len(reps), nil
}

func upToDate(in, out string) (bool, error) {
	fo, err := os.Stat(out)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("benchdata: replica: %w", err)
	}
	fi, err := os.Stat(in)
	if err != nil {
		return false, fmt.Errorf("benchdata: replica: %w", err)
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
