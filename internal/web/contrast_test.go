package web

import (
	"math"
	"regexp"
	"strconv"
	"testing"
)

// TestThemeContrast reads both themes' colours from style.css and checks
// WCAG AA contrast (4.5:1) for every text colour on the backgrounds it is
// drawn on.
func TestThemeContrast(t *testing.T) {
	t.Parallel()
	css, err := staticFS.ReadFile("static/style.css")
	if err != nil {
		t.Fatal(err)
	}
	blocks := map[string]string{}
	for name, re := range map[string]*regexp.Regexp{
		"light": regexp.MustCompile(`(?s):root \{(.*?)\}`),
		"dark":  regexp.MustCompile(`(?s):root\[data-theme="dark"\] \{(.*?)\}`),
	} {
		m := re.FindSubmatch(css)
		if m == nil {
			t.Fatalf("no %s theme block in style.css", name)
		}
		blocks[name] = string(m[1])
	}
	pairs := [][2]string{
		{"fg", "bg"}, {"muted", "bg"}, {"accent", "bg"}, {"error", "bg"}, {"ok", "bg"},
		{"fg", "surface"}, {"muted", "surface"}, {"on-accent", "accent"}, {"fg", "mark"},
	}
	for theme, block := range blocks {
		vars := map[string]string{}
		for _, m := range regexp.MustCompile(`--([a-z-]+):\s*(#[0-9a-f]{6})`).FindAllStringSubmatch(block, -1) {
			vars[m[1]] = m[2]
		}
		for _, p := range pairs {
			fg, bg := vars[p[0]], vars[p[1]]
			if fg == "" || bg == "" {
				t.Errorf("%s: --%s or --%s missing", theme, p[0], p[1])
				continue
			}
			if r := contrast(fg, bg); r < 4.5 {
				t.Errorf("%s: --%s %s on --%s %s has contrast %.2f, want ≥ 4.5", theme, p[0], fg, p[1], bg, r)
			}
		}
	}
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

func luminance(hex string) float64 {
	var c [3]float64
	for i := range c {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		s := float64(v) / 255
		if s <= 0.03928 {
			c[i] = s / 12.92
		} else {
			c[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
}
