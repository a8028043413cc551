// Command abserve compares two marsad binaries' search latency through
// HTTP in one run, request by request. On a shared, noisy machine two
// benchmark runs made minutes apart differ by more than most changes do
// (docs/benchmarks.md, "Paired in-process A/B"); here both binaries serve
// copies of one database at once, and every query goes to one and then
// the other, in alternating order, so drift and noise hit both alike.
//
//	go run ./cmd/abserve -a /tmp/old/marsad -b /tmp/new/marsad -db search-310k.db
//
// It prints, per query class, each side's p50 and mean and their ratio
// (b ÷ a), and how often b was the faster of a pair.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/marsad/marsad/bench/internal/promtext"
)

// settle is the wait after both sides are ready.
const settle = 20 * time.Second

// classes are the search benchmark's queries (bench/search).
var classes = []struct {
	name    string
	queries []string
}{
	{"one word", []string{"الهلال", "النفط", "داعش", "الأمطار", "المرور", "الحوثيين", "التعليم", "السياحة", "الصحة", "إيران"}},
	{"two words", []string{"خادم الحرمين", "ولي العهد", "أسعار النفط", "وزارة الصحة", "سوق الأسهم", "الدفاع المدني", "كأس العالم", "الأمم المتحدة", "مجلس الشورى", "المسجد الأقصى"}},
	{"three words", []string{"أمير منطقة الرياض", "وزير الخارجية الإيراني", "هيئة الأمر بالمعروف", "جامعة الملك سعود", "الرئيس الروسي بوتين", "مستشفى الملك فهد", "أسعار النفط العالمية", "قوات التحالف العربي", "الدوري السعودي للمحترفين", "خادم الحرمين الشريفين"}},
	{"phrase", []string{`"خادم الحرمين الشريفين"`, `"ولي العهد"`, `"أسعار النفط"`, `"وزارة الصحة"`, `"الدفاع المدني"`, `"الأمم المتحدة"`, `"كأس العالم"`, `"مجلس الشورى"`, `"سوق الأسهم"`, `"المسجد الأقصى"`}},
}

func main() {
	a := flag.String("a", "", "the baseline marsad binary")
	b := flag.String("b", "", "the marsad binary compared with it")
	db := flag.String("db", "", "a marsad database (each binary serves its own copy)")
	rounds := flag.Int("n", 100, "rounds: every query of every class once per side per round")
	work := flag.String("work", filepath.Join(os.TempDir(), "abserve"), "where the copies go")
	flag.Parse()
	if *a == "" || *b == "" || *db == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*a, *b, *db, *work, *rounds); err != nil {
		fmt.Fprintln(os.Stderr, "abserve:", err)
		os.Exit(1)
	}
}

