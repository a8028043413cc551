package extract

import (
	"encoding/json"
	"net/url"
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/html/atom"

	"github.com/marsad/marsad/internal/arabic"
)

// ld is what marsad reads from JSON-LD (schema.org Article and kin).
type ld struct {
	headline, author, published, modified, image, site, section, lang, desc string
	keywords                                                                []string
}

func (p *page) metaVal(keys ...string) string {
	for _, k := range keys {
		for _, m := range p.metas {
			if m.key == k && m.val != "" {
				return m.val
			}
		}
	}
	return ""
}

// readMeta fills everything but the body.
func (p *page) readMeta() {
	r := p.res
	j := p.readJSONLD()

	r.SiteName = firstNonEmpty(p.metaVal("og:site_name"), j.site, p.metaVal("application-name", "twitter:site"))
	if strings.HasPrefix(r.SiteName, "@") {
		r.SiteName = ""
	}
	r.Title = p.chooseTitle(j.headline)
	if r.SiteName == "" && r.Title != "" {
		// "headline - Site": what the page title adds to the headline.
		if rest, ok := strings.CutPrefix(collapse(p.title), r.Title); ok {
			rest = strings.TrimSpace(strings.TrimLeft(rest, " |:-–—«»·/"))
			if n := len(strings.Fields(rest)); n > 0 && n <= 5 {
				r.SiteName = rest
			}
		}
	}
	r.Description = collapse(firstNonEmpty(p.metaVal("og:description", "description", "twitter:description"), j.desc))
	r.Section = collapse(firstNonEmpty(p.metaVal("article:section"), j.section))
	r.Tags = p.tags(j.keywords)

	r.CanonicalURL = p.abs(firstNonEmpty(p.canon, p.metaVal("og:url")))
	if r.CanonicalURL == "" && p.base != nil {
		r.CanonicalURL = p.base.String()
	}
	r.Image = p.abs(firstNonEmpty(p.metaVal("og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src"), j.image))

	lang := firstNonEmpty(p.htmlLang, j.lang, p.metaVal("og:locale", "http-equiv:content-language", "content-language", "language", "dc.language"))
	r.Lang = normLang(lang)

	r.Author = cleanAuthor(firstNonEmpty(j.author, p.metaAuthor(), p.bylineAuthor(), p.bylineAfterTitle()))

	r.Published = p.parseFirst(j.published, p.metaVal("article:published_time", "og:published_time", "datepublished",
		"publishdate", "pubdate", "publish-date", "publish_date", "date", "dc.date.issued", "dc.date", "dcterms.created",
		"sailthru.date", "parsely-pub-date", "article.published", "published_time", "timestamp"))
	r.Modified = p.parseFirst(j.modified, p.metaVal("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified"))
	if r.Published.IsZero() {
		r.Published = p.timeElement(false)
	}
	if r.Modified.IsZero() {
		r.Modified = p.timeElement(true)
	}
	if r.Published.IsZero() {
		r.Published = p.dateText()
	}
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

func (p *page) abs(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if p.base != nil {
		u = p.base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		if p.base == nil && u.Scheme == "" {
			return u.String()
		}
		return ""
	}
	return u.String()
}

func normLang(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, "_", "-")
	if i := strings.IndexAny(s, "-,; "); i > 0 {
		s = s[:i]
	}
	if len(s) < 2 || len(s) > 3 {
		return ""
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return ""
		}
	}
	return s
}

// chooseTitle prefers the page's <h1> when it agrees with the metadata
// (it never carries a site suffix), then og:title / JSON-LD headline, then
// <title> without the site name.
func (p *page) chooseTitle(headline string) string {
	metaTitle := collapse(firstNonEmpty(p.metaVal("og:title", "twitter:title"), headline))
	docTitle := collapse(p.title)
	for _, h := range p.h1s {
		t := nodeText(h)
		if t == "" || len(t) > 400 {
			continue
		}
		ft := fold(t)
		if (metaTitle != "" && strings.Contains(fold(metaTitle), ft)) || (docTitle != "" && strings.Contains(fold(docTitle), ft)) {
			return t
		}
	}
	if docTitle != "" && p.res.SiteName == "" {
		// "headline | Site": the part the title loses names the site.
		if t := stripSiteSuffix(docTitle, ""); t != docTitle {
			if rest := strings.TrimSpace(strings.TrimPrefix(docTitle, t)); rest != "" {
				p.res.SiteName = strings.TrimSpace(strings.TrimLeft(rest, "|:-–—«»·/ "))
			}
		}
	}
	if metaTitle != "" {
		return stripSiteSuffix(metaTitle, p.res.SiteName)
	}
	if docTitle != "" {
		return stripSiteSuffix(docTitle, p.res.SiteName)
	}
	if len(p.h1s) == 1 {
		return nodeText(p.h1s[0])
	}
	return ""
}

