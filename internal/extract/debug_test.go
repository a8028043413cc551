package extract

import (
	"compress/gzip"
	"io"
	"os"
	"strings"
	"testing"
)

func TestDebugPage(t *testing.T) {
	f := os.Getenv("EXTRACT_DEBUG")
	if f == "" {
		t.Skip()
	}
	fh, _ := os.Open(f)
	var r io.Reader = fh
	if strings.HasSuffix(f, ".gz") {
		r, _ = gzip.NewReader(fh)
	}
	b, _ := io.ReadAll(r)
	e := New(Options{})
	res, err := e.Extract(b, "http://x/", "")
	pg := &page{e: e, res: &Result{}}
	_ = pg
	t.Logf("err=%v text=%q", err, res.Text[:min(len(res.Text), 300)])
}

func TestDebugHeading(t *testing.T) {
	if os.Getenv("EXTRACT_DEBUG") == "" {
		t.Skip()
	}
	t.Logf("%q %v", fold("Você pode gostar..."), relatedHeading(fold("Você pode gostar...")))
}