func run(binA, binB, db, work string, rounds int) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	// Only the main file is copied: a database in use could have pages
	// in its write-ahead log still.
	if fi, err := os.Stat(db + "-wal"); err == nil && fi.Size() > 0 {
		return fmt.Errorf("%s has a write-ahead log: close what uses it first", db)
	}
	var bases, logs [2]string
	for i, bin := range []string{binA, binB} {
		copyDB := filepath.Join(work, fmt.Sprintf("side%d.db", i))
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(copyDB + suffix)
		}
		if err := copyFile(db, copyDB); err != nil {
			return err
		}
		addr := fmt.Sprintf("127.0.0.1:%d", 18951+i)
		// No rate limit: the client is one address asking fast.
		cmd := exec.CommandContext(ctx, bin, "serve", "--no-crawl", "--api-rate", "0", "--db", copyDB, "--addr", addr)
		logs[i] = filepath.Join(work, fmt.Sprintf("side%d.log", i))
		logf, err := os.Create(logs[i])
		if err != nil {
			return err
		}
		defer logf.Close()
		cmd.Stdout, cmd.Stderr = logf, logf
		if err := cmd.Start(); err != nil {
			return fmt.Errorf("start %s: %w", bin, err)
		}
		defer func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }()
		bases[i] = "http://" + addr
	}
	for i, base := range bases {
		if err := waitReady(base, logs[i], 30*time.Minute); err != nil {
			return fmt.Errorf("side %c: %w", 'a'+i, err)
		}
	}
	// After the build serve restores its GC target and returns memory to
	// the OS; let that pass.
	time.Sleep(settle)
	client := &http.Client{Timeout: 30 * time.Second}
	get := func(base, q string) (time.Duration, error) {
		start := time.Now()
		res, err := client.Get(base + "/api/v1/search?limit=10&q=" + url.QueryEscape(q))
		if err != nil {
			return 0, err
		}
		_, err = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if err == nil && res.StatusCode != http.StatusOK {
			err = fmt.Errorf("%q: status %d", q, res.StatusCode)
		}
		return time.Since(start), err
	}
	// Warm both: each query once per side.
	for _, c := range classes {
		for _, q := range c.queries {
			for _, base := range bases {
				if _, err := get(base, q); err != nil {
					return err
				}
			}
		}
	}
	fmt.Printf("a: %s\nb: %s\n%d rounds of every query, each side in turn (order alternating)\n\n", binA, binB, rounds)
	fmt.Println("| class | a p50 ms | b p50 ms | b ÷ a p50 | a mean ms | b mean ms | b ÷ a mean | b faster |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	// Rounds go through every class, so what changes over the run (other
	// jobs, the servers' own background work) falls on every class alike.
	lat := make([][2][]time.Duration, len(classes))
	for r := range rounds {
		for ci, c := range classes {
			for qi, q := range c.queries {
				first := (r + qi) % 2
				for k := range 2 {
					side := (first + k) % 2
					d, err := get(bases[side], q)
					if err != nil {
						return err
					}
					lat[ci][side] = append(lat[ci][side], d)
				}
			}
		}
	}
	for ci, c := range classes {
		s := summarize(lat[ci][0], lat[ci][1])
		fmt.Printf("| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.0f%% |\n", c.name,
			ms(s.p50[0]), ms(s.p50[1]), s.ratioP50, ms(s.mean[0]), ms(s.mean[1]), s.ratioMean, 100*s.bFaster)
	}
	return nil
}

// summary compares two paired latency samples (a[i] and b[i] are one
// query, one right after the other).
type summary struct {
	p50, mean           [2]time.Duration
	ratioP50, ratioMean float64
	// bFaster is the share of pairs where b took less time than a.
	bFaster float64
}

func summarize(a, b []time.Duration) summary {
	var s summary
	n := min(len(a), len(b))
	if n == 0 {
		return s
	}
	wins := 0
	for i := range n {
		if b[i] < a[i] {
			wins++
		}
	}
	s.bFaster = float64(wins) / float64(n)
	for side, l := range [2][]time.Duration{a[:n], b[:n]} {
		var sum time.Duration
		for _, d := range l {
			sum += d
		}
		s.mean[side] = sum / time.Duration(n)
		sorted := slices.Clone(l)
		slices.Sort(sorted)
		s.p50[side] = sorted[n/2]
	}
	s.ratioP50 = float64(s.p50[1]) / float64(s.p50[0])
	s.ratioMean = float64(s.mean[1]) / float64(s.mean[0])
	return s
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// waitReady waits until serve has built its search index (its gauge in
// /metrics turns positive) and loaded its stories' state (its log, logf,
// says so; older binaries have no gauge for it): both run in the
// background at start, and the stories' load takes minutes of CPU at
// 310k articles, which would compete with the searches measured.
func waitReady(base, logf string, limit time.Duration) error {
	end := time.Now().Add(limit)
	indexed := false
	for time.Now().Before(end) {
		time.Sleep(2 * time.Second)
		if !indexed {
			body, err := promtext.Get(base)
			if err != nil {
				continue
			}
			n, _ := promtext.Value(body, "marsad_search_index_articles")
			indexed = n > 0
		}
		if log, err := os.ReadFile(logf); indexed && err == nil && strings.Contains(string(log), "stories loaded") {
			return nil
		}
	}
	return errors.New("the search index and the stories were not ready in time")
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
