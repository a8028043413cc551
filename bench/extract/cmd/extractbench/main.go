// Command extractbench scores marsad and its peers on the ScrapingHub
// article-extraction benchmark in one run: it writes, per extractor, the
// prediction file textf1.py reads, prints precision/recall/F1 (Go port of
// textf1.py) and the time per page, measured in interleaved rounds so
// every extractor sees the same machine load.
//
//	go run ./extract/cmd/extractbench -data ../../shared/data -out /tmp/preds -rounds 5
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/marsad/marsad/bench/extract"
	"github.com/marsad/marsad/internal/textf1"
)

func main() {
	data := flag.String("data", "../../shared/data", "shared data directory")
	out := flag.String("out", "", "directory for <extractor>.json predictions and truth.json (optional)")
	rounds := flag.Int("rounds", 3, "timing rounds over all pages (interleaved across extractors)")
	flag.Parse()
	if err := run(*data, *out, *rounds); err != nil {
		fmt.Fprintln(os.Stderr, "extractbench:", err)
		os.Exit(1)
	}
}

type pred struct {
	Text string `json:"text"`
}

func run(data, out string, rounds int) error {
	pages, err := extract.LoadScrapinghub(filepath.Join(data, "extraction", "scrapinghub"))
	if err != nil {
		return err
	}
	exs := extract.Extractors()
	truth := map[string]string{}
	for _, p := range pages {
		truth[p.Key] = p.Text
	}
	// Quality: one pass each.
	preds := make([]map[string]string, len(exs))
	for i, ex := range exs {
		preds[i] = map[string]string{}
		for _, p := range pages {
			txt, _ := ex.Text(p.Body, p.URL)
			preds[i][p.Key] = txt
		}
	}
	// Speed: rounds × (each extractor over all pages), interleaved.
	elapsed := make([]time.Duration, len(exs))
	for r := 0; r < rounds; r++ {
		for i, ex := range exs {
			start := time.Now()
			for _, p := range pages {
				ex.Text(p.Body, p.URL) //nolint:errcheck // timing only
			}
			elapsed[i] += time.Since(start)
		}
	}
	perPage := func(i int) float64 {
		return float64(elapsed[i].Microseconds()) / 1000 / float64(rounds*len(pages))
	}
	fmt.Printf("ScrapingHub: %d pages, %d timing rounds\n\n", len(pages), rounds)
	fmt.Printf("| extractor | precision | recall | F1 | ms/page | marsad speed-up |\n|---|---|---|---|---|---|\n")
	for i, ex := range exs {
		sc, _ := textf1.Evaluate(truth, preds[i])
		fmt.Printf("| %s | %.3f | %.3f | %.3f | %.2f | %.1f× |\n", ex.Name, sc.Precision, sc.Recall, sc.F1, perPage(i), perPage(i)/perPage(0))
	}
	if err := newsweb(filepath.Join(data, "newsweb-dev"), exs); err != nil {
		return err
	}
	if out == "" {
		return nil
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	write := func(name string, m map[string]string) error {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		obj := make(map[string]pred, len(m))
		for _, k := range keys {
			obj[k] = pred{m[k]}
		}
		b, err := json.Marshal(obj)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(out, name), b, 0o644)
	}
	if err := write("truth.json", truth); err != nil {
		return err
	}
	for i, ex := range exs {
		if err := write(ex.Name+".json", preds[i]); err != nil {
			return err
		}
	}
	fmt.Printf("\npredictions in %s; check with: python3 ../../shared/tools/eval/textf1.py %s/truth.json %s/<extractor>.json\n", out, out, out)
	return nil
}

// newsweb scores every extractor on newsweb-dev (Arabic, 14 sites) and
// counts boilerplate phrases that leaked into bodies.
func newsweb(dir string, exs []extract.Extractor) error {
	pages, err := extract.LoadNewsweb(dir)
	if err != nil {
		return err
	}
	truth := map[string]string{}
	for _, p := range pages {
		truth[p.Key] = p.Text
	}
	fmt.Printf("\nnewsweb-dev: %d pages\n\n| extractor | precision | recall | F1 | pages with boilerplate |\n|---|---|---|---|---|\n", len(pages))
	for _, ex := range exs {
		pred := map[string]string{}
		leaky := 0
		for _, p := range pages {
			txt, _ := ex.Text(p.Body, p.URL)
			pred[p.Key] = txt
			for _, l := range extract.BoilerplateLabels {
				if strings.Contains(txt, l) {
					leaky++
					break
				}
			}
		}
		sc, _ := textf1.Evaluate(truth, pred)
		fmt.Printf("| %s | %.3f | %.3f | %.3f | %d |\n", ex.Name, sc.Precision, sc.Recall, sc.F1, leaky)
	}
	return nil
}
