package fetch

import (
	"bytes"
	"mime"
	"net/http"
	"strings"
)

// Kind is what a response body is, from its Content-Type checked against
// its first bytes.
type Kind int

// Kinds of body.
const (
	KindOther Kind = iota // images, PDFs, archives, …: never parsed
	KindHTML
	KindXML // RSS, Atom, sitemaps, other XML
	KindJSON
	KindText
)

func (k Kind) String() string {
	return [...]string{"other", "html", "xml", "json", "text"}[k]
}

// sniffLen is how many bytes Sniff looks at (http.DetectContentType's).
const sniffLen = 512

var binaryMagic = [][]byte{
	[]byte("%PDF-"), []byte("\x89PNG"), []byte("\xff\xd8\xff"), []byte("GIF8"),
	[]byte("PK\x03\x04"), []byte("\x1f\x8b"), []byte("OggS"), []byte("ID3"),
}

// Sniff classifies a body. The header is believed unless the bytes
// contradict it: a PDF served as text/html is KindOther, a feed served as
// text/html or text/plain is KindXML.
func Sniff(contentType string, body []byte) Kind {
	for _, m := range binaryMagic {
		if bytes.HasPrefix(body, m) {
			return KindOther
		}
	}
	if len(body) >= 12 && string(body[:4]) == "RIFF" && string(body[8:12]) == "WEBP" {
		return KindOther
	}
	head := strings.ToLower(string(bytes.TrimLeft(skipBOM(body[:min(len(body), sniffLen)]), " \t\r\n")))
	looksXMLFeed := strings.HasPrefix(head, "<?xml") || strings.HasPrefix(head, "<rss") ||
		strings.HasPrefix(head, "<feed") || strings.HasPrefix(head, "<urlset") ||
		strings.HasPrefix(head, "<sitemapindex") || strings.HasPrefix(head, "<rdf:rdf")
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "text/html" || mt == "application/xhtml+xml":
		if looksXMLFeed && !strings.Contains(head, "<html") {
			return KindXML
		}
		return KindHTML
	case mt == "application/xml" || mt == "text/xml" || strings.HasSuffix(mt, "+xml"):
		return KindXML
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		return KindJSON
	case strings.HasPrefix(mt, "image/"), strings.HasPrefix(mt, "audio/"), strings.HasPrefix(mt, "video/"),
		mt == "application/pdf", mt == "application/zip":
		return KindOther
	}
	// No useful header (absent, text/plain, octet-stream): the bytes decide.
	switch {
	case looksXMLFeed:
		return KindXML
	case strings.HasPrefix(head, "{"):
		return KindJSON
	case strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html"):
		return KindHTML
	}
	if strings.HasPrefix(http.DetectContentType(body), "text/") {
		if mt == "text/html" {
			return KindHTML
		}
		return KindText
	}
	return KindOther
}

func skipBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) }
