package feed

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"strings"
	"time"

	xhtml "golang.org/x/net/html"
)

// jsonFeed reads JSON Feed 1.0/1.1.
func (p *parser) jsonFeed(body []byte) (*Feed, error) {
	type author struct {
		Name string `json:"name"`
	}
	var doc struct {
		Version     string `json:"version"`
		Title       string `json:"title"`
		HomePageURL string `json:"home_page_url"`
		Language    string `json:"language"`
		Items       []struct {
			ID            json.RawMessage `json:"id"` // a string by the spec, a number in the wild
			URL           string          `json:"url"`
			ExternalURL   string          `json:"external_url"`
			Title         string          `json:"title"`
			Summary       string          `json:"summary"`
			ContentText   string          `json:"content_text"`
			ContentHTML   string          `json:"content_html"`
			Image         string          `json:"image"`
			BannerImage   string          `json:"banner_image"`
			DatePublished string          `json:"date_published"`
			DateModified  string          `json:"date_modified"`
			Author        *author         `json:"author"`
			Authors       []author        `json:"authors"`
			Language      string          `json:"language"`
		} `json:"items"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("feed: json: %w", err)
	}
	if !strings.Contains(doc.Version, "jsonfeed.org") {
		return nil, fmt.Errorf("feed: JSON without a jsonfeed.org version: %w", ErrNotFeed)
	}
	f := &Feed{Kind: JSONFeed, Title: text(doc.Title), Link: p.resolve(p.base, doc.HomePageURL), Language: doc.Language}
	for _, it := range doc.Items {
		item := Item{
			URL:       p.resolve(p.base, firstNonEmpty(it.URL, it.ExternalURL)),
			Title:     text(it.Title),
			Summary:   text(firstNonEmpty(it.Summary, it.ContentText, it.ContentHTML)),
			Image:     p.resolve(p.base, firstNonEmpty(it.Image, it.BannerImage)),
			Published: p.date(it.DatePublished),
			Updated:   p.date(it.DateModified),
			Language:  it.Language,
		}
		item.GUID = strings.Trim(string(it.ID), `"`)
		if len(it.Authors) > 0 {
			item.Author = text(it.Authors[0].Name)
		} else if it.Author != nil {
			item.Author = text(it.Author.Name)
		}
		if item.URL != "" {
			f.Items = append(f.Items, item)
		}
	}
	if len(f.Items) > p.opt.MaxItems {
		f.Items = f.Items[:p.opt.MaxItems]
	}
	return f, nil
}

// text turns a title or summary that may hold HTML (escaped or not) into
// plain text with single spaces.
func text(s string) string {
	if s == "" {
		return ""
	}
	if strings.ContainsAny(s, "<&") {
		var b strings.Builder
		z := xhtml.NewTokenizer(strings.NewReader(s))
		for {
			tt := z.Next()
			if tt == xhtml.ErrorToken {
				break
			}
			if tt == xhtml.TextToken {
				b.Write(z.Text())
			} else {
				b.WriteByte(' ')
			}
		}
		s = b.String()
		if strings.Contains(s, "&") { // double-escaped titles: "&amp;quot;"
			s = html.UnescapeString(s)
		}
	}
	return strings.Join(strings.Fields(s), " ")
}

// Layouts tried in order; those without a zone are read in Options.Location.
var (
	zonedLayouts = []string{
		time.RFC3339Nano,
		"2006-01-02T15:04Z07:00",
		"2006-01-02T15:04:05-0700",
		"2006-01-02T15:04:05.999999999-0700",
		"2006-01-02 15:04:05Z07:00",
		"2006-01-02 15:04:05 -0700",
		"2006-01-02 15:04:05 Z07:00",
		"2 Jan 2006 15:04:05 -0700",
		"2 Jan 2006 15:04:05 MST",
		"2 Jan 2006 15:04 -0700",
		"2 Jan 2006 15:04 MST",
		"2 Jan 06 15:04:05 -0700",
		"2 Jan 06 15:04:05 MST",
		"2 Jan 06 15:04 -0700",
		"2 Jan 06 15:04 MST",
		"2 January 2006 15:04:05 -0700",
		"2 January 2006 15:04:05 MST",
		"Jan 2 2006 15:04:05 -0700",
		"Jan 2 2006 15:04:05 MST",
		"2-Jan-06 15:04:05 MST",
		"2006-01-02T15:04:05 -0700",
		"Jan 2, 2006 15:04:05 MST",
		"Jan 2, 2006 3:04:05 PM MST",
	}
	localLayouts = []string{
		"2006-01-02T15:04:05",
		"2006-01-02T15:04:05.999999999",
		"2006-01-02T15:04",
		"2006-01-02 15:04:05",
		"2006-01-02 15:04",
		"2 Jan 2006 15:04:05",
		"2 Jan 2006 15:04",
		"2 January 2006 15:04:05",
		"2006/01/02 15:04:05",
		"2006/01/02 15:04",
		"02/01/2006 15:04:05",
		"02/01/2006 15:04",
		"2006-01-02",
		"2 Jan 2006",
		"Jan 2, 2006",
		"January 2, 2006",
	}
)

// zones maps abbreviations Go's parser would read as offset zero. "AST" is
// taken as Arabia Standard Time: this is an Arabic news reader.
var zones = map[string]int{
	"GMT": 0, "UT": 0, "UTC": 0, "Z": 0,
	"EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
	"AST": 3, "KSA": 3, "MSK": 3, "EET": 2, "EEST": 3, "CET": 1, "CEST": 2, "BST": 1, "GST": 4,
}

var errNoDate = errors.New("unparsable date")

// date parses s, returning the zero time when nothing fits.
func (p *parser) date(s string) time.Time {
	t, err := ParseDate(s, p.opt.Location, p.opt.Now(), p.opt.ParseDate)
	if err != nil {
		return time.Time{}
	}
	return t
}

// ParseDate reads the date forms feeds use: RFC 822/1123 with or without
// the weekday, with numeric or named zones, RFC 3339 and its sloppy
// variants, and zone-less forms (read in loc). fallback, when not nil, is
// tried last (Arabic month names, Hijri dates).
func ParseDate(s string, loc *time.Location, now time.Time, fallback DateFunc) (time.Time, error) {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return time.Time{}, errNoDate
	}
	if loc == nil {
		loc = time.UTC
	}
	// Weekdays are often wrong or localised; drop "Thu, ".
	v := s
	if i := strings.Index(v, ", "); i > 0 && i <= 10 && !strings.ContainsAny(v[:i], "0123456789") {
		v = v[i+2:]
	}
	v = strings.TrimSuffix(strings.TrimSuffix(v, " (UTC)"), " (GMT)")
	for _, l := range zonedLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return fixZone(t, v), nil
		}
	}
	for _, l := range localLayouts {
		if t, err := time.ParseInLocation(l, v, loc); err == nil {
			return t, nil
		}
	}
	if fallback != nil {
		if t, err := fallback(s, loc, now); err == nil && !t.IsZero() {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("feed: date %q: %w", s, errNoDate)
}

// fixZone applies a known abbreviation that time.Parse read as a
// fabricated zero-offset zone.
func fixZone(t time.Time, s string) time.Time {
	name, off := t.Zone()
	if off != 0 || name == "" || name == "UTC" {
		return t
	}
	f := strings.Fields(s)
	abbr := strings.ToUpper(f[len(f)-1])
	if h, ok := zones[abbr]; ok {
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(),
			time.FixedZone(abbr, h*3600))
	}
	return t
}
