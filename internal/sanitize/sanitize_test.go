package sanitize

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func TestHTML(t *testing.T) {
	t.Parallel()
	base, _ := url.Parse("https://example.com/news/a.html")
	tests := []struct{ name, in, want string }{
		{"paragraphs kept", `<p dir="rtl">نص <b>عريض</b></p>`, `<p dir="rtl">نص <b>عريض</b></p>`},
		{"script dropped whole", `<p>a<script>alert(1)</script>b</p>`, `<p>ab</p>`},
		{"style dropped", `<style>p{}</style><p>x</p>`, `<p>x</p>`},
		{"handlers dropped", `<p onclick="x()" class="c" style="color:red">t</p>`, `<p>t</p>`},
		{"unknown unwrapped", `<div><span>a</span><section>b</section></div>`, `ab`},
		{"relative link absolute", `<a href="../b.html" onclick="x">l</a>`, `<a href="https://example.com/b.html" rel="nofollow noopener">l</a>`},
		{"javascript link", `<a href="javascript:alert(1)">l</a>`, `<a rel="nofollow noopener">l</a>`},
		{"javascript obfuscated", `<a href=" JaVa&#09;ScRiPt:alert(1)">l</a>`, `<a rel="nofollow noopener">l</a>`},
		{"data image dropped", `<img src="data:image/png;base64,AAAA" alt="x">`, ``},
		{"image absolute", `<img src="/i.jpg" alt="صورة" onerror="x" srcset="a 1x">`, `<img src="https://example.com/i.jpg" alt="صورة">`},
		{"mailto link", `<a href="mailto:a@b.c">m</a>`, `<a href="mailto:a@b.c" rel="nofollow noopener">m</a>`},
		{"iframe dropped", `<iframe src="https://evil"></iframe><p>x</p>`, `<p>x</p>`},
		{"form dropped", `<form><input value="v"><button>اشترك</button></form>`, ``},
		{"svg dropped", `<svg><script>alert(1)</script><text>x</text></svg>`, ``},
		{"text escaped", `<p>1 &lt; 2 &amp; &lt;script&gt;</p>`, `<p>1 &lt; 2 &amp; &lt;script&gt;</p>`},
		{"comment dropped", `<p>a<!-- <script> -->b</p>`, `<p>ab</p>`},
		{"table", `<table><tr><td colspan="2" width="9">x</td></tr></table>`, `<table><tbody><tr><td colspan="2">x</td></tr></tbody></table>`},
		{"attribute escaped", `<img src="/a.jpg" alt='"><script>'>`, `<img src="https://example.com/a.jpg" alt="&#34;&gt;&lt;script&gt;">`},
		{"empty", ``, ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := HTML(tt.in, base); got != tt.want {
				t.Errorf("HTML(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestHTMLNoBase(t *testing.T) {
	t.Parallel()
	got := HTML(`<a href="/x">a</a><a href="vbscript:x">b</a><img src="c.jpg">`, nil)
	want := `<a href="/x" rel="nofollow noopener">a</a><a rel="nofollow noopener">b</a><img src="c.jpg">`
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// checkSafe is the sanitizer's contract; the extractor's tests use the
// same property through CheckSafe.
func checkSafe(t *testing.T, in, out string) {
	t.Helper()
	if err := CheckSafe(out); err != nil {
		t.Fatalf("HTML(%q) = %q: %v", in, out, err)
	}
	// Re-parsing the output must not reveal anything new either.
	nodes, err := html.ParseFragment(strings.NewReader(out), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		t.Fatal(err)
	}
	if again := Nodes(nodes, nil); CheckSafe(again) != nil {
		t.Fatalf("re-sanitized output unsafe: %q", again)
	}
}

func FuzzHTML(f *testing.F) {
	for _, s := range []string{
		`<p>نص</p><script>alert(1)</script>`,
		`<a href="javascript:alert(1)" onclick=x>a</a>`,
		`<img src=x onerror=alert(1)>`,
		`<svg><p><style><img src=x onerror=alert(1)></style>`,
		`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
		`<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
		`<a href="  java&#x0A;script:x">`,
	} {
		f.Add(s)
	}
	// Real pages the extractor is tested on seed the corpus too.
	pages, _ := filepath.Glob(filepath.Join("..", "extract", "testdata", "golden", "*.html"))
	for _, p := range pages {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b))
		}
	}
	base, _ := url.Parse("https://example.com/a/")
	f.Fuzz(func(t *testing.T, s string) {
		for _, b := range []*url.URL{base, nil} {
			out := HTML(s, b)
			checkSafe(t, s, out)
			// Stored HTML is sanitized again on every import/export round
			// trip; it must not drift.
			if again := HTML(out, b); again != out {
				t.Fatalf("HTML not idempotent for %q:\n once %q\ntwice %q", s, out, again)
			}
		}
	})
}
