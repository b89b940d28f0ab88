package e2e

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's headless shell of Chromium (the package
// chromium-headless-shell), which scripts/test installs with apt: the same
// Blink and V8 as the chromium package without the desktop browser around
// them, so a page costs about 40% less processor time (docs/adr/0009).
const chromiumPath = "/usr/bin/chromium-headless-shell"

// browserRequiredEnv makes a missing Chromium fail the browser tests instead
// of skipping them; scripts/test sets it.
const browserRequiredEnv = "TRYGG_E2E_REQUIRE_BROWSER"

// pageTimeout bounds one browser step (a navigation, a wait) so that a page
// that never loads fails the test with a clear error instead of hanging. It
// is generous because CI machines are shared and can be very slow.
const pageTimeout = 2 * time.Minute

//go:embed testdata/axe-core/axe.min.js
var axeSource string

// viewport is a screen the tests emulate.
type viewport struct {
	Width, Height int64
	Mobile        bool
}

var (
	phone   = viewport{Width: 360, Height: 740, Mobile: true}
	desktop = viewport{Width: 1280, Height: 900}
)

// browsers bounds the tests that drive Chromium at once, one per
// processor: the tests run in parallel, and more pages rendering than cores
// only make every page step slower. A test holds its slot until it ends.
var browsers = make(chan struct{}, runtime.GOMAXPROCS(0))

// The package's one Chromium, started by the first test that needs it and
// stopped by TestMain. Tests share the process, not state: every tab opens
// in a browser context of its own, with its own cookies and storage.
var (
	chromiumOnce sync.Once
	chromium     context.Context
	chromiumErr  error
	stopChromium = func() {}
)

// newBrowser returns the shared headless Chromium for the test, once a
// slot in browsers is free, so a test must call it at most once.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv(browserRequiredEnv) != "" {
			t.Fatalf("Chromium is missing at %s (install it: apt-get install chromium-headless-shell)", chromiumPath)
		}
		t.Skipf("Chromium is missing at %s; install it with apt-get install chromium-headless-shell, or run scripts/test", chromiumPath)
	}
	browsers <- struct{}{}
	t.Cleanup(func() { <-browsers })
	chromiumOnce.Do(startChromium)
	if chromiumErr != nil {
		t.Fatalf("start Chromium: %v", chromiumErr)
	}
	return chromium
}

// startChromium starts the shared browser with a fresh profile.
func startChromium() {
	profile, err := os.MkdirTemp("", "trygg-e2e-chromium-")
	if err != nil {
		chromiumErr = err
		return
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// Every tab but one is in the background, where Chromium may slow
		// timers down; axe-core runs its rules from timers, so every tab
		// is kept at the pace of a tab in front.
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints,IntensiveWakeUpThrottling"),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("lang", "sv-SE"),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	stopChromium = func() {
		cancel()
		cancelAlloc()
		os.RemoveAll(profile)
	}
	chromium, chromiumErr = ctx, chromedp.Do(ctx) // starts the browser with no deadline
}

// newTab opens a tab with its own cookies (a fresh browser context, like a
// private window), emulating the viewport.
func newTab(t *testing.T, browser context.Context, vp viewport) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// The first run opens the tab and binds it to the context it gets, so
	// it must run without the step deadline.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	serveAxe(t, ctx)
	emulate(t, ctx, vp)
	return ctx
}

// emulate makes the tab a screen of the viewport vp, also with a page
// loaded: the page is laid out again at the new size.
func emulate(t *testing.T, tab context.Context, vp viewport) {
	t.Helper()
	var opts []chromedp.EmulateViewportOption
	if vp.Mobile {
		opts = append(opts, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
	}
	do(t, tab, chromedp.EmulateViewport(vp.Width, vp.Height, opts...))
}

// scriptsOff holds the tabs (*chromedp.Target) that run without JavaScript.
var scriptsOff sync.Map

// disableScripts turns JavaScript off in the tab, as a browser with
// scripts blocked would be.
func disableScripts(t *testing.T, tab context.Context) {
	t.Helper()
	setScripts(t, tab, false)
	scriptsOff.Store(chromedp.FromContext(tab).Target, true)
}

func setScripts(t *testing.T, tab context.Context, on bool) {
	t.Helper()
	if _, err := chromedp.Call(tab, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on}); err != nil {
		t.Fatalf("turn JavaScript on=%v: %v", on, err)
	}
}

