package extract

import (
	"strings"
	"unicode"
)

// agencies maps folded aliases (see fold) to the canonical name marsad
// stores. Short names that are also common words (بنا, ومع) only count
// where an attribution stands: a byline segment, a dateline's end, a
// parenthesis, a "المصدر:" line.
var agencies = func() map[string]string {
	m := map[string]string{}
	add := func(canon string, aliases ...string) {
		m[fold(canon)] = canon
		for _, a := range aliases {
			m[fold(a)] = canon
		}
	}
	add("واس", "وكالة الأنباء السعودية", "SPA", "Saudi Press Agency")
	add("أ ف ب", "اف ب", "فرانس برس", "فرانس بريس", "وكالة فرانس برس", "الفرنسية", "AFP", "Agence France-Presse")
	add("رويترز", "وكالة رويترز", "Reuters")
	add("د ب أ", "دب أ", "الألمانية", "وكالة الأنباء الألمانية", "DPA")
	add("أ ب", "اسوشيتد برس", "أسوشيتد برس", "الأسوشيتد برس", "أسوشييتد برس", "AP", "Associated Press")
	add("سبوتنيك", "وكالة سبوتنيك", "Sputnik")
	add("الأناضول", "وكالة الأناضول", "Anadolu")
	add("شينخوا", "وكالة شينخوا", "Xinhua")
	add("كونا", "وكالة الأنباء الكويتية", "KUNA")
	add("وام", "وكالة أنباء الإمارات", "WAM")
	add("قنا", "وكالة الأنباء القطرية", "QNA")
	add("بنا", "وكالة أنباء البحرين", "BNA")
	add("العمانية", "وكالة الأنباء العمانية", "ONA")
	add("سانا", "الوكالة العربية السورية للأنباء", "SANA")
	add("واج", "وكالة الأنباء الجزائرية", "APS")
	add("ومع", "وكالة المغرب العربي للأنباء", "MAP")
	add("وات", "وكالة تونس أفريقيا للأنباء", "TAP")
	add("بترا", "وكالة الأنباء الأردنية", "Petra")
	add("أ ش أ", "وكالة أنباء الشرق الأوسط", "MENA")
	add("يو بي آي", "UPI", "United Press International")
	add("تاس", "TASS")
	add("إرنا", "IRNA")
	add("نوفوستي", "ريا نوفوستي", "RIA Novosti")
	add("وكالات", "وكالات الأنباء", "agencies")
	return m
}()

// agencyKeyMax is the longest folded agency name, in bytes.
var agencyKeyMax = func() int {
	n := 0
	for k := range agencies {
		n = max(n, len(k))
	}
	return n
}()

// agencyOf returns the agency s names. It folds at most as much of s as an
// agency's name can fill: the last lines of a text are often whole
// paragraphs, and folding them was two thirds of Credit's time.
func agencyOf(s string) (string, bool) {
	k, ok := foldUpTo(s, agencyKeyMax)
	if !ok {
		return "", false
	}
	a, ok := agencies[k]
	return a, ok
}

// agencyIn finds an agency named by the words of s (n-grams of up to four
// words, so "أ. ف. ب" and "وكالة الأنباء السعودية" match).
func agencyIn(s string) string {
	words := strings.Fields(fold(s))
	for n := min(4, len(words)); n >= 1; n-- {
		for i := 0; i+n <= len(words); i++ {
			if c, ok := agencies[strings.Join(words[i:i+n], " ")]; ok {
				return c
			}
		}
	}
	return ""
}

// outletPrefixes are dropped from a credited name: "صحيفة عكاظ" → "عكاظ".
var outletPrefixes = []string{"صحيفة", "جريدة", "موقع", "وكالة", "قناة", "مجلة", "شبكة"}

// normOutlet normalises a credited name: an agency alias becomes the
// agency, otherwise the name loses its "صحيفة"-like prefix and punctuation.
func normOutlet(s string) string {
	s = strings.TrimFunc(collapse(s), func(r rune) bool {
		return unicode.IsPunct(r) || unicode.IsSpace(r) || unicode.IsSymbol(r)
	})
	if s == "" || len([]rune(s)) > 40 {
		return ""
	}
	if a, ok := agencyOf(s); ok {
		return a
	}
	for _, pre := range outletPrefixes {
		if rest, ok := strings.CutPrefix(s, pre+" "); ok {
			if a, ok := agencyOf(rest); ok {
				return a
			}
			return strings.TrimSpace(rest)
		}
	}
	return s
}

