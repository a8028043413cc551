package web

import (
	"fmt"
	"strings"
	"time"
)

// Gregorian month names as Saudi and Egyptian outlets write them.
var monthsAr = [...]string{"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو",
	"أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"}

// formatDate renders t in the UI's zone as "5 أغسطس 2015، 10:04"; empty for
// an unknown time. Digits are Western here; the template func applies the
// reader's digit setting.
func (s *Server) formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(s.tz)
	return fmt.Sprintf("%d %s %d، %02d:%02d", t.Day(), monthsAr[t.Month()-1], t.Year(), t.Hour(), t.Minute())
}

// arabicIndic rewrites Western digits 0-9 as Arabic-Indic ٠-٩ (U+0660…);
// everything else is kept. Only UI text (dates, counts) goes through it,
// never an article's own text: quotes stay as the outlet wrote them.
func arabicIndic(s string) string {
	i := strings.IndexFunc(s, isASCIIDigit)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		if isASCIIDigit(r) {
			r += '٠' - '0'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

// formatDay renders a calendar day as "5 أغسطس 2015" (no zone shift: days
// are already the UI zone's).
func formatDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d %s %d", t.Day(), monthsAr[t.Month()-1], t.Year())
}

// formatISODay renders a "YYYY-MM-DD" day label as formatDay does; a
// label that is not one is shown as it is.
func formatISODay(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return formatDay(t)
}

// plural makes a count agree with its noun as Arabic grammar wants (the
// CLDR categories): 1 and 2 take their own words ("مقال واحد", "مقالان"),
// 3–10 the plural ("5 مقالات"), 11–99 the accusative singular ("11 مقالاً"),
// and 0, 100, 101… the genitive singular ("100 مقال").
func plural(n int, one, two, few, many, other string) string {
	switch m := n % 100; {
	case n == 1:
		return one
	case n == 2:
		return two
	case m >= 3 && m <= 10:
		return fmt.Sprintf("%d %s", n, few)
	case m >= 11 && m <= 99:
		return fmt.Sprintf("%d %s", n, many)
	default:
		return fmt.Sprintf("%d %s", n, other)
	}
}
