package extract

import (
	"strings"
	"unicode"

	"golang.org/x/net/html/atom"
)

// boilerKind says why a subtree is not article text.
type boilerKind uint8

const (
	notBoiler boilerKind = iota
	// boilerLayout: navigation, sidebars, footers, banners: pruned unless
	// the element holds most of the page's text (a mislabelled wrapper).
	boilerLayout
	// boilerStrong: comments, share bars, related reading, newsletter
	// blurbs, ads: always pruned.
	boilerStrong
)

// Class/id words. Words are whole tokens of class and id attributes (see
// classWords), so "ad" does not match "header" and "nav" not "canvas".
var (
	strongWords = map[string]bool{
		"comment": true, "comments": true, "disqus": true, "respond": true, "reply": true, "replies": true,
		"share": true, "sharing": true, "sharer": true, "addthis": true, "sharethis": true,
		"related": true, "relatedposts": true, "recommended": true, "recommendations": true, "recirculation": true,
		"newsletter": true, "subscribe": true, "subscription": true, "signup": true,
		"ad": true, "ads": true, "adv": true, "advert": true, "advertisement": true, "adslot": true, "dfp": true,
		"sponsor": true, "sponsored": true, "promo": true, "promotion": true, "outbrain": true, "taboola": true,
		"popular": true, "trending": true, "mostread": true, "mostviewed": true,
		"tags": true, "tag": true, "taglist": true, "keywords": true, "topics": true,
		"breadcrumb": true, "breadcrumbs": true, "byline": true, "dateline": true, "date": true, "timestamp": true,
		"pubdate": true,
		"toolbar": true, "pagination": true, "pager": true, "print": true, "cookie": true, "consent": true,
		"modal": true, "popup": true, "login": true, "ticker": true, "marquee": true, "breaking": true,
		"skip": true, "caption": true, "credit": true, "credits": true, "copyright": true,
	}
	layoutWords = map[string]bool{
		"nav": true, "navbar": true, "navigation": true, "menu": true, "sidebar": true, "side": true,
		"widget": true, "widgets": true, "footer": true, "masthead": true, "banner": true, "header": true,
		"aside": true, "rail": true, "topbar": true, "bottom": true, "hidden": true,
	}
	// two-word class names: "read-more", "most-read", "sr-only" …
	strongPairs = map[[2]string]bool{
		{"read", "also"}: true, {"also", "read"}: true, {"read", "more"}: true, {"most", "read"}: true,
		{"more", "stories"}: true, {"more", "articles"}: true, {"sr", "only"}: true, {"visually", "hidden"}: true,
		{"screen", "reader"}: true, {"see", "also"}: true, {"you", "may"}: true, {"most", "viewed"}: true,
		{"post", "meta"}: true, {"entry", "meta"}: true, {"article", "meta"}: true, {"author", "info"}: true,
		{"author", "box"}: true, {"about", "author"}: true, {"author", "bio"}: true, {"next", "article"}: true,
		// "social-share", "social-icons" … but not "social-media-embed" (embedded posts are content)
		{"social", "share"}: true, {"social", "icons"}: true, {"social", "links"}: true, {"social", "buttons"}: true,
		{"social", "bar"}: true, {"social", "follow"}: true, {"social", "networks"}: true, {"social", "tools"}: true,
	}
	positiveWords = map[string]bool{
		"article": true, "articlebody": true, "body": true, "content": true, "entry": true, "main": true,
		"post": true, "text": true, "story": true, "blog": true, "page": true, "detail": true, "details": true,
		"news": true, "single": true, "prose": true, "richtext": true,
	}
)

// classBoiler classifies an element by tag, role and class words.
func classBoiler(n *node) boilerKind {
	switch n.tag {
	case atom.Nav, atom.Aside, atom.Footer, atom.Form, atom.Menu:
		return boilerLayout
	case atom.Header:
		return boilerLayout
	}
	if n.h != nil {
		switch strings.ToLower(attr(n.h, "role")) {
		case "navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "dialog", "alert", "toolbar":
			return boilerLayout
		}
	}
	// Each class name is judged by its first word (the BEM block:
	// "comment-list", "share-buttons", "sidebar-widget"), its first two
	// ("read-more", "most-read"), or a strong last word in short names
	// ("article-comments", "post-tags"). Words in the middle
	// ("content-with-sidebar", "field-label-hidden") do not count.
	kind := notBoiler
	for _, name := range splitNames(n.words) {
		first := name[0]
		if strongWords[first] || len(name) >= 2 && strongPairs[[2]string{first, name[1]}] {
			return boilerStrong
		}
		if last := name[len(name)-1]; len(name) <= 3 && len(name) > 1 && strongWords[last] {
			return boilerStrong
		}
		if layoutWords[first] || len(name) >= 2 && layoutPairs[[2]string{first, name[1]}] {
			kind = boilerLayout
		}
	}
	return kind
}

