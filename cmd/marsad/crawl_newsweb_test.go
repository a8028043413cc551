package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/app"
	"github.com/marsad/marsad/internal/config"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/shareddata"
	"github.com/marsad/marsad/internal/textf1"
	"github.com/marsad/marsad/internal/urlnorm"
)

// newsweb is one running serve.py over the simulated Arabic news web.
type newsweb struct {
	root, logDir, opml string
	port               int
	truth              []truthRow
}

type truthRow struct {
	URL         string `json:"url"`
	Source      string `json:"source"`
	Title       string `json:"title"`
	Text        string `json:"text"`
	Attribution string `json:"attribution"`
}

type accessLine struct {
	T      float64 `json:"t"`
	Path   string  `json:"path"`
	Status int     `json:"status"`
	Host   string  `json:"host"`
	INM    *string `json:"inm"`
}

// startNewsweb serves newsweb-dev on a free port (on all of 127.0.0.2–.15)
// and writes a copy of sources.opml pointing at it.
func startNewsweb(t *testing.T) *newsweb {
	t.Helper()
	if testing.Short() {
		t.Skip("skipping the newsweb crawl under -short")
	}
	root := shareddata.Path(t, "newsweb-dev")
	script := filepath.Join(filepath.Dir(filepath.Dir(root)), "tools", "newsweb", "serve.py")
	if _, err := os.Stat(script); err != nil {
		t.Skipf("skipping: %s absent", script)
	}
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("skipping: python3 not found")
	}
	port := freePort(t)
	dir := t.TempDir()
	w := &newsweb{root: root, logDir: filepath.Join(dir, "logs"), port: port, opml: filepath.Join(dir, "sources.opml")}
	ready := filepath.Join(dir, "ready")
	cmd := exec.Command("python3", script, "--root", root, "--port", fmt.Sprint(port), "--log-dir", w.logDir,
		"--max-seconds", "400", "--ready-file", ready)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	})
	for i := 0; ; i++ {
		if _, err := os.Stat(ready); err == nil {
			break
		}
		if i > 100 {
			t.Fatal("serve.py did not become ready")
		}
		time.Sleep(100 * time.Millisecond)
	}
	b, err := os.ReadFile(filepath.Join(root, "sources.opml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(w.opml, []byte(strings.ReplaceAll(string(b), ":18080/", fmt.Sprintf(":%d/", port))), 0o644); err != nil {
		t.Fatal(err)
	}
	tb, err := os.ReadFile(filepath.Join(root, "truth.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(tb)), "\n") {
		var r truthRow
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		r.URL = strings.Replace(r.URL, ":18080/", fmt.Sprintf(":%d/", port), 1)
		w.truth = append(w.truth, r)
	}
	return w
}

// freePort finds a port free on every newsweb address.
func freePort(t *testing.T) int {
	t.Helper()
	for range 20 {
		port := 20000 + rand.IntN(30000)
		ok := true
		for i := 2; i <= 15 && ok; i++ {
			ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:%d", i, port))
			if err != nil {
				ok = false
				continue
			}
			ln.Close()
		}
		if ok {
			return port
		}
	}
	t.Fatal("no free port")
	return 0
}

// access reads every access log line, per host, in time order.
func (w *newsweb) access(t *testing.T) map[string][]accessLine {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(w.logDir, "access-*.log"))
	out := map[string][]accessLine{}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			var l accessLine
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			id := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "access-"), ".log")
			out[id] = append(out[id], l)
		}
		fh.Close()
	}
	for _, ls := range out {
		sort.Slice(ls, func(i, j int) bool { return ls[i].T < ls[j].T })
	}
	return out
}

// stored returns the stored articles' titles by url key, and their count.
func stored(t *testing.T, db string) (map[string]string, int) {
	t.Helper()
	arts, n := storedArticles(t, db)
	keys := make(map[string]string, len(arts))
	for k, a := range arts {
		keys[k] = a.Title
	}
	return keys, n
}

