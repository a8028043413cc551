package sources

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"slices"
	"testing"

	"github.com/marsad/marsad/internal/fetch"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/shareddata"
)

func TestOPMLRoundTrip(t *testing.T) {
	t.Parallel()
	def, err := Defaults()
	if err != nil || len(def) < 8 {
		t.Fatalf("Defaults: %d, %v", len(def), err)
	}
	for _, s := range def {
		if s.ID == "" || s.Name == "" || len(s.FeedURLs) != 1 || s.Lang != "ar" {
			t.Errorf("default source %+v", s)
		}
	}
	var buf bytes.Buffer
	if err := WriteOPML(&buf, def); err != nil {
		t.Fatal(err)
	}
	back, err := ParseOPML(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(def) {
		t.Fatalf("round trip: %d sources, want %d", len(back), len(def))
	}
	for i := range def {
		if back[i].ID != def[i].ID || back[i].Name != def[i].Name || !slices.Equal(back[i].FeedURLs, def[i].FeedURLs) || back[i].HomeURL != def[i].HomeURL {
			t.Errorf("round trip %d:\n got %+v\nwant %+v", i, back[i], def[i])
		}
	}
	if _, err := ParseOPML([]byte("<html>not opml")); !errors.Is(err, news.ErrInvalid) {
		t.Errorf("bad OPML: %v", err)
	}
}

func TestNewswebLists(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(shareddata.Path(t, "newsweb-dev", "sources.opml"))
	if err != nil {
		t.Fatal(err)
	}
	srcs, err := ParseOPML(b)
	if err != nil || len(srcs) != 14 {
		t.Fatalf("sources.opml: %d, %v", len(srcs), err)
	}
	if srcs[0].ID != "127-0-0-2-18080" || srcs[0].Name != "الشرق الأوسط" || srcs[0].FeedURLs[0] != "http://127.0.0.2:18080/feed/atom.xml" {
		t.Errorf("first: %+v", srcs[0])
	}
	j, err := os.ReadFile(shareddata.Path(t, "newsweb-dev", "sources.json"))
	if err != nil {
		t.Fatal(err)
	}
	srcs, err = ParseJSON(j)
	if err != nil || len(srcs) != 14 || srcs[0].ID != "aawsat" {
		t.Fatalf("sources.json: %v, %+v", err, srcs)
	}
}

func TestSlug(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"www.okaz.com.sa": "okaz", "arabic.rt.com": "rt", "127.0.0.2:18080": "127-0-0-2-18080",
		"sabq.org": "sabq", "localhost:8080": "localhost", "[::1]:80": "1-80"} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDiscover(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	var srvURL string
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!DOCTYPE html><html><head><title>صحيفة تجريبية</title>
<link rel="alternate" type="application/rss+xml" href="/rss.xml"><link rel="stylesheet" href="/s.css"></head><body>…</body></html>`)
	})
	mux.HandleFunc("/rss.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>تجريبية</title><link>%s/</link><item><link>%s/a</link></item></channel></rss>`, srvURL, srvURL)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	srvURL = srv.URL
	// bare links no feed but serves one at a common path; none has nothing.
	page := func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, `<!DOCTYPE html><html><head><title>بلا روابط</title></head><body></body></html>`)
	}
	bareMux := http.NewServeMux()
	bareMux.HandleFunc("/", page)
	bareMux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml")
		fmt.Fprint(w, `<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>`)
	})
	bare := httptest.NewServer(bareMux)
	defer bare.Close()
	none := httptest.NewServer(http.HandlerFunc(page))
	defer none.Close()
	c := fetch.New(fetch.Options{Policy: fetch.AllowOnly(netip.MustParseAddr("127.0.0.1")), Spacing: 1})
	ctx := context.Background()
	src, err := Discover(ctx, c, srv.URL+"/")
	if err != nil || src.Name != "صحيفة تجريبية" || !slices.Equal(src.FeedURLs, []string{srv.URL + "/rss.xml"}) {
		t.Errorf("from home page: %+v, %v", src, err)
	}
	src, err = Discover(ctx, c, srv.URL+"/rss.xml")
	if err != nil || src.Name != "تجريبية" || src.HomeURL != srv.URL+"/" {
		t.Errorf("from feed: %+v, %v", src, err)
	}
	src, err = Discover(ctx, c, bare.URL+"/")
	if err != nil || !slices.Equal(src.FeedURLs, []string{bare.URL + "/feed"}) {
		t.Errorf("common path: %+v, %v", src, err)
	}
	if _, err := Discover(ctx, c, none.URL+"/"); !errors.Is(err, ErrNoFeed) {
		t.Errorf("no feed: %v", err)
	}
}
