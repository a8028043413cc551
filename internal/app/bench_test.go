package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"

	"github.com/marsad/marsad/internal/app"
	"github.com/marsad/marsad/internal/config"
)

// BenchmarkPages serves the home and article pages through the whole
// handler (middleware, store, templates) in parallel, rendered for every
// request and from the page cache (--page-cache), over a database of
// imported articles: MARSAD_BENCH_DB=FILE (bench/web/run.sh leaves one in
// /tmp/marsad-bench-web/web-3000.db). For profiles:
//
//	MARSAD_BENCH_DB=/tmp/marsad-bench-web/web-3000.db go test ./internal/app -run - -bench Pages -cpuprofile /tmp/cpu.out
func BenchmarkPages(b *testing.B) {
	db := os.Getenv("MARSAD_BENCH_DB")
	if db == "" {
		b.Skip("set MARSAD_BENCH_DB to a database of imported articles")
	}
	cfg := config.Default()
	cfg.DB = db
	cfg.APIRate = 0
	a, err := app.Open(context.Background(), cfg, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	cachedH, err := a.Handler()
	if err != nil {
		b.Fatal(err)
	}
	a.Config.PageCache = 0
	renderedH, err := a.Handler()
	if err != nil {
		b.Fatal(err)
	}
	h := renderedH
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/articles?limit=1&offset=1500", nil))
	var list struct {
		Articles []struct{ ID int64 } `json:"articles"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil || len(list.Articles) == 0 {
		b.Fatalf("no article: %s", rec.Body)
	}
	for _, page := range []struct {
		name, path string
		h          http.Handler
	}{
		{"home/rendered", "/", renderedH},
		{"article/rendered", "/article/" + strconv.FormatInt(list.Articles[0].ID, 10), renderedH},
		{"home/cached", "/", cachedH},
		{"article/cached", "/article/" + strconv.FormatInt(list.Articles[0].ID, 10), cachedH},
	} {
		h := page.h
		b.Run(page.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, page.path, nil))
					if rec.Code != 200 {
						b.Errorf("%s: %d", page.path, rec.Code)
						return
					}
				}
			})
		})
	}
}
