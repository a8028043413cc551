package search

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/news"
)

func day(s string) time.Time {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestParseQuery(t *testing.T) {
	t.Parallel()
	w := func(s string) []Item { return []Item{{Text: s}} }
	cases := []struct {
		in   string
		want Query
	}{
		{"", Query{}},
		{"   ", Query{}},
		{"خادم الحرمين", Query{Must: [][]Item{w("خادم"), w("الحرمين")}}},
		{"  خادم \t الحرمين\n", Query{Must: [][]Item{w("خادم"), w("الحرمين")}}},
		{`"خادم الحرمين" الملك`, Query{Must: [][]Item{{{Text: "خادم الحرمين", Phrase: true}}, w("الملك")}}},
		{`«خادم الحرمين»`, Query{Must: [][]Item{{{Text: "خادم الحرمين", Phrase: true}}}}},
		{`“ولي العهد”`, Query{Must: [][]Item{{{Text: "ولي العهد", Phrase: true}}}}},
		{`النفط OR الغاز أسعار`, Query{Must: [][]Item{{{Text: "النفط"}, {Text: "الغاز"}}, w("أسعار")}}},
		{`النفط OR الغاز OR "الطاقة الشمسية"`, Query{Must: [][]Item{{{Text: "النفط"}, {Text: "الغاز"}, {Text: "الطاقة الشمسية", Phrase: true}}}}},
		{`النفط or الغاز`, Query{Must: [][]Item{w("النفط"), w("or"), w("الغاز")}}},
		{`الهلال -النصر -"كأس العالم"`, Query{Must: [][]Item{w("الهلال")}, Not: []Item{{Text: "النصر"}, {Text: "كأس العالم", Phrase: true}}}},
		{`الهلال -title:النصر`, Query{Must: [][]Item{w("الهلال")}, Not: []Item{{Text: "النصر", Title: true}}}},
		{`title:النفط title:"أسعار النفط"`, Query{Must: [][]Item{{{Text: "النفط", Title: true}}, {{Text: "أسعار النفط", Title: true, Phrase: true}}}}},
		{`TITLE:النفط`, Query{Must: [][]Item{{{Text: "النفط", Title: true}}}}},
		{`النفط source:sabq source:was`, Query{Must: [][]Item{w("النفط")}, Sources: []string{"sabq", "was"}}},
		{`النفط from:2015-08-01 to:2015-08-03`, Query{Must: [][]Item{w("النفط")}, From: day("2015-08-01"), To: day("2015-08-04")}},
		{`النفط to:2015-08-01 from:2015-08-01`, Query{Must: [][]Item{w("النفط")}, From: day("2015-08-01"), To: day("2015-08-02")}},
		// Not operators: words that merely hold a colon or a dash.
		{`https://sabq.org/x 10:30 co-op`, Query{Must: [][]Item{w("https://sabq.org/x"), w("10:30"), w("co-op")}}},
		{`author:فلان`, Query{Must: [][]Item{w("author:فلان")}}},
		{`- الهلال ""`, Query{Must: [][]Item{w("الهلال")}}},
		{`title:النفط OR الغاز`, Query{Must: [][]Item{{{Text: "النفط", Title: true}, {Text: "الغاز"}}}}},
	}
	for _, c := range cases {
		got, err := ParseQuery(c.in)
		if err != nil {
			t.Errorf("ParseQuery(%q): %v", c.in, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParseQuery(%q)\n got %+v\nwant %+v", c.in, got, c.want)
		}
		// String renders a query that parses back to the same.
		again, err := ParseQuery(got.String())
		if err != nil || !reflect.DeepEqual(again, got) {
			t.Errorf("ParseQuery(%q).String() = %q parses to %+v, %v", c.in, got.String(), again, err)
		}
	}
}

func TestParseQueryErrors(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, mentions string }{
		{`"خادم الحرمين`, "unterminated"},
		{`«خادم الحرمين"`, "unterminated"},
		{`OR النفط`, "OR must stand between"},
		{`النفط OR`, "OR must stand between"},
		{`النفط OR OR الغاز`, "OR must stand between"},
		{`النفط OR -الغاز`, "OR must stand between"},
		{`source:sabq OR النفط`, "OR must stand between"},
		{`-النفط`, "exclusions"},
		{`-النفط -"الغاز"`, "exclusions"},
		{`source:`, "source ID"},
		{`النفط title:`, "title: needs"},
		{`from:2015-13-01`, "YYYY-MM-DD"},
		{`from:yesterday`, "YYYY-MM-DD"},
		{`to:2015-8-1`, "YYYY-MM-DD"},
		{`النفط from:2015-08-05 to:2015-08-01`, "after"},
		{`النفط -source:sabq`, "cannot be excluded"},
		{strings.Repeat("كلمة ", 40), "at most 32"},
		{strings.Repeat("ك", 600), "under 1000"},
		{"\xff\xfe", "UTF-8"},
	}
	for _, c := range cases {
		_, err := ParseQuery(c.in)
		var qe *QueryError
		if !errors.As(err, &qe) || !errors.Is(err, news.ErrInvalid) {
			t.Errorf("ParseQuery(%.40q) = %v, want a QueryError wrapping news.ErrInvalid", c.in, err)
			continue
		}
		if !strings.Contains(err.Error(), c.mentions) || qe.Arabic == "" {
			t.Errorf("ParseQuery(%.40q): message %q (Arabic %q) should mention %q", c.in, err, qe.Arabic, c.mentions)
		}
	}
}

// FuzzParseQuery: any input parses or fails with a helpful QueryError, never
// panics, and a parsed query renders to a string that parses back equal.
//
//	go test -run '^$' -fuzz FuzzParseQuery -fuzztime 10m -parallel 1 ./internal/search/
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{`خادم الحرمين`, `"ولي العهد" OR «الملك» -النصر`, `title:"أسعار النفط" source:sabq from:2015-08-01 to:2015-08-03`,
		`a OR b OR c`, `-x`, `"`, `«`, `source:`, `title:`, `from:2015-02-30`, `x -title:"y z"`, "\x00", `"a"OR"b"`, `-"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuery(s)
		if err != nil {
			var qe *QueryError
			if !errors.As(err, &qe) || !errors.Is(err, news.ErrInvalid) || qe.Msg == "" || qe.Arabic == "" {
				t.Fatalf("ParseQuery(%q): error %v is not a helpful QueryError", s, err)
			}
			return
		}
		for _, g := range q.Must {
			for _, it := range g {
				if it.Text == "" {
					t.Fatalf("ParseQuery(%q): empty item in %+v", s, q)
				}
			}
		}
		again, err := ParseQuery(q.String())
		if err != nil {
			t.Fatalf("ParseQuery(%q).String() = %q: %v", s, q.String(), err)
		}
		if !reflect.DeepEqual(again, q) {
			t.Fatalf("ParseQuery(%q) = %+v; String %q parses to %+v", s, q, q.String(), again)
		}
	})
}