// sourceLabels open a credit line.
var sourceLabels = []string{"المصدر", "مصدر الخبر", "مصدر", "نقلا عن", "نقلاً عن", "source"}

// creditLine reads "المصدر: سبوتنيك", "نقلاً عن رويترز", "Source: AP".
func creditLine(line string) string {
	l := strings.TrimSpace(line)
	if len([]rune(l)) > 80 {
		return ""
	}
	low := strings.ToLower(l)
	for _, lab := range sourceLabels {
		if !strings.HasPrefix(low, lab) {
			continue
		}
		rest := l[len(lab):]
		if lab == "نقلا عن" || lab == "نقلاً عن" {
			if !strings.HasPrefix(rest, " ") {
				continue
			}
		} else {
			rest = strings.TrimLeft(rest, " ")
			if !strings.HasPrefix(rest, ":") && !strings.HasPrefix(rest, "：") && !strings.HasPrefix(rest, "-") {
				continue
			}
		}
		rest = strings.TrimLeft(rest, " :：-–")
		if len(strings.Fields(rest)) > 5 {
			return ""
		}
		return normOutlet(rest)
	}
	return ""
}

// attribution finds the agency or outlet the body is credited to.
func attribution(lines []string, author, site string) string {
	// A credit line at the end ("المصدر: …") or anywhere short.
	for i := len(lines) - 1; i >= 0 && i >= len(lines)-4; i-- {
		if c := creditLine(lines[i]); c != "" {
			return c
		}
	}
	for _, l := range lines {
		if c := quotedCredit(l); c != "" {
			return c
		}
	}
	// The byline: "واس - الرياض", "الوئام - رويترز", "أ. ف. ب".
	if a := agencyIn(author); a != "" {
		return a
	}
	// A dateline: "المنامة 25 شوال 1436 هـ … واس", "الرياض (رويترز) -".
	if len(lines) > 0 {
		if a := datelineAgency(lines[0]); a != "" {
			return a
		}
	}
	// Sign-offs: "(واس)", "- رويترز", "وكالات" as the last line or its end.
	for i := len(lines) - 1; i >= 0 && i >= len(lines)-3; i-- {
		if a := signOff(lines[i]); a != "" {
			return a
		}
	}
	// An agency's own site credits itself.
	if a, ok := agencyOf(site); ok {
		return a
	}
	return ""
}

// quotedCredit reads a short "نقلاً عن X" line.
func quotedCredit(l string) string {
	if len([]rune(l)) > 60 {
		return ""
	}
	for _, lab := range []string{"نقلاً عن", "نقلا عن"} {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(l), lab); ok {
			return normOutlet(rest)
		}
	}
	return ""
}

// datelineAgency reads the agency that ends or opens a dateline.
func datelineAgency(line string) string {
	if len([]rune(line)) > 160 {
		// A long first paragraph may still open with "الرياض (واس) -".
		head := []rune(line)[:60]
		if a := parenAgency(string(head)); a != "" {
			return a
		}
		return ""
	}
	words := strings.Fields(fold(line))
	if len(words) == 0 {
		return ""
	}
	for n := min(3, len(words)); n >= 1; n-- {
		if a, ok := agencies[strings.Join(words[len(words)-n:], " ")]; ok && len(words) <= 16 {
			return a
		}
	}
	return parenAgency(line)
}

// parenAgency finds "(واس)" / "(أ ف ب)".
func parenAgency(s string) string {
	for {
		i := strings.IndexAny(s, "(（")
		if i < 0 {
			return ""
		}
		s = s[i+1:]
		j := strings.IndexAny(s, ")）")
		if j < 0 {
			return ""
		}
		if a, ok := agencyOf(s[:j]); ok {
			return a
		}
		s = s[j:]
	}
}

// signOff reads an agency closing the text.
func signOff(line string) string {
	l := strings.TrimSpace(line)
	if a, ok := agencyOf(l); ok {
		return a
	}
	if a := parenAgency(l); a != "" && strings.HasSuffix(strings.TrimRight(l, ". "), ")") {
		return a
	}
	for _, sep := range []string{" - ", " – ", " — ", "- "} {
		if i := strings.LastIndex(l, sep); i >= 0 {
			if a, ok := agencyOf(l[i+len(sep):]); ok {
				return a
			}
		}
	}
	return ""
}
