package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestPrefsOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cookies string
		want    Prefs
	}{
		{"", Prefs{themeAuto, digitsLatn}},
		{"marsad_theme=dark; marsad_digits=arab", Prefs{themeDark, digitsArab}},
		{"marsad_theme=light", Prefs{themeLight, digitsLatn}},
		{"marsad_theme=<script>; marsad_digits=roman", Prefs{themeAuto, digitsLatn}},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		if tt.cookies != "" {
			r.Header.Set("Cookie", tt.cookies)
		}
		if got := prefsOf(r); got != tt.want {
			t.Errorf("cookies %q: %+v, want %+v", tt.cookies, got, tt.want)
		}
	}
}

func TestSettingsRedirectsOnlyLocally(t *testing.T) {
	t.Parallel()
	s := &Server{}
	tests := []struct {
		referer, want string
	}{
		{"", "/"},
		{"http://example.com/search?q=%D8%A7", "/search?q=%D8%A7"},
		{"http://example.com/article/7", "/article/7"},
		{"https://evil.example/phish", "/"},
		{"//evil.example/x", "/"},
		{"http://example.com//evil.example/x", "/"},
		{"javascript:alert(1)", "/"},
		{"http://example.com/\\evil", "/%5Cevil"}, // escaped: not a scheme-relative URL
	}
	for _, tt := range tests {
		r := httptest.NewRequest("POST", "http://example.com/settings", strings.NewReader(url.Values{"theme": {"dark"}, "digits": {"arab"}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if tt.referer != "" {
			r.Header.Set("Referer", tt.referer)
		}
		rec := httptest.NewRecorder()
		s.settings(rec, r)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != tt.want {
			t.Errorf("Referer %q: %d → %q, want 303 → %q", tt.referer, rec.Code, rec.Header().Get("Location"), tt.want)
		}
		set := map[string]string{}
		for _, c := range rec.Result().Cookies() {
			set[c.Name] = c.Value
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.MaxAge <= 0 || c.Path != "/" {
				t.Errorf("cookie %s: %+v", c.Name, c)
			}
		}
		if set[themeCookie] != "dark" || set[digitsCookie] != "arab" {
			t.Errorf("cookies set: %v", set)
		}
	}
	// Unknown values set nothing.
	r := httptest.NewRequest("POST", "/settings", strings.NewReader("theme=pink&digits=roman"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	s.settings(rec, r)
	if len(rec.Result().Cookies()) != 0 {
		t.Errorf("invalid settings set cookies: %v", rec.Result().Cookies())
	}
}
