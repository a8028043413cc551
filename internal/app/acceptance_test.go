package app_test

import (
	"context"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/marsad/marsad/internal/app"
	"github.com/marsad/marsad/internal/config"
	"github.com/marsad/marsad/internal/corpus"
	"github.com/marsad/marsad/internal/shareddata"
	"github.com/marsad/marsad/internal/store"
)

// TestReaderAcceptance is issue 9's acceptance on real data: with 3,000
// SaudiNewsNet articles imported, the home page shows stories covered by
// two or more sources, a story page links every one of its articles, and
// an article page shows at least three related-reading links and its
// copies. (The feeds are parsed with gofeed in bench/feeds.)
func TestReaderAcceptance(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 3,000 articles")
	}
	t.Parallel()
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
	t.Cleanup(func() { a.Close() })
	const n = 3000
	for i := 0; i < n; i += 500 {
		if _, _, err := a.Pipeline.Ingest(ctx, arts[i:min(i+500, n)]); err != nil {
			t.Fatal(err)
		}
	}
	h, err := a.Handler()
	if err != nil {
		t.Fatal(err)
	}

	// Home: the top stories include stories with 2+ sources, linked.
	_, home := get(t, h, "/")
	multi, err := a.Store.Stories(ctx, store.StoryFilter{MinSources: 2, Limit: 100})
	if err != nil || len(multi) == 0 {
		t.Fatalf("no story with 2+ sources among %d articles: %v", n, err)
	}
	onHome := 0
	for _, st := range multi {
		if strings.Contains(home, `href="/story/`+strconv.FormatInt(st.ID, 10)+`"`) {
			onHome++
		}
	}
	if onHome == 0 {
		t.Errorf("home links none of the %d stories with 2+ sources", len(multi))
	}

	// Story page: every article of the story is linked.
	st := multi[0]
	_, page := get(t, h, "/story/"+strconv.FormatInt(st.ID, 10))
	members, err := a.Store.Articles(ctx, store.ArticleFilter{StoryID: st.ID, Limit: 1000})
	if err != nil || len(members) < 2 {
		t.Fatalf("story %d: %d articles, %v", st.ID, len(members), err)
	}
	for _, m := range members {
		if !strings.Contains(page, `href="/article/`+strconv.FormatInt(m.ID, 10)+`"`) {
			t.Errorf("story %d page does not link its article %d", st.ID, m.ID)
		}
	}

	// Article page: related reading with ≥ 3 links and the copies line, on
	// some original that has copies.
	groups, err := a.Store.CopyGroups(ctx, 200, 0)
	if err != nil || len(groups) == 0 {
		t.Fatalf("no copy groups among %d articles: %v", n, err)
	}
	relLink := regexp.MustCompile(`<li><a href="/article/\d+">`)
	best := 0
	for _, g := range groups {
		_, body := get(t, h, "/article/"+strconv.FormatInt(g.Original.ID, 10))
		i := strings.Index(body, `class="related`)
		if i < 0 || !strings.Contains(body, "أعادت نشره") || !strings.Contains(body, `/copies"`) {
			continue
		}
		best = max(best, len(relLink.FindAllString(body[i:], -1)))
		if best >= 3 {
			break
		}
	}
	if best < 3 {
		t.Errorf("no article page with copies shows 3+ related links (best %d) among %d copy groups", best, len(groups))
	}
}
