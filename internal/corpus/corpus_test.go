package corpus

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/shareddata"
)

func TestReplicate(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2015, 7, 21, 10, 0, 0, 0, time.UTC)
	arts := []news.Article{
		{ID: 7, URL: "https://www.spa.gov.sa/viewstory.php?id=1", Title: "أ", Published: t0},
		{ID: 8, URL: "https://sabq.org/%D8%AE%D8%A8%D8%B1", Title: "ب", Published: t0.Add(30 * time.Hour)},
	}
	if got := Span(arts); got != 48*time.Hour {
		t.Fatalf("Span = %v, want 48h", got)
	}
	out := Replicate(arts, 3)
	if len(out) != 6 {
		t.Fatalf("len = %d", len(out))
	}
	seen := map[string]bool{}
	for i, a := range out {
		if seen[a.URL] {
			t.Errorf("duplicate URL %s", a.URL)
		}
		seen[a.URL] = true
		k := i / 2
		if want := arts[i%2].Published.Add(time.Duration(k) * 48 * time.Hour); !a.Published.Equal(want) {
			t.Errorf("%d: published %v, want %v", i, a.Published, want)
		}
		if k > 0 && (a.ID != 0 || !strings.Contains(a.URL, "/r")) {
			t.Errorf("%d: replica not distinct: %+v", i, a)
		}
	}
	if out[3].URL != "https://sabq.org/r1/%D8%AE%D8%A8%D8%B1" {
		t.Errorf("Arabic path replica = %s", out[3].URL)
	}
}

func TestLoadSaudiNewsNet(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	p := shareddata.Path(t, "saudinewsnet", "articles.jsonl.gz")
	arts, err := Load(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 31030 {
		t.Errorf("loaded %d articles, want 31030", len(arts))
	}
}
