// Package charset decodes fetched documents (HTML, XML feeds) to UTF-8.
// Arabic news sites still serve windows-1256 and ISO-8859-6, often with a
// wrong or missing declaration, so the order is: byte-order mark, the HTTP
// Content-Type, the document's own declaration (<meta charset>, http-equiv,
// <?xml encoding?>), then a guess: UTF-8 if the bytes are valid UTF-8,
// otherwise windows-1256 (the common legacy Arabic encoding).
package charset

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// ErrUnknown is returned for a declared encoding no decoder knows.
var ErrUnknown = errors.New("unknown character encoding")

// prescanBytes is how far into a document a declaration is looked for
// (the HTML standard's prescan reads 1024 bytes; be a little generous).
const prescanBytes = 2048

var (
	metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)`)
	xmlEncoding = regexp.MustCompile(`(?i)^\s*<\?xml[^>]+encoding\s*=\s*["']([a-z0-9_:.\-]+)["']`)
)

// Decode returns body as UTF-8 and the name of the encoding it was read as.
// contentType is the HTTP Content-Type header (may be empty). Invalid bytes
// in the source become U+FFFD; the output is always valid UTF-8.
func Decode(body []byte, contentType string) ([]byte, string, error) {
	name, enc, err := Detect(body, contentType)
	if err != nil {
		return nil, "", err
	}
	body = stripBOM(body)
	if enc == nil { // UTF-8
		if utf8.Valid(body) {
			return body, name, nil
		}
		return bytes.ToValidUTF8(body, []byte("\uFFFD")), name, nil
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return nil, "", fmt.Errorf("charset: decode %s: %w", name, err)
	}
	return bytes.ToValidUTF8(out, []byte("\uFFFD")), name, nil
}

// Detect names body's encoding; a nil Encoding means UTF-8.
func Detect(body []byte, contentType string) (string, encoding.Encoding, error) {
	switch {
	case bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}):
		return "utf-8", nil, nil
	case bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		return "utf-16be", unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), nil
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}):
		return "utf-16le", unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), nil
	}
	if contentType != "" {
		if _, params, err := mime.ParseMediaType(contentType); err == nil && params["charset"] != "" {
			return lookup(params["charset"], body)
		}
	}
	head := body[:min(len(body), prescanBytes)]
	if m := xmlEncoding.FindSubmatch(head); m != nil {
		return lookup(string(m[1]), body)
	}
	if m := metaCharset.FindSubmatch(head); m != nil {
		return lookup(string(m[1]), body)
	}
	if utf8.Valid(body) {
		return "utf-8", nil, nil
	}
	return "windows-1256", charmap.Windows1256, nil
}

func lookup(label string, body []byte) (string, encoding.Encoding, error) {
	label = strings.ToLower(strings.TrimSpace(label))
	enc, name := charset.Lookup(label)
	if enc == nil {
		return "", nil, fmt.Errorf("charset: %q: %w", label, ErrUnknown)
	}
	if name == "utf-8" {
		return name, nil, nil
	}
	// A page declared as a legacy single-byte encoding that is in fact valid
	// multi-byte UTF-8 was mislabelled (common after CMS migrations); trust
	// the bytes. ASCII-only pages decode the same either way.
	if name == "windows-1252" || name == "iso-8859-1" {
		if utf8.Valid(body) && !isASCII(body) {
			return "utf-8", nil, nil
		}
	}
	return name, enc, nil
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

func stripBOM(b []byte) []byte {
	return bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})
}
