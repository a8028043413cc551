package fetch

import (
	"testing"
	"time"
)

const robotsTxt = `# a comment
User-agent: *
Disallow: /private/
Allow: /private/open$
Disallow: /*.pdf$
Disallow: /search?
Crawl-delay: 1

User-agent: BadBot
Disallow: /

User-agent: marsad
User-agent: other
Disallow: /no-marsad/
Allow: /no-marsad/yes
Disallow: /أخبار/خاص
Disallow: /%7Etilde
Crawl-delay: 2.5

Sitemap: https://example.com/sitemap.xml
`

func TestRobotsRules(t *testing.T) {
	t.Parallel()
	star := ParseRobots([]byte(robotsTxt), "someone")
	mine := ParseRobots([]byte(robotsTxt), "marsad")
	tests := []struct {
		r    *Robots
		path string
		want bool
	}{
		{star, "/", true},
		{star, "/private/", false},
		{star, "/private/x.html", false},
		{star, "/private/open", true},       // longer allow wins
		{star, "/private/open/more", false}, // $ anchors the allow
		{star, "/docs/a.pdf", false},        // wildcard + anchor
		{star, "/docs/a.pdf?x=1", true},     // anchor: must end there
		{star, "/search?q=1", false},        // query is part of the path
		{star, "/search", true},             // without "?"
		{star, "/robots.txt", true},         // always
		{mine, "/private/", true},           // marsad's own group replaces "*"
		{mine, "/no-marsad/x", false},       //
		{mine, "/no-marsad/yes", true},      // longest match
		{mine, "/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/%D8%AE%D8%A7%D8%B5/1", false}, // raw UTF-8 rule vs encoded path
		{mine, "/%d8%a3%d8%ae%d8%a8%d8%a7%d8%b1/%d8%ae%d8%a7%d8%b5", false},   // lower-case hex
		{mine, "/~tilde/x", false}, // %7E is unreserved: decoded
		{mine, "/%7etilde", false}, //
		{mine, "/أخبار/عام", true}, // raw path, other section
	}
	for _, tt := range tests {
		if got := tt.r.Allowed(tt.path); got != tt.want {
			t.Errorf("Allowed(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
	if star.Delay != time.Second || mine.Delay != 2500*time.Millisecond {
		t.Errorf("delays: star %v, marsad %v", star.Delay, mine.Delay)
	}
	if len(mine.Sitemaps) != 1 || mine.Sitemaps[0] != "https://example.com/sitemap.xml" {
		t.Errorf("sitemaps %v", mine.Sitemaps)
	}
}

func TestRobotsEdgeCases(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, path string
		want             bool
	}{
		{"empty", "", "/x", true},
		{"empty disallow", "User-agent: *\nDisallow:\n", "/x", true},
		{"disallow all", "User-agent: *\nDisallow: /\n", "/x", false},
		{"tie: allow wins", "User-agent: *\nDisallow: /a\nAllow: /a\n", "/a", true},
		{"no group line", "Disallow: /\n", "/x", true},
		{"case-insensitive keys", "USER-AGENT: *\nDISALLOW: /X\n", "/X", false},
		{"paths are case-sensitive", "User-agent: *\nDisallow: /X\n", "/x", true},
		{"groups merge", "User-agent: *\nDisallow: /a\n\nUser-agent: *\nDisallow: /b\n", "/b", false},
		{"agent with version", "User-agent: marsad/1.0\nDisallow: /m\n\nUser-agent: *\nDisallow: /\n", "/x", true},
		{"CRLF", "User-agent: *\r\nDisallow: /a\r\n", "/a/b", false},
		{"middle wildcard", "User-agent: *\nDisallow: /a*/c\n", "/a/b/c/d", false},
		{"wildcard no match", "User-agent: *\nDisallow: /a*/c\n", "/a/b/d", true},
		{"only $", "User-agent: *\nDisallow: /$\n", "/", false},
		{"only $ other", "User-agent: *\nDisallow: /$\n", "/a", true},
	}
	for _, tt := range tests {
		r := ParseRobots([]byte(tt.body), "marsad")
		if got := r.Allowed(tt.path); got != tt.want {
			t.Errorf("%s: Allowed(%q) = %v, want %v", tt.name, tt.path, got, tt.want)
		}
	}
	if DisallowAllRobots().Allowed("/x") || !DisallowAllRobots().Allowed("/robots.txt") {
		t.Error("DisallowAll")
	}
	if r := ParseRobots([]byte("User-agent: *\nCrawl-delay: 99999\n"), "m"); r.Delay != maxCrawlDelay {
		t.Errorf("crawl-delay not capped: %v", r.Delay)
	}
}

func FuzzRobots(f *testing.F) {
	f.Add([]byte(robotsTxt), "/private/x")
	f.Add([]byte("User-agent: *\nDisallow: /*$\n"), "/%zz")
	f.Add([]byte("User-agent: *\nDisallow: ****$$\nCrawl-delay: NaN\n"), "")
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		r := ParseRobots(body, "marsad")
		r.Allowed(path)
		if r.Delay < 0 || r.Delay > maxCrawlDelay {
			t.Fatalf("delay %v", r.Delay)
		}
		if !r.Allowed("/robots.txt") {
			t.Fatal("robots.txt must stay allowed")
		}
		// Normalisation is idempotent, so an encoded and a raw path agree.
		if n := normPath(path); normPath(n) != n {
			t.Fatalf("normPath not idempotent: %q → %q → %q", path, n, normPath(n))
		}
	})
}