// storedArticles returns the stored articles by url key, and their count.
func storedArticles(t *testing.T, db string) (map[string]news.Article, int) {
	t.Helper()
	ctx := context.Background()
	cfg := config.Default()
	cfg.DB = db
	s, err := app.OpenStore(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	keys := map[string]news.Article{}
	n := 0
	err = s.ScanArticles(ctx, func(a news.Article) error {
		n++
		k, err := urlnorm.Key(a.URL)
		if err != nil {
			return err
		}
		keys[k] = a
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys, n
}

type crawlJSON struct {
	Sources        int     `json:"sources"`
	SourcesFailed  int     `json:"sources_failed"`
	Pages          int     `json:"pages"`
	ArticlesNew    int     `json:"articles_new"`
	FeedsNotMod    int     `json:"feeds_not_modified"`
	Seconds        float64 `json:"seconds"`
	PagesPerSecond float64 `json:"pages_per_second"`
}

func crawlOnce(t *testing.T, w *newsweb, db string, extra ...string) crawlJSON {
	t.Helper()
	args := append([]string{"crawl", "--once", "--json", "--sources", w.opml, "--db", db}, extra...)
	r := runCLI(t, "", map[string]string{"MARSAD_LOG_LEVEL": "error"}, args...)
	var out crawlJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("crawl: code %d, %v\nstdout %s\nstderr %s", r.code, err, r.stdout, r.stderr)
	}
	return out
}

// TestCrawlNewsweb is the crawler's acceptance test: one pass over the
// simulated news web stores ≥ 98% of its articles, politely; a second pass
// is answered with 304s; without --allow-private every source is refused.
func TestCrawlNewsweb(t *testing.T) {
	t.Parallel()
	w := startNewsweb(t)
	dir := t.TempDir()

	refused := runCLI(t, "", nil, "crawl", "--once", "--sources", w.opml, "--db", filepath.Join(dir, "refused.db"))
	if refused.code == 0 || strings.Count(refused.stderr, "loopback address") < 14 ||
		!strings.Contains(refused.stderr, "use --allow-private for tests") {
		t.Errorf("without --allow-private: code %d\n%s", refused.code, refused.stderr)
	}
	if n := len(w.access(t)); n != 0 {
		t.Errorf("refused crawl reached %d sites", n)
	}

	db := filepath.Join(dir, "m.db")
	first := crawlOnce(t, w, db, "--allow-private")
	t.Logf("first pass: %+v", first)
	arts, n := storedArticles(t, db)
	found, titles, attributions, wantAttr := 0, 0, 0, 0
	truthText, gotText := map[string]string{}, map[string]string{}
	for _, r := range w.truth {
		k, _ := urlnorm.Key(r.URL)
		a, ok := arts[k]
		if !ok {
			t.Logf("missing: %s", r.URL)
			continue
		}
		found++
		if a.Title == r.Title {
			titles++
		} else if r.Source == "alyaum" {
			t.Errorf("windows-1256 site: title %q, want %q", a.Title, r.Title)
		}
		if r.Attribution != "" {
			wantAttr++
			if a.Attribution != "" {
				attributions++
			}
		}
		truthText[k], gotText[k] = r.Text, a.Text
	}
	if found*100 < len(w.truth)*98 || n != found {
		t.Errorf("stored %d articles, %d of the %d in the truth", n, found, len(w.truth))
	}
	// The crawl stores what extraction gives: clean bodies, exact titles,
	// attributions (the extraction eval holds the detailed thresholds).
	score, _ := textf1.Evaluate(truthText, gotText)
	t.Logf("stored bodies vs truth: %+v; titles exact %d/%d; attributions %d/%d", score, titles, found, attributions, wantAttr)
	if score.F1 < 0.98 || titles*100 < found*99 || attributions*100 < wantAttr*95 {
		t.Errorf("crawled article quality: body F1 %.3f, titles %d/%d, attributions %d/%d", score.F1, titles, found, attributions, wantAttr)
	}

	logs := w.access(t)
	requests := checkPolite(t, logs)

	second := crawlOnce(t, w, db, "--allow-private")
	t.Logf("second pass: %+v", second)
	total, n304 := 0, 0
	for _, ls := range w.access(t) {
		total += len(ls)
		for _, l := range ls {
			if l.Status == 304 {
				n304++
			}
		}
	}
	again := total - requests
	if again == 0 || n304*10 < again*9 || second.ArticlesNew != 0 || second.Pages != 0 {
		t.Errorf("second pass: %d requests, %d of them 304; %+v", again, n304, second)
	}
	t.Logf("first pass %.1f s, %d pages, %.1f pages/s; second pass %.2f s, %d requests, %d × 304",
		first.Seconds, first.Pages, first.PagesPerSecond, second.Seconds, again, n304)
}

// TestCrawlKilled kills `marsad crawl` with SIGKILL at random points
// (twice by default, MARSAD_CRASH_KILLS times when set), restarting it each
// time, then lets it finish. After every kill PRAGMA integrity_check passes,
// nothing stored before is lost or changed, and no URL identity is stored
// twice; at the end the stored articles are exactly the truth articles whose
// pages newsweb served — a page served just before a kill and answered 304
// after the restart would be lost, and shows here.
func TestCrawlKilled(t *testing.T) {
	t.Parallel()
	w := startNewsweb(t)
	db := filepath.Join(t.TempDir(), "m.db")
	kills := 2
	if v, err := strconv.Atoi(os.Getenv("MARSAD_CRASH_KILLS")); err == nil && v > 0 {
		kills = v
	}
	prev := map[string]string{}
	for i := range kills {
		child := exec.Command(os.Args[0], "-test.run=^TestChild$")
		child.Env = append(os.Environ(), "MARSAD_TEST_CHILD=crawl --once --allow-private --sources "+w.opml+" --db "+db)
		child.Stderr = os.Stderr
		if err := child.Start(); err != nil {
			t.Fatal(err)
		}
		wait := time.Duration(1500+rand.IntN(6000)) * time.Millisecond
		time.Sleep(wait)
		child.Process.Signal(syscall.SIGKILL)
		child.Wait()
		integrityCheck(t, db)
		now, n := stored(t, db)
		t.Logf("kill %d after %v: %d articles stored", i+1, wait, n)
		checkKept(t, prev, now, n)
		prev = now
	}
	res := crawlOnce(t, w, db, "--allow-private")
	integrityCheck(t, db)
	keys, n := stored(t, db)
	checkKept(t, prev, keys, n)
	truth := map[string]bool{}
	for _, r := range w.truth {
		k, _ := urlnorm.Key(r.URL)
		truth[k] = true
	}
	served := map[string]bool{}
	for _, ls := range w.access(t) {
		for _, l := range ls {
			if k, err := urlnorm.Key("http://" + l.Host + l.Path); err == nil && l.Status == 200 && truth[k] {
				served[k] = true
			}
		}
	}
	for k := range served {
		if _, ok := keys[k]; !ok {
			t.Errorf("served but not stored: %s", k)
		}
	}
	for k := range keys {
		if !served[k] {
			t.Errorf("stored but never served: %s", k)
		}
	}
	if len(served)*100 < len(w.truth)*98 {
		t.Errorf("after the rerun: %d stored, %d of %d truth articles served (%+v)", n, len(served), len(w.truth), res)
	}
	// Article pages fetched in more than one run: only those in flight at
	// a kill (one page per site, plus its feed).
	twice := fetchedTwice(w.access(t))
	if twice > kills*(14+14) {
		t.Errorf("%d documents fetched twice", twice)
	}
	t.Logf("%d kills; final run %+v; %d stored = %d distinct article URLs served; %d documents fetched twice (in flight at a kill)",
		kills, res, n, len(served), twice)
}

// checkKept: every article stored before (by URL identity) is still there
// with the same title, and each identity is stored once.
func checkKept(t *testing.T, before, now map[string]string, n int) {
	t.Helper()
	if n != len(now) {
		t.Errorf("%d articles stored for %d URL identities", n, len(now))
	}
	for k, title := range before {
		if got, ok := now[k]; !ok || got != title {
			t.Errorf("committed article %s lost or changed (title %q → %q)", k, title, got)
		}
	}
}

// checkPolite checks the access logs of every site: robots.txt obeyed
// (no /private/ on okaz), one request at a time per host, each at least a
// second (the budget, and okaz's Crawl-delay) after the previous ended. It
// returns the number of requests.
func checkPolite(t *testing.T, logs map[string][]accessLine) int {
	t.Helper()
	requests := 0
	for host, ls := range logs {
		requests += len(ls)
		minGap := time.Hour
		for i, l := range ls {
			if strings.HasPrefix(l.Path, "/private/") {
				t.Errorf("%s: fetched %s, which robots.txt disallows", host, l.Path)
			}
			if i > 0 {
				minGap = min(minGap, time.Duration((l.T-ls[i-1].T)*float64(time.Second)))
			}
		}
		// Logged as each request ends: two in flight at once, or one
		// started too soon, would end closer together than that.
		if minGap < 900*time.Millisecond {
			t.Errorf("%s: two requests %v apart", host, minGap)
		}
	}
	if len(logs) != 14 {
		t.Errorf("%d sites fetched, want 14", len(logs))
	}
	return requests
}

// fetchedTwice counts the documents (pages and feeds, not robots.txt) served
// in full more than once.
func fetchedTwice(logs map[string][]accessLine) int {
	fetched := map[string]int{}
	for _, ls := range logs {
		for _, l := range ls {
			if l.Status == 200 && !strings.Contains(l.Path, "robots.txt") {
				fetched[l.Host+l.Path]++
			}
		}
	}
	twice := 0
	for _, c := range fetched {
		if c > 1 {
			twice++
		}
	}
	return twice
}

// TestChild is the marsad process the crash and scale-out tests start (and
// kill): it runs the command line in $MARSAD_TEST_CHILD (space-separated
// arguments) until it ends or gets SIGTERM.
func TestChild(t *testing.T) {
	args := os.Getenv("MARSAD_TEST_CHILD")
	if args == "" {
		t.Skip("helper process for the crash-safety and scale-out tests")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	r := runCLIContext(ctx, os.Getenv("MARSAD_TEST_CHILD_STDIN"), map[string]string{"MARSAD_LOG_LEVEL": "error"}, strings.Fields(args)...)
	fmt.Fprint(os.Stdout, r.stdout)
	fmt.Fprint(os.Stderr, r.stderr)
	if r.code != 0 {
		os.Exit(r.code)
	}
}