// do runs browser steps with the page timeout and fails the test on error.
func do(t *testing.T, tab context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, pageTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("browser at %s: %v", location(tab), err)
	}
}

// run runs one browser action that returns a value.
func run[T any](t *testing.T, tab context.Context, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, pageTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("browser at %s: %v", location(tab), err)
	}
	return v
}

// navigate loads a page and returns the HTTP status of the document.
func navigate(t *testing.T, tab context.Context, url string) int64 {
	t.Helper()
	resp := run(t, tab, chromedp.NavigateResponse(url))
	if resp == nil {
		t.Fatalf("navigate to %s: no response", url)
	}
	return resp.Status
}

// submitAndWait runs steps that send a form or follow a link, and waits for
// the next page to load; it returns that page's HTTP status.
func submitAndWait(t *testing.T, tab context.Context, steps ...chromedp.Action[chromedp.Void]) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, pageTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		t.Fatalf("browser at %s: %v", location(tab), err)
	}
	if resp == nil {
		return 0
	}
	return resp.Status
}

// location returns the tab's URL, for error messages.
func location(tab context.Context) string {
	ctx, cancel := context.WithTimeout(tab, 5*time.Second)
	defer cancel()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "(unknown page)"
	}
	return u
}

// pagePath returns the path and query of the tab's URL.
func pagePath(t *testing.T, tab context.Context) string {
	t.Helper()
	u := run(t, tab, chromedp.Location())
	if i := strings.Index(u, "://"); i >= 0 {
		if j := strings.Index(u[i+3:], "/"); j >= 0 {
			return u[i+3+j:]
		}
	}
	return u
}

