package browser

// The pregnancy page: the demo parent (妊娠27週) sees her visit schedule with
// the two checkups on file and the RSV window, records a checkup, and
// registers another pregnancy by its last menstrual period.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/schedule"
)

func TestPregnancyPage(t *testing.T) {
	base := site(t)
	ctx := browseLong(t)
	login(t, ctx, base, "parent")
	err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a[href="/me/pregnancy/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#visits li`)),
		chromedp.Poll[chromedp.Void](`!document.querySelector("#pregnancy [aria-busy]")`),
	)
	if err != nil {
		t.Fatalf("open the page: %v", err)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#visits .vb-done").length`)); err != nil || n != 2 {
		t.Errorf("%d visits done, want the demo's 2 (err %v)", n, err)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#visits li").length`)); err != nil || n != 14 {
		t.Errorf("%d visits, want 14 (err %v)", n, err)
	}
	if age := text(t, ctx, `#preg-age`); !strings.Contains(age, "妊娠2") || !strings.Contains(age, "週") {
		t.Errorf("gestational age: %q", age)
	}
	if rsv := text(t, ctx, `#rsv`); !strings.Contains(rsv, "RSウイルス") || !strings.Contains(rsv, "28週0日〜36週6日") {
		t.Errorf("RSV window: %q", rsv)
	}
	if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - innerWidth`)); err != nil || w > 0 {
		t.Errorf("page scrolls sideways by %dpx on a phone (err %v)", w, err)
	}

	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`details:has(#checkup-form) > summary`)),
		chromedp.WaitVisible(chromedp.ID(`ck-weight`)),
		chromedp.Poll[chromedp.Void](`document.getElementById("ck-week").value !== ""`),
		chromedp.SendKeys(chromedp.ID(`ck-weight`), "56.1"),
		chromedp.SendKeys(chromedp.ID(`ck-sys`), "118"),
		chromedp.SendKeys(chromedp.ID(`ck-dia`), "72"),
		chromedp.SetValue(chromedp.ID(`ck-protein`), "-"),
		chromedp.Click(chromedp.CSS(`#checkup-form button[type="submit"]`)),
		waitText(`#checkup-form-status`, "追加しました"),
		waitText(`#checkup-list`, "体重 56.1 kg"),
		waitText(`#checkup-list`, "血圧 118/72"),
	)
	if err != nil {
		t.Fatalf("record a checkup: %v", err)
	}

	// The due date set at a checkup replaces the one from the LMP.
	moved := civil.Today().AddDays(98)
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`details:has(#status-form) > summary`)),
		chromedp.WaitVisible(chromedp.ID(`preg-due`)),
		chromedp.SetValue(chromedp.ID(`preg-due`), moved.String()),
		chromedp.Click(chromedp.CSS(`#status-form button[type="submit"]`)),
		waitText(`#status-form-status`, "保存しました"),
		waitText(`#preg-facts`, fmt.Sprintf("%d年%d月%d日", moved.Year, int(moved.Month), moved.Day)),
	)
	if err != nil {
		t.Fatalf("move the due date: %v", err)
	}

	lmp := civil.Today().AddDays(-70)
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#register-form input[value="lmpDate"]`)),
		waitText(`#reg-date-label`, "最終月経開始日"),
		chromedp.SetValue(chromedp.ID(`reg-date`), lmp.String()),
		chromedp.Click(chromedp.CSS(`#register-form button[type="submit"]`)),
		waitText(`#register-form-status`, "登録しました"),
		chromedp.WaitVisible(chromedp.CSS(`#pregnancy-list a[aria-current="page"]`)),
		chromedp.Poll[chromedp.Void](`!document.querySelector("#pregnancy [aria-busy]")`),
	)
	if err != nil {
		t.Fatalf("register by LMP: %v", err)
	}
	due := schedule.DueDateFromLMP(lmp)
	if got := text(t, ctx, `#register-form-status`); !strings.Contains(got, fmt.Sprintf("%d年%d月%d日", due.Year, int(due.Month), due.Day)) {
		t.Errorf("due date from the LMP: %q, want %s", got, due)
	}
	if age := text(t, ctx, `#preg-age`); !strings.Contains(age, "妊娠10週0日") {
		t.Errorf("a pregnancy 70 days after the LMP: %q", age)
	}
}
