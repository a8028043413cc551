package ingest_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/marsad/marsad/internal/ingest"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/sanitize"
)

// FuzzParseLine: any line is either rejected with news.ErrInvalid or gives an
// article that is safe to store (valid UTF-8, no NUL, absolute http(s) URL,
// sanitized HTML) and that survives the export line round trip unchanged.
func FuzzParseLine(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.jsonl"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			f.Add(append([]byte(nil), sc.Bytes()...))
		}
	}
	f.Add([]byte(`{"url":"https://e.com/a","title":"<b>x</b>\u0000","html":"<img src=x onerror=alert(1)><a href='javascript:x'>y</a>","published":"2015-07-21T03:00:00.123456789+03:00"}`))
	f.Add([]byte("{\"url\":\" http://E.com \",\"text\":\"\xff\xfe\",\"published\":\"2015-07-21\"}"))
	f.Add([]byte(`{"url":"https://e.com/b","title":"&amp;lt;b&amp;gt; AT&amp;T &quot;x&quot;","author":"&nbsp;&amp;amp;"}`))
	loc := time.FixedZone("AST", 3*3600)
	f.Fuzz(func(t *testing.T, line []byte) {
		a, err := ingest.ParseLine(line, loc)
		if err != nil {
			if !errors.Is(err, news.ErrInvalid) {
				t.Fatalf("ParseLine(%q): error %v is not news.ErrInvalid", line, err)
			}
			return
		}
		for name, s := range map[string]string{"url": a.URL, "source": a.SourceID, "title": a.Title, "author": a.Author, "text": a.Text, "html": a.HTML, "lang": a.Lang} {
			if !utf8.ValidString(s) || strings.Contains(s, "\x00") {
				t.Fatalf("ParseLine(%q): %s %q is not clean UTF-8", line, name, s)
			}
		}
		u, err := url.Parse(a.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
			t.Fatalf("ParseLine(%q): accepted URL %q", line, a.URL)
		}
		if a.SourceID == "" || (a.Title == "" && a.Text == "") {
			t.Fatalf("ParseLine(%q): accepted %+v without source or content", line, a)
		}
		if err := sanitize.CheckSafe(a.HTML); err != nil {
			t.Fatalf("ParseLine(%q): unsafe HTML %q: %v", line, a.HTML, err)
		}
		// marsad export | marsad import must give back the same article.
		out, err := json.Marshal(ingest.LineOf(a))
		if err != nil {
			t.Fatal(err)
		}
		b, err := ingest.ParseLine(out, loc)
		if err != nil {
			t.Fatalf("exported line %s of %q does not import: %v", out, line, err)
		}
		// Export writes whole seconds (RFC 3339), so compare at that precision.
		if !b.Published.Equal(a.Published.Truncate(time.Second)) {
			t.Fatalf("published %v → %v after round trip", a.Published, b.Published)
		}
		a.Published, b.Published = time.Time{}, time.Time{}
		if a != b {
			t.Fatalf("round trip of %q changed the article:\n%+v\n%+v", line, a, b)
		}
	})
}
