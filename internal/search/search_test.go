package search

import (
	"strings"
	"testing"

	"github.com/marsad/marsad/internal/arabic"
)

func TestSnippet(t *testing.T) {
	t.Parallel()
	s := &Service{analyzer: arabic.New()}
	want := map[string]bool{}
	for _, t := range s.analyzer.Terms(nil, "خادم الحرمين") {
		want[t] = true
	}
	filler := strings.Repeat("كلمة ", 50)
	text := filler + "استقبل خَادِمُ الحَرَمَيْن الشريفين اليوم.\n" + filler
	sn := s.snippet(text, nil, false, want, 12)
	var hits []string
	for _, f := range sn {
		if f.Hit {
			hits = append(hits, f.Text)
		}
	}
	if strings.Join(hits, "|") != "خَادِمُ الحَرَمَيْن" {
		t.Errorf("hits = %q, want the original spelling, adjacent words merged", hits)
	}
	plain := sn.String()
	if !strings.HasPrefix(plain, "… ") || !strings.HasSuffix(plain, " …") {
		t.Errorf("snippet %q should show cuts with ellipses", plain)
	}
	if n := len(strings.Fields(strings.Trim(plain, "… "))); n > 12 {
		t.Errorf("snippet has %d words, want ≤ 12", n)
	}
	if short := s.snippet("خادم الحرمين", nil, false, want, 12).String(); short != "خادم الحرمين" {
		t.Errorf("short text snippet = %q", short)
	}
	// Long texts: the opening is analysed first, the rest only when the
	// opening lacks the query's words.
	long := strings.Repeat("كلمة ", 600)
	for _, c := range []struct{ name, text string }{
		{"match after the opening", long + "استقبل خادم الحرمين الشريفين اليوم. " + long},
		{"match in the opening", "استقبل خادم الحرمين الشريفين اليوم. " + long},
	} {
		sn := s.snippet(c.text, nil, false, want, 12)
		var hits []string
		for _, f := range sn {
			if f.Hit {
				hits = append(hits, f.Text)
			}
		}
		if strings.Join(hits, "|") != "خادم الحرمين" || !strings.HasSuffix(sn.String(), " …") {
			t.Errorf("%s: snippet %q, hits %q", c.name, sn.String(), hits)
		}
	}
	if s.snippet("", nil, false, want, 12) != nil {
		t.Error("empty text should give no snippet")
	}
}
