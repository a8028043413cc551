package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
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

// trailingStage is a Trailer recording the batches it is given, and how.
type trailingStage struct {
	mu     sync.Mutex
	behind []int64 // each batch's first ID, via ProcessBehind
	direct int     // batches via Process
	failAt int     // fail on this batch (1-based) via ProcessBehind
}

func (s *trailingStage) Name() string { return "trailing" }

func (s *trailingStage) Process(context.Context, []store.ArticleDoc, []store.Upserted) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.direct++
	return nil
}

func (s *trailingStage) ProcessBehind(_ context.Context, docs []store.ArticleDoc, _ []store.Upserted) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.behind = append(s.behind, docs[0].Article.ID)
	if len(s.behind) == s.failAt {
		return errors.New("late boom")
	}
	return nil
}

// TestImportTrailing: a trailing stage runs behind the next batch's store
// on an import, every batch once and in order, after the stages before
// it; Ingest (the crawl) runs it in line; its failure fails the import.
func TestImportTrailing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := writeLines(t, 23)
	t.Run("in order", func(t *testing.T) {
		t.Parallel()
		p, _ := newPipeline(t)
		first := &failingStage{}
		tr := &trailingStage{}
		p.AddStage(first)
		p.AddStage(tr)
		if _, err := p.ImportFiles(ctx, []string{path}, ingest.ImportOptions{BatchSize: 5}); err != nil {
			t.Fatal(err)
		}
		if !slices.IsSorted(tr.behind) || len(tr.behind) != 5 || tr.direct != 0 || first.seen.Load() != 5 {
			t.Errorf("trailer saw batches %v behind and %d in line, the stage before it %d; want 5 in order behind",
				tr.behind, tr.direct, first.seen.Load())
		}
		if _, _, err := p.Ingest(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if tr.direct != 1 {
			t.Errorf("Ingest ran the trailer in line %d times, want 1", tr.direct)
		}
	})
	t.Run("failing", func(t *testing.T) {
		t.Parallel()
		p, _ := newPipeline(t)
		tr := &trailingStage{failAt: 2}
		p.AddStage(tr)
		_, err := p.ImportFiles(ctx, []string{path}, ingest.ImportOptions{BatchSize: 5})
		if err == nil || !strings.Contains(err.Error(), "late boom") || !strings.Contains(err.Error(), "in.jsonl") {
			t.Fatalf("err = %v, want the trailing stage's, naming the file", err)
		}
		if len(tr.behind) != 2 {
			t.Errorf("trailer ran for %d batches, want 2 (none after the failure)", len(tr.behind))
		}
	})
}
