package storetest

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
)

func source(id string) news.Source {
	return news.Source{ID: id, Name: "صحيفة " + id, HomeURL: "https://" + id + ".example/",
		FeedURLs: []string{"https://" + id + ".example/rss", "https://" + id + ".example/sitemap.xml"},
		Host:     id + ".example", Lang: "ar"}
}

func testSources(t *testing.T, s store.Store) {
	ctx := context.Background()
	created, err := s.UpsertSource(ctx, source("okaz"))
	if err != nil || !created {
		t.Fatalf("UpsertSource: %v, created %v", err, created)
	}
	if _, err := s.UpsertSource(ctx, source("aawsat")); err != nil {
		t.Fatal(err)
	}
	got, err := s.Source(ctx, "okaz")
	if err != nil {
		t.Fatal(err)
	}
	want := source("okaz")
	if got.ID != want.ID || got.Name != want.Name || got.HomeURL != want.HomeURL || !slices.Equal(got.FeedURLs, want.FeedURLs) ||
		got.Host != want.Host || got.Lang != want.Lang {
		t.Errorf("Source\n got %+v\nwant %+v", got, want)
	}
	all, err := s.Sources(ctx)
	if err != nil || len(all) != 2 || all[0].ID != "aawsat" || all[1].ID != "okaz" {
		t.Errorf("Sources = %+v, %v", all, err)
	}
	renamed := source("okaz")
	renamed.Name = "عكاظ"
	renamed.FeedURLs = []string{"https://okaz.example/feed"}
	created, err = s.UpsertSource(ctx, renamed)
	if err != nil || created {
		t.Fatalf("re-upsert: %v, created %v", err, created)
	}
	if got, _ := s.Source(ctx, "okaz"); got.Name != "عكاظ" || !slices.Equal(got.FeedURLs, renamed.FeedURLs) {
		t.Errorf("after update: %+v", got)
	}
	for _, bad := range []news.Source{{ID: "", FeedURLs: []string{"https://x.example/"}}, {ID: "nofeed"}} {
		if _, err := s.UpsertSource(ctx, bad); !errors.Is(err, news.ErrInvalid) {
			t.Errorf("UpsertSource(%+v) = %v, want ErrInvalid", bad, err)
		}
	}
	if _, err := s.Source(ctx, "nope"); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("unknown source: %v", err)
	}
	if err := s.DeleteSource(ctx, "aawsat"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSource(ctx, "aawsat"); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("delete twice: %v", err)
	}
}

func testSourceStatus(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.UpsertSource(ctx, source("sabq")); err != nil {
		t.Fatal(err)
	}
	st := news.SourceStatus{
		LastFetch: t0, LastSuccess: t0.Add(-time.Hour), LastError: "fetch https://sabq.example/rss: HTTP 503",
		Failures: 3, NextDue: t0.Add(10 * time.Minute), ArticlesFound: 42, LastLatency: 1500 * time.Millisecond,
		Interval: 15 * time.Minute, LastNew: t0.Add(-2 * time.Hour),
	}
	if err := s.SaveSourceStatus(ctx, "sabq", st); err != nil {
		t.Fatal(err)
	}
	got, err := s.Source(ctx, "sabq")
	if err != nil {
		t.Fatal(err)
	}
	if !got.Status.LastFetch.Equal(st.LastFetch) || !got.Status.LastSuccess.Equal(st.LastSuccess) ||
		got.Status.LastError != st.LastError || got.Status.Failures != 3 || !got.Status.NextDue.Equal(st.NextDue) ||
		got.Status.ArticlesFound != 42 || got.Status.LastLatency != st.LastLatency || got.Status.Interval != st.Interval ||
		!got.Status.LastNew.Equal(st.LastNew) || got.Status.Healthy() {
		t.Errorf("status\n got %+v\nwant %+v", got.Status, st)
	}
	// Updating the description keeps the status.
	if _, err := s.UpsertSource(ctx, source("sabq")); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Source(ctx, "sabq"); got.Status.Failures != 3 || got.Status.ArticlesFound != 42 {
		t.Errorf("status lost on update: %+v", got.Status)
	}
	if err := s.SaveSourceStatus(ctx, "nope", st); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("unknown source: %v", err)
	}
}

func testDueSources(t *testing.T, s store.Store) {
	ctx := context.Background()
	for i, id := range []string{"a", "b", "c", "d"} {
		if _, err := s.UpsertSource(ctx, source(id)); err != nil {
			t.Fatal(err)
		}
		if id == "d" {
			continue // never fetched: due
		}
		if err := s.SaveSourceStatus(ctx, id, news.SourceStatus{NextDue: t0.Add(time.Duration(i-1) * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	// a: t0-1h, b: t0, c: t0+1h, d: never.
	due, err := s.DueSources(ctx, t0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range due {
		ids = append(ids, d.ID)
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"a", "b", "d"}) {
		t.Errorf("due at t0: %v", ids)
	}
	if due, _ := s.DueSources(ctx, t0, 1); len(due) != 1 {
		t.Errorf("limit 1: %d", len(due))
	}
}

func testFetchState(t *testing.T, s store.Store) {
	ctx := context.Background()
	u := "https://okaz.example/robots.txt"
	if _, err := s.FetchState(ctx, u); !errors.Is(err, news.ErrNotFound) {
		t.Fatalf("absent: %v", err)
	}
	st := store.FetchState{URL: u, ETag: `"abc"`, LastModified: "Wed, 05 Aug 2015 10:00:00 GMT", Status: 200,
		Body: []byte("User-agent: *\nDisallow: /private/\n"), FetchedAt: t0}
	if err := s.SaveFetchState(ctx, st); err != nil {
		t.Fatal(err)
	}
	got, err := s.FetchState(ctx, u)
	if err != nil || got.URL != u || got.ETag != st.ETag || got.LastModified != st.LastModified || got.Status != 200 ||
		!bytes.Equal(got.Body, st.Body) || !got.FetchedAt.Equal(t0) {
		t.Fatalf("FetchState = %+v, %v", got, err)
	}
	st2 := store.FetchState{URL: u, ETag: `"def"`, Status: 304, FetchedAt: t0.Add(time.Hour)}
	if err := s.SaveFetchState(ctx, st2); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FetchState(ctx, u); got.ETag != `"def"` || got.Body != nil || got.LastModified != "" || !got.FetchedAt.Equal(st2.FetchedAt) {
		t.Errorf("replaced: %+v", got)
	}
	if err := s.SaveFetchState(ctx, store.FetchState{}); !errors.Is(err, news.ErrInvalid) {
		t.Errorf("empty URL: %v", err)
	}
}

func testKnownURLs(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustUpsert(t, s, doc("https://www.okaz.example/news/1", "okaz", "عنوان", "نص", t0))
	got, err := s.KnownURLs(ctx, []string{
		"https://www.okaz.example/news/1",
		"http://okaz.example/news/1/?utm_source=rss", // same identity
		"https://www.okaz.example/news/2",
		"not a url",
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []bool{true, true, false, false}) {
		t.Errorf("KnownURLs = %v", got)
	}
	if got, err := s.KnownURLs(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("empty: %v %v", got, err)
	}
}

func testRunners(t *testing.T, s store.Store) {
	ctx := context.Background()
	if err := s.TouchRunner(ctx, "old", t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.TouchRunner(ctx, "live", t0.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.TouchRunner(ctx, "live", t0); err != nil {
		t.Fatal(err)
	}
	got, err := s.Runners(ctx, t0.Add(-10*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got["live"].Equal(t0) {
		t.Errorf("Runners = %v", got)
	}
}
