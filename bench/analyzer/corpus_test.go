// Package analyzer compares marsad's Arabic analyzer with Bleve's "ar"
// analyzer (and the Snowball Arabic stemmer) on SaudiNewsNet: speed in the
// same run, and what the stemmers do to names.
package analyzer

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"os"
	"sync"
	"testing"

	"github.com/marsad/marsad/internal/shareddata"
)

var corpus struct {
	once  sync.Once
	texts []string
	err   error
}

// corpusTexts returns SaudiNewsNet's titles and texts (read once per
// process); the test or benchmark is skipped when the data is absent.
func corpusTexts(tb testing.TB) []string {
	tb.Helper()
	path := shareddata.Path(tb, "saudinewsnet", "articles.jsonl.gz")
	corpus.once.Do(func() {
		f, err := os.Open(path)
		if err != nil {
			corpus.err = err
			return
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			corpus.err = err
			return
		}
		sc := bufio.NewScanner(zr)
		sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
		for sc.Scan() {
			var a struct{ Title, Text string }
			if corpus.err = json.Unmarshal(sc.Bytes(), &a); corpus.err != nil {
				return
			}
			corpus.texts = append(corpus.texts, a.Title, a.Text)
		}
		corpus.err = sc.Err()
	})
	if corpus.err != nil {
		tb.Fatal(corpus.err)
	}
	return corpus.texts
}
