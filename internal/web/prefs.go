package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Prefs are the reader's display settings, kept in cookies so they work
// without JavaScript and without accounts.
type Prefs struct {
	Theme  string // themeAuto (the system's), themeLight or themeDark
	Digits string // digitsLatn (0123, the default) or digitsArab (٠١٢٣)
}

const (
	themeAuto  = "auto"
	themeLight = "light"
	themeDark  = "dark"
	// Western digits are the default: 98% of the digits in the SaudiNewsNet
	// texts are Western, and article text is shown as written, so dates
	// and counts in the same digits keep a page consistent.
	digitsLatn = "latn"
	digitsArab = "arab"

	themeCookie  = "marsad_theme"
	digitsCookie = "marsad_digits"
	prefsMaxAge  = 365 * 24 * time.Hour
)

var (
	themes = []string{themeAuto, themeLight, themeDark}
	digits = []string{digitsLatn, digitsArab}
)

// prefsOf reads the settings of a request; unknown values fall back to the
// defaults.
func prefsOf(r *http.Request) Prefs {
	p := Prefs{Theme: themeAuto, Digits: digitsLatn}
	if c, err := r.Cookie(themeCookie); err == nil && valid(themes, c.Value) {
		p.Theme = c.Value
	}
	if c, err := r.Cookie(digitsCookie); err == nil && valid(digits, c.Value) {
		p.Digits = c.Value
	}
	return p
}

func valid(allowed []string, v string) bool {
	for _, a := range allowed {
		if a == v {
			return true
		}
	}
	return false
}

// settings is POST /settings from the small forms in the header and footer:
// it stores the chosen theme and/or digits in cookies and sends the reader
// back to the page they were on (303, so a reload does not re-post).
func (s *Server) settings(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	set := func(name, value string, allowed []string) {
		if value == "" || !valid(allowed, value) {
			return
		}
		http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: int(prefsMaxAge / time.Second),
			HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	}
	set(themeCookie, r.PostForm.Get("theme"), themes)
	set(digitsCookie, r.PostForm.Get("digits"), digits)
	http.Redirect(w, r, backTo(r), http.StatusSeeOther)
}

// backTo is the same-site page a settings form was sent from (its
// Referer; pages send it to their own origin), or the home page. Only a
// local path is kept, so the form cannot be used as an open redirect.
func backTo(r *http.Request) string {
	u, err := url.Parse(r.Referer())
	if err != nil || u.Host != r.Host {
		return "/"
	}
	p := u.EscapedPath()
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.Contains(p, `\`) {
		return "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}
