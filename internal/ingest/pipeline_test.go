package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/marsad/marsad/internal/ingest"
	"github.com/marsad/marsad/internal/store"
)

// failingStage fails on its failAt-th batch (1-based) and counts batches.
type failingStage struct {
	failAt int
	seen   atomic.Int32
	ids    atomic.Int64 // articles with an ID when the stage saw them
}

func (s *failingStage) Name() string { return "failing" }

func (s *failingStage) Process(_ context.Context, docs []store.ArticleDoc, _ []store.Upserted) error {
	n := int(s.seen.Add(1))
	for _, d := range docs {
		if d.Article.ID != 0 {
			s.ids.Add(1)
		}
	}
	if n == s.failAt {
		return errors.New("boom")
	}
	return nil
}

func writeLines(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"url":"https://example.com/%d","source":"s","title":"عنوان %d","text":"نص الخبر رقم %d"}`+"\n", i, i, i)
	}
	p := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestImportOverlapped: batches are stored in the background while the next
// is analysed; every batch is stored once, in order, progress is reported
// per batch with the totals so far, and a failing batch stops the import
// with the earlier batches kept.
func TestImportOverlapped(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := writeLines(t, 23)
	t.Run("all", func(t *testing.T) {
		t.Parallel()
		p, s := newPipeline(t)
		st := &failingStage{}
		p.AddStage(st)
		var prog []ingest.Progress
		res, err := p.ImportFiles(ctx, []string{path}, ingest.ImportOptions{BatchSize: 5,
			OnProgress: func(pr ingest.Progress) { prog = append(prog, pr) }})
		if err != nil || res.New != 23 || res.Articles != 23 {
			t.Fatalf("res = %+v, %v", res, err)
		}
		if st.seen.Load() != 5 || st.ids.Load() != 23 {
			t.Errorf("stage saw %d batches, %d with IDs; want 5, 23", st.seen.Load(), st.ids.Load())
		}
		if len(prog) != 5 {
			t.Fatalf("%d progress reports, want 5", len(prog))
		}
		for i, pr := range prog {
			want := min(5*(i+1), 23)
			if pr.Articles != want || pr.New != want {
				t.Errorf("progress %d = %+v, want %d articles and new", i, pr, want)
			}
		}
		if n, _ := s.CountArticles(ctx, store.ArticleFilter{}); n != 23 {
			t.Errorf("stored %d", n)
		}
	})
	t.Run("failing batch", func(t *testing.T) {
		t.Parallel()
		p, s := newPipeline(t)
		p.AddStage(&failingStage{failAt: 2})
		res, err := p.ImportFiles(ctx, []string{path}, ingest.ImportOptions{BatchSize: 5})
		if err == nil || !strings.Contains(err.Error(), "boom") || !strings.Contains(err.Error(), "in.jsonl") {
			t.Fatalf("err = %v, want the stage's, naming the file", err)
		}
		if res.New != 5 {
			t.Errorf("res = %+v, want the first batch counted", res)
		}
		// Batches 1 and 2 are committed before their stages run; none after.
		if n, _ := s.CountArticles(ctx, store.ArticleFilter{}); n != 10 {
			t.Errorf("stored %d, want 10", n)
		}
	})
}
