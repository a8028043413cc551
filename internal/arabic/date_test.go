package arabic

import (
	"errors"
	"testing"
	"time"
	"unicode/utf8"
)

func TestParseDate(t *testing.T) {
	t.Parallel()
	riyadh := time.FixedZone("AST", 3*3600)
	now := time.Date(2015, 8, 6, 12, 0, 0, 0, riyadh)
	at := func(y, mo, d, h, mi, s int) time.Time { return time.Date(y, time.Month(mo), d, h, mi, s, 0, riyadh) }
	tests := []struct {
		name, in string
		want     time.Time
	}{
		// the date styles of newsweb-dev (sources.json date_style)
		{"long_ar", "الخميس 6 أغسطس 2015 - 01:42", at(2015, 8, 6, 1, 42, 0)},
		{"slash_time am", "نشر في: 2015/08/06 - 01:26 ص", at(2015, 8, 6, 1, 26, 0)},
		{"slash_time pm", "آخر تحديث: نشر في: 2015/08/06 - 10:35 م", at(2015, 8, 6, 22, 35, 0)},
		{"hijri_full", "الخميس 21 شوال 1436 هـ الموافق 6 أغسطس 2015 م", at(2015, 8, 6, 0, 0, 0)},
		{"dmy_dash", "06-08-2015 01:06", at(2015, 8, 6, 1, 6, 0)},
		{"levant", "الخميس 6 آب/أغسطس 2015 الساعة 18:26", at(2015, 8, 6, 18, 26, 0)},
		{"indic", "الثلاثاء ١١ أغسطس ٢٠١٥", at(2015, 8, 11, 0, 0, 0)},
		{"hijri_time", "الخميس 21 شوال 1436 هـ الموافق 6 أغسطس 2015 م - 01:39", at(2015, 8, 6, 1, 39, 0)},
		{"iso_like", "2015-08-06 01:50:07", at(2015, 8, 6, 1, 50, 7)},
		// zones
		{"rfc3339", "2015-08-06T01:42:51+03:00", at(2015, 8, 6, 1, 42, 51)},
		{"rfc3339 utc", "2015-08-05T22:42:51Z", at(2015, 8, 6, 1, 42, 51)},
		{"rfc3339 frac", "2015-08-05T22:42:51.123+00:00", at(2015, 8, 6, 1, 42, 51)},
		{"iso compact zone", "2015-08-06T01:42:51+0300", at(2015, 8, 6, 1, 42, 51)},
		// Levantine and Maghrebi month names
		{"kanun thani", "السبت 3 كانون الثاني 2015", at(2015, 1, 3, 0, 0, 0)},
		{"kanun awwal", "3 كانون الأول 2014", at(2014, 12, 3, 0, 0, 0)},
		{"tishrin", "١٠ تشرين الأول ٢٠١٥", at(2015, 10, 10, 0, 0, 0)},
		{"ayar", "٢٥ أيار ٢٠١٦", at(2016, 5, 25, 0, 0, 0)},
		{"maghreb juillet", "15 جويلية 2019", at(2019, 7, 15, 0, 0, 0)},
		{"maghreb aout", "الجمعة 2 أوت 2019 على الساعة 10:30", at(2019, 8, 2, 10, 30, 0)},
		{"month parenthesised", "6 أغسطس (آب) 2015", at(2015, 8, 6, 0, 0, 0)},
		{"ibril", "1 إبريل 2015", at(2015, 4, 1, 0, 0, 0)},
		{"tatweel diacritics", "٦ أغسـطس ٢٠١٥", at(2015, 8, 6, 0, 0, 0)},
		{"extended digits", "۶ اغسطس ۲۰۱۵", at(2015, 8, 6, 0, 0, 0)},
		{"pm words", "6 أغسطس 2015 - 9:05 مساءً", at(2015, 8, 6, 21, 5, 0)},
		{"am words", "6 أغسطس 2015 12:15 صباحاً", at(2015, 8, 6, 0, 15, 0)},
		{"12 pm", "6 أغسطس 2015 12:15 م", at(2015, 8, 6, 12, 15, 0)},
		{"was clock", "19:52 ت م 06-08-2015", at(2015, 8, 6, 19, 52, 0)},
		// Hijri only (Umm al-Qura)
		{"1 ramadan 1436", "1 رمضان 1436 هـ", at(2015, 6, 18, 0, 0, 0)},
		{"1 shawwal 1436", "الجمعة 1 شوال 1436هـ", at(2015, 7, 17, 0, 0, 0)},
		{"21 shawwal 1436", "21 شوال 1436", at(2015, 8, 6, 0, 0, 0)},
		{"1 muharram 1440", "1 محرم 1440 هـ", at(2018, 9, 11, 0, 0, 0)},
		{"1 ramadan 1445", "١ رمضان ١٤٤٥ هـ", at(2024, 3, 11, 0, 0, 0)},
		{"dhu al-hijja", "10 ذو الحجة 1436", at(2015, 9, 23, 0, 0, 0)},
		{"jumada ula", "1 جمادى الأولى 1436", at(2015, 2, 20, 0, 0, 0)},
		{"numeric hijri", "1436/10/21 هـ", at(2015, 8, 6, 0, 0, 0)},
		// numeric
		{"dmy slash", "06/08/2015", at(2015, 8, 6, 0, 0, 0)},
		{"mdy when unambiguous", "08/26/2015", at(2015, 8, 26, 0, 0, 0)},
		{"dmy dot two-digit year", "6.8.15", at(2015, 8, 6, 0, 0, 0)},
		// English
		{"english mdy", "Updated August 6, 2015 10:20 PM", at(2015, 8, 6, 22, 20, 0)},
		{"english dmy", "6 Aug 2015", at(2015, 8, 6, 0, 0, 0)},
		{"english abbreviation dot", "6 Aug. 2015", at(2015, 8, 6, 0, 0, 0)},
		// zones printed after the time
		{"gmt", "20 Nov 2019 08:02 GMT", at(2019, 11, 20, 11, 2, 0)},
		{"gmt offset", "Wed Nov 20 2019 08:00:58 GMT+0000", at(2019, 11, 20, 11, 0, 58)},
		{"est pm", "Nov. 18, 2019 11:04 p.m. EST", at(2019, 11, 19, 7, 4, 0)},
		{"mecca time", "الخميس 6 أغسطس 2015 - 01:42 بتوقيت مكة المكرمة", at(2015, 8, 6, 1, 42, 0)},
		{"greenwich", "6 أغسطس 2015 الساعة 10:00 بتوقيت غرينتش", at(2015, 8, 6, 13, 0, 0)},
		// relative
		{"two hours", "منذ ساعتين", now.Add(-2 * time.Hour)},
		{"five minutes", "منذ 5 دقائق", now.Add(-5 * time.Minute)},
		{"indic minutes", "منذ ٥ دقائق", now.Add(-5 * time.Minute)},
		{"one hour", "منذ ساعة", now.Add(-time.Hour)},
		{"half hour", "منذ نصف ساعة", now.Add(-30 * time.Minute)},
		{"three days", "قبل 3 أيام", now.Add(-72 * time.Hour)},
		{"two days", "منذ يومين", now.Add(-48 * time.Hour)},
		{"yesterday", "أمس", at(2015, 8, 5, 0, 0, 0)},
		{"yesterday at", "أمس 10:30 م", at(2015, 8, 5, 22, 30, 0)},
		{"day before yesterday", "أول أمس", at(2015, 8, 4, 0, 0, 0)},
		{"today at", "اليوم 09:15", at(2015, 8, 6, 9, 15, 0)},
		{"english ago", "3 hours ago", now.Add(-3 * time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseDate(tt.in, riyadh, now)
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tt.in, err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseDateNone(t *testing.T) {
	t.Parallel()
	now := time.Date(2015, 8, 6, 12, 0, 0, 0, time.UTC)
	for _, in := range []string{"", "الخميس", "نشر في:", "31 فبراير 2015", "هاتف 0555123456", "رمضان كريم", "منذ زمن", "99:99", "2015", "اليوم"} {
		if got, err := ParseDate(in, time.UTC, now); !errors.Is(err, ErrNoDate) {
			t.Errorf("ParseDate(%q) = %v, %v; want ErrNoDate", in, got, err)
		}
	}
}

func TestHijriToGregorian(t *testing.T) {
	t.Parallel()
	tests := []struct{ hy, hm, hd, gy, gm, gd int }{
		{1436, 9, 1, 2015, 6, 18},   // 1 Ramadan 1436
		{1436, 10, 1, 2015, 7, 17},  // Eid al-Fitr 1436 (Ramadan had 29 days)
		{1436, 1, 1, 2014, 10, 25},  // table year start
		{1437, 1, 1, 2015, 10, 14},  // next year start, derived by summing months
		{1445, 1, 1, 2023, 7, 19},   // 1 Muharram 1445
		{1444, 9, 1, 2023, 3, 23},   // 1 Ramadan 1444
		{1400, 1, 1, 1979, 11, 20},  // table anchor
		{1480, 12, 30, 2058, 6, 21}, // last table day (1481 starts 2058-06-22)
		{1300, 1, 1, 1882, 11, 12},  // tabular fallback (Umm al-Qura: 1882-11-12 too)
	}
	for _, tt := range tests {
		gy, gm, gd, ok := HijriToGregorian(tt.hy, tt.hm, tt.hd)
		if !ok || gy != tt.gy || gm != tt.gm || gd != tt.gd {
			t.Errorf("HijriToGregorian(%d,%d,%d) = %d-%d-%d %v, want %d-%d-%d", tt.hy, tt.hm, tt.hd, gy, gm, gd, ok, tt.gy, tt.gm, tt.gd)
		}
	}
	if _, _, _, ok := HijriToGregorian(1436, 9, 30); ok { // Ramadan 1436 had 29 days
		t.Error("30 Ramadan 1436 accepted")
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"الخميس 6 أغسطس 2015 - 01:42", "2015-08-06T01:42:51+03:00", "منذ ساعتين", "21 شوال 1436 هـ", "06/08/2015 10:00 م", "كانون الثاني"} {
		f.Add(s)
	}
	now := time.Date(2015, 8, 6, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseDate(s, time.UTC, now)
		if err != nil {
			if !errors.Is(err, ErrNoDate) {
				t.Fatalf("error does not wrap ErrNoDate: %v", err)
			}
			if !utf8.ValidString(err.Error()) && utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in error")
			}
			return
		}
		if got.IsZero() {
			t.Fatalf("zero time without error for %q", s)
		}
	})
}
