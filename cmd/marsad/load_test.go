package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestServeUnderLoad is a bounded load test of `marsad serve` while its
// crawler works through the simulated news web: concurrent clients on
// loopback for a few seconds (MARSAD_LOAD_SECONDS, default 8) over the home
// page, article pages, searches, the API and the feeds. Every response must
// be a 200; latency percentiles per route and the server's peak RSS are
// logged (docs/benchmarks.md, "Hardening").
func TestServeUnderLoad(t *testing.T) {
	t.Parallel()
	w := startNewsweb(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "m.db")
	const preloaded = 3000
	writeSyntheticImport(t, filepath.Join(dir, "in.jsonl"), preloaded)
	if r := runCLI(t, "", nil, "import", "--db", db, filepath.Join(dir, "in.jsonl")); r.code != 0 {
		t.Fatalf("import: %d %s", r.code, r.stderr)
	}
	if r := runCLI(t, "", nil, "sources", "import", "--db", db, w.opml); r.code != 0 {
		t.Fatalf("sources import: %d %s", r.code, r.stderr)
	}
	addr := loopbackAddr(t)
	srv := child(t, "serve --allow-private --api-rate 0 --addr "+addr+" --db "+db)
	srv.Stderr = os.Stderr
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Process.Kill(); srv.Wait() })
	base := "http://" + addr
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	for i := 0; ; i++ {
		res, err := client.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		if i > 100 {
			t.Fatalf("serve did not come up: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}

	// The crawler must be at work before the load starts: wait (bounded)
	// for its first requests to newsweb.
	for i := 0; crawlRequests(t, w, time.Time{}, time.Now()) == 0; i++ {
		if i > 150 {
			t.Fatal("the crawler sent no request within 15 s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	loadStart := time.Now()
	seconds := 8
	if v, err := strconv.Atoi(os.Getenv("MARSAD_LOAD_SECONDS")); err == nil && v > 0 {
		seconds = v
	}
	const clients = 8
	queries := []string{"خادم الحرمين", "الملك سلمان", "العلاقات الثنائية", "التعاون الاقتصادي", "جدة", "رئيس الوزراء", "أمطار", "النفط"}
	routes := []struct {
		name string
		path func(r *rand.Rand) string
	}{
		{"home", func(*rand.Rand) string { return "/" }},
		{"article", func(r *rand.Rand) string { return "/article/" + strconv.Itoa(1+r.IntN(preloaded)) }},
		{"search", func(r *rand.Rand) string { return "/search?q=" + url.QueryEscape(queries[r.IntN(len(queries))]) }},
		{"api-articles", func(r *rand.Rand) string { return "/api/v1/articles?limit=20&offset=" + strconv.Itoa(r.IntN(100)) }},
		{"api-search", func(r *rand.Rand) string { return "/api/v1/search?q=" + url.QueryEscape(queries[r.IntN(len(queries))]) }},
		{"feed", func(r *rand.Rand) string { return []string{"/feed.atom", "/feed.rss", "/feed.json"}[r.IntN(3)] }},
	}
	type sample struct {
		route int
		d     time.Duration
	}
	var (
		mu      sync.Mutex
		samples []sample
		errs    []string
	)
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(seconds)*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(c), 7))
			var mine []sample
			for ctx.Err() == nil {
				ri := r.IntN(len(routes))
				p := routes[ri].path(r)
				start := time.Now()
				res, err := client.Get(base + p)
				if err != nil {
					mu.Lock()
					errs = append(errs, fmt.Sprintf("%s: %v", p, err))
					mu.Unlock()
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				d := time.Since(start)
				if res.StatusCode != 200 {
					mu.Lock()
					errs = append(errs, fmt.Sprintf("%s: status %d", p, res.StatusCode))
					mu.Unlock()
					continue
				}
				mine = append(mine, sample{ri, d})
			}
			mu.Lock()
			samples = append(samples, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	loadEnd := time.Now()
	rss := vmHWM(t, srv.Process.Pid)
	srv.Process.Signal(syscall.SIGTERM)
	srv.Wait()

	total := len(samples) + len(errs)
	if total == 0 {
		t.Fatal("no requests made")
	}
	if len(errs) > 0 {
		t.Errorf("%d of %d requests failed; first: %s", len(errs), total, errs[0])
	}
	all := make([]time.Duration, 0, len(samples))
	for i, rt := range routes {
		var ds []time.Duration
		for _, s := range samples {
			if s.route == i {
				ds = append(ds, s.d)
			}
		}
		all = append(all, ds...)
		p50, p99 := percentiles(ds)
		t.Logf("%-13s %5d requests  p50 %6.1f ms  p99 %6.1f ms", rt.name, len(ds), ms(p50), ms(p99))
	}
	p50, p99 := percentiles(all)
	_, crawled := stored(t, db)
	fetches := crawlRequests(t, w, loadStart, loadEnd)
	load, _ := os.ReadFile("/proc/loadavg") // the numbers mean little without it
	t.Logf("all: %d requests in %d s by %d clients (%.0f req/s), error rate %.4f, p50 %.1f ms, p99 %.1f ms; serve peak RSS %d MiB; meanwhile the crawler sent %d requests and stored %d articles; loadavg %s",
		total, seconds, clients, float64(total)/float64(seconds), float64(len(errs))/float64(total), ms(p50), ms(p99), rss>>20,
		fetches, crawled-preloaded, strings.TrimSpace(string(load)))
	if fetches == 0 {
		t.Errorf("the crawler sent no request during the load: the test did not run them together")
	}
}

func percentiles(ds []time.Duration) (p50, p99 time.Duration) {
	if len(ds) == 0 {
		return 0, 0
	}
	slices.Sort(ds)
	return ds[len(ds)*50/100], ds[min(len(ds)-1, len(ds)*99/100)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// loopbackAddr finds a free port on 127.0.0.1.
func loopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// vmHWM is a running process's peak resident set (Linux), 0 elsewhere.
func vmHWM(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// crawlRequests counts the requests newsweb logged between from and to.
func crawlRequests(t *testing.T, w *newsweb, from, to time.Time) int {
	t.Helper()
	n := 0
	for _, ls := range w.access(t) {
		for _, l := range ls {
			at := time.Unix(0, int64(l.T*1e9))
			if !at.Before(from) && !at.After(to) {
				n++
			}
		}
	}
	return n
}
