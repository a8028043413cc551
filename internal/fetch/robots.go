package fetch

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"
	"time"
)

// Robots is a parsed robots.txt (RFC 9309) reduced to the rules for one
// crawler: the groups naming its product token, else the "*" groups.
//
// Written here rather than taken from a library: the parser is ~150 lines,
// the popular Go packages predate RFC 9309 (percent-encoding equivalence,
// longest-match precedence) and none is maintained for it.
type Robots struct {
	rules []rule
	// Delay is the Crawl-delay for this crawler; 0 when none.
	Delay time.Duration
	// Sitemaps lists every Sitemap: line (they apply to all crawlers).
	Sitemaps []string
	// disallowAll is set for an unreachable robots.txt (5xx, network
	// error): RFC 9309 §2.3.1.4 says assume complete disallow.
	disallowAll bool
}

type rule struct {
	allow   bool
	pattern string // normalised (see normPath)
}

// maxRobotsBytes is how much of a robots.txt is parsed; RFC 9309 asks for
// at least 500 KiB.
const maxRobotsBytes = 512 << 10

// maxCrawlDelay caps a site's Crawl-delay so a typo cannot stall a source.
const maxCrawlDelay = 60 * time.Second

// AllowAllRobots is the rule set for a missing robots.txt (4xx).
func AllowAllRobots() *Robots { return &Robots{} }

// DisallowAllRobots is the rule set for an unreachable robots.txt (5xx).
func DisallowAllRobots() *Robots { return &Robots{disallowAll: true} }

// ParseRobots parses body for the crawler whose product token is agent
// (matched case-insensitively, e.g. "marsad").
func ParseRobots(body []byte, agent string) *Robots {
	if len(body) > maxRobotsBytes {
		body = body[:maxRobotsBytes]
	}
	agent = strings.ToLower(agent)
	type group struct {
		agents []string
		rules  []rule
		delay  time.Duration
		hasDel bool
	}
	var (
		groups   []*group
		cur      *group
		inAgents bool // the previous line was a user-agent line
		sitemaps []string
	)
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 4096), maxRobotsBytes)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		val = strings.TrimSpace(val)
		switch key {
		case "user-agent", "useragent", "user agent":
			if !inAgents || cur == nil {
				cur = &group{}
				groups = append(groups, cur)
			}
			cur.agents = append(cur.agents, strings.ToLower(val))
			inAgents = true
		case "allow", "disallow":
			inAgents = false
			if cur == nil || val == "" { // an empty disallow allows everything
				continue
			}
			cur.rules = append(cur.rules, rule{allow: key == "allow", pattern: normPath(val)})
		case "crawl-delay", "crawldelay":
			inAgents = false
			if cur == nil {
				continue
			}
			if f, err := strconv.ParseFloat(val, 64); err == nil && f >= 0 && f < 1e6 {
				cur.delay = min(time.Duration(f*float64(time.Second)), maxCrawlDelay)
				cur.hasDel = true
			}
		case "sitemap":
			sitemaps = append(sitemaps, val)
		default:
			inAgents = false
		}
	}
	r := &Robots{Sitemaps: sitemaps}
	pick := func(match func(a string) bool) bool {
		found := false
		for _, g := range groups {
			for _, a := range g.agents {
				if match(a) {
					found = true
					r.rules = append(r.rules, g.rules...)
					if g.hasDel {
						r.Delay = max(r.Delay, g.delay)
					}
					break
				}
			}
		}
		return found
	}
	if !pick(func(a string) bool { return a != "*" && productToken(a) == agent }) {
		pick(func(a string) bool { return a == "*" })
	}
	return r
}

// productToken is the part of a user-agent line a crawler matches on:
// "Googlebot/2.1" → "googlebot".
func productToken(a string) string {
	if i := strings.IndexAny(a, "/ "); i > 0 {
		return a[:i]
	}
	return a
}

// Allowed reports whether the path-and-query (as in a request line, e.g.
// "/news/%D8%A7?id=1") may be fetched: the longest matching rule wins, allow
// winning a tie; no matching rule allows. /robots.txt is always allowed.
func (r *Robots) Allowed(pathQuery string) bool {
	if r == nil {
		return true
	}
	if pathQuery == "" {
		pathQuery = "/"
	}
	if pathQuery == "/robots.txt" {
		return true
	}
	if r.disallowAll {
		return false
	}
	p := normPath(pathQuery)
	best, allow := -1, true
	for _, ru := range r.rules {
		n := matchLen(ru.pattern, p)
		if n < 0 {
			continue
		}
		if n > best || (n == best && ru.allow) {
			best, allow = n, ru.allow
		}
	}
	return allow
}

// matchLen matches pattern (with * wildcards and a final $ anchor) against
// the start of p and returns the pattern's length as its specificity, or -1.
func matchLen(pattern, p string) int {
	anchored := strings.HasSuffix(pattern, "$")
	pat := strings.TrimSuffix(pattern, "$")
	if !strings.Contains(pat, "*") {
		if anchored {
			if p == pat {
				return len(pattern)
			}
			return -1
		}
		if strings.HasPrefix(p, pat) {
			return len(pattern)
		}
		return -1
	}
	parts := strings.Split(pat, "*")
	if !strings.HasPrefix(p, parts[0]) {
		return -1
	}
	rest := p[len(parts[0]):]
	for i, part := range parts[1:] {
		last := i == len(parts)-2
		if last && anchored {
			if !strings.HasSuffix(rest, part) {
				return -1
			}
			return len(pattern)
		}
		j := strings.Index(rest, part)
		if j < 0 {
			return -1
		}
		rest = rest[j+len(part):]
	}
	return len(pattern)
}

// normPath brings a robots.txt pattern or a request path into one form so
// they compare byte-wise (RFC 9309 §2.2.2): bytes outside printable ASCII
// are percent-encoded, escapes of unreserved characters are decoded, and
// remaining escapes use upper-case hex. So "/أخبار" in robots.txt matches
// "/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1" in a URL, and "/%7Euser" matches "/~user".
func normPath(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			v := unhex(s[i+1])<<4 | unhex(s[i+2])
			if isUnreserved(v) {
				b.WriteByte(v)
			} else {
				b.WriteByte('%')
				b.WriteByte(hex[v>>4])
				b.WriteByte(hex[v&15])
			}
			i += 2
		case c <= 0x20 || c >= 0x7f || c == '%':
			// A '%' that starts no escape is a literal one: written as %25
			// it cannot pair with what follows once decoded ("%%610" was
			// "%a0" after one pass and "%A0" after two; fuzzer).
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}
