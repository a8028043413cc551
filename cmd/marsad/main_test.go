package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marsad/marsad/internal/store/postgres/pgtest"
)

type result struct {
	code           int
	stdout, stderr string
}

func runCLI(t *testing.T, stdin string, getenv map[string]string, args ...string) result {
	t.Helper()
	return runCLIContext(context.Background(), stdin, getenv, args...)
}

func runCLIContext(ctx context.Context, stdin string, getenv map[string]string, args ...string) result {
	var out, errb bytes.Buffer
	code := run(ctx, args, env{
		stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		getenv: func(k string) string { return getenv[k] },
	})
	return result{code, out.String(), errb.String()}
}

const lines = `{"url": "http://www.spa.gov.sa/1", "source": "was", "title": "خادم الحرمين الشريفين يستقبل", "published": "2015-07-21 02:16:13", "text": "استقبل خادم الحرمين الشريفين الملك سلمان."}
not json
{"url": "http://sabq.org/2", "source": "sabq", "title": "أمطار", "text": "أمطار في الأيام المقبلة."}
`

func TestImportSearchExport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "m.db")
	in := filepath.Join(dir, "in.jsonl")
	if err := os.WriteFile(in, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"MARSAD_DB": db}

	r := runCLI(t, "", env, "import", in)
	if r.code != 0 || !strings.Contains(r.stdout, "2 new") || !strings.Contains(r.stderr, "in.jsonl:2: skipped") {
		t.Fatalf("import: %+v", r)
	}
	r = runCLI(t, lines, env, "import", "--json", "-")
	var sum map[string]any
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &sum) != nil || sum["new"] != 0.0 || sum["unchanged"] != 2.0 || sum["bad_lines"] != 1.0 {
		t.Fatalf("re-import from stdin: %+v", r)
	}

	r = runCLI(t, "", env, "search", "--json", "خَادِمُ", "الحـرمين")
	var sr struct {
		Results []struct {
			URL, Snippet string
		} `json:"results"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &sr) != nil || len(sr.Results) != 1 || sr.Results[0].URL != "http://www.spa.gov.sa/1" {
		t.Fatalf("search: %+v", r)
	}
	// The query language through the CLI: a phrase, an exclusion (after --), sort by date.
	r = runCLI(t, "", env, "search", "--json", "--sort", "date", "--expand", "--", `"خادم الحرمين"`, "-المقبلة")
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &sr) != nil || len(sr.Results) != 1 || !strings.Contains(r.stdout, `"story_id":`) {
		t.Fatalf("search with the query language: %+v", r)
	}
	r = runCLI(t, "", env, "search", "الأيام المقبلة", "--limit", "3")
	if r.code != 0 || !strings.Contains(r.stdout, "1 results") {
		t.Fatalf("plain search: %+v", r)
	}

	r = runCLI(t, "", env, "export")
	if r.code != 0 || strings.Count(r.stdout, "\n") != 2 || !strings.Contains(r.stdout, `"published":"2015-07-20T23:16:13Z"`) {
		t.Fatalf("export: %+v", r)
	}

	if r = runCLI(t, "", env, "migrate"); r.code != 0 || !strings.Contains(r.stdout, "up to date") {
		t.Fatalf("migrate: %+v", r)
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "m.db")
	env := map[string]string{"MARSAD_DB": db}
	tests := []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "commands:"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"search"}, 2, "usage: marsad search"},
		{[]string{"import"}, 2, "usage: marsad import"},
		{[]string{"search", "--limit", "x", "q"}, 2, "not a number"},
		{[]string{"import", "/nonexistent/file.jsonl"}, 1, "no such file"},
		{[]string{"search", "!!!"}, 1, "empty query"},
		{[]string{"serve", "--help"}, 0, "MARSAD_ADDR"},
		{[]string{"search", "--help"}, 0, `"exact phrase"`},
		{[]string{"search", "--sort", "new", "q"}, 2, "want relevance or date"},
		{[]string{"search", `"unterminated`}, 1, "unterminated phrase"},
		{[]string{"search", "--", "-word"}, 1, "exclusions (-word) alone"},
	}
	for _, tt := range tests {
		r := runCLI(t, "", env, tt.args...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("marsad %q: code %d stderr %q; want code %d containing %q", tt.args, r.code, r.stderr, tt.code, tt.want)
		}
	}
}

