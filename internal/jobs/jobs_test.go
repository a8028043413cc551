package jobs_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/fetch"
	"github.com/marsad/marsad/internal/ingest"
	"github.com/marsad/marsad/internal/jobs"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/store/sqlite"
)

// TestFailingSources: one good source and one per failure mode; the bad
// ones are marked unhealthy with their error, the good one is crawled.
func TestFailingSources(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("/good/rss", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>جيد</title>`)
		for i := range 3 {
			fmt.Fprintf(w, `<item><title>خبر %d</title><link>%s/good/a%d</link><pubDate>Thu, 06 Aug 2015 08:20:2%d +0300</pubDate><description>ملخص %d</description></item>`, i, srv.URL, i, i, i)
		}
		fmt.Fprint(w, `</channel></rss>`)
	})
	mux.HandleFunc("/good/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "<!DOCTYPE html><html><head><title>%s</title></head><body><p>نص كامل</p></body></html>", r.URL.Path)
	})
	mux.HandleFunc("/html/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<!DOCTYPE html><html><body>not a feed</body></html>")
	})
	mux.HandleFunc("/broken/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprint(w, "<rss><channel><<<<")
	})
	mux.HandleFunc("/slow/", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	})
	srv = httptest.NewServer(mux)
	defer srv.Close()

	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "m.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := jobs.Migrate(ctx, st.DB(), nil); err != nil {
		t.Fatal(err)
	}
	srcs := []news.Source{
		{ID: "good", FeedURLs: []string{srv.URL + "/good/rss"}},
		{ID: "404", FeedURLs: []string{srv.URL + "/missing.xml"}},
		{ID: "html", FeedURLs: []string{srv.URL + "/html/"}},
		{ID: "broken", FeedURLs: []string{srv.URL + "/broken/"}},
		{ID: "slow", FeedURLs: []string{srv.URL + "/slow/"}},
		{ID: "dns", FeedURLs: []string{"http://no-such-host.invalid/rss"}},
		{ID: "private", FeedURLs: []string{"http://10.1.2.3/rss"}},
	}
	for _, s := range srcs {
		if _, err := st.UpsertSource(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	fc := fetch.New(fetch.Options{Policy: fetch.AllowOnly(netip.MustParseAddr("127.0.0.1")), Spacing: time.Millisecond,
		Timeout: 500 * time.Millisecond, Robots: jobs.RobotsCache(st)})
	extracted := 0
	c, err := jobs.New(jobs.Options{Store: st, DB: st.DB(), Fetcher: fc, Ingest: ingest.New(st, arabic.New(), nil), Once: true,
		Extract: func(body []byte, u, ct string) (jobs.Page, error) {
			extracted++
			return jobs.Page{Title: "مستخرج", Text: "نص كامل من " + u}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.EnqueueSources(ctx, srcs); err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := c.Wait(wctx, 100*time.Millisecond, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	wantErr := map[string]string{"404": "HTTP 404", "html": "not a feed", "broken": "xml", "slow": "deadline exceeded",
		"dns": "no-such-host.invalid", "private": "private address 10.1.2.3"}
	for _, s := range srcs {
		got, err := st.Source(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if s.ID == "good" {
			if !got.Status.Healthy() || got.Status.ArticlesFound != 3 || got.Status.NextDue.IsZero() {
				t.Errorf("good: %+v", got.Status)
			}
			continue
		}
		if got.Status.Healthy() || got.Status.Failures != 1 || !strings.Contains(got.Status.LastError, wantErr[s.ID]) ||
			!got.Status.NextDue.After(time.Now()) {
			t.Errorf("%s: status %+v, want an error containing %q", s.ID, got.Status, wantErr[s.ID])
		}
	}
	n, _ := st.CountArticles(ctx, store.ArticleFilter{})
	a, err := st.ArticleByURL(ctx, srv.URL+"/good/a1")
	if n != 3 || extracted != 3 || err != nil || a.Title != "مستخرج" || !strings.Contains(a.Text, "نص كامل") ||
		a.Published.IsZero() || a.SourceID != "good" {
		t.Errorf("stored %d articles (%d extracted); a1 = %+v, %v", n, extracted, a, err)
	}
	if s := c.Stats(); s.SourcesOK != 1 || s.SourcesFailed != 6 || s.Pages != 3 || s.ArticlesNew != 3 {
		t.Errorf("stats %+v", s)
	}
}
