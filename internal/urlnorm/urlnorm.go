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
	u.RawQuery = cleanQuery(u.RawQuery)
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
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("urlnorm: %q is not an absolute http(s) URL: %w", raw, news.ErrInvalid)
	}
	return u, nil
}

// Prefixes that name a mobile or AMP edition of the same site.
var hostPrefixes = []string{"www.", "m.", "mobile.", "amp."}

func hostKey(u *url.URL) string {
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	for _, p := range hostPrefixes {
		if rest, ok := strings.CutPrefix(host, p); ok && strings.Contains(rest, ".") {
			host = rest
			break
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
			switch v {
			case '/', '?', '#', '%', ' ':
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
	p := b.String()
	p = strings.TrimSuffix(p, "/")
	for _, amp := range []string{"/amp", "/amp.html"} {
		p = strings.TrimSuffix(p, amp)
	}
	if rest, ok := strings.CutPrefix(p, "/amp/"); ok {
		p = "/" + rest
	}
	p = strings.TrimSuffix(p, "/")
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
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		if dv, err := url.QueryUnescape(v); err == nil {
			v = dv
		}
		parts = append(parts, k+"="+v)
	}
	slices.Sort(parts)
	return strings.Join(parts, "&")
}