// TestPostgres runs the same CLI flow against PostgreSQL, in a schema of
// its own (pgx passes search_path from the URL to the server).
func TestPostgres(t *testing.T) {
	t.Parallel()
	env := map[string]string{"MARSAD_DB": pgtest.Schema(t)}
	if r := runCLI(t, "", env, "migrate"); r.code != 0 {
		t.Fatalf("migrate: %+v", r)
	}
	if r := runCLI(t, lines, env, "import", "-"); r.code != 0 || !strings.Contains(r.stdout, "2 new") {
		t.Fatalf("import: %+v", r)
	}
	r := runCLI(t, "", env, "search", "--json", "خادم الحرمين")
	if r.code != 0 || !strings.Contains(r.stdout, "http://www.spa.gov.sa/1") {
		t.Fatalf("search: %+v", r)
	}

	// crawl --once runs River on PostgreSQL (riverpgxv5), like the workers.
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/rss":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<rss version="2.0"><channel><title>موقع</title>`+
				`<item><title>أمطار غزيرة على جدة</title><link>%[1]s/a/1</link></item>`+
				`<item><title>الهلال يفوز</title><link>%[1]s/a/2</link></item></channel></rss>`, srv.URL)
		case "/a/1", "/a/2":
			fmt.Fprint(w, `<!DOCTYPE html><html lang="ar"><head><title>خبر</title></head><body><article><h1>خبر</h1>`+
				`<p>هطلت أمطار غزيرة على مدينة جدة اليوم وسط توقعات باستمرارها خلال الأيام المقبلة.</p></article></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	list := filepath.Join(t.TempDir(), "sources.json")
	if err := os.WriteFile(list, []byte(fmt.Sprintf(`[{"id": "site", "feed": %q}]`, srv.URL+"/rss")), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, "", env, "crawl", "--once", "--json", "--allow-private", "--sources", list)
	if r.code != 0 || !strings.Contains(r.stdout, `"articles_new":2`) {
		t.Fatalf("crawl --once on PostgreSQL: %+v", r)
	}
}

func TestAnalyze(t *testing.T) {
	t.Parallel()
	// No database is opened: MARSAD_DB points nowhere usable.
	env := map[string]string{"MARSAD_DB": filepath.Join(t.TempDir(), "missing", "dir", "m.db")}
	r := runCLI(t, "", env, "analyze", "--json", "على", "الرئيس", "بوتين")
	var out struct {
		Tokens []struct {
			Surface, Norm, Term string
			Stop                bool
		} `json:"tokens"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &out) != nil || len(out.Tokens) != 3 {
		t.Fatalf("analyze --json: %+v", r)
	}
	if tk := out.Tokens[0]; tk.Surface != "على" || tk.Norm != "علي" || !tk.Stop || tk.Term != "" {
		t.Errorf("stopword token = %+v", tk)
	}
	if tk := out.Tokens[2]; tk.Surface != "بوتين" || tk.Term != "بوتين" || tk.Stop {
		t.Errorf("name token = %+v", tk)
	}
	for _, key := range []string{`"surface"`, `"norm"`, `"term"`, `"stop"`} {
		if !strings.Contains(r.stdout, key) {
			t.Errorf("JSON lacks %s: %s", key, r.stdout)
		}
	}
	r = runCLI(t, "خَادِمُ الحرمين\n", env, "analyze", "-")
	if r.code != 0 || !strings.Contains(r.stdout, "خَادِمُ") || !strings.Contains(r.stdout, "خادم") || strings.Count(r.stdout, "\n") != 3 {
		t.Errorf("analyze - (plain): %+v", r)
	}
	if r = runCLI(t, "", env, "analyze"); r.code != 2 {
		t.Errorf("analyze without text: %+v", r)
	}
}