// titleSeps split "headline | site" titles.
var titleSeps = []string{" | ", " - ", " – ", " — ", " :: ", " « ", " » ", " · ", " / "}

// stripSiteSuffix removes the site name at either end of a title.
func stripSiteSuffix(t, site string) string {
	fs := fold(site)
	for _, sep := range titleSeps {
		parts := strings.Split(t, sep)
		if len(parts) < 2 {
			continue
		}
		last := strings.TrimSpace(parts[len(parts)-1])
		first := strings.TrimSpace(parts[0])
		switch {
		case fs != "" && (fold(last) == fs || strings.Contains(fs, fold(last)) || strings.Contains(fold(last), fs)):
			return strings.TrimSpace(strings.Join(parts[:len(parts)-1], sep))
		case fs != "" && (fold(first) == fs || strings.Contains(fs, fold(first))):
			return strings.TrimSpace(strings.Join(parts[1:], sep))
		case fs == "" && (sep == " | " || sep == " :: ") && len(parts[len(parts)-1]) < len(strings.Join(parts[:len(parts)-1], sep)):
			// "headline | Site": the shorter last part is the site
			return strings.TrimSpace(strings.Join(parts[:len(parts)-1], sep))
		}
	}
	return t
}

func (p *page) tags(kw []string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		s = collapse(s)
		if s != "" && !seen[s] && len(out) < 30 {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, m := range p.metas {
		if m.key == "article:tag" {
			add(m.val)
		}
	}
	for _, k := range kw {
		add(k)
	}
	if len(out) == 0 {
		if v := p.metaVal("keywords", "news_keywords"); v != "" {
			sep := ","
			if !strings.Contains(v, ",") && strings.Contains(v, "،") {
				sep = "،"
			}
			for _, k := range strings.Split(v, sep) {
				add(k)
			}
		}
	}
	return out
}

func (p *page) metaAuthor() string {
	for _, k := range []string{"author", "article:author", "dc.creator", "byl", "sailthru.author", "parsely-author", "twitter:creator"} {
		v := p.metaVal(k)
		if v == "" || strings.HasPrefix(v, "http") || strings.HasPrefix(v, "@") {
			continue
		}
		return v
	}
	return ""
}

// bylineAuthor reads rel=author links and byline/author elements.
func (p *page) bylineAuthor() string {
	var found string
	var walk func(n *node) bool
	walk = func(n *node) bool {
		if n.isText() {
			return false
		}
		if n.tag == atom.A && hasWord(strings.ToLower(attr(n.h, "rel")), "author") || strings.EqualFold(attr(n.h, "itemprop"), "author") {
			found = nodeText(n)
			return found != ""
		}
		for i, w := range n.words {
			if w == "byline" || w == "author" && (i+1 >= len(n.words) || n.words[i+1] != "bio") || w == "writer" {
				if n.textLen > 0 && n.textLen < 80 && n.anchors <= 2 {
					found = nodeText(n)
					return found != ""
				}
			}
		}
		for _, k := range n.kids {
			if walk(k) {
				return true
			}
		}
		return false
	}
	if p.root != nil {
		walk(p.root)
	}
	return found
}

// bylinePrefixes open a printed byline.
var bylinePrefixes = []string{"بقلم", "كتب", "كتبت", "By ", "BY ", "by "}

// bylineAfterTitle reads a "بقلم: …" / "By …" line among the short blocks
// that follow the title (pages with no byline markup).
func (p *page) bylineAfterTitle() string {
	title := p.titleNode()
	if title == nil {
		return ""
	}
	seen := 0
	for n := nextNode(title, true); n != nil && seen < 30; n = nextNode(n, false) {
		if n.isText() {
			continue
		}
		seen++
		if n.textLen == 0 || n.textLen > 60 || !phrasing(n) {
			continue
		}
		t := nodeText(n)
		for _, pre := range bylinePrefixes {
			if strings.HasPrefix(t, pre) {
				if a := cleanAuthor(t); a != "" && a != t {
					return a
				}
			}
		}
	}
	return ""
}

// phrasing reports an element whose text children are text or simple
// inline markup (a, b, strong, em, i): one line of one thing.
func phrasing(n *node) bool {
	for _, k := range n.kids {
		if k.isText() || k.textLen == 0 {
			continue
		}
		switch k.tag {
		case atom.A, atom.B, atom.Strong, atom.Em, atom.I:
		default:
			return false
		}
	}
	return true
}

// cleanAuthor trims byline furniture: "بقلم:", "By", "كتب -".
func cleanAuthor(s string) string {
	s = collapse(s)
	for _, pre := range []string{"بقلم", "كتب", "كتبت", "إعداد", "اعداد", "تحرير", "by", "By", "BY", "written by", "Written by"} {
		if strings.HasPrefix(s, pre) {
			rest := strings.TrimLeft(s[len(pre):], " :-–—")
			if rest != "" && len(rest) < len(s) && (len(s) == len(pre) || s[len(pre)] == ' ' || s[len(pre)] == ':') {
				s = rest
			}
			break
		}
	}
	if len([]rune(s)) > 100 {
		return ""
	}
	return s
}

func (p *page) parseFirst(vs ...string) time.Time {
	for _, v := range vs {
		if v == "" {
			continue
		}
		if t, err := arabic.ParseDate(v, p.e.tz, p.e.now()); err == nil {
			return t
		}
	}
	return time.Time{}
}

// timeElement reads <time datetime> (or its text): the first published
// one, or the one marked as an update when modified is set.
func (p *page) timeElement(modified bool) time.Time {
	for _, t := range p.times {
		upd := false
		for _, w := range t.words {
			if w == "updated" || w == "modified" || w == "update" {
				upd = true
			}
		}
		if ip := strings.ToLower(attr(t.h, "itemprop")); ip == "datemodified" {
			upd = true
		} else if ip == "datepublished" {
			upd = false
		}
		if upd != modified {
			continue
		}
		if inBoiler(t) {
			continue
		}
		if v := p.parseFirst(attr(t.h, "datetime"), nodeText(t)); !v.IsZero() {
			return v
		}
	}
	return time.Time{}
}

func inBoiler(n *node) bool {
	for ; n != nil; n = n.parent {
		if n.boiler == boilerStrong {
			return true
		}
		for _, w := range n.words {
			if w == "comment" || w == "comments" || w == "related" {
				return true
			}
		}
	}
	return false
}

// dateText looks for a printed date (pages without metadata or <time>):
// first in elements named date/time/published/meta, then in the short
// blocks that follow the title.
func (p *page) dateText() time.Time {
	if p.root == nil {
		return time.Time{}
	}
	var found time.Time
	var walk func(n *node) bool
	walk = func(n *node) bool {
		if n.isText() || n.boiler == boilerStrong && relatedBoxWords(n) {
			return false
		}
		for _, w := range n.words {
			switch w {
			case "date", "time", "published", "pubdate", "timestamp", "datetime", "posted", "meta", "dateline", "byline", "info":
				if n.textLen > 0 && n.textLen < 120 {
					if t := p.parseFirst(nodeText(n)); !t.IsZero() {
						found = t
						return true
					}
				}
			}
		}
		for _, k := range n.kids {
			if walk(k) {
				return true
			}
		}
		return false
	}
	if walk(p.root) {
		return found
	}
	// After the title: the first short block that is a date.
	title := p.titleNode()
	if title == nil {
		return time.Time{}
	}
	seen := 0
	for n := nextNode(title, false); n != nil && seen < 60; n = nextNode(n, false) {
		if n.isText() {
			continue
		}
		seen++
		if n.textLen > 0 && n.textLen < 80 && !hasBlockKids(n) {
			if t := p.parseFirst(nodeText(n)); !t.IsZero() {
				return t
			}
		}
	}
	return time.Time{}
}

// titleNode is the heading that shows the article's title: the first
// <h1>, or an <h2>/<h3> whose text is the title.
func (p *page) titleNode() *node {
	for _, h := range p.h1s {
		if h.textLen > 0 {
			return h
		}
	}
	if p.res.Title == "" {
		return nil
	}
	ft := fold(p.res.Title)
	for _, h := range p.heads {
		if fold(nodeText(h)) == ft {
			return h
		}
	}
	return nil
}

// relatedBoxWords reports a pruned comments or related box (their dates
// belong to other texts).
func relatedBoxWords(n *node) bool {
	if titledBox(n) {
		return true
	}
	for _, w := range n.words {
		if w == "comment" || w == "comments" || w == "related" || w == "popular" || w == "recommended" {
			return true
		}
	}
	return false
}

// nextNode walks the mirrored tree in document order (skipping n's
// subtree when skipKids).
func nextNode(n *node, skipKids bool) *node {
	if !skipKids && len(n.kids) > 0 {
		return n.kids[0]
	}
	for n != nil {
		par := n.parent
		if par == nil {
			return nil
		}
		for i, k := range par.kids {
			if k == n && i+1 < len(par.kids) {
				return par.kids[i+1]
			}
		}
		n = par
	}
	return nil
}

// readJSONLD reads the first Article-like object of the page's JSON-LD.
func (p *page) readJSONLD() ld {
	var out ld
	for _, raw := range p.jsonld {
		var v any
		if err := json.Unmarshal([]byte(strings.TrimSpace(raw)), &v); err != nil {
			continue
		}
		if obj := findArticle(v, 0); obj != nil {
			out.headline = str(obj["headline"])
			if out.headline == "" {
				out.headline = str(obj["name"])
			}
			out.author = names(obj["author"])
			out.published = str(obj["datePublished"])
			if out.published == "" {
				out.published = str(obj["dateCreated"])
			}
			out.modified = str(obj["dateModified"])
			out.image = imageURL(obj["image"])
			out.section = firstOf(obj["articleSection"])
			out.lang = str(obj["inLanguage"])
			out.desc = str(obj["description"])
			if pub, ok := obj["publisher"].(map[string]any); ok {
				out.site = str(pub["name"])
			}
			switch k := obj["keywords"].(type) {
			case string:
				for _, w := range strings.Split(k, ",") {
					out.keywords = append(out.keywords, w)
				}
			case []any:
				for _, w := range k {
					out.keywords = append(out.keywords, str(w))
				}
			}
			return out
		}
	}
	return out
}

var articleTypes = map[string]bool{
	"article": true, "newsarticle": true, "reportagenewsarticle": true, "analysisnewsarticle": true,
	"opinionnewsarticle": true, "blogposting": true, "liveblogposting": true, "report": true,
	"backgroundnewsarticle": true, "reviewnewsarticle": true, "scholarlyarticle": true, "techarticle": true,
	"socialmediaposting": true, "webpage": false,
}

func findArticle(v any, depth int) map[string]any {
	if depth > 6 {
		return nil
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if o := findArticle(e, depth+1); o != nil {
				return o
			}
		}
	case map[string]any:
		if isArticleType(x["@type"]) {
			return x
		}
		for _, k := range []string{"@graph", "mainEntity", "mainEntityOfPage"} {
			if o := findArticle(x[k], depth+1); o != nil {
				return o
			}
		}
	}
	return nil
}

