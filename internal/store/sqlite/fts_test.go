package sqlite

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestFTSBatchJSON: the hand-written rows decode as encoding/json reads
// them, whatever bytes the terms hold.
func TestFTSBatchJSON(t *testing.T) {
	t.Parallel()
	var b ftsBatch
	b.rows = []ftsRow{
		{id: 1, title: []string{"خادم", "حرمين"}, body: []string{"a\"b", `c\d`, "e\x01f\x1f", "\xffx"}},
		{id: 1 << 40, title: nil, body: []string{"https://x.sa/p?q=1&r=<2>", "مصر"}},
	}
	var got [][3]any
	if err := json.Unmarshal(b.json(), &got); err != nil {
		t.Fatalf("%s: %v", b.json(), err)
	}
	want := [][3]any{
		{float64(1), "خادم حرمين", "a\"b c\\d e\x01f\x1f \uFFFDx"},
		{float64(1 << 40), "", "https://x.sa/p?q=1&r=<2> مصر"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
