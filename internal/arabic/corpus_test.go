package arabic

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"os"
	"testing"

	"github.com/marsad/marsad/internal/shareddata"
)

// corpusTexts returns the titles and texts of SaudiNewsNet (31,030
// articles), skipping the test when the shared data is absent.
func corpusTexts(tb testing.TB) []string {
	tb.Helper()
	path := shareddata.Path(tb, "saudinewsnet", "articles.jsonl.gz")
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	var out []string
	for sc.Scan() {
		var a struct{ Title, Text string }
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			tb.Fatal(err)
		}
		out = append(out, a.Title, a.Text)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// wordFreq counts the normalised Arabic words of texts, stopwords included.
func wordFreq(a *Analyzer, texts []string) map[string]int {
	f := make(map[string]int, 1<<18)
	var toks []Token
	for _, s := range texts {
		toks = a.Tokens(toks[:0], s)
		for _, t := range toks {
			if t.Kind == Word {
				f[t.Norm]++
			}
		}
	}
	return f
}
