package browser

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestNurseryOverviewPage: 保育担当 staff reach the overview from the staff
// menu and see the nurseries' classes counted, with no child named.
func TestNurseryOverviewPage(t *testing.T) {
	base, _ := siteApp(t)
	ctx := browseLong(t)
	a := fx.Accounts["city_nursery"]
	err := chromedp.Do(ctx,
		loginAs("city", a.Email, a.Password, base),
		chromedp.WaitVisible(chromedp.CSS(`#systems a[href="/nursery/overview/"]`)),
		chromedp.Click(chromedp.CSS(`#systems a[href="/nursery/overview/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#rows tr`)),
		waitText(`#status`, "利用状況を表示しました"),
	)
	if err != nil {
		t.Fatal(err)
	}
	rows := text(t, ctx, `#rows`)
	if !strings.Contains(rows, "ひよこ組（0歳児）") || !strings.Contains(rows, "%") {
		t.Errorf("overview rows = %q", rows)
	}
	totals := text(t, ctx, `#totals`)
	if !strings.Contains(totals, "在籍") {
		t.Errorf("totals = %q", totals)
	}
}

// TestStaffMenus: each staff account sees the doors of its own work and no
// other's (the server's rules stay the real control).
func TestStaffMenus(t *testing.T) {
	base, _ := siteApp(t)
	cases := []struct {
		role, typ string
		want, not []string
	}{
		{"nursery_staff", "nursery", []string{"/nursery/attendance/", "/nursery/day/", "/nursery/notebook/", "/nursery/photos/", "/nursery/kiosk/"}, []string{"/nursery/overview/", "/child/followups/"}},
		{"city_nursery", "city", []string{"/nursery/overview/", "/nursery/infections/", "/nursery/billing/"}, []string{"/nursery/attendance/", "/child/followups/"}},
		{"city_child", "city", []string{"/child/followups/"}, []string{"/nursery/overview/", "/staff/ops/"}},
		{"city_elderly", "city", []string{"/watch/", "/watch/register/", "/watch/cards/", "/watch/frailty/"}, []string{"/watch/my/", "/nursery/overview/", "/staff/soon/"}},
		{"volunteer", "volunteer", []string{"/watch/my/"}, []string{"/watch/cards/", "/watch/register/", "/watch/frailty/", "/staff/soon/"}},
	}
	for _, c := range cases {
		t.Run(c.role, func(t *testing.T) {
			ctx := browseLong(t)
			a := fx.Accounts[c.role]
			if err := chromedp.Do(ctx, loginAs(c.typ, a.Email, a.Password, base), chromedp.WaitVisible(chromedp.CSS(`#systems a`))); err != nil {
				t.Fatal(err)
			}
			hrefs, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#systems a")].map((a) => a.getAttribute("href")).join(" ")`))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range c.want {
				if !strings.Contains(hrefs, w) {
					t.Errorf("%s's menu lacks %s: %s", c.role, w, hrefs)
				}
			}
			for _, n := range c.not {
				if strings.Contains(hrefs, n) {
					t.Errorf("%s's menu offers %s: %s", c.role, n, hrefs)
				}
			}
		})
	}
}
