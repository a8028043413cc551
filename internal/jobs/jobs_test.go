package jobs_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/fetch"
	"github.com/marsad/marsad/internal/ingest"
	"github.com/marsad/marsad/internal/jobs"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/store/postgres"
	"github.com/marsad/marsad/internal/store/postgres/pgtest"
	"github.com/marsad/marsad/internal/store/sqlite"
)

// backends returns the stores the crawl runs on, each with its queue: the
// SQLite default and (when reachable) PostgreSQL.
func backends() map[string]func(t *testing.T) (store.Store, jobs.Queue) {
	return map[string]func(t *testing.T) (store.Store, jobs.Queue){
		"sqlite": func(t *testing.T) (store.Store, jobs.Queue) {
			ctx := context.Background()
			st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "m.db"), sqlite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			if err := st.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			q := jobs.SQLiteQueue(st.DB())
			if err := jobs.Migrate(ctx, q, nil); err != nil {
				t.Fatal(err)
			}
			return st, q
		},
		"postgres": func(t *testing.T) (store.Store, jobs.Queue) {
			st := pgtest.Open(t)
			q := jobs.PostgresQueue(st.Pool())
			if err := jobs.Migrate(context.Background(), q, nil); err != nil {
				t.Fatal(err)
			}
			return st, q
		},
	}
}

// onBackends runs test on each store: one code path over River's two
// drivers.
func onBackends(t *testing.T, test func(t *testing.T, st store.Store, q jobs.Queue)) {
	t.Parallel()
	for name, open := range backends() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			st, q := open(t)
			test(t, st, q)
		})
	}
}

// TestFailingSources: one good source and one per failure mode; the bad
// ones are marked unhealthy with their error, the good one is crawled.
func TestFailingSources(t *testing.T) { onBackends(t, testFailingSources) }

func testFailingSources(t *testing.T, st store.Store, q jobs.Queue) {
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
		Timeout: 500 * time.Millisecond, Robots: jobs.RobotsCache(st), Budget: jobs.HostBudget(st)})
	var extracted atomic.Int32
	c, err := jobs.New(jobs.Options{Store: st, Queue: q, Fetcher: fc, Ingest: ingest.New(st, arabic.New(), nil), Once: true,
		Extract: func(body []byte, u, ct string) (jobs.Page, error) {
			extracted.Add(1)
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
	if n != 3 || extracted.Load() != 3 || err != nil || a.Title != "مستخرج" || !strings.Contains(a.Text, "نص كامل") ||
		a.Published.IsZero() || a.SourceID != "good" {
		t.Errorf("stored %d articles (%d extracted); a1 = %+v, %v", n, extracted.Load(), a, err)
	}
	if s := c.Stats(); s.SourcesOK != 1 || s.SourcesFailed != 6 || s.Pages != 3 || s.ArticlesNew != 3 {
		t.Errorf("stats %+v", s)
	}
}

// TestRunnersShareTheQueue: two runners (as two worker processes) crawl one
// site from one queue: every article is fetched and stored once, both do
// some of the work, and the host never sees two requests at once.
func TestRunnersShareTheQueue(t *testing.T) { onBackends(t, testRunnersShareTheQueue) }

func testRunnersShareTheQueue(t *testing.T, st store.Store, q jobs.Queue) {
	const articles = 40
	var (
		mu          sync.Mutex
		inFlight    int
		peak        int
		fetched     = map[string]int{}
		srv         *httptest.Server
		ctx         = context.Background()
		serverFlaws []string
	)
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		peak = max(peak, inFlight)
		fetched[r.URL.Path]++
		mu.Unlock()
		defer func() { mu.Lock(); inFlight--; mu.Unlock() }()
		time.Sleep(2 * time.Millisecond)
		switch {
		case r.URL.Path == "/robots.txt":
			http.NotFound(w, r)
		case r.URL.Path == "/rss":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, `<rss version="2.0"><channel><title>موقع</title>`)
			for i := range articles {
				fmt.Fprintf(w, `<item><title>خبر %d</title><link>%s/a/%d</link><description>نص %d</description></item>`, i, srv.URL, i, i)
			}
			fmt.Fprint(w, `</channel></rss>`)
		case strings.HasPrefix(r.URL.Path, "/a/"):
			fmt.Fprintf(w, "<!DOCTYPE html><html><head><title>%s</title></head><body><p>نص</p></body></html>", r.URL.Path)
		default:
			mu.Lock()
			serverFlaws = append(serverFlaws, r.URL.Path)
			mu.Unlock()
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	src := news.Source{ID: "site", FeedURLs: []string{srv.URL + "/rss"}}
	if _, err := st.UpsertSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	var crawlers []*jobs.Crawler
	for i := range 2 {
		id := fmt.Sprintf("runner-%d", i)
		fc := fetch.New(fetch.Options{Policy: fetch.AllowOnly(netip.MustParseAddr("127.0.0.1")), Spacing: 10 * time.Millisecond,
			Robots: jobs.RobotsCache(st), Budget: jobs.HostBudget(st), Owner: id})
		c, err := jobs.New(jobs.Options{Store: st, Queue: q, Fetcher: fc, Ingest: ingest.New(st, arabic.New(), nil),
			Once: true, Workers: 4, RunnerID: id, PollInterval: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer c.Stop(ctx)
		crawlers = append(crawlers, c)
	}
	if _, err := crawlers[0].EnqueueSources(ctx, []news.Source{src}); err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := crawlers[1].Wait(wctx, 50*time.Millisecond, nil); err != nil {
		t.Fatal(err)
	}
	n, _ := st.CountArticles(ctx, store.ArticleFilter{})
	if n != articles {
		t.Errorf("stored %d articles, want %d", n, articles)
	}
	mu.Lock()
	defer mu.Unlock()
	for p, k := range fetched {
		if strings.HasPrefix(p, "/a/") && k != 1 {
			t.Errorf("%s fetched %d times", p, k)
		}
	}
	if peak != 1 || len(serverFlaws) > 0 {
		t.Errorf("peak %d requests at once (want 1); unexpected paths %v", peak, serverFlaws)
	}
	a, b := crawlers[0].Stats().Pages, crawlers[1].Stats().Pages
	if a+b != articles || a == 0 || b == 0 {
		t.Errorf("pages fetched by the two runners: %d + %d, want both > 0 and %d in all", a, b, articles)
	}
	t.Logf("pages by runner: %d + %d", a, b)
}

// TestConcurrentMigrate: many processes starting at once on an empty
// PostgreSQL database all come up (River's migrator takes no lock of its
// own; PostgresQueue serialises it).
func TestConcurrentMigrate(t *testing.T) {
	t.Parallel()
	dsn := pgtest.Schema(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			st, err := postgres.Open(ctx, dsn, postgres.Options{})
			if err != nil {
				t.Error(err)
				return
			}
			defer st.Close()
			if err := st.Migrate(ctx); err != nil {
				t.Error(err)
				return
			}
			if err := jobs.Migrate(ctx, jobs.PostgresQueue(st.Pool()), nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}
