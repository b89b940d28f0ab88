package e2e

import (
	"context"
	"html"
	"io"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestTwoInstances runs two servers on one PostgreSQL database, as a
// deployment behind a load balancer would: a report filed on either is
// seen on both, and a browser session made on one is valid on the other.
func TestTwoInstances(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts two servers; skipped with -short")
	}
	db := postgresDB(t) // skips without TRYGG_TEST_POSTGRES
	fx := seedWriterFixture(t, db)
	a := startServer(t, serverOptions{DB: db})
	b := startServer(t, serverOptions{DB: db})

	t.Run("reports", func(t *testing.T) {
		const perInstance = 20
		ctx := context.Background()
		ca := newAPIClient(a.URL, fx.token, 4)
		cb := newAPIClient(b.URL, fx.token, 4)
		defer ca.close()
		defer cb.close()
		fromA := fileReports(t, ca, fx, 0, perInstance)
		fromB := fileReports(t, cb, fx, 1, perInstance)
		for _, c := range []struct {
			name  string
			read  *apiClient
			filed map[int64]string
		}{
			{"B reads A's reports", cb, fromA},
			{"A reads B's reports", ca, fromB},
		} {
			for id, desc := range c.filed {
				r, status, err := c.read.getReport(ctx, id)
				if err != nil || status != http.StatusOK {
					t.Errorf("%s: GET /api/v1/reports/%d = %d, %v; want 200", c.name, id, status, err)
					continue
				}
				if r.Description != desc {
					t.Errorf("%s: report %d has description %q, want %q", c.name, id, r.Description, desc)
				}
			}
		}
	})

	t.Run("session", func(t *testing.T) {
		jar, err := cookiejar.New(nil)
		if err != nil {
			t.Fatal(err)
		}
		browser := &http.Client{Jar: jar, Timeout: 30 * time.Second}
		signInByForm(t, browser, a.URL, fx.user)

		// The session cookie set by A, sent to B by a client that keeps
		// no jar and follows no redirect, so B must accept the cookie as
		// it is.
		u, err := url.Parse(a.URL)
		if err != nil {
			t.Fatal(err)
		}
		cookies := jar.Cookies(u)
		if len(cookies) == 0 {
			t.Fatal("signing in on A set no cookie")
		}
		noRedirect := &http.Client{
			Timeout:       30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
		get := func(base string, withCookies bool) (int, string) {
			t.Helper()
			req, err := http.NewRequest(http.MethodGet, base+"/rapporter/mina", nil)
			if err != nil {
				t.Fatal(err)
			}
			if withCookies {
				for _, c := range cookies {
					req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
				}
			}
			resp, err := noRedirect.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, resp.Header.Get("Location") + " " + tail(string(body), 300)
		}
		if status, detail := get(b.URL, false); status == http.StatusOK {
			t.Fatalf("B served /rapporter/mina without a session (%s); the test below would prove nothing", detail)
		}
		if status, detail := get(b.URL, true); status != http.StatusOK {
			t.Errorf("B: GET /rapporter/mina with A's session cookie = %d (%s), want 200", status, detail)
		}
		if status, detail := get(a.URL, true); status != http.StatusOK {
			t.Errorf("A: GET /rapporter/mina with its own session cookie = %d (%s), want 200", status, detail)
		}
	})
}

// fileReports files n reports through c concurrently and returns their
// IDs and descriptions.
func fileReports(t *testing.T, c *apiClient, fx writerFixture, writer, n int) map[int64]string {
	t.Helper()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		filed = make(map[int64]string)
	)
	occurredAt := time.Now().Add(-time.Hour)
	for seq := range n {
		wg.Go(func() {
			id, status, err := c.createReport(context.Background(), reportJSON(fx.area, fx.category, writer, seq, occurredAt))
			if err != nil || status != http.StatusCreated {
				t.Errorf("POST /api/v1/reports on %s = %d, %v; want 201", c.baseURL, status, err)
				return
			}
			mu.Lock()
			filed[id] = reportDescription(writer, seq)
			mu.Unlock()
		})
	}
	wg.Wait()
	return filed
}

var (
	formRE  = regexp.MustCompile(`(?is)<form\b[^>]*>.*?</form>`)
	inputRE = regexp.MustCompile(`(?is)<input\b[^>]*>`)
	attrRE  = regexp.MustCompile(`(?is)\b(name|value|type|method|action)\s*=\s*"([^"]*)"`)
)

// signInByForm signs acc in through the HTML form at /logga-in, as a browser
// without JavaScript would: it loads the form (which sets the CSRF cookie),
// posts every hidden field with the e-mail and password, and expects to be
// sent on with a session.
func signInByForm(t *testing.T, c *http.Client, baseURL string, acc account) {
	t.Helper()
	resp, err := c.Get(baseURL + "/logga-in")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /logga-in = %d", resp.StatusCode)
	}
	action, fields := passwordForm(t, string(page))
	for name, typ := range fields.types {
		switch typ {
		case "email":
			fields.values.Set(name, acc.Email)
		case "password":
			fields.values.Set(name, acc.Password)
		}
	}
	target, err := url.Parse(baseURL + "/logga-in")
	if err != nil {
		t.Fatal(err)
	}
	if action != "" {
		if target, err = target.Parse(action); err != nil {
			t.Fatalf("sign-in form action %q: %v", action, err)
		}
	}
	resp, err = c.PostForm(target.String(), fields.values)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || strings.HasSuffix(resp.Request.URL.Path, "/logga-in") {
		t.Fatalf("signing in as %s ended on %s with %d:\n%s", acc.Email, resp.Request.URL, resp.StatusCode, tail(string(body), 2000))
	}
}

type formFields struct {
	values url.Values
	types  map[string]string // input name → type
}

// passwordForm finds the form with a password field in page and returns
// its action and fields.
func passwordForm(t *testing.T, page string) (action string, f formFields) {
	t.Helper()
	for _, form := range formRE.FindAllString(page, -1) {
		f = formFields{values: url.Values{}, types: map[string]string{}}
		openTag := form[:strings.Index(form, ">")+1]
		action = ""
		for _, m := range attrRE.FindAllStringSubmatch(openTag, -1) {
			if strings.EqualFold(m[1], "action") {
				action = html.UnescapeString(m[2])
			}
		}
		hasPassword := false
		for _, in := range inputRE.FindAllString(form, -1) {
			attrs := map[string]string{"type": "text"}
			for _, m := range attrRE.FindAllStringSubmatch(in, -1) {
				attrs[strings.ToLower(m[1])] = html.UnescapeString(m[2])
			}
			name := attrs["name"]
			if name == "" {
				continue
			}
			f.types[name] = strings.ToLower(attrs["type"])
			f.values.Set(name, attrs["value"])
			hasPassword = hasPassword || f.types[name] == "password"
		}
		if hasPassword {
			if !slices.Contains(slices.Collect(maps.Values(f.types)), "email") {
				// A sign-in form may use type="text" for the e-mail.
				for name, typ := range f.types {
					if typ == "text" {
						f.types[name] = "email"
					}
				}
			}
			return action, f
		}
	}
	t.Fatalf("no form with a password field on the sign-in page:\n%s", tail(page, 2000))
	return "", formFields{}
}