var layoutPairs = map[[2]string]bool{{"top", "bar"}: true, {"site", "header"}: true, {"site", "footer"}: true,
	{"page", "footer"}: true, {"main", "nav"}: true, {"main", "menu"}: true, {"side", "bar"}: true}

// splitNames cuts classWords' output at the empty separators.
func splitNames(words []string) [][]string {
	var out [][]string
	start := 0
	for i := 0; i <= len(words); i++ {
		if i == len(words) || words[i] == "" {
			if i > start {
				out = append(out, words[start:i])
			}
			start = i + 1
		}
	}
	return out
}

// positiveName reports a class name whose first word names content
// ("article-body", "entry-content", "story").
func positiveName(n *node) bool {
	for _, name := range splitNames(n.words) {
		if positiveWords[name[0]] {
			return true
		}
	}
	return false
}

// classWeight is readability's ±25 for content-ish / boilerplate-ish names.
func classWeight(n *node) float64 {
	w := 0.0
	for _, c := range n.words {
		if positiveWords[c] {
			w = 25
			break
		}
	}
	for _, c := range n.words {
		if strongWords[c] || layoutWords[c] {
			w -= 25
			break
		}
	}
	return w
}

// fold normalises text for phrase matching: Arabic letter variants
// (أإآ→ا, ى→ي, ة→ه), diacritics and tatweel away, Latin lower-cased,
// punctuation to spaces, spaces collapsed.
func fold(s string) string {
	f, _ := foldUpTo(s, -1)
	return f
}

// foldUpTo is fold, giving up (false) once the folded text is longer
// than limit bytes (limit < 0: no limit): a lookup of short names need
// not fold a paragraph.
func foldUpTo(s string, limit int) (string, bool) {
	var b strings.Builder
	if limit < 0 {
		b.Grow(len(s))
	} else {
		b.Grow(min(len(s), limit+1))
	}
	space := true
	for _, r := range s {
		switch {
		case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
			r = 'ا'
		case r == 'ى':
			r = 'ي'
		case r == 'ة':
			r = 'ه'
		case r == 'ـ' || (r >= 0x064B && r <= 0x065F) || r == 0x0670:
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
			space = false
		} else if !space {
			b.WriteByte(' ')
			space = true
		}
		// One trailing space is trimmed below.
		if limit >= 0 && b.Len() > limit+1 {
			return "", false
		}
	}
	f := strings.TrimSpace(b.String())
	return f, limit < 0 || len(f) <= limit
}

