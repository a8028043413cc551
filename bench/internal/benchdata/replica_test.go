package benchdata

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/marsad/marsad/internal/corpus"
)

func TestEnsureReplica(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	lines := `{"url":"https://sabq.org/a","source":"sabq","title":"أ","published":"2015-07-21 10:00:00","text":"نص أول"}
{"url":"https://okaz.com.sa/b","source":"okaz","title":"ب","published":"2015-07-22 09:00:00","text":"نص ثان"}
`
	if err := os.WriteFile(in, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "cache", "x3.jsonl.gz")
	ctx := context.Background()
	p, n, err := EnsureReplica(ctx, in, 3, out, false)
	if err != nil || p != out || n != 6 {
		t.Fatalf("EnsureReplica = %q, %d, %v", p, n, err)
	}
	got, err := corpus.Load(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	src, _ := corpus.Load(ctx, in)
	want := corpus.Replicate(src, 3)
	if len(got) != len(want) {
		t.Fatalf("read back %d articles, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].URL != want[i].URL || !got[i].Published.Equal(want[i].Published) || got[i].Text != want[i].Text {
			t.Errorf("%d: got %s %v, want %s %v", i, got[i].URL, got[i].Published, want[i].URL, want[i].Published)
		}
	}
	// Cached: not rewritten.
	if _, n, err := EnsureReplica(ctx, in, 3, out, false); err != nil || n != -1 {
		t.Errorf("second EnsureReplicaReplica = %d, %v; want cached (-1)", n, err)
	}
}