// bodyText returns the visible text of the page.
func bodyText(t *testing.T, tab context.Context) string {
	t.Helper()
	return run(t, tab, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
}

// cookieHeader returns the tab's cookies for url as a Cookie header value,
// so that plain HTTP requests can act as the signed-in browser.
func cookieHeader(t *testing.T, tab context.Context, url string) string {
	t.Helper()
	res, err := chromedp.Call(tab, network.GetCookies, network.GetCookiesParams{URLs: []string{url}})
	if err != nil {
		t.Fatalf("read cookies: %v", err)
	}
	var parts []string
	for _, c := range res.Cookies {
		parts = append(parts, c.Name+"="+c.Value)
	}
	return strings.Join(parts, "; ")
}

// fetchAsBrowser GETs url with the tab's cookies and returns the response.
// The caller closes the body.
func fetchAsBrowser(t *testing.T, tab context.Context, url string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Cookie", cookieHeader(t, tab, url))
	client := &http.Client{
		Timeout:       pageTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp
}

// axeViolation is one failed axe-core rule.
type axeViolation struct {
	ID          string `json:"id"`
	Impact      string `json:"impact"`
	Help        string `json:"help"`
	HelpURL     string `json:"helpUrl"`
	Description string `json:"description"`
	Nodes       []struct {
		Target         []any  `json:"target"`
		HTML           string `json:"html"`
		FailureSummary string `json:"failureSummary"`
	} `json:"nodes"`
}

// axeScript runs axe-core on the document with the WCAG 2.0/2.1 A and AA
// rules and returns the violations as JSON.
const axeScript = `axe.run(document, {
	runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
	resultTypes: ['violations']
}).then(r => JSON.stringify(r.violations))`

// axePath is where a page finds axe-core: a path on the page's own origin,
// so that Trygg's Content-Security-Policy lets it run, which the tab
// answers itself (serveAxe); Trygg never sees the request.
const axePath = "/__e2e/axe-core.js"

// axeLoader adds axe-core to the page as a script from axePath and
// resolves once it has run.
const axeLoader = `new Promise((resolve, reject) => {
	const s = document.createElement("script");
	s.src = "` + axePath + `";
	s.onload = () => resolve(true);
	s.onerror = () => reject(new Error("axe-core did not load from " + s.src));
	document.head.append(s);
})`

// serveAxe makes the tab answer requests for axePath with the vendored
// axe-core, cacheable. Chromium keeps the compiled code of a script that it
// loads from its cache, so from a tab's third page on loading axe-core
// costs 30–40 ms instead of the 140 ms or more that compiling its 650 kB
// from a string on every page took.
func serveAxe(t *testing.T, tab context.Context) {
	t.Helper()
	chromedp.Listen(tab, func(ev any) {
		paused, ok := ev.(*fetch.EventRequestPaused)
		if !ok {
			return
		}
		// An event handler must not wait for the browser.
		go chromedp.Call(tab, fetch.FulfillRequest, fetch.FulfillRequestParams{
			RequestID:    paused.RequestID,
			ResponseCode: http.StatusOK,
			ResponseHeaders: []*fetch.HeaderEntry{
				{Name: "Content-Type", Value: "text/javascript; charset=utf-8"},
				{Name: "Cache-Control", Value: "max-age=86400"},
			},
			Body: []byte(axeSource),
		})
	})
	if _, err := chromedp.Call(tab, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*" + axePath}}}); err != nil {
		t.Fatalf("serve axe-core in the tab: %v", err)
	}
}

// axeViolations injects the vendored axe-core into the loaded page and
// returns what it finds. In a tab without JavaScript it turns scripts on
// while axe-core runs, since axe-core needs timers; the page's own scripts
// stay unrun, so axe-core sees the page as a browser without JavaScript
// shows it.
func axeViolations(t *testing.T, tab context.Context) []axeViolation {
	t.Helper()
	do(t, tab, chromedp.WaitReady(chromedp.CSS("body")))
	if _, off := scriptsOff.Load(chromedp.FromContext(tab).Target); off {
		setScripts(t, tab, true)
		defer setScripts(t, tab, false)
	}
	loaded := run(t, tab, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if !loaded {
		run(t, tab, chromedp.Evaluate[bool](axeLoader, chromedp.EvalAwaitPromise))
	}
	raw := run(t, tab, chromedp.Evaluate[string](axeScript, chromedp.EvalAwaitPromise))
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		t.Fatalf("decode axe-core result: %v", err)
	}
	return vs
}

// checkAxe fails the test if axe-core finds any WCAG 2.1 A or AA violation
// on the page in the tab; what names the page in the message. A page whose
// shape (pageShape) has already passed in this run is not checked again:
// axe-core is most of the browser's work in this package, and many tests
// pass through the same pages.
func checkAxe(t *testing.T, tab context.Context, what string) {
	t.Helper()
	shape := pageShape(t, tab)
	if _, seen := axePassed.Load(shape); seen {
		return
	}
	if vs := axeViolations(t, tab); len(vs) > 0 {
		t.Errorf("axe-core: %s (%s) has %d WCAG 2.1 AA violation(s):\n%s", what, location(tab), len(vs), formatViolations(vs))
		return
	}
	axePassed.Store(shape, true)
}

// axePassed holds the shapes (pageShape) of the pages that passed axe-core.
var axePassed sync.Map

// pageShapeScript describes the loaded document as axe-core's rules see
// it: the viewport's width and every element in document order with all its
// attributes and whether it holds text of its own. It leaves out what the
// rules do not read and what differs between two renderings of one page
// state: the text itself, form values (the CSRF token among them), and
// digits, which are row ids and counts, except in the attributes that give
// colours.
const pageShapeScript = `(() => {
	const colours = new Set(['style', 'class', 'fill', 'stroke', 'color', 'bgcolor']);
	const out = [String(window.innerWidth)];
	const walk = el => {
		let line = el.tagName;
		for (const a of el.attributes) {
			const v = colours.has(a.name) ? a.value : a.value.replace(/[0-9]+/g, '0');
			line += ' ' + a.name + (a.name === 'value' ? '' : '=' + v);
		}
		for (const n of el.childNodes) {
			if (n.nodeType === Node.TEXT_NODE && n.data.trim() !== '') {
				line += ' #text';
				break;
			}
		}
		out.push(line);
		for (const c of el.children) walk(c);
		out.push('/');
	};
	walk(document.documentElement);
	return out.join('\n');
})()`

// pageShape returns a digest of the page in the tab, as pageShapeScript
// describes it, and of whether the tab runs scripts: two pages with one
// shape get the same result from axe-core's WCAG rules.
func pageShape(t *testing.T, tab context.Context) string {
	t.Helper()
	do(t, tab, chromedp.WaitReady(chromedp.CSS("body")))
	_, off := scriptsOff.Load(chromedp.FromContext(tab).Target)
	sum := sha256.Sum256([]byte(fmt.Sprint(off, "\n", run(t, tab, chromedp.Evaluate[string](pageShapeScript)))))
	return hex.EncodeToString(sum[:])
}

// checkLoaded runs the checks of every page on the page loaded in the tab:
// axe-core, and on a phone that the page does not scroll sideways.
func checkLoaded(t *testing.T, tab context.Context, vp viewport, what string) {
	t.Helper()
	checkAxe(t, tab, what)
	if vp.Mobile {
		checkNoSideScroll(t, tab, what)
	}
}

func formatViolations(vs []axeViolation) string {
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "- %s [%s]: %s (%s)\n", v.ID, v.Impact, v.Help, v.HelpURL)
		for i, n := range v.Nodes {
			if i == 5 {
				fmt.Fprintf(&b, "    … and %d more\n", len(v.Nodes)-5)
				break
			}
			fmt.Fprintf(&b, "    target %v: %s\n", n.Target, tail(n.HTML, 200))
		}
	}
	return b.String()
}

