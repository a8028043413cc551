package stories_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/corpus"
	"github.com/marsad/marsad/internal/ingest"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/shareddata"
	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/store/sqlite"
	"github.com/marsad/marsad/internal/stories"
)

func openStore(t testing.TB, path string) store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// importAll ingests arts in batches of size through a fresh pipeline and
// stories service over the database at path (a restart for each call).
func importAll(t testing.TB, an *arabic.Analyzer, path string, arts []news.Article, size int) {
	t.Helper()
	st := openStore(t, path)
	defer st.Close()
	svc := stories.New(stories.Options{Store: st, Analyzer: an})
	p := ingest.New(st, an, nil, svc)
	for i := 0; i < len(arts); i += size {
		if _, _, err := p.Ingest(context.Background(), arts[i:min(i+size, len(arts))]); err != nil {
			t.Fatal(err)
		}
	}
}

// snapshot is every article's story and every story record, by URL.
func snapshot(t testing.TB, path string) (map[string]string, []string) {
	t.Helper()
	st := openStore(t, path)
	defer st.Close()
	ctx := context.Background()
	urls := map[int64]string{}
	byURL := map[string]int64{}
	if err := st.ScanArticles(ctx, func(a news.Article) error {
		urls[a.ID], byURL[a.URL] = a.URL, a.StoryID
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for u, sid := range byURL {
		out[u] = urls[sid]
	}
	list, err := st.Stories(ctx, store.StoryFilter{Limit: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	var recs []string
	for _, s := range list {
		recs = append(recs, fmt.Sprintf("%s|%s|%s|%d|%d|%v|%v|%v", urls[s.ID], s.Title, urls[s.ArticleID], s.ArticleCount,
			s.Groups, s.Sources, s.FirstSeen, s.LastSeen))
	}
	slices.Sort(recs)
	return out, recs
}

// TestArrivalIndependence: the same articles in the same order give the
// same stories whether imported in one go, one by one, or in two halves
// with a restart between (the state rebuilt from the store).
func TestArrivalIndependence(t *testing.T) {
	t.Parallel()
	arts, err := corpus.Load(context.Background(), shareddata.Path(t, "saudinewsnet", "articles.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	n := 300 // seconds; MARSAD_EVAL=1 checks the whole corpus in two halves (see eval_test.go)
	arts = arts[:n]
	an := arabic.New()
	dir := t.TempDir()
	one, byOne, halves := filepath.Join(dir, "one.db"), filepath.Join(dir, "byone.db"), filepath.Join(dir, "halves.db")
	importAll(t, an, one, arts, 500)
	importAll(t, an, byOne, arts, 1)
	importAll(t, an, halves, arts[:n/2], 500)
	importAll(t, an, halves, arts[n/2:], 500)
	want, wantRecs := snapshot(t, one)
	groups := map[string]bool{}
	for _, s := range want {
		groups[s] = true
	}
	if len(groups) < n/10 || len(groups) > n-n/50 {
		t.Fatalf("%d articles in %d stories: clustering degenerate", n, len(groups))
	}
	t.Logf("%d articles in %d stories", n, len(groups))
	for name, path := range map[string]string{"one by one": byOne, "two halves": halves} {
		got, recs := snapshot(t, path)
		diff := 0
		for u := range maps.Keys(want) {
			if got[u] != want[u] {
				diff++
			}
		}
		if diff > 0 {
			t.Errorf("%s: %d of %d articles in a different story than one import", name, diff, n)
		}
		if !slices.Equal(recs, wantRecs) {
			t.Errorf("%s: story records differ from one import", name)
		}
	}
}

// TestImportBehind: a bulk import runs clustering behind the next batch's
// store (ingest.Trailer); the stories are those of clustering each batch
// in line.
func TestImportBehind(t *testing.T) {
	t.Parallel()
	arts, err := corpus.Load(context.Background(), shareddata.Path(t, "saudinewsnet", "articles.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "in.jsonl")
	var b []byte
	for _, a := range arts[:300] {
		line, err := json.Marshal(ingest.LineOf(a))
		if err != nil {
			t.Fatal(err)
		}
		b = append(append(b, line...), '\n')
	}
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	an := arabic.New()
	inLine, behind := filepath.Join(dir, "inline.db"), filepath.Join(dir, "behind.db")
	var parsed []news.Article
	if err := ingest.ReadLines(context.Background(), bytes.NewReader(b), time.UTC, func(it ingest.Item) error {
		parsed = append(parsed, it.Article)
		return it.Err
	}); err != nil {
		t.Fatal(err)
	}
	importAll(t, an, inLine, parsed, 20)
	st := openStore(t, behind)
	p := ingest.New(st, an, nil, stories.New(stories.Options{Store: st, Analyzer: an}))
	if _, err := p.ImportFiles(context.Background(), []string{file}, ingest.ImportOptions{BatchSize: 20}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	want, wantRecs := snapshot(t, inLine)
	got, recs := snapshot(t, behind)
	if !maps.Equal(got, want) || !slices.Equal(recs, wantRecs) {
		t.Errorf("stories of an import with clustering behind differ from clustering in line")
	}
}

// TestProcessBehindBound: clustering a batch behind leaves the articles
// stored after it (the next batch, already stored) for their own turn.
func TestProcessBehindBound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	arts, err := corpus.Load(ctx, shareddata.Path(t, "saudinewsnet", "articles.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	an := arabic.New()
	st := openStore(t, filepath.Join(t.TempDir(), "m.db"))
	defer st.Close()
	plain := ingest.New(st, an, nil) // stores, clusters nothing
	var docs [][]store.ArticleDoc
	var results [][]store.Upserted
	for _, batch := range [][]news.Article{arts[:30], arts[30:60]} {
		res, _, err := plain.Ingest(ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		ds := make([]store.ArticleDoc, len(batch))
		for i, a := range batch {
			ds[i] = plain.Document(a)
			ds[i].Article.ID = res[i].ID
		}
		docs, results = append(docs, ds), append(results, res)
	}
	svc := stories.New(stories.Options{Store: st, Analyzer: an})
	if err := svc.ProcessBehind(ctx, docs[0], results[0]); err != nil {
		t.Fatal(err)
	}
	if n := svc.Engine().Len(); n != 30 {
		t.Errorf("after the first batch behind: %d articles clustered, want its 30", n)
	}
	if err := svc.ProcessBehind(ctx, docs[1], results[1]); err != nil {
		t.Fatal(err)
	}
	if n := svc.Engine().Len(); n != 60 {
		t.Errorf("after both: %d articles clustered, want 60", n)
	}
}
