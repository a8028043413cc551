package ingest_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/ingest"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/store/sqlite"
)

var riyadh = time.FixedZone("AST", 3*3600)

func newPipeline(t *testing.T) (*ingest.Pipeline, store.Store) {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "m.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return ingest.New(s, arabic.New(), nil), s
}

type badLine struct {
	line int
	err  error
}

func TestImportFiles(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"mixed.jsonl", "mixed.jsonl.gz"} {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			p, s := newPipeline(t)
			ctx := context.Background()
			var bad []badLine
			var progress int
			opt := ingest.ImportOptions{
				Location:   riyadh,
				BatchSize:  2,
				OnBadLine:  func(_ string, line int, err error) { bad = append(bad, badLine{line, err}) },
				OnProgress: func(ingest.Progress) { progress++ },
			}
			res, err := p.ImportFiles(ctx, []string{filepath.Join("testdata", file)}, opt)
			if err != nil {
				t.Fatal(err)
			}
			// Lines 1, 3, 8, 9 are good (9 repeats 1); 2, 5, 6, 7 are bad; 4 is blank.
			if res.Articles != 4 || res.Bad != 4 || res.New != 3 || res.Unchanged != 1 {
				t.Errorf("result = %+v, want 4 articles, 4 bad, 3 new, 1 unchanged", res)
			}
			var lines []int
			for _, b := range bad {
				lines = append(lines, b.line)
				if !errors.Is(b.err, news.ErrInvalid) {
					t.Errorf("line %d: error %v does not wrap ErrInvalid", b.line, b.err)
				}
			}
			if want := []int{2, 5, 6, 7}; !equalInts(lines, want) {
				t.Errorf("bad lines = %v, want %v", lines, want)
			}
			if progress == 0 {
				t.Error("no progress reported")
			}
			n, err := s.CountArticles(ctx, store.ArticleFilter{})
			if err != nil || n != 3 {
				t.Fatalf("stored %d articles (%v), want 3", n, err)
			}
			a, err := s.ArticleByURL(ctx, "http://www.spa.gov.sa/1")
			if err != nil {
				t.Fatal(err)
			}
			if want := time.Date(2015, 7, 20, 23, 16, 13, 0, time.UTC); !a.Published.Equal(want) {
				t.Errorf("published = %v, want %v (zone-less time read in +03:00)", a.Published, want)
			}
			noSource, err := s.ArticleByURL(ctx, "http://alweeam.com.sa/6/")
			if err != nil {
				t.Fatal(err)
			}
			if noSource.SourceID != "alweeam.com.sa" {
				t.Errorf("missing source derived as %q, want host", noSource.SourceID)
			}
			// Importing again adds nothing.
			res2, err := p.ImportFiles(ctx, []string{filepath.Join("testdata", file)}, opt)
			if err != nil {
				t.Fatal(err)
			}
			if res2.New != 0 || res2.Updated != 0 {
				t.Errorf("second import = %+v, want nothing new or updated", res2)
			}
			if n, _ := s.CountArticles(ctx, store.ArticleFilter{}); n != 3 {
				t.Errorf("after second import: %d articles, want 3", n)
			}
			page, err := s.Search(ctx, store.SearchQuery{All: arabic.New().Terms(nil, "خادم الحرمين")})
			if err != nil || page.Total != 1 {
				t.Errorf("search after import: total %d, err %v", page.Total, err)
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestImportMissingFinalNewline(t *testing.T) {
	t.Parallel()
	p, _ := newPipeline(t)
	res, err := p.ImportFiles(context.Background(), []string{"testdata/no-final-newline.jsonl"}, ingest.ImportOptions{})
	if err != nil || res.New != 1 {
		t.Errorf("res=%+v err=%v, want 1 new", res, err)
	}
}

func TestImportMissingFile(t *testing.T) {
	t.Parallel()
	p, _ := newPipeline(t)
	_, err := p.ImportFiles(context.Background(), []string{"testdata/absent.jsonl"}, ingest.ImportOptions{})
	if err == nil || !strings.Contains(err.Error(), "absent.jsonl") {
		t.Errorf("err = %v, want one naming the file", err)
	}
}

func TestReadLinesTooLong(t *testing.T) {
	t.Parallel()
	long := `{"url":"http://e.com/1","source":"e","title":"` + strings.Repeat("ا", ingest.MaxLineBytes) + `","text":"x"}`
	in := long + "\n" + `{"url":"http://e.com/2","source":"e","title":"ok","text":"x"}` + "\n"
	var items []ingest.Item
	err := ingest.ReadLines(context.Background(), strings.NewReader(in), time.UTC, func(it ingest.Item) error {
		items = append(items, it)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 || !errors.Is(items[0].Err, ingest.ErrLineTooLong) || items[1].Err != nil || items[1].Line != 2 {
		t.Fatalf("items = %+v", items)
	}
}

func TestParseLineCleansText(t *testing.T) {
	t.Parallel()
	a, err := ingest.ParseLine([]byte(`{"url":" http://e.com/x ","source":"e","title":"a\u0000b","text":"\u0000نص"}`), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if a.URL != "http://e.com/x" || a.Title != "ab" || a.Text != "نص" {
		t.Errorf("got %+v", a)
	}
	// Scraped titles and authors often arrive HTML-escaped (SaudiNewsNet).
	a, err = ingest.ParseLine([]byte(`{"url":"http://e.com/y","title":"يكشف قصة &quot;ابن مساعد&quot; &#8220;الخاتم&#8221; AT&T","author":"&nbsp;الرياض &ndash; واس","text":"نص &amp; نص"}`), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "يكشف قصة \"ابن مساعد\" “الخاتم” AT&T" || a.Author != "الرياض – واس" || a.Text != "نص &amp; نص" {
		t.Errorf("entities: title %q author %q text %q", a.Title, a.Author, a.Text)
	}
}

func TestParseLineSanitizesHTML(t *testing.T) {
	t.Parallel()
	a, err := ingest.ParseLine([]byte(`{"url":"http://e.com/a/x","title":"t","text":"x","html":"<p onclick=\"x()\">نص<script>alert(1)</script><img src=\"i.jpg\"></p>"}`), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if want := `<p>نص<img src="http://e.com/a/i.jpg"></p>`; a.HTML != want {
		t.Errorf("HTML = %q, want %q", a.HTML, want)
	}
}

func TestExportRoundTrip(t *testing.T) {
	t.Parallel()
	p, s := newPipeline(t)
	ctx := context.Background()
	if _, err := p.ImportFiles(ctx, []string{"testdata/mixed.jsonl"}, ingest.ImportOptions{Location: riyadh}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	n, err := ingest.Export(ctx, s, &buf)
	if err != nil || n != 3 {
		t.Fatalf("Export = %d, %v", n, err)
	}
	p2, s2 := newPipeline(t)
	res, err := p2.ImportFiles(ctx, []string{writeTemp(t, buf.Bytes())}, ingest.ImportOptions{})
	if err != nil || res.New != 3 || res.Bad != 0 {
		t.Fatalf("re-import = %+v, %v", res, err)
	}
	a, _ := s.ArticleByURL(ctx, "http://www.spa.gov.sa/1")
	b, _ := s2.ArticleByURL(ctx, "http://www.spa.gov.sa/1")
	if a.Title != b.Title || a.Text != b.Text || !a.Published.Equal(b.Published) || a.Author != b.Author {
		t.Errorf("round trip changed the article:\n%+v\n%+v", a, b)
	}
}

func writeTemp(t *testing.T, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "export.jsonl")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
