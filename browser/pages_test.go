// Package browser drives the pages in Debian's chromium through chromedp,
// against a test app with the demo city.
package browser

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/hooks"
	"github.com/saijo-dx/lifestage/testutil"
)

var fx *testutil.Fixture

func TestMain(m *testing.M) { os.Exit(testutil.Main(m, &fx)) }

// chromium finds the browser; without one the tests skip, except in CI.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is required in CI (.ci/run installs it)")
	}
	t.Skip("chromium not installed")
	return ""
}

// site serves the fixture app with the working tree's pages.
func site(t *testing.T) string {
	url, _ := siteApp(t)
	return url
}

// siteApp is site with the app behind it, for tests that set up accounts or
// read mail.
func siteApp(t *testing.T) (string, *tests.TestApp) {
	app := fx.NewApp(t)
	t.Cleanup(app.Cleanup)
	hooks.ServePages(app, os.DirFS("../pb_public"))
	h, err := testutil.Handler(app)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL, app
}

// browse opens a fresh headless browser (a phone-sized window) for one test.
func browse(t *testing.T) context.Context { return browseFor(t, 30*time.Second) }

// browseLong is browse with room for the longer flows.
func browseLong(t *testing.T) context.Context { return browseFor(t, 90*time.Second) }

func browseFor(t *testing.T, timeout time.Duration) context.Context {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(390, 844),
		// Pages follow the browser's language (i18n.js); most residents'
		// phones are Japanese, and headless chromium would say en-US.
		// Tests of other languages choose them on the page.
		chromedp.Flag("lang", "ja-JP"),
		chromedp.Flag("accept-lang", "ja-JP,ja"),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

func TestFacilitiesArePublic(t *testing.T) {
	base := site(t)
	ctx := browse(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/facilities/"),
		chromedp.WaitVisible(chromedp.CSS(`#results li`)),
		chromedp.WaitVisible(chromedp.ID(`demo-banner`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	results, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID(`results`)))
	if err != nil {
		t.Fatal(err)
	}
	banner, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID(`demo-banner`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(results, "保育園") {
		t.Fatalf("no nursery listed for an anonymous visitor: %q", results[:min(200, len(results))])
	}
	if strings.Contains(results, "非公開テスト施設") {
		t.Fatal("a non-public facility was listed")
	}
	if !strings.Contains(banner, "デモ") {
		t.Fatalf("demo banner missing: %q", banner)
	}
}

// login signs in through the login page as a demo citizen and waits for /me/.
func login(t *testing.T, ctx context.Context, base, role string) string {
	a := fx.Accounts[role]
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/login/"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="type"][value="citizen"]`)),
		chromedp.Click(chromedp.CSS(`input[name="type"][value="citizen"]`)),
		chromedp.SendKeys(chromedp.ID(`login-email`), a.Email),
		chromedp.SendKeys(chromedp.ID(`login-password`), a.Password),
		chromedp.Click(chromedp.CSS(`#login-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#children-list h3`)),
	)
	if err != nil {
		t.Fatalf("%s login: %v", role, err)
	}
	children, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID(`children-list`)))
	if err != nil {
		t.Fatal(err)
	}
	return children
}

func TestParentsSeeOnlyTheirOwnChildren(t *testing.T) {
	base := site(t)
	app := fx.NewApp(t)
	defer app.Cleanup()
	own, err := app.FindFirstRecordByFilter("children", "guardians ~ {:p}", map[string]any{"p": fx.IDs["parent"]})
	if err != nil {
		t.Fatal(err)
	}
	name := own.GetString("familyName") + " " + own.GetString("givenName")

	if got := login(t, browse(t), base, "parent"); !strings.Contains(got, name) {
		t.Fatalf("parent does not see %s on /me/: %q", name, got)
	}
	if got := login(t, browse(t), base, "parent2"); strings.Contains(got, name) {
		t.Fatalf("parent2 sees parent's child %s", name)
	}
}
