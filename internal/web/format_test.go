package web

import (
	"slices"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/store"
)

func TestArabicIndic(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                    "",
		"بلا أرقام":           "بلا أرقام",
		"5 أغسطس 2015، 10:04": "٥ أغسطس ٢٠١٥، ١٠:٠٤",
		"0123456789":          "٠١٢٣٤٥٦٧٨٩",
		"٣ already":           "٣ already",
	} {
		if got := arabicIndic(in); got != want {
			t.Errorf("arabicIndic(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPlural(t *testing.T) {
	t.Parallel()
	forms := []string{"مقال واحد", "مقالان", "مقالات", "مقالاً", "مقال"}
	for n, want := range map[int]string{
		0: "0 مقال", 1: "مقال واحد", 2: "مقالان", 3: "3 مقالات", 10: "10 مقالات", 11: "11 مقالاً",
		99: "99 مقالاً", 100: "100 مقال", 102: "102 مقال", 103: "103 مقالات", 1011: "1011 مقالاً",
	} {
		if got := plural(n, forms[0], forms[1], forms[2], forms[3], forms[4]); got != want {
			t.Errorf("plural(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestFormatDates(t *testing.T) {
	t.Parallel()
	riyadh := time.FixedZone("AST", 3*3600)
	s := &Server{tz: riyadh}
	at := time.Date(2015, 8, 5, 7, 4, 0, 0, time.UTC)
	if got, want := s.formatDate(at), "5 أغسطس 2015، 10:04"; got != want {
		t.Errorf("formatDate = %q, want %q", got, want)
	}
	if got, want := formatDay(time.Date(2015, 12, 31, 0, 0, 0, 0, time.UTC)), "31 ديسمبر 2015"; got != want {
		t.Errorf("formatDay = %q, want %q", got, want)
	}
	if got := formatISODay("2015-08-05"); got != "5 أغسطس 2015" {
		t.Errorf("formatISODay = %q", got)
	}
	if got := formatISODay("soon"); got != "soon" {
		t.Errorf("formatISODay(soon) = %q", got)
	}
	if s.formatDate(time.Time{}) != "" || formatDay(time.Time{}) != "" {
		t.Error("zero times should render empty")
	}
}

func TestLatestDays(t *testing.T) {
	t.Parallel()
	days := []store.DayCount{{Day: "2015-01-01", Count: 1}, {Day: "2015-01-02", Count: 2}, {Day: "2015-01-05", Count: 3}, {Day: "2015-02-01", Count: 4}}
	label := func(ds []store.DayCount) (out []string) {
		for _, d := range ds {
			out = append(out, d.Day)
		}
		return out
	}
	for _, tt := range []struct {
		chosen string
		n      int
		want   []string
	}{
		{"", 10, []string{"2015-01-01", "2015-01-02", "2015-01-05", "2015-02-01"}},
		{"", 2, []string{"2015-01-05", "2015-02-01"}},
		{"2015-01-01", 2, []string{"2015-01-01", "2015-01-05", "2015-02-01"}},
		{"2015-02-01", 2, []string{"2015-01-05", "2015-02-01"}},
		{"2014-12-31", 1, []string{"2015-02-01"}},
	} {
		if got := label(latestDays(days, tt.chosen, tt.n)); !slices.Equal(got, tt.want) {
			t.Errorf("latestDays(%q, %d) = %q, want %q", tt.chosen, tt.n, got, tt.want)
		}
	}
}
