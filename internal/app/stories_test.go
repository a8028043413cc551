package app_test

import (
	"context"
	"encoding/json"
	"html/template"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/app"
	"github.com/marsad/marsad/internal/config"
	"github.com/marsad/marsad/internal/corpus"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/shareddata"
	"github.com/marsad/marsad/internal/store"
)

// TestStoryPages imports the start of SaudiNewsNet and checks the story
// surfaces: the story page, top stories on the home page, the article
// page's story link and related reading, and the stories/similar API.
func TestStoryPages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	arts, err := corpus.Load(ctx, shareddata.Path(t, "saudinewsnet", "articles.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.DB = filepath.Join(t.TempDir(), "m.db")
	a, err := app.Open(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if _, _, err := a.Pipeline.Ingest(ctx, arts[:800]); err != nil {
		t.Fatal(err)
	}
	top, err := a.Store.Stories(ctx, store.StoryFilter{MinSources: 3, Limit: 1})
	if err != nil || len(top) == 0 {
		t.Fatalf("no story with 3 sources among 800 articles: %v", err)
	}
	st := top[0]
	h, err := a.Handler()
	if err != nil {
		t.Fatal(err)
	}
	sid := strconv.FormatInt(st.ID, 10)
	for _, tt := range []struct {
		path string
		want []string
	}{
		{"/story/" + sid, []string{"<h1>" + template.HTMLEscapeString(st.Title) + "</h1>", "أول من نشر", "<svg", "المقالات لكل", sourcesCount(len(st.Sources))}},
		{"/", []string{"أبرز القصص", "/story/", "مصادر"}},
		{"/article/" + strconv.FormatInt(st.ArticleID, 10), []string{`href="/story/` + sid + `"`, "القصة كاملة"}},
		{"/api/v1/stories/" + sid, []string{`"articles":["http`, `"first_seen"`, `"entries"`}},
		{"/api/v1/stories?limit=2", []string{`"stories":[{"id":`}},
	} {
		res, body := get(t, h, tt.path)
		if res.StatusCode != 200 {
			t.Errorf("GET %s: %d", tt.path, res.StatusCode)
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s: body lacks %q", tt.path, w)
			}
		}
	}
	for _, p := range []string{"/story/999999", "/api/v1/stories/999999", "/api/v1/articles/999999/similar"} {
		if res, _ := get(t, h, p); res.StatusCode != 404 {
			t.Errorf("GET %s: %d, want 404", p, res.StatusCode)
		}
	}
	res, body := get(t, h, "/api/v1/articles/"+strconv.FormatInt(st.ArticleID, 10)+"/similar?limit=5")
	var sim struct {
		Results []struct {
			ID      int64   `json:"id"`
			Score   float64 `json:"score"`
			StoryID int64   `json:"story_id"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(body), &sim); err != nil || res.StatusCode != 200 {
		t.Fatalf("similar: %d %v %s", res.StatusCode, err, body)
	}
	if len(sim.Results) == 0 || len(sim.Results) > 5 {
		t.Errorf("similar: %d results, want 1..5", len(sim.Results))
	}
	for _, r := range sim.Results {
		if e := a.Stories.Engine(); r.ID == st.ArticleID || e.Containment(r.ID, st.ArticleID) >= e.Config().CopyContainment {
			t.Errorf("similar shows the article or its copy: %d", r.ID)
		}
	}
}

// sourcesCount is how the story page says n sources (3 or more): Arabic
// takes the plural for 3–10 and the accusative singular for 11–99.
func sourcesCount(n int) string {
	if m := n % 100; m >= 11 && m <= 99 {
		return strconv.Itoa(n) + " مصدراً"
	}
	return strconv.Itoa(n) + " مصادر"
}

// TestCopyJoinsOriginalStory: a retitled republication stored in the same
// batch as its original joins the original's story (the copies stage hands
// its links to the clustering stage), even when earlier articles exist.
func TestCopyJoinsOriginalStory(t *testing.T) {
	t.Parallel()
	a, _ := newApp(t)
	ctx := context.Background()
	res := ingestRepublished(t, a)
	orig, err := a.Store.Article(ctx, res[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	cp, err := a.Store.Article(ctx, res[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if cp.OriginalID != orig.ID {
		t.Fatalf("copy's original = %d, want %d", cp.OriginalID, orig.ID)
	}
	if orig.StoryID == 0 || cp.StoryID != orig.StoryID {
		t.Errorf("copy in story %d, original in story %d: want the same", cp.StoryID, orig.StoryID)
	}
}

// ingestRepublished stores an agency story and a retitled newspaper copy
// of it, three hours later, in one batch; results in that order.
func ingestRepublished(t *testing.T, a *app.App) []store.Upserted {
	t.Helper()
	t0 := time.Date(2015, 8, 6, 9, 0, 0, 0, time.UTC)
	body := "أعلنت وزارة الصحة اليوم تسجيل حالات جديدة بفيروس كورونا في الرياض وجدة والمدينة المنورة.\n" +
		"وأوضحت الوزارة في بيانها أن الفرق الطبية تتابع المخالطين وأن المستشفيات رفعت جاهزيتها في المناطق الثلاث.\n" +
		"ودعت الوزارة المواطنين والمقيمين إلى الالتزام بالإرشادات الوقائية ومراجعة المراكز الصحية عند ظهور الأعراض."
	res, _, err := a.Pipeline.Ingest(context.Background(), []news.Article{
		{URL: "http://www.spa.gov.sa/77", SourceID: "was", Title: "وزارة الصحة تسجل حالات جديدة بفيروس كورونا", Text: "الرياض واس\n" + body, Published: t0},
		{URL: "http://www.okaz.com.sa/77", SourceID: "okaz", Title: "كورونا يعود إلى الرياض وجدة والمدينة", Text: body, Published: t0.Add(3 * time.Hour)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}
