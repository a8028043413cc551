// Package feeds checks marsad's outgoing feeds with a standard parser
// (gofeed), as issue 9's acceptance asks: every feed marsad serves parses,
// has items with titles, links and dates, and says it is Arabic.
package feeds

import (
	"context"
	"io"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/marsad/marsad/internal/app"
	"github.com/marsad/marsad/internal/config"
	"github.com/marsad/marsad/internal/corpus"
	"github.com/marsad/marsad/internal/shareddata"
	"github.com/marsad/marsad/internal/store"
)

func TestFeedsParseWithGofeed(t *testing.T) {
	ctx := context.Background()
	arts, err := corpus.Load(ctx, shareddata.Path(t, "saudinewsnet", "articles.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.DB = filepath.Join(t.TempDir(), "m.db")
	cfg.PageCache = 0
	a, err := app.Open(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, _, err := a.Pipeline.Ingest(ctx, arts[:600]); err != nil {
		t.Fatal(err)
	}
	sts, err := a.Store.Stories(ctx, store.StoryFilter{MinSources: 2, Limit: 1})
	if err != nil || len(sts) == 0 {
		t.Fatalf("no story with 2 sources: %v", err)
	}
	h, err := a.Handler()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	story := "/story/" + strconv.FormatInt(sts[0].ID, 10)
	for _, base := range []string{"/feed", "/source/" + arts[0].SourceID + "/feed", story + "/feed", "/search/feed"} {
		for _, ext := range []string{"rss", "atom", "json"} {
			path := base + "." + ext
			if base == "/search/feed" {
				path += "?q=" + "المملكة"
			}
			t.Run(strings.TrimPrefix(path, "/"), func(t *testing.T) {
				res, err := srv.Client().Get(srv.URL + path)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					t.Fatalf("%d: %s", res.StatusCode, body)
				}
				f, err := gofeed.NewParser().ParseString(string(body))
				if err != nil {
					t.Fatalf("gofeed: %v", err)
				}
				if want := map[string]string{"rss": "rss", "atom": "atom", "json": "json"}[ext]; f.FeedType != want {
					t.Errorf("feed type %q, want %q", f.FeedType, want)
				}
				if f.Title == "" || len(f.Items) == 0 {
					t.Fatalf("title %q, %d items", f.Title, len(f.Items))
				}
				if !strings.HasPrefix(f.Language, "ar") {
					t.Errorf("language %q, want ar", f.Language)
				}
				for _, it := range f.Items {
					if it.Title == "" || !strings.HasPrefix(it.Link, "http") || it.PublishedParsed == nil {
						t.Errorf("item %+v: missing title, absolute link or date", it.GUID)
					}
				}
			})
		}
	}
}
