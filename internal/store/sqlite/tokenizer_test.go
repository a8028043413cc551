package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/store/sqlite"
)

// TestTokenizersAgree: the search index of databases made before
// 2026-11-27 uses FTS5's unicode61 tokenizer, later ones ascii (0001's
// note). On the analyzer's terms both must make the same tokens at the
// same offsets, or old and new databases would answer a query
// differently.
func TestTokenizersAgree(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "t.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	db := st.DB()
	for _, q := range []string{
		`CREATE VIRTUAL TABLE t_ascii USING fts5 (body, content = '', tokenize = 'ascii')`,
		`CREATE VIRTUAL TABLE t_u61 USING fts5 (body, content = '', tokenize = 'unicode61 remove_diacritics 0')`,
		`CREATE VIRTUAL TABLE v_ascii USING fts5vocab (t_ascii, instance)`,
		`CREATE VIRTUAL TABLE v_u61 USING fts5vocab (t_u61, instance)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	texts := []string{
		"خَادِمُ الحَرَمَيْن الشريفين يستقبل ولي العهد في الرياض",
		"ﻻ ﷲ ﷺ ﱞ ٵٶٷٸ مر\u200cحبا\u200bكلمة",
		"1,500,000 ٣٫٥ 10:30 2015/07/21 ٪٥٠",
		"زوروا https://x.com/a?b=1. أو www.intekhab.gov.sa” و http://x.sa/p“ و https://ar.wikipedia.org/wiki/مصر…",
		"راسلونا foo.bar@example.com.sa #رؤية_2030 @user_1 #َوطن",
		"G20 F-16 café CAFE\u0301 Ǆ İ ẞ ﬃ ½ ² ① ™ €100 ΣΊΣΥΦΟΣ ДОМ",
		"Ελληνικά Русский हिन्दी 中文 日本語 한국어 עברית",
	}
	an := arabic.New()
	for i, s := range texts {
		body := strings.Join(an.Terms(nil, s), " ")
		for _, tb := range []string{"t_ascii", "t_u61"} {
			if _, err := db.ExecContext(ctx, "INSERT INTO "+tb+" (rowid, body) VALUES (?, ?)", i+1, body); err != nil {
				t.Fatal(err)
			}
		}
	}
	vocab := func(v string) []string {
		rows, err := db.QueryContext(ctx, "SELECT term, doc, offset FROM "+v+" ORDER BY doc, offset")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var term string
			var doc, off int
			if err := rows.Scan(&term, &doc, &off); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%d:%d:%s", doc, off, term))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	a, u := vocab("v_ascii"), vocab("v_u61")
	if len(a) < 60 {
		t.Fatalf("only %d tokens: %q", len(a), a)
	}
	if !slices.Equal(a, u) {
		t.Errorf("ascii and unicode61 differ:\nascii     %q\nunicode61 %q", a, u)
	}
}
