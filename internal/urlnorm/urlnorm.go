// Package urlnorm gives URLs an identity: two addresses of the same article
// (http/https, www./m./amp variants, tracking parameters, fragments, trailing
// slashes, percent-encoded or raw Arabic paths) get the same Key. Keys are
// for matching only; marsad shows and links the URL as published.
package urlnorm

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/marsad/marsad/internal/news"
)

// Key returns raw's identity key: host (lower-case, without www./m./amp.
// prefixes and default ports) + path (percent-decoded where that is
// unambiguous, no trailing slash, no AMP suffix) + the query without
// tracking parameters, sorted. The scheme is dropped: http and https
// addresses of one article are one article.
func Key(raw string) (string, error) {
	u, err := parse(raw)
	if err != nil {
		return "", err
	}
	host := hostKey(u)
	p := pathKey(u.EscapedPath())
	q := queryKey(u.RawQuery)
	if q != "" {
		return host + p + "?" + q, nil
	}
	return host + p, nil
}

// Clean returns raw without tracking parameters and fragment, with the
// scheme and host lower-cased and default ports dropped, for storing and
// showing. Unlike Key it keeps the host's www. and the path's form.
func Clean(raw string) (string, error) {
	u, err := parse(raw)
	if err != nil {
		return "", err
	}
	u.Fragment, u.RawFragment = "", ""
	u.Host = strings.ToLower(u.Host)
	if port := u.Port(); (port == "80" && u.Scheme == "http") || (port == "443" && u.Scheme == "https") {
		u.Host = u.Hostname()
		if strings.Contains(u.Host, ":") { // IPv6 literal
			u.Host = "[" + u.Host + "]"
		}
	}
	u.RawQuery = escapeSpace(cleanQuery(u.RawQuery))
	u.ForceQuery = false
	return u.String(), nil
}

func parse(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("urlnorm: %q: %w", raw, news.ErrInvalid)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	// A host of only dots or only a port ("http://..", "http://:80";
	// fuzzer) names no server.
	if (u.Scheme != "http" && u.Scheme != "https") || strings.Trim(u.Hostname(), ".") == "" {
		return nil, fmt.Errorf("urlnorm: %q is not an absolute http(s) URL: %w", raw, news.ErrInvalid)
	}
	return u, nil
}

// Prefixes that name a mobile or AMP edition of the same site.
var hostPrefixes = []string{"www.", "m.", "mobile.", "amp."}

func hostKey(u *url.URL) string {
	host := strings.TrimRight(strings.ToLower(u.Hostname()), ".")
	// Repeatedly, so the key of a key is itself ("www.www..0" → "www..0"
	// → ".0" took two calls; fuzzer).
	for cut := true; cut; {
		cut = false
		for _, p := range hostPrefixes {
			if rest, ok := strings.CutPrefix(host, p); ok && strings.Contains(rest, ".") {
				host, cut = rest, true
				break
			}
		}
	}
	if port := u.Port(); port != "" && port != "80" && port != "443" {
		host += ":" + port
	}
	if strings.Contains(u.Hostname(), ":") {
		return "[" + host + "]"
	}
	return host
}

// pathKey decodes percent-escapes except those that would change the
// path's structure (%2F, %3F, %23, %25) and drops AMP markers and trailing
// slashes, so /أخبار/ and /%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1 are one path.
func pathKey(escaped string) string {
	var b strings.Builder
	for i := 0; i < len(escaped); i++ {
		c := escaped[i]
		if c == '%' && i+2 < len(escaped) && isHex(escaped[i+1]) && isHex(escaped[i+2]) {
			v := unhex(escaped[i+1])<<4 | unhex(escaped[i+2])
			// Control characters stay escaped too: raw, they cannot be in
			// a URL, and a key that is one should read back as itself
			// (fuzzer: "%09").
			switch {
			case v == '/' || v == '?' || v == '#' || v == '%' || v == ' ' || v < 0x20 || v == 0x7f:
				b.WriteByte('%')
				b.WriteByte(upper(escaped[i+1]))
				b.WriteByte(upper(escaped[i+2]))
			default:
				b.WriteByte(v)
			}
			i += 2
			continue
		}
		b.WriteByte(c)
	}
	p := strings.TrimRight(b.String(), "/") // all of them: "/a//" is "/a" (fuzzer: "http://0////")
	for _, amp := range []string{"/amp", "/amp.html"} {
		p = strings.TrimSuffix(p, amp)
	}
	if rest, ok := strings.CutPrefix(p, "/amp/"); ok {
		p = "/" + rest
	}
	p = strings.TrimRight(p, "/")
	if p == "" {
		p = "/"
	}
	return p
}

func isHex(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
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

func upper(c byte) byte {
	if 'a' <= c && c <= 'f' {
		return c - 'a' + 'A'
	}
	return c
}

// isTracking reports query parameters that only say how a reader arrived.
func isTracking(key string) bool {
	k := strings.ToLower(key)
	if strings.HasPrefix(k, "utm_") {
		return true
	}
	switch k {
	case "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "twclid",
		"mc_cid", "mc_eid", "_ga", "_gl", "ocid", "cmpid", "at_medium", "at_campaign", "xtor":
		return true
	}
	return false
}

func splitQuery(raw string) []string {
	if raw == "" {
		return nil
	}
	var kept []string
	for _, part := range strings.FieldsFunc(raw, func(r rune) bool { return r == '&' || r == ';' }) {
		k, _, _ := strings.Cut(part, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if isTracking(k) {
			continue
		}
		kept = append(kept, part)
	}
	return kept
}

// escapeSpace percent-encodes white space left raw in a query: parse trims
// it from the ends, so "?a " would lose its space when the cleaned URL is
// read again and no longer have the original's Key (fuzzer: "http://0? #").
func escapeSpace(q string) string {
	if !strings.ContainsFunc(q, unicode.IsSpace) {
		return q
	}
	var b strings.Builder
	for i := 0; i < len(q); {
		r, n := utf8.DecodeRuneInString(q[i:])
		for _, c := range []byte(q[i : i+n]) { // invalid bytes stay as they are
			if unicode.IsSpace(r) {
				fmt.Fprintf(&b, "%%%02X", c)
			} else {
				b.WriteByte(c)
			}
		}
		i += n
	}
	return b.String()
}

func cleanQuery(raw string) string {
	return strings.Join(splitQuery(raw), "&")
}

// queryKey keeps the meaningful parameters, decoded and sorted, and drops
// AMP switches.
func queryKey(raw string) string {
	var parts []string
	for _, p := range splitQuery(raw) {
		k, v, _ := strings.Cut(p, "=")
		if lk := strings.ToLower(k); (lk == "amp" && (v == "" || v == "1" || v == "true")) || (lk == "outputtype" && strings.EqualFold(v, "amp")) {
			continue
		}
		parts = append(parts, unescapeQuery(k)+"="+unescapeQuery(v))
	}
	slices.Sort(parts)
	return strings.Join(parts, "&")
}

// unescapeQuery decodes a query component like url.QueryUnescape but keeps
// a malformed escape as written instead of giving up on the whole
// component, so one stray "%" does not make " a%" and "%20a%" differ.
func unescapeQuery(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			b.WriteByte(' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
