package promtext

import "testing"

func TestValue(t *testing.T) {
	t.Parallel()
	body := "# HELP marsad_stories_ready x\n# TYPE marsad_stories_ready gauge\nmarsad_stories_ready 1\nmarsad_search_index_articles 310300\nmarsad_search_index_articles_x 2\n"
	for _, c := range []struct {
		name string
		want float64
		ok   bool
	}{
		{"marsad_stories_ready", 1, true},
		{"marsad_search_index_articles", 310300, true},
		{"marsad_search_index", 0, false},
		{"marsad_articles", 0, false},
	} {
		if v, ok := Value(body, c.name); v != c.want || ok != c.ok {
			t.Errorf("%s: %v %v, want %v %v", c.name, v, ok, c.want, c.ok)
		}
	}
}