// Related-reading phrases (folded). An element whose whole text is one of
// these is a heading of a related box; a paragraph that starts with one of
// the lead phrases and links elsewhere is an inline "read also".
var (
	relatedHeadings = []string{
		"اقرا ايضا", "اقرا ايضاً", "اقرا كذلك", "اقرا المزيد", "طالع ايضا", "طالع كذلك", "شاهد ايضا", "شاهد كذلك",
		"انظر ايضا", "يهمك ايضا", "قد يهمك", "قد يهمك ايضا", "قد يعجبك", "قد يعجبك ايضا", "ننصحك بقراءه",
		"مقالات مشابهه", "مقالات ذات صله", "اخبار ذات صله", "مواضيع ذات صله", "موضوعات ذات صله", "ذات صله",
		"اخبار مشابهه", "مواضيع مشابهه", "اخبار متعلقه", "مقالات متعلقه", "اخترنا لك", "المزيد من الاخبار",
		"الاكثر قراءه", "الاكثر مشاهده", "الاكثر تداولا", "الاكثر تعليقا", "الاكثر مشاركه", "الاكثر قراءه اليوم",
		"اخر الاخبار", "احدث الاخبار", "اخبار اخري", "مقالات اخري", "المزيد", "للمزيد", "تابع ايضا", "روابط ذات صله",
		"مواضيع قد تهمك", "مقالات قد تهمك", "اخبار قد تهمك", "قد يعجبك ايضا", "ننصحك ايضا", "مواضيع مقترحه", "مقترحات",
		"اقرا في", "الاكثر تفاعلا", "الاكثر زياره", "الاكثر شعبيه", "اخبار متعلقه", "مقالات مرتبطه", "اخبار مرتبطه",
		"اهم الاخبار", "عناوين اخري", "في نفس القسم", "من نفس القسم", "اخترنا لكم", "مختارات", "شاهد ايضا", "فيديو ذات صله",
		"related", "related articles", "related stories", "related news", "related posts", "related content",
		"related coverage", "related topics", "read more", "read also", "also read", "see also", "more stories",
		"more from", "most read", "most popular", "most viewed", "recommended", "recommended for you",
		"you may also like", "you might also like", "read next", "up next", "trending", "trending now",
		"more on this story", "more on this", "further reading", "popular", "latest news", "top stories",
		"explore further", "don t miss", "dont miss", "must read", "must reads", "more like this", "in other news", "editor s picks", "editors picks", "more news",
		// other languages news pages are written in
		"voce pode gostar", "você pode gostar", "veja tambem", "veja também", "leia tambem", "leia também",
		"relacionados", "noticias relacionadas", "notícias relacionadas", "materias relacionadas", "matérias relacionadas",
		"te puede interesar", "lee tambien", "lee también", "tambien te puede interesar", "también te puede interesar",
		"a lire aussi", "à lire aussi", "lire aussi", "voir aussi", "sur le meme sujet", "sur le même sujet",
		"das konnte sie auch interessieren", "das könnte sie auch interessieren", "mehr zum thema", "weitere artikel",
		"auch interessant", "leggi anche", "potrebbe interessarti", "ayrica bakiniz", "ilginizi cekebilir",
		"читайте также", "самые популярные", "популярное", "похожие статьи", "похожие новости", "по теме",
	}
	// lead phrases that open an inline related-link paragraph
	relatedLeads = []string{
		"اقرا ايضا", "اقرا كذلك", "اقرا المزيد", "طالع ايضا", "طالع كذلك", "شاهد ايضا", "شاهد كذلك", "انظر ايضا",
		"للمزيد", "ذات صله", "اقرا", "طالع", "شاهد", "مواضيع ذات صله", "اخبار ذات صله", "يهمك ايضا", "قد يهمك",
		"read more", "read also", "also read", "see also", "related", "more", "read", "watch", "listen",
	}
	commentHeadings = []string{
		"التعليقات", "تعليقات", "تعليق", "اضف تعليق", "اضف تعليقك", "اترك تعليقا", "اترك تعليق", "شارك برايك",
		"اراء القراء", "تعليقات القراء", "تعليقات الزوار", "اكتب تعليقك", "اكتب تعليقا", "ارسل تعليقك", "ردود",
		"comments", "comment", "leave a reply", "leave a comment", "join the conversation", "join the discussion",
		"post a comment", "add a comment", "discussion", "conversation", "tell us what you think",
		"комментарии", "добавить отзыв", "отзывы", "comentarios", "comentários", "commentaires",
	}
	// lines that are boilerplate wherever they stand (folded prefixes)
	boilerLines = []string{
		"جميع الحقوق محفوظه", "كل الحقوق محفوظه", "الحقوق محفوظه", "اشترك في النشره", "اشترك في نشرتنا",
		"النشره البريديه", "التعليقات المنشوره لا تعبر", "التعليقات لا تعبر", "اضف تعليقك", "نسخ الرابط",
		"كلمات دلاليه", "الكلمات الدلاليه", "وسوم", "شارك عبر", "شارك على", "انشر على", "سجل بريدك", "النشره الاخباريه",
		"القائمه البريديه", "اشترك الان", "تابعوا", "لمتابعه اخر الاخبار", "حمل التطبيق",
		"شارك المقال", "شارك الخبر", "شارك هذا", "الوسوم", "الكلمات المفتاحيه", "كلمات مفتاحيه", "تابعونا على",
		"تابعنا على", "حمل تطبيق", "اقرا الخبر من المصدر", "رابط مختصر", "طباعه", "ارسل لصديق",
		"all rights reserved", "copyright", "sign up for", "subscribe to", "share this", "share on", "follow us",
		"tags", "topics", "click here to", "advertisement", "related topics", "this article was originally published",
	}
)

// furnitureLines are whole lines that are never article text.
var furnitureLines = map[string]bool{
	"advert": true, "advertisement": true, "ad": true, "sponsored": true, "sponsored content": true,
	"publicite": true, "publicité": true, "anzeige": true, "publicidad": true, "publicidade": true,
	"اعلان": true, "إعلان": true, "مساحه اعلانيه": true, "اعلان مدفوع": true,
	"this slideshow requires javascript": true, "like this story share it with a friend": true,
	"share": true, "tweet": true, "email": true, "print": true, "comments": true, "شارك": true, "طباعه": true,
	"sharing is caring": true, "share this article": true, "share this story": true, "share this post": true,
	"back": true, "back to top": true, "voltar": true, "volver": true, "retour": true, "رجوع": true, "العوده": true,
	"للاعلي": true, "الي الاعلي": true,
}

