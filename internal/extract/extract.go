// Package extract turns a news page into an article: title, byline, dates,
// language, site, lead image, canonical URL, the body as text and as
// sanitized HTML, and the agency or outlet the text is credited to.
//
// The body is found the way readability and trafilatura do it — prune what
// is boilerplate by structure, score paragraph containers by their text,
// commas and link density, take the best one and its related siblings —
// and then cleaned block by block: related-reading boxes ("اقرأ أيضاً",
// "مقالات مشابهة", "Read more"), comments, share bars, tag lists and
// newsletter blurbs are recognised by their heading phrases, their link
// density and their position, not by any one site's class names.
package extract

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html"

	"github.com/marsad/marsad/internal/charset"
)

// Options configure an Extractor.
type Options struct {
	Logger *slog.Logger
	TZ     *time.Location   // zone for zone-less dates on pages
	Now    func() time.Time // for relative dates ("منذ ساعتين")
	// RepairWords joins words split by a stray space ("الروس ي") when the
	// vocabulary says so. Off by default: see docs/benchmarks.md for the
	// measured false-repair rate.
	RepairWords bool
	// Vocabulary is the word list repairs consult (nil: no repairs).
	Vocabulary Vocabulary
}

// Extractor extracts articles. It holds no per-page state and is safe for
// concurrent use.
type Extractor struct {
	log *slog.Logger
	tz  *time.Location
	now func() time.Time
	opt Options
}

// New returns an Extractor.
func New(opt Options) *Extractor {
	e := &Extractor{log: opt.Logger, tz: opt.TZ, now: opt.Now, opt: opt}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.tz == nil {
		e.tz = time.UTC
	}
	if e.now == nil {
		e.now = time.Now
	}
	return e
}

// Result is one extracted article.
type Result struct {
	URL, CanonicalURL, Title, Author string
	Published, Modified              time.Time
	Lang, SiteName, Image            string
	Text                             string // body, paragraphs separated by "\n"
	HTML                             string // sanitized body HTML
	Attribution                      string // normalised agency/outlet credited, e.g. "واس", "سبوتنيك", "رويترز"
	Charset                          string // the encoding the page was read as

	Description string
	Section     string
	Tags        []string
	// Repairs lists the word repairs applied to Text, so they can be undone.
	Repairs []Repair
}

// ErrNotHTML is returned for a body that is not an HTML document.
var ErrNotHTML = errors.New("extract: not an HTML document")

// ErrNoContent is returned when no article body could be found.
var ErrNoContent = errors.New("extract: no article content")

// maxBody bounds the bytes parsed; news pages are far smaller.
const maxBody = 8 << 20

// Extract extracts the article in body, the raw HTTP body of pageURL
// served with contentType (may be empty). A page whose metadata could be
// read but whose body could not is returned with ErrNoContent.
func (e *Extractor) Extract(body []byte, pageURL string, contentType string) (Result, error) {
	res := Result{URL: pageURL}
	if ct := strings.ToLower(contentType); ct != "" && !strings.Contains(ct, "html") && !strings.Contains(ct, "xml") && !strings.HasPrefix(ct, "text/plain") {
		return res, fmt.Errorf("%w: content type %q", ErrNotHTML, contentType)
	}
	if len(body) > maxBody {
		body = body[:maxBody]
	}
	if looksBinary(body) {
		return res, fmt.Errorf("%w: binary data", ErrNotHTML)
	}
	dec, cs, err := charset.Decode(body, contentType)
	if err != nil {
		return res, fmt.Errorf("extract: %w", err)
	}
	res.Charset = cs
	doc, err := html.Parse(bytes.NewReader(dec))
	if err != nil {
		return res, fmt.Errorf("extract: parse: %w", err)
	}
	base, _ := url.Parse(pageURL)
	if base != nil && !base.IsAbs() {
		base = nil
	}
	p := &page{e: e, base: base, res: &res}
	p.build(doc)
	if p.root != nil {
		p.prune(p.root)
	}
	p.readMeta()
	p.readContent()
	p.finish()
	if strings.TrimSpace(res.Text) == "" {
		return res, ErrNoContent
	}
	return res, nil
}

// looksBinary reports NUL bytes in the first kilobytes (images, PDFs,
// archives served as text/html by mistake).
func looksBinary(b []byte) bool {
	head := b[:min(len(b), 1024)]
	if bytes.HasPrefix(head, []byte{0xFE, 0xFF}) || bytes.HasPrefix(head, []byte{0xFF, 0xFE}) {
		return false // UTF-16 has NULs
	}
	return bytes.IndexByte(head, 0) >= 0
}
