package app_test

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browserPath finds Debian's headless Chromium; tests skip without it.
// .ci/run installs chromium-headless-shell and fonts-noto-core.
func browserPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("MARSAD_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium-headless-shell", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("skipping browser test: no chromium-headless-shell or chromium on PATH (apt-get install chromium-headless-shell fonts-noto-core)")
	return ""
}

// screenshotDir is where page screenshots go: $MARSAD_SCREENSHOTS when set
// (CI keeps them as artifacts), else a temporary directory.
func screenshotDir(t *testing.T) string {
	if d := os.Getenv("MARSAD_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

func TestBrowserPages(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping browser test in -short mode")
	}
	exe := browserPath(t)
	a, ids := newApp(t)
	h, err := a.Handler()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(412, 1400), // a phone's width: the UI is mobile-first
	)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	defer cancelTimeout()

	// Subscribe before navigating so no message is lost; read after.
	console := chromedp.Console(ctx)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start browser: %v", err)
	}

	shots := screenshotDir(t)
	pages := []struct {
		name, path string
		selectors  []string
	}{
		{"home", "/", []string{"header.site", "ol.articles li", "form.search input"}},
		{"article", "/article/" + strconv.FormatInt(ids[0], 10), []string{"article.full h1", "article.full .body p"}},
		{"search", "/search?q=" + "خادم+الحرمين", []string{"ol.results li", "mark"}},
	}
	for _, p := range pages {
		steps := []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(srv.URL + p.path),
			chromedp.WaitReady("body"),
		}
		for _, sel := range p.selectors {
			steps = append(steps, chromedp.WaitVisible(sel))
		}
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s (%s): %v", p.name, p.path, err)
		}
		dir, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.body).direction`))
		if err != nil {
			t.Fatal(err)
		}
		lang, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
		if err != nil {
			t.Fatal(err)
		}
		overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`[...document.querySelectorAll('body *')].some(e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.left < 0 || r.right > window.innerWidth + 1) })`))
		if err != nil {
			t.Fatal(err)
		}
		if overflow {
			t.Errorf("%s: page is wider than a phone screen (horizontal scrolling)", p.name)
		}
		if dir != "rtl" || lang != "ar" {
			t.Errorf("%s: direction=%q lang=%q, want rtl/ar", p.name, dir, lang)
		}
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()) // the viewport: FullScreenshot mis-clips RTL pages
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(shots, p.name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Drain what the pages wrote: everything has arrived once a final
	// navigation completes.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	drain, stop := context.WithTimeout(ctx, time.Second)
	defer stop()
	go func() { <-drain.Done(); cancel() }()
	for m, err := range console {
		if err != nil {
			break
		}
		if m.Type == chromedp.ConsoleError || m.IsException() || m.Type == "warning" && m.Source == "security" {
			t.Errorf("console: %s", m.String())
		}
	}
}
