package web

import (
	"fmt"
	"time"
)

// Gregorian month names as Saudi and Egyptian outlets write them.
var monthsAr = [...]string{"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو",
	"أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"}

// formatDate renders t in the UI's zone as "5 أغسطس 2015، 10:04"; empty for
// an unknown time.
func (s *Server) formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(s.tz)
	return fmt.Sprintf("%d %s %d، %02d:%02d", t.Day(), monthsAr[t.Month()-1], t.Year(), t.Hour(), t.Minute())
}
