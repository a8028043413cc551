package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/sanitize"
)

// Line is one import line (DESIGN.md "Import line"). Export writes the same
// shape plus StoryID and OriginalURL.
type Line struct {
	URL         string `json:"url"`
	Source      string `json:"source"`
	Title       string `json:"title"`
	Author      string `json:"author,omitempty"`
	Published   string `json:"published,omitempty"`
	Text        string `json:"text"`
	HTML        string `json:"html,omitempty"`
	Lang        string `json:"lang,omitempty"`
	StoryID     int64  `json:"story_id,omitempty"`
	OriginalURL string `json:"original_url,omitempty"`
}

// MaxLineBytes bounds one import line; longer lines are reported and skipped.
const MaxLineBytes = 16 << 20

// ErrLineTooLong is reported for a line over MaxLineBytes.
var ErrLineTooLong = errors.New("line too long")

// ParseLine decodes and validates one import line. Times without a zone are
// read in loc (news sites print local time; nil means UTC).
func ParseLine(b []byte, loc *time.Location) (news.Article, error) {
	var l Line
	if err := json.Unmarshal(b, &l); err != nil {
		return news.Article{}, fmt.Errorf("bad JSON: %w", errors.Join(news.ErrInvalid, err))
	}
	return l.Article(loc)
}

// Article validates the line and converts it.
func (l Line) Article(loc *time.Location) (news.Article, error) {
	a := news.Article{
		URL:      clean(l.URL),
		SourceID: clean(l.Source),
		Title:    plain(l.Title),
		Author:   plain(l.Author),
		Text:     cleanText(l.Text),
		HTML:     cleanText(l.HTML),
		Lang:     clean(l.Lang),
	}
	u, err := url.Parse(a.URL)
	if a.URL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return news.Article{}, fmt.Errorf("url %q is not an absolute http(s) URL: %w", l.URL, news.ErrInvalid)
	}
	a.HTML = sanitize.HTML(a.HTML, u) // imported HTML is untrusted: stored only sanitized
	if a.SourceID == "" {
		host := strings.ToLower(u.Hostname())
		if a.SourceID = strings.TrimPrefix(host, "www."); a.SourceID == "" {
			a.SourceID = host // "http://www." (fuzzer): never an empty source
		}
	}
	if a.Title == "" && a.Text == "" {
		return news.Article{}, fmt.Errorf("no title and no text: %w", news.ErrInvalid)
	}
	if p := strings.TrimSpace(l.Published); p != "" {
		t, err := ParseTime(p, loc)
		if err != nil {
			return news.Article{}, err
		}
		a.Published = t
	}
	return a, nil
}

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
}

// ParseTime reads the import line's "published": RFC 3339, or
// "YYYY-MM-DD hh:mm:ss" (and shorter forms) in loc.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = time.UTC
	}
	for _, layout := range timeLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("published %q is neither RFC 3339 nor YYYY-MM-DD hh:mm:ss: %w", s, news.ErrInvalid)
}

// clean makes a one-line field safe to store: valid UTF-8, no NUL, trimmed.
func clean(s string) string {
	return strings.TrimSpace(cleanText(s))
}

// plain cleans a one-line plain-text field that scrapers often leave
// HTML-escaped: 628 SaudiNewsNet titles carry &quot; or &#8220; and 390
// authors &nbsp;, which a page would show literally.
func plain(s string) string {
	if strings.Contains(s, "&") {
		s = html.UnescapeString(s)
	}
	return clean(s)
}

func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.ReplaceAll(s, "\x00", "")
}

// Item is one line read from an import stream: an article or the reason the
// line was rejected.
type Item struct {
	Line    int // 1-based
	Article news.Article
	Err     error
}

// Decompress returns r, gunzipped if its first bytes are the gzip magic
// number (whatever the file is called).
func Decompress(r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 256<<10)
	magic, err := br.Peek(2)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read: %w", err)
	}
	if bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		return zr, nil
	}
	return br, nil
}

// ReadLines reads JSON Lines from r (gzip or plain) and calls fn per
// non-blank line. A bad line becomes an Item with Err set; reading goes on.
// fn's error, a read error or ctx's cancellation stop the read.
func ReadLines(ctx context.Context, r io.Reader, loc *time.Location, fn func(Item) error) error {
	dr, err := Decompress(r)
	if err != nil {
		return err
	}
	br := bufio.NewReaderSize(dr, 1<<20)
	var buf []byte
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, tooLong, err := readLine(br, buf[:0])
		buf = line
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("line %d: %w", n, err)
		}
		eof := errors.Is(err, io.EOF)
		if len(bytes.TrimSpace(line)) > 0 || tooLong {
			it := Item{Line: n}
			if tooLong {
				it.Err = fmt.Errorf("over %d bytes: %w", MaxLineBytes, ErrLineTooLong)
			} else {
				it.Article, it.Err = ParseLine(line, loc)
			}
			if err := fn(it); err != nil {
				return err
			}
		}
		if eof {
			return nil
		}
	}
}

// readLine reads one line into buf without its newline, discarding (and
// flagging) any part past MaxLineBytes.
func readLine(br *bufio.Reader, buf []byte) (line []byte, tooLong bool, err error) {
	for {
		chunk, isPrefix, err := br.ReadLine()
		if !tooLong {
			if len(buf)+len(chunk) > MaxLineBytes {
				tooLong, buf = true, buf[:0]
			} else {
				buf = append(buf, chunk...)
			}
		}
		if err != nil {
			return buf, tooLong, err
		}
		if !isPrefix {
			return buf, tooLong, nil
		}
	}
}
