package charset

import (
	"bytes"
	"errors"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

func TestDecode(t *testing.T) {
	t.Parallel()
	const ar = "خادم الحرمين الشريفين"
	cp1256, err := charmap.Windows1256.NewEncoder().String(ar)
	if err != nil {
		t.Fatal(err)
	}
	iso6, err := charmap.ISO8859_6.NewEncoder().String("الرياض")
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(ar)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, ctype string
		body        []byte
		want        string
		wantName    string
	}{
		{"utf8 plain", "", []byte("<p>" + ar + "</p>"), "<p>" + ar + "</p>", "utf-8"},
		{"utf8 BOM", "", append([]byte{0xEF, 0xBB, 0xBF}, ar...), ar, "utf-8"},
		{"utf16 BOM", "", []byte(utf16), ar, "utf-16le"},
		{"header cp1256", "text/html; charset=windows-1256", []byte(cp1256), ar, "windows-1256"},
		{"header quoted", `text/html; charset="Windows-1256"`, []byte(cp1256), ar, "windows-1256"},
		{"meta charset", "text/html", []byte(`<html><head><meta charset="windows-1256"></head><body>` + cp1256), `<html><head><meta charset="windows-1256"></head><body>` + ar, "windows-1256"},
		{"meta http-equiv", "", []byte(`<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">` + cp1256), `<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">` + ar, "windows-1256"},
		{"xml decl", "application/xml", []byte(`<?xml version="1.0" encoding="windows-1256"?><t>` + cp1256 + `</t>`), `<?xml version="1.0" encoding="windows-1256"?><t>` + ar + `</t>`, "windows-1256"},
		{"iso-8859-6", "text/html; charset=ISO-8859-6", []byte(iso6), "الرياض", "iso-8859-6"},
		{"undeclared legacy guessed", "", []byte(cp1256), ar, "windows-1256"},
		{"mislabelled latin1 that is utf8", "text/html; charset=iso-8859-1", []byte(ar), ar, "utf-8"},
		{"header beats meta", "text/html; charset=utf-8", []byte(`<meta charset="windows-1256">` + ar), `<meta charset="windows-1256">` + ar, "utf-8"},
		{"invalid utf8 repaired", "text/html; charset=utf-8", []byte("a\xffb"), "a\uFFFDb", "utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, name, err := Decode(tt.body, tt.ctype)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want || name != tt.wantName {
				t.Errorf("Decode = %q (%s), want %q (%s)", got, name, tt.want, tt.wantName)
			}
		})
	}
}

func TestDecodeUnknown(t *testing.T) {
	t.Parallel()
	if _, _, err := Decode([]byte("x"), "text/html; charset=klingon-7"); !errors.Is(err, ErrUnknown) {
		t.Errorf("err = %v, want ErrUnknown", err)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte("<meta charset=windows-1256>\xc7\xe1"), "")
	f.Add([]byte("\xff\xfeA\x00"), "text/html; charset=utf-16")
	f.Add([]byte("<?xml version='1.0' encoding='iso-8859-6'?>\xc7"), "application/rss+xml")
	f.Fuzz(func(t *testing.T, body []byte, ctype string) {
		out, _, err := Decode(body, ctype)
		if err != nil {
			return
		}
		if !utf8.Valid(out) {
			t.Fatalf("output is not valid UTF-8: %q", out)
		}
		if utf8.Valid(body) && !bytes.HasPrefix(body, []byte{0xFE, 0xFF}) && !bytes.HasPrefix(body, []byte{0xFF, 0xFE}) && ctype == "" && !xmlEncoding.Match(body) && !metaCharset.Match(body[:min(len(body), prescanBytes)]) {
			if !bytes.Equal(out, bytes.TrimPrefix(body, []byte{0xEF, 0xBB, 0xBF})) {
				t.Fatalf("undeclared UTF-8 changed: %q -> %q", body, out)
			}
		}
	})
}
