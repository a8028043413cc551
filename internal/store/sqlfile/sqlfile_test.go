package sqlfile

import (
	"testing"
	"testing/fstest"
)

func TestLoad(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"a.sql": {Data: []byte("-- leading comment\n-- name: One\nSELECT 1;\n\n-- name: Two\n-- doc line\nSELECT\n  2;\n")},
		"b.sql": {Data: []byte("-- name: Three\nSELECT 3\n")},
	}
	q, err := Load(fsys, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"One": "SELECT 1;", "Two": "SELECT\n  2;", "Three": "SELECT 3"}
	for k, v := range want {
		if q[k] != v {
			t.Errorf("%s = %q, want %q", k, q[k], v)
		}
	}
	if len(q) != len(want) {
		t.Errorf("got %d queries, want %d", len(q), len(want))
	}
}

func TestLoadDuplicate(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{"a.sql": {Data: []byte("-- name: X\nSELECT 1\n-- name: X\nSELECT 2\n")}}
	if _, err := Load(fsys, "*.sql"); err == nil {
		t.Fatal("want error for duplicate name")
	}
}

func TestArticleColumnsExpand(t *testing.T) {
	t.Parallel()
	q := Queries{
		"ArticleColumns": "id, title,\n  body, html, lang",
		"One":            "SELECT {{cols}} FROM a",
		"Two":            "SELECT {{acols}} FROM articles a WHERE {{filters}}",
		"Three":          "SELECT {{bodycols}} FROM a",
	}
	vars, err := q.ArticleColumns()
	if err != nil {
		t.Fatal(err)
	}
	q.Expand(vars)
	want := map[string]string{
		"One":   "SELECT id, title, body, html, lang FROM a",
		"Two":   "SELECT a.id, a.title, a.body, a.html, a.lang FROM articles a WHERE {{filters}}",
		"Three": "SELECT id, title, body, '' AS html, lang FROM a",
	}
	for k, v := range want {
		if q[k] != v {
			t.Errorf("%s = %q, want %q", k, q[k], v)
		}
	}
	if _, err := (Queries{"ArticleColumns": "id, title, body"}).ArticleColumns(); err == nil {
		t.Error("a column list without html: no error")
	}
}