func isArticleType(t any) bool {
	switch x := t.(type) {
	case string:
		return articleTypes[strings.ToLower(x)]
	case []any:
		for _, e := range x {
			if isArticleType(e) {
				return true
			}
		}
	}
	return false
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case float64:
		return ""
	case map[string]any:
		return str(x["name"])
	case []any:
		if len(x) > 0 {
			return str(x[0])
		}
	}
	return ""
}

func firstOf(v any) string { return collapse(str(v)) }

func names(v any) string {
	switch x := v.(type) {
	case []any:
		var ns []string
		for _, e := range x {
			if n := names(e); n != "" {
				ns = append(ns, n)
			}
		}
		return strings.Join(ns, "، ")
	case map[string]any:
		return collapse(str(x["name"]))
	case string:
		if strings.HasPrefix(x, "http") {
			return ""
		}
		return collapse(x)
	}
	return ""
}

func imageURL(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		if len(x) > 0 {
			return imageURL(x[0])
		}
	case map[string]any:
		if u := str(x["url"]); u != "" {
			return u
		}
		return str(x["contentUrl"])
	}
	return ""
}

// detectLang guesses ar/en from the body's script when the page says
// nothing.
func detectLang(text string) string {
	var arabicN, latin int
	for i, r := range text {
		if i > 4000 {
			break
		}
		switch {
		case unicode.Is(unicode.Arabic, r):
			arabicN++
		case r < 128 && unicode.IsLetter(r):
			latin++
		}
	}
	switch {
	case arabicN > latin:
		return "ar"
	case latin > 0:
		return "en"
	}
	return ""
}