// sideScrollScript measures how much wider than the screen the page is, in
// CSS pixels, and names where the overflow starts: the outermost elements
// that stick out past the screen's right edge and are not inside a region
// that scrolls on its own (an absolutely positioned element, such as
// visually hidden text, escapes such a region unless the region is
// positioned). The width of the screen is the root element's clientWidth,
// the layout viewport: on an emulated phone window.innerWidth grows with
// content that is too wide, so it cannot show the overflow.
const sideScrollScript = `(() => {
	const width = document.documentElement.clientWidth;
	const over = document.documentElement.scrollWidth - width;
	const culprits = [];
	if (over > 1) {
		const escapes = e => {
			if (!(e instanceof Element) || e === document.body || e.getBoundingClientRect().right <= width + 1) {
				return false;
			}
			if (["absolute", "fixed"].includes(getComputedStyle(e).position)) {
				return true;
			}
			for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
				if (getComputedStyle(a).overflowX !== "visible") {
					return false;
				}
			}
			return true;
		};
		for (const e of document.body.querySelectorAll("*")) {
			if (culprits.length < 5 && escapes(e) && !escapes(e.parentElement)) {
				culprits.push(e.outerHTML.slice(0, 160));
			}
		}
	}
	return {over, width, culprits};
})()`

// sideScroll is what sideScrollScript finds.
type sideScroll struct {
	Over     int      `json:"over"`
	Width    int      `json:"width"`
	Culprits []string `json:"culprits"`
}

// checkNoSideScroll fails the test if the page in the tab scrolls sideways
// (WCAG 2.1 1.4.10, reflow): its content must fit the screen's width, one
// pixel of rounding aside, with wide tables in a scrolling region of their
// own. what names the page in the message.
func checkNoSideScroll(t *testing.T, tab context.Context, what string) {
	t.Helper()
	s := run(t, tab, chromedp.Evaluate[sideScroll](sideScrollScript))
	if s.Over > 1 {
		t.Errorf("%s (%s) scrolls sideways: it is %d px wider than the %d px screen; it sticks out at:\n%s",
			what, location(tab), s.Over, s.Width, strings.Join(s.Culprits, "\n"))
	}
}
