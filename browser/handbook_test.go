package browser

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// openHandbook follows the first child card's 「母子手帳をひらく」 link on
// /me/ and waits for the schedule and for the growth chart image, which the
// page fetches with the login token and shows from a blob.
func openHandbook(t *testing.T, ctx context.Context) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#children-list a[href^="/me/child/?id="]`)),
		chromedp.WaitVisible(chromedp.CSS(`#schedule-list .vaccine .status-badge`)),
		chromedp.Poll[chromedp.Void](`(() => { const img = document.querySelector("#chart img"); return !!img && img.complete && img.naturalWidth > 0 })()`),
		chromedp.Poll[chromedp.Void](`!document.querySelector("#handbook [aria-busy]")`),
	)
	if err != nil {
		t.Fatalf("handbook did not load: %v", err)
	}
}

func TestParentKeepsTheHandbook(t *testing.T) {
	base := site(t)
	ctx := browse(t)
	login(t, ctx, base, "parent")
	openHandbook(t, ctx)

	if s := text(t, ctx, `#schedule-list`); !strings.Contains(s, "回目") || !strings.ContainsAny(s, "済まだ接種時期期限切れ対象外") {
		t.Errorf("schedule lacks doses with Japanese status: %q", s[:min(300, len(s))])
	}
	if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - innerWidth`)); err != nil || w > 0 {
		t.Errorf("page scrolls sideways by %dpx on a phone (err %v)", w, err)
	}
	if name := text(t, ctx, `#child-name`); !strings.Contains(name, "母子手帳") {
		t.Errorf("heading: %q", name)
	}

	err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`details:has(#growth-form) > summary`)),
		chromedp.WaitVisible(chromedp.ID(`growth-weight`)),
		// Grams typed as kilograms are caught next to the field.
		chromedp.SendKeys(chromedp.ID(`growth-weight`), "1234"),
		chromedp.Click(chromedp.CSS(`#growth-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#growth-form .field-error[data-error-for="weightKg"]`)),
		clearInput("growth-weight"),
		chromedp.SendKeys(chromedp.ID(`growth-weight`), "12.34"),
		chromedp.SendKeys(chromedp.ID(`growth-height`), "87.6"),
		chromedp.Click(chromedp.CSS(`#growth-form button[type="submit"]`)),
		waitText(`#growth-form-status`, "追加しました"),
		waitText(`#growth-list`, "12.34 kg"),
		waitText(`#growth-list`, "87.6 cm"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if bad, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("growth-weight").getAttribute("aria-invalid") === "true"`)); err != nil || bad {
		t.Errorf("weight still marked invalid after saving (err %v)", err)
	}

	// A dose given elsewhere shows in the list and in the schedule; withdrawn
	// as a wrong entry, it leaves both.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`details:has(#imm-form) > summary`)),
		chromedp.WaitVisible(chromedp.ID(`imm-vaccine`)),
		chromedp.SetValue(chromedp.ID(`imm-vaccine`), "hpv"),
		chromedp.SetValue(chromedp.ID(`imm-date`), "2025-01-15"),
		chromedp.SendKeys(chromedp.ID(`imm-lot`), "AB123"),
		chromedp.Click(chromedp.CSS(`#imm-form button[type="submit"]`)),
		waitText(`#imm-form-status`, "追加しました"),
		waitText(`#imm-list`, "HPV 1回目"),
		waitText(`#schedule-list`, "接種日 2025年1月15日"),
		chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`),
		chromedp.Click(chromedp.CSS(`#imm-list > li:first-child button.btn-danger`)),
		waitText(`#imm-status`, "取り消しました"),
		chromedp.Poll[chromedp.Void](`!document.getElementById("imm-list").textContent.includes("HPV 1回目") && !document.getElementById("schedule-list").textContent.includes("2025年1月15日")`),
	)
	if err != nil {
		t.Fatalf("immunization entry: %v", err)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#imm-list button.btn-danger").length === document.querySelectorAll("#imm-list > li").length ? 1 : 0`)); err != nil || n != 1 {
		t.Errorf("immunization entries lack 「誤入力として取り消す」 (err %v)", err)
	}
}

func TestViewShareSeesNoAddForms(t *testing.T) {
	base := site(t)
	ctx := browse(t)
	login(t, ctx, base, "grandparent")
	openHandbook(t, ctx)

	visible, err := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("#handbook form, #handbook .write-only, #handbook button.btn-danger")]
		.filter((el) => el.getClientRects().length > 0).length`))
	if err != nil {
		t.Fatal(err)
	}
	if visible != 0 {
		t.Errorf("a view share sees %d add forms or withdraw buttons", visible)
	}
	if note := text(t, ctx, `#readonly-note`); !strings.Contains(note, "閲覧のみ") {
		t.Errorf("no read-only note: %q", note)
	}
	if birth := text(t, ctx, `#birth-facts`); !strings.Contains(birth, "出生体重") || !strings.Contains(birth, " g") {
		t.Errorf("the shared child's birth record is not shown: %q", birth)
	}
}

// The demo parent's older child has no birth record yet: the parent enters
// it from the paper handbook, then corrects it.
func TestParentEntersTheBirthRecord(t *testing.T) {
	base := site(t)
	ctx := browse(t)
	login(t, ctx, base, "parent")
	openHandbook(t, ctx)

	err := chromedp.Do(ctx,
		waitText(`#birth-summary`, "出生の記録を入力"),
		chromedp.Click(chromedp.CSS(`#birth-details > summary`)),
		chromedp.WaitVisible(chromedp.ID(`birth-weight`)),
		// Days without weeks are caught before sending.
		chromedp.SendKeys(chromedp.ID(`birth-days`), "2"),
		chromedp.Click(chromedp.CSS(`#birth-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#birth-form .field-error[data-error-for="gestationalWeeks"]`)),
		chromedp.SendKeys(chromedp.ID(`birth-weeks`), "39"),
		chromedp.SendKeys(chromedp.ID(`birth-weight`), "3050"),
		chromedp.SetValue(chromedp.ID(`birth-method`), "cesarean"),
		chromedp.SendKeys(chromedp.ID(`birth-note`), "逆子のため予定帝王切開"),
		chromedp.Click(chromedp.CSS(`#birth-form button[type="submit"]`)),
		waitText(`#birth-form-status`, "保存しました"),
		waitText(`#birth-facts`, "3050 g"),
		waitText(`#birth-facts`, "39週2日"),
		waitText(`#birth-facts`, "帝王切開"),
		waitText(`#birth-summary`, "出生の記録を直す"),
		// A correction updates the same record.
		clearInput("birth-weight"),
		chromedp.SendKeys(chromedp.ID(`birth-weight`), "3064"),
		chromedp.Click(chromedp.CSS(`#birth-form button[type="submit"]`)),
		waitText(`#birth-facts`, "3064 g"),
	)
	if err != nil {
		t.Fatal(err)
	}
}
