package dedup_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/api"
	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/corpus"
	"github.com/marsad/marsad/internal/dedup"
	"github.com/marsad/marsad/internal/extract"
	"github.com/marsad/marsad/internal/ingest"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/shareddata"
	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/store/sqlite"
)

// TestEvalSaudiNewsNet imports all 31,030 SaudiNewsNet articles into a
// temporary SQLite store twice — without and with the copies stage — and
// scores `marsad dups --json` against the labelled development pairs with
// the shared scorer (pairs_eval.py). MARSAD_EVAL=1 runs it (a few
// minutes); MARSAD_EVAL_LIMIT=N takes the first N articles only.
func TestEvalSaudiNewsNet(t *testing.T) {
	if os.Getenv("MARSAD_EVAL") == "" {
		t.Skip("set MARSAD_EVAL=1 to run the copies eval on SaudiNewsNet")
	}
	arts, err := corpus.Load(context.Background(), shareddata.Path(t, "saudinewsnet", "articles.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	pairs := shareddata.Path(t, "saudinewsnet", "pairs-dev.jsonl")
	if n, err := strconv.Atoi(os.Getenv("MARSAD_EVAL_LIMIT")); err == nil && n < len(arts) {
		arts = arts[:n]
	}
	an := arabic.New()
	base, _ := importAll(t, an, arts, false)
	took, st := importAll(t, an, arts, true)
	t.Logf("import of %d articles: %v without the copies stage, %v with it (+%v, %.0f%%)",
		len(arts), base.Round(time.Millisecond), took.Round(time.Millisecond), (took - base).Round(time.Millisecond),
		100*float64(took-base)/float64(base))

	groups, err := st.CopyGroups(context.Background(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	copies, wire, wireCopies := 0, 0, 0
	for _, g := range groups {
		copies += len(g.Copies)
		if g.Original.SourceID == "was" {
			wire++
			wireCopies += len(g.Copies)
		}
	}
	t.Logf("%d copy groups, %d copies; %d SPA (was) wire stories traced to %d republications", len(groups), copies, wire, wireCopies)

	out := filepath.Join(t.TempDir(), "dups.json")
	b, err := json.Marshal(api.DupsOf(groups))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if keep := os.Getenv("MARSAD_EVAL_OUT"); keep != "" {
		os.WriteFile(keep, b, 0o644)
	}
	script := filepath.Join(filepath.Dir(filepath.Dir(pairs)), "..", "tools", "eval", "pairs_eval.py")
	res, err := exec.Command("python3", script, "dups", out, pairs).CombinedOutput()
	t.Logf("pairs_eval.py: %s", res)
	if err != nil {
		t.Fatalf("pairs_eval.py: %v", err)
	}
	m := regexp.MustCompile(`P=([0-9.]+) R=([0-9.]+)`).FindSubmatch(res)
	if m == nil {
		t.Fatalf("no scores in %q", res)
	}
	p, _ := strconv.ParseFloat(string(m[1]), 64)
	r, _ := strconv.ParseFloat(string(m[2]), 64)
	if len(arts) == 31030 && (p < 0.95 || r < 0.90) {
		t.Errorf("copies P=%.3f R=%.3f, want P ≥ 0.95 and R ≥ 0.90", p, r)
	}
}

// importAll ingests arts in batches of 500 (as marsad import does) into a
// fresh store, with or without the copies stage.
func importAll(t testing.TB, an *arabic.Analyzer, arts []news.Article, withStage bool) (time.Duration, store.Store) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "eval.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	p := ingest.New(st, an, nil)
	if withStage {
		p.AddStage(dedup.NewStage(dedup.Options{Store: st, Analyzer: an, Credit: extract.Credit}))
	}
	start := time.Now()
	for i := 0; i < len(arts); i += 500 {
		if _, _, err := p.Ingest(ctx, arts[i:min(i+500, len(arts))]); err != nil {
			t.Fatal(err)
		}
	}
	return time.Since(start), st
}
