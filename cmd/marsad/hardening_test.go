package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/store/sqlite"
	"github.com/marsad/marsad/internal/urlnorm"
)

// integrityCheck fails the test unless SQLite's own check passes on db.
func integrityCheck(t *testing.T, db string) {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, err := s.DB().QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var msgs []string
	for rows.Next() {
		var m string
		rows.Scan(&m)
		msgs = append(msgs, m)
	}
	if len(msgs) != 1 || msgs[0] != "ok" {
		t.Errorf("PRAGMA integrity_check on %s: %q", db, msgs)
	}
}

// child starts this test binary as a marsad process (see TestChild).
func child(t *testing.T, args string) *exec.Cmd {
	t.Helper()
	c := exec.Command(os.Args[0], "-test.run=^TestChild$")
	c.Env = append(os.Environ(), "MARSAD_TEST_CHILD="+args)
	return c
}

// writeSyntheticImport writes n distinct articles as import lines.
func writeSyntheticImport(t *testing.T, path string, n int) map[string]string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	titles := map[string]string{}
	words := strings.Fields("استقبل خادم الحرمين الشريفين الملك سلمان اليوم في جدة رئيس الوزراء وبحث معه العلاقات الثنائية والتعاون الاقتصادي بين البلدين")
	for i := range n {
		u := fmt.Sprintf("https://news.example/%d/%d", i%17, i)
		title := fmt.Sprintf("خبر رقم %d عن %s", i, words[i%len(words)])
		var body strings.Builder
		for j := range 120 {
			body.WriteString(words[(i*7+j)%len(words)])
			body.WriteByte(' ')
		}
		titles[u] = title
		enc.Encode(map[string]string{"url": u, "source": fmt.Sprintf("src%d", i%5), "title": title,
			"published": time.Date(2015, 8, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute).Format(time.RFC3339),
			"text":      body.String()})
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return titles
}

// TestImportKilled kills `marsad import` with SIGKILL at random points,
// several times, then lets it finish: every article is stored exactly
// once, nothing committed before a kill is lost, and the database passes
// SQLite's integrity check after every kill.
func TestImportKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping crash test in -short mode")
	}
	t.Parallel()
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	db := filepath.Join(dir, "m.db")
	want := writeSyntheticImport(t, in, 20000)
	committed := 0
	for round := range 3 {
		c := child(t, "import "+in+" --db "+db)
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		wait := time.Duration(300+rand.IntN(2500)) * time.Millisecond
		time.Sleep(wait)
		c.Process.Signal(syscall.SIGKILL)
		c.Wait()
		integrityCheck(t, db)
		got, _ := storedArticles(t, db)
		t.Logf("round %d: killed after %v with %d articles stored", round, wait, len(got))
		if len(got) < committed {
			t.Fatalf("round %d: %d articles stored, fewer than the %d committed before", round, len(got), committed)
		}
		committed = len(got)
	}
	r := runCLI(t, "", map[string]string{"MARSAD_DB": db}, "import", in)
	if r.code != 0 {
		t.Fatalf("final import: %+v", r)
	}
	integrityCheck(t, db)
	got, n := storedArticles(t, db)
	if n != len(want) || len(got) != len(want) {
		t.Fatalf("stored %d articles (%d distinct), want %d", n, len(got), len(want))
	}
	for u, title := range want {
		if a, ok := got[mustKey(t, u)]; !ok || a.Title != title {
			t.Fatalf("%s: stored %+v, want title %q", u, a.Title, title)
		}
	}
}

func mustKey(t *testing.T, u string) string {
	t.Helper()
	k, err := urlnorm.Key(u)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// peakRSS runs the child to completion and returns its output and peak
// resident memory.
func peakRSS(t *testing.T, c *exec.Cmd) (string, int64, time.Duration) {
	t.Helper()
	var out strings.Builder
	c.Stdout, c.Stderr = &out, &out
	start := time.Now()
	c.Run()
	took := time.Since(start)
	ru, ok := c.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		t.Skip("no rusage on this platform")
	}
	return out.String(), ru.Maxrss * 1024, took // Linux reports KiB
}

// TestHostileInputsBoundedMemory serves a 1 GiB gzip bomb and a
// billion-laughs feed: marsad refuses both within seconds, with bounded
// memory (the child's peak RSS is measured and logged).
func TestHostileInputsBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping in -short mode")
	}
	t.Parallel()
	bomb := gzipZeros(t, 1<<30)
	laughs := billionLaughs()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/bomb.html":
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(bomb)
		case "/laughs.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write([]byte(laughs))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	t.Logf("gzip bomb: %d bytes on the wire, 1 GiB inflated", len(bomb))

	out, rss, took := peakRSS(t, child(t, "extract --json --allow-private "+srv.URL+"/bomb.html"))
	t.Logf("gzip bomb: %v, peak RSS %.1f MiB: %s", took.Round(time.Millisecond), float64(rss)/(1<<20), strings.TrimSpace(out))
	if !strings.Contains(out, `"error"`) || took > 10*time.Second || rss > 256<<20 {
		t.Errorf("gzip bomb: took %v, peak RSS %d MiB, output %s", took, rss>>20, out)
	}

	dir := t.TempDir()
	srcs := filepath.Join(dir, "sources.json")
	os.WriteFile(srcs, []byte(`[{"id": "lol", "name": "lol", "feed": "`+srv.URL+`/laughs.xml"}]`), 0o644)
	out, rss, took = peakRSS(t, child(t, "crawl --once --json --allow-private --sources "+srcs+" --db "+filepath.Join(dir, "m.db")))
	t.Logf("billion laughs: %v, peak RSS %.1f MiB: %s", took.Round(time.Millisecond), float64(rss)/(1<<20), strings.TrimSpace(out))
	if took > 10*time.Second || rss > 256<<20 || strings.Contains(out, "lollollol") {
		t.Errorf("billion laughs: took %v, peak RSS %d MiB, output %s", took, rss>>20, out)
	}
}

var (
	bombOnce sync.Once
	bombData []byte
)

// gzipZeros compresses n zero bytes (about 1 MiB per GiB).
func gzipZeros(t *testing.T, n int64) []byte {
	bombOnce.Do(func() {
		var b strings.Builder
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		io.CopyN(zw, zeroReader{}, n)
		zw.Close()
		bombData = []byte(b.String())
	})
	return bombData
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func billionLaughs() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">`)
	prev := "lol"
	for i := 1; i <= 9; i++ {
		name := fmt.Sprintf("lol%d", i)
		b.WriteString(`<!ENTITY ` + name + ` "` + strings.Repeat("&"+prev+";", 10) + `">`)
		prev = name
	}
	b.WriteString(`]><rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><link>http://x.example/a</link></item></channel></rss>`)
	return b.String()
}