// promoLine reports a newsletter or subscription pitch: a short line that
// asks to sign up and names what for ("Sign up for the free daily
// newsletter", «اشترك في نشرتنا البريدية ليصلك…»).
func promoLine(folded string) bool {
	if len(folded) > 400 {
		return false
	}
	ask := false
	for _, w := range []string{"sign up", "signup", "subscribe", "اشترك"} {
		if strings.Contains(folded, w) {
			ask = true
			break
		}
	}
	if !ask {
		return false
	}
	for _, w := range []string{"newsletter", "inbox", "نشره", "النشره", "بريدك", "البريد الالكتروني"} {
		if strings.Contains(folded, w) {
			return true
		}
	}
	return false
}

// captionLine reports a photo caption or credit that stands as its own
// paragraph: "… (Image: GETTY)", "Photo: AP", «(الصورة: واس)».
func captionLine(raw string) bool {
	l := strings.TrimSpace(raw)
	if l == "" || len(l) > 400 {
		return false
	}
	low := strings.ToLower(l)
	// a bare credit: "Jane Roe | Bloomberg | Getty Images", "Photo by X/AFP"
	if len(l) < 120 && (strings.HasSuffix(low, "getty images") || strings.HasSuffix(low, "shutterstock") ||
		strings.HasPrefix(low, "photo by ") || strings.HasPrefix(low, "ap photo") || strings.HasPrefix(low, "(ap photo")) {
		return true
	}
	for _, lab := range []string{"image:", "photo:", "picture:", "foto:", "credit:", "photograph:", "الصورة:", "صورة:", "تصوير:"} {
		if strings.HasPrefix(low, lab) || strings.HasPrefix(low, "("+lab) {
			return true
		}
		if i := strings.LastIndex(low, "("+lab); i > 0 && strings.HasSuffix(strings.TrimRight(low, " ."), ")") {
			return true
		}
	}
	return false
}

// relatedPrefixes open longer box headings: «اقرأ أيضاً في الاقتصاد»,
// «المزيد من أخبار الرياضة», "More from Politics".
var relatedPrefixes = []string{"اقرا ايضا", "المزيد من", "اخبار ذات صله", "مقالات ذات صله", "الاكثر قراءه",
	"more from", "more on", "related", "also in", "more in", "latest from", "more stories from"}

// relatedHeading reports a short text that names a related-reading,
// most-read or comments box.
func relatedHeading(folded string) bool {
	if folded == "" || len(folded) > 80 {
		return false
	}
	// "التعليقات (3)", "5 comments", "Related: …" headings
	t := strings.TrimFunc(folded, func(r rune) bool { return unicode.IsDigit(r) || r == ' ' })
	for _, h := range relatedHeadings {
		if t == h {
			return true
		}
	}
	for _, h := range commentHeadings {
		if t == h {
			return true
		}
	}
	if n := len(strings.Fields(t)); n <= 6 {
		for _, p := range relatedPrefixes {
			if hasPrefixWord(t, p) {
				return true
			}
		}
	}
	return false
}

// hasPrefixWord reports whether folded starts with phrase as whole words.
func hasPrefixWord(folded, phrase string) bool {
	return strings.HasPrefix(folded, phrase) && (len(folded) == len(phrase) || folded[len(phrase)] == ' ')
}

// relatedLead reports a paragraph opened by a read-also phrase followed by
// a colon or a link ("اقرأ أيضاً: …", "للمزيد: …", "Read more: …").
func relatedLead(raw, folded string) bool {
	for _, p := range relatedLeads {
		if hasPrefixWord(folded, p) {
			// The lead must be a label: followed by a colon, a dash or an
			// arrow in the raw text, or be the whole paragraph.
			rest := afterLabel(raw, len(strings.Fields(p)))
			return rest
		}
	}
	return false
}

// afterLabel reports whether, after the first nWords words of raw, a label
// mark (: - – » ← | …) or the end follows.
func afterLabel(raw string, nWords int) bool {
	i := 0
	words := 0
	in := false
	rs := []rune(raw)
	for i < len(rs) && words <= nWords {
		r := rs[i]
		isW := unicode.IsLetter(r) || unicode.IsDigit(r) || (r >= 0x064B && r <= 0x065F) || r == 'ـ'
		if isW && !in {
			words++
			in = true
			if words > nWords {
				break
			}
		}
		if !isW {
			in = false
		}
		i++
	}
	if words <= nWords {
		return true // nothing but the label
	}
	// look at the characters between the label and the next word
	j := i - 1
	for j >= 0 && !(unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j])) {
		switch rs[j] {
		case ':', '：', '-', '–', '—', '»', '«', '←', '|', '>', '؛', '…', '⬅', '◄', '▶', '►':
			return true
		}
		j--
	}
	return false
}

// boilerLine reports a short line that is site furniture.
func boilerLine(folded string) bool {
	if len(folded) > 200 {
		return false
	}
	if furnitureLines[folded] {
		return true
	}
	for _, p := range boilerLines {
		if hasPrefixWord(folded, p) {
			return true
		}
	}
	return false
}
