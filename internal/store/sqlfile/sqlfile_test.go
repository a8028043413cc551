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
