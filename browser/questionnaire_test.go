package browser

// The digital 予診票: the parent makes one from the handbook, answers and
// submits it and sees the QR code; the clinic opens it by the QR token.

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"

	"github.com/saijo-dx/lifestage/testutil"
)

func TestQuestionnaireFromHandbookToClinic(t *testing.T) {
	base, app := siteApp(t)
	child, err := app.FindFirstRecordByFilter("children", "guardians:each ?= {:p}", dbx.Params{"p": fx.IDs["parent"]})
	if err != nil {
		t.Fatal(err)
	}
	due := testutil.DueToday(t, app, child)
	nurse, err := app.FindRecordById("medical_staff", fx.IDs["medical_staff"])
	if err != nil {
		t.Fatal(err)
	}
	clinic := nurse.GetString("institution")

	ctx := browseLong(t)
	login(t, ctx, base, "parent")
	link := `a[href="/me/questionnaire/?child=` + child.Id + `&vaccine=` + due.Vaccine + `&dose=` + strconv.Itoa(due.Dose) + `"]`
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/me/child/?id="+child.Id),
		chromedp.WaitVisible(chromedp.CSS(link)),
		chromedp.Click(chromedp.CSS(link)),
		chromedp.WaitVisible(chromedp.ID(`step-create`)),
		chromedp.Poll[chromedp.Void](`!!document.querySelector('#q-institution option[value="`+clinic+`"]') && !document.getElementById("step-create").hidden`),
	)
	if err != nil {
		t.Fatalf("handbook → questionnaire: %v", err)
	}
	err = chromedp.Do(ctx,
		chromedp.SetValue(chromedp.ID(`q-institution`), clinic),
		chromedp.Click(chromedp.CSS(`#create-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#questions li`)),
	)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if base := text(t, ctx, `#base-data`); !strings.Contains(base, child.GetString("givenName")) {
		t.Errorf("base data without the child's name: %q", base)
	}
	err = chromedp.Do(ctx,
		// Every question いいえ, except the allergy one (はい with a detail).
		chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('#questions input[value="no"]').forEach((r) => r.click())`),
		chromedp.Click(chromedp.CSS(`#questions li[data-key="allergy"] input[value="yes"]`)),
		chromedp.SendKeys(chromedp.ID(`q-allergy-detail`), "卵で発疹"),
		chromedp.Click(chromedp.CSS(`#answers-form button[type="submit"]`)),
		waitText(`#answers-form-status`, "回答を保存しました"),
		chromedp.Click(chromedp.ID(`submit-btn`)),
		chromedp.WaitVisible(chromedp.ID(`qr-img`)),
		chromedp.Poll[chromedp.Void](`document.getElementById("qr-img").naturalWidth > 0`),
		waitText(`#qr-title`, "受付でこの画面を見せてください"),
	)
	if err != nil {
		t.Fatalf("answer and submit: %v", err)
	}
	if facts := text(t, ctx, `#qr-facts`); !strings.Contains(facts, "年") {
		t.Errorf("QR facts without the planned date: %q", facts)
	}

	q, err := app.FindFirstRecordByFilter("vaccination_questionnaires", "child = {:c} && status = 'submitted'", dbx.Params{"c": child.Id})
	if err != nil {
		t.Fatal(err)
	}
	token := q.GetString("qrToken")
	if token == "" {
		t.Fatal("no QR token after submit")
	}

	staff := browseLong(t)
	a := fx.Accounts["medical_staff"]
	clinicLink := `#systems a[href="/clinic/questionnaire/"]`
	err = chromedp.Do(staff,
		loginAs("medical", a.Email, a.Password, base),
		chromedp.WaitVisible(chromedp.CSS(clinicLink)),
		chromedp.Click(chromedp.CSS(clinicLink)),
		// The reception list holds the form just submitted and the demo's.
		chromedp.WaitVisible(chromedp.CSS(`#c-list .reception-item`)),
		waitText(`#c-list`, q.GetString("childName")),
		waitText(`#c-list`, "接種済"),
		chromedp.Click(chromedp.CSS(`#c-list .reception-item`)),
		chromedp.WaitVisible(chromedp.CSS(`#c-answers li`)),
	)
	if err != nil {
		t.Fatalf("staff home → clinic list: %v", err)
	}
	err = chromedp.Do(staff,
		chromedp.Navigate(base+"/clinic/questionnaire/?t="+token),
		chromedp.WaitVisible(chromedp.CSS(`#c-answers li`)),
	)
	if err != nil {
		t.Fatalf("clinic opens the form: %v", err)
	}
	if got := text(t, staff, `#c-base`); !strings.Contains(got, child.GetString("givenName")) {
		t.Errorf("clinic base data: %q", got)
	}
	yes := text(t, staff, `#c-answers li.is-yes`)
	if !strings.Contains(yes, "はい") || !strings.Contains(yes, "卵で発疹") {
		t.Errorf("highlighted answer: %q", yes)
	}
	if all := text(t, staff, `#c-answers`); !strings.Contains(all, "いいえ") || strings.Contains(all, "未回答") {
		t.Errorf("answers: %q", all[:min(300, len(all))])
	}
}
