package app_test

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/marsad/marsad/internal/news"
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

// eval runs a JavaScript expression in the current page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitTrue polls expr until it is true; a form post navigates meanwhile, so
// evaluation errors (a context torn down) are retried, not fatal.
func waitTrue(t *testing.T, ctx context.Context, expr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		if err == nil && v {
			if err := chromedp.Do(ctx, chromedp.WaitReady("body")); err != nil {
				t.Fatal(err)
			}
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", expr)
}

func TestBrowserPages(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping browser test in -short mode")
	}
	exe := browserPath(t)
	a, ids := newApp(t)
	bg := context.Background()
	if _, err := a.Store.UpsertSource(bg, news.Source{ID: "was", Name: "واس", HomeURL: "https://www.spa.gov.sa/", Host: "www.spa.gov.sa",
		FeedURLs: []string{"https://www.spa.gov.sa/rss"}}); err != nil {
		t.Fatal(err)
	}
	if err := a.Store.SaveSourceStatus(bg, "was", news.SourceStatus{LastFetch: time.Now().Add(-time.Hour), LastSuccess: time.Now().Add(-time.Hour),
		ArticlesFound: 12, LastLatency: 230 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Store.UpsertSource(bg, news.Source{ID: "okaz", Name: "عكاظ", FeedURLs: []string{"https://www.okaz.com.sa/rss"}}); err != nil {
		t.Fatal(err)
	}
	if err := a.Store.SaveSourceStatus(bg, "okaz", news.SourceStatus{LastFetch: time.Now(), Failures: 3, LastError: "fetch https://www.okaz.com.sa/rss: HTTP 503"}); err != nil {
		t.Fatal(err)
	}
	// A story covered by two sources, one republishing the other's text
	// with a new headline: the story page and the article page's
	// provenance line need it.
	res := ingestRepublished(t, a)
	story, err := a.Store.Article(bg, res[1].ID)
	if err != nil || story.StoryID == 0 {
		t.Fatalf("the republished article joined no story: %+v %v", story, err)
	}
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
	ctx, cancelTimeout := context.WithTimeout(ctx, 120*time.Second)
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
		{"home", "/", []string{"header.site", "ol.articles li", "form.search input", "form.prefs"}},
		{"article", "/article/" + strconv.FormatInt(ids[0], 10), []string{"article.full h1", "article.full .body p"}},
		{"search", "/search?q=" + "خادم+الحرمين", []string{"ol.results li", "mark"}},
		{"sources", "/sources", []string{"ol.source-list li", ".source-list .badge.error", ".source-list svg.spark"}},
		{"source", "/source/was", []string{"figure.spark svg rect", "ol.articles li"}},
		{"story", "/story/" + strconv.FormatInt(story.StoryID, 10), []string{"article.story h1", "section.story-sources li", "figure.timeline svg rect"}},
		{"copy", "/article/" + strconv.FormatInt(res[1].ID, 10), []string{"article.full h1", "p.provenance a"}},
	}
	visit := func(theme string) {
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
			if dir, lang := eval[string](t, ctx, `getComputedStyle(document.body).direction`), eval[string](t, ctx, `document.documentElement.lang`); dir != "rtl" || lang != "ar" {
				t.Errorf("%s: direction=%q lang=%q, want rtl/ar", p.name, dir, lang)
			}
			if eval[bool](t, ctx, `[...document.querySelectorAll('body *')].some(e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.left < 0 || r.right > window.innerWidth + 1) })`) {
				t.Errorf("%s: page is wider than a phone screen (horizontal scrolling)", p.name)
			}
			// The embedded Arabic face, not a fallback, draws the page.
			loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.fonts.ready.then(() => [...document.fonts].some(f => f.family.includes("Marsad Naskh") && f.status === "loaded"))`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatal(err)
			}
			if !loaded {
				t.Errorf("%s: the embedded Arabic font did not load", p.name)
			}
			png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()) // the viewport: FullScreenshot mis-clips RTL pages
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(shots, p.name+"-"+theme+".png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	const bgColor = `getComputedStyle(document.documentElement).backgroundColor`
	visit("light")
	light := eval[string](t, ctx, bgColor)

	// The header's toggle is a plain form: it works without JavaScript and
	// the choice outlives a reload (a cookie).
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"), chromedp.Click("form.theme-toggle .to-dark")); err != nil {
		t.Fatal(err)
	}
	waitTrue(t, ctx, `document.documentElement.dataset.theme === "dark"`)
	if dark := eval[string](t, ctx, bgColor); dark == light {
		t.Errorf("dark theme: background %s is the light one", dark)
	}
	if eval[bool](t, ctx, `getComputedStyle(document.querySelector('.to-dark')).display !== 'none'`) {
		t.Error("dark theme still offers the dark toggle")
	}
	visit("dark")
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"), chromedp.Click("form.theme-toggle .to-light")); err != nil {
		t.Fatal(err)
	}
	waitTrue(t, ctx, `document.documentElement.dataset.theme === "light"`)
	if got := eval[string](t, ctx, bgColor); got != light {
		t.Errorf("back to light: background %s, want %s", got, light)
	}

	// "Auto" follows the system's preference.
	if err := chromedp.Do(ctx, chromedp.Click(`form.prefs button[name=theme][value=auto]`)); err != nil {
		t.Fatal(err)
	}
	waitTrue(t, ctx, `document.documentElement.dataset.theme === "auto"`)
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}}); err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, ctx, bgColor); got == light {
		t.Error("auto theme ignores prefers-color-scheme: dark")
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatal(err)
	}

	// Digits: Western by default, Arabic-Indic when chosen; article text
	// is never rewritten.
	timeText := `document.querySelector('ol.articles time').textContent`
	if got := eval[string](t, ctx, timeText); !regexp.MustCompile(`[0-9]`).MatchString(got) {
		t.Errorf("default digits: %q, want Western digits", got)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`form.prefs button[name=digits][value=arab]`)); err != nil {
		t.Fatal(err)
	}
	waitTrue(t, ctx, `document.documentElement.dataset.digits === "arab"`)
	if got := eval[string](t, ctx, timeText); !regexp.MustCompile(`^[^0-9]*[٠-٩][^0-9]*$`).MatchString(got) {
		t.Errorf("Arabic-Indic digits: %q", got)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`form.prefs button[name=digits][value=latn]`)); err != nil {
		t.Fatal(err)
	}
	waitTrue(t, ctx, `document.documentElement.dataset.digits === "latn"`)

	// Keyboard: the first Tab reaches the skip link, which is then visible
	// and moves focus to the main content.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitReady("body"), chromedp.KeyEvent("\t")); err != nil {
		t.Fatal(err)
	}
	if !eval[bool](t, ctx, `document.activeElement.classList.contains('skip') && document.activeElement.getBoundingClientRect().width > 10`) {
		t.Error("first Tab does not land on a visible skip link")
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent("\r")); err != nil {
		t.Fatal(err)
	}
	waitTrue(t, ctx, `document.activeElement.id === "main"`)

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
