package hooks_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/xuri/excelize/v2"

	"github.com/saijo-dx/lifestage/access"
	"github.com/saijo-dx/lifestage/audit"
	"github.com/saijo-dx/lifestage/billing"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/invoicing"
	"github.com/saijo-dx/lifestage/reports"
	"github.com/saijo-dx/lifestage/testutil"
)

const billingRunURL = "/api/lifestage/nursery/billing/run"

// billedMonth is the month the demo bills: the last one that ended.
func billedMonth() string { return reports.LastCompleted(time.Now()).String() }

func monthStart(s string) civil.Date {
	m, _ := reports.ParseMonth(s)
	return civil.Date{Year: m.Year, Month: m.Month, Day: 1}
}

// householdInvoice is a demo family's invoice of the billed month.
func householdInvoice(t testing.TB, app core.App, role string) *core.Record {
	t.Helper()
	u, err := app.FindRecordById("users", fx.IDs[role])
	if err != nil {
		t.Fatal(err)
	}
	r, err := app.FindFirstRecordByFilter("invoices", "household = {:h} && month = {:m}",
		dbx.Params{"h": u.GetString("household"), "m": billedMonth()})
	if err != nil {
		t.Fatalf("the demo has no %s invoice for %s", role, billedMonth())
	}
	return r
}

func tokenOf(t testing.TB, app core.App, collection, email string) string {
	t.Helper()
	rec, err := app.FindAuthRecordByEmail(collection, email)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := rec.NewAuthToken()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func bearer(tok string) map[string]string { return map[string]string{"Authorization": tok} }

// refusedRoles are scenarios refusing every demo role but the allowed ones:
// 401 for the anonymous visitor, 403 for the rest, and nothing written.
func refusedRoles(method, url, body string, allowed ...string) []tests.ApiScenario {
	var out []tests.ApiScenario
	for _, role := range access.Roles {
		if slices.Contains(allowed, role) {
			continue
		}
		s := tests.ApiScenario{Name: role + " refused", Method: method, URL: url, Headers: auth(role),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
			ExpectedEvents: map[string]int{"OnModelCreate": 0, "OnModelUpdate": 0}}
		if role == "anonymous" {
			s.Headers, s.ExpectedStatus, s.ExpectedContent = nil, 401, []string{`"status":401`}
		}
		if body != "" {
			s.Body = strings.NewReader(body)
		}
		out = append(out, s)
	}
	return out
}

// updatedStamps maps the month's invoice ids to their updated stamps.
func updatedStamps(t testing.TB, app core.App, month string) map[string]string {
	recs, err := app.FindAllRecords("invoices", dbx.HashExp{"month": month})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range recs {
		out[r.Id] = r.GetString("updated")
	}
	return out
}

func TestBillingDemo(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	parent, parent2 := householdInvoice(t, app, "parent"), householdInvoice(t, app, "parent2")
	if parent.GetString("status") != "issued" || parent.GetDateTime("issuedAt").IsZero() || parent2.GetString("status") != "draft" {
		t.Fatalf("parent %s, parent2 %s", parent.GetString("status"), parent2.GetString("status"))
	}
	var lines []billing.Line
	if err := json.Unmarshal([]byte(parent.GetString("lines")), &lines); err != nil || len(lines) == 0 {
		t.Fatalf("parent's invoice has no lines: %v", err)
	}
	if parent.GetString("addressee") == "" || parent.GetString("nurseryName") == "" {
		t.Errorf("addressee %q, nursery %q", parent.GetString("addressee"), parent.GetString("nurseryName"))
	}
	sum := 0
	for _, l := range lines {
		sum += l.Yen
	}
	if sum != parent.GetInt("total") {
		t.Errorf("total %d, lines sum %d", parent.GetInt("total"), sum)
	}
}

// Running the demo's month again writes nothing: same invoices, same
// updated stamps; a month never billed is created, and its rerun is still.
func TestBillingRunTwiceChangesNothing(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	ctx := audit.WithActor(context.Background(), audit.System)
	for _, month := range []string{billedMonth(), monthStart(billedMonth()).AddMonthsClamped(-1).String()[:7]} {
		first, err := invoicing.Run(app, ctx, monthStart(month), "")
		if err != nil {
			t.Fatal(err)
		}
		before := updatedStamps(t, app, month)
		second, err := invoicing.Run(app, ctx, monthStart(month), "")
		if err != nil {
			t.Fatal(err)
		}
		if second.Changes() != 0 || second.Invoices != first.Invoices || second.TotalYen != first.TotalYen || len(before) != first.Invoices {
			t.Errorf("%s: first %+v, second %+v, %d stored", month, first, second, len(before))
		}
		if after := updatedStamps(t, app, month); !maps2Equal(before, after) {
			t.Errorf("%s: the rerun touched invoices", month)
		}
	}
}

func maps2Equal(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestBillingRunRoute(t *testing.T) {
	app := fx.NewApp(t)
	draft := householdInvoice(t, app, "parent2")
	issued := householdInvoice(t, app, "parent")
	outsider := tokenOf(t, app, "nursery_staff", "outsider-nursery_staff@test.lifestage.example")
	app.Cleanup()
	month := billedMonth()
	body := func(s string) *strings.Reader { return strings.NewReader(s) }
	thisMonth := reports.MonthOf(time.Now()).String()

	var stamps map[string]string
	keepStamps := func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) { stamps = updatedStamps(t, app, month) }

	// lateCheckout makes a child of the draft stay until 19:30 on a day of
	// the month, and does the same on the issued invoice's child.
	lateCheckout := func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
		for _, inv := range []*core.Record{draft, issued} {
			// Any child of the household at that nursery.
			kids, err := app.FindAllRecords("enrolments", dbx.HashExp{"household": inv.GetString("household"), "nursery": inv.GetString("nursery")})
			if err != nil || len(kids) == 0 {
				t.Fatal("no enrolment")
			}
			day, err := app.FindFirstRecordByFilter("attendance", "child = {:c} && date >= {:from} && date <= {:to} && checkOut != ''",
				dbx.Params{"c": kids[0].GetString("child"), "from": month + "-01", "to": month + "-31"})
			if err != nil {
				t.Fatalf("the child has no attendance in %s", month)
			}
			d, _ := civil.Parse(day.GetString("date"))
			day.Set("checkOut", d.Time().Add(19*time.Hour+30*time.Minute))
			if err := app.Save(day); err != nil {
				t.Fatal(err)
			}
		}
	}

	scenarios := append(refusedRoles(http.MethodPost, billingRunURL, `{"month":"`+month+`"}`, "city_nursery"), []tests.ApiScenario{
		{Name: "a nursery director refused", Method: http.MethodPost, URL: billingRunURL, Body: body(`{"month":"` + month + `"}`),
			Headers: bearer(outsider), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "bad month", Method: http.MethodPost, URL: billingRunURL, Body: body(`{"month":"2026/10"}`),
			Headers: auth("city_nursery"), ExpectedStatus: 400, ExpectedContent: []string{`"month":{"code":"invalid_month"`}},
		{Name: "no month", Method: http.MethodPost, URL: billingRunURL, Body: body(`{}`),
			Headers: auth("city_nursery"), ExpectedStatus: 400, ExpectedContent: []string{`"month":{"code":"required"`}},
		{Name: "this month has not ended", Method: http.MethodPost, URL: billingRunURL, Body: body(`{"month":"` + thisMonth + `"}`),
			Headers: auth("city_nursery"), ExpectedStatus: 400, ExpectedContent: []string{`"month":{"code":"month_not_ended"`}},
		{Name: "a year without a fee table", Method: http.MethodPost, URL: billingRunURL, Body: body(`{"month":"2024-06"}`),
			Headers: auth("city_nursery"), ExpectedStatus: 400, ExpectedContent: []string{`"month":{"code":"no_fee_table"`}},
		{Name: "an unknown nursery", Method: http.MethodPost, URL: billingRunURL, Body: body(`{"month":"` + month + `","nursery":"nosuchnursery00"}`),
			Headers: auth("city_nursery"), ExpectedStatus: 400, ExpectedContent: []string{`"nursery":{"code":"unknown_nursery"`}},
		{
			Name: "rerunning the demo's month changes nothing", Method: http.MethodPost, URL: billingRunURL,
			Body: body(`{"month":"` + month + `"}`), Headers: auth("city_nursery"), BeforeTestFunc: keepStamps,
			ExpectedStatus:  200,
			ExpectedContent: []string{`"month":"` + month + `"`, `"created":0,"updated":0,`, `"skipped":1,`},
			ExpectedEvents:  map[string]int{"OnModelCreate": 0, "OnModelUpdate": 0},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				if !maps2Equal(stamps, updatedStamps(t, app, month)) {
					t.Error("updated stamps changed")
				}
			},
		},
		{
			Name: "a late checkout recomputes the draft, never the issued invoice", Method: http.MethodPost, URL: billingRunURL,
			Body: body(`{"month":"` + month + `"}`), Headers: auth("city_nursery"),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				lateCheckout(t, app, e)
				keepStamps(t, app, e)
			},
			ExpectedStatus: 200, ExpectedContent: []string{`"created":0,"updated":1,`, `"skipped":1,`,
				issued.GetString("addressee") + `様（`, `の発行済みの請求書（`, `差額は翌月以降に調整してください。`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				after := updatedStamps(t, app, month)
				for id, stamp := range stamps {
					if changed := after[id] != stamp; changed != (id == draft.Id) {
						t.Errorf("invoice %s changed=%v", id, changed)
					}
				}
				rec, _ := app.FindRecordById("invoices", draft.Id)
				if !strings.Contains(rec.GetString("lines"), `"kind":"extension"`) || rec.GetInt("total") <= draft.GetInt("total") {
					t.Errorf("the draft has no extended care: %s", rec.GetString("lines"))
				}
				if rec, _ := app.FindRecordById("invoices", issued.Id); rec.GetString("lines") != issued.GetString("lines") {
					t.Error("the issued invoice was recomputed")
				}
			},
		},
		{
			Name: "one nursery only", Method: http.MethodPost, URL: billingRunURL,
			Body: body(`{"month":"` + month + `","nursery":"` + draft.GetString("nursery") + `"}`), Headers: auth("city_nursery"),
			ExpectedStatus: 200, ExpectedContent: []string{`"nursery":"` + draft.GetString("nursery") + `"`, `"created":0,"updated":0,`},
		},
	}...)
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

// photoOrders makes sure the test app has photo_orders: the photo sales
// collection when it exists, else a minimal one with the fields billing
// reads.
func photoOrders(t testing.TB, app core.App) *core.Collection {
	if c, err := app.FindCollectionByNameOrId(invoicing.PhotoOrders); err == nil {
		return c
	}
	c := core.NewBaseCollection(invoicing.PhotoOrders)
	c.Fields.Add(&core.TextField{Name: "household"}, &core.TextField{Name: "nursery"}, &core.TextField{Name: "month"},
		&core.NumberField{Name: "total"}, &core.TextField{Name: "status"}, &core.TextField{Name: "invoice"})
	if err := app.Save(c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestBillingPhotoOrders(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	ctx := audit.WithActor(context.Background(), audit.System)
	draft := householdInvoice(t, app, "parent2")
	issued := householdInvoice(t, app, "parent")
	col := photoOrders(t, app)
	order := func(inv *core.Record, month, status string, total int) *core.Record {
		r := core.NewRecord(col)
		r.Load(map[string]any{"household": inv.GetString("household"), "nursery": inv.GetString("nursery"), "month": month,
			"total": total, "status": status, "items": []map[string]any{{"photo": "x", "size": "L", "quantity": 1, "unitPrice": total, "amount": total}}})
		if err := app.Save(r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	month := billedMonth()
	a := order(draft, month, "ordered", 1200)
	b := order(draft, month, "ordered", 300)
	cancelled := order(draft, month, "cancelled", 5000)
	nextMonth := order(draft, reports.MonthOf(time.Now()).String(), "ordered", 700)
	late := order(issued, month, "ordered", 900) // the invoice is already out

	s, err := invoicing.Run(app, ctx, monthStart(month), "")
	if err != nil {
		t.Fatal(err)
	}
	if s.Updated != 1 || s.Created != 0 || len(s.Problems) != 1 || !strings.Contains(s.Problems[0], "写真の注文1件（900円）は、請求書が発行済みのため載せていません。") {
		t.Errorf("summary %+v", s)
	}
	rec, _ := app.FindRecordById("invoices", draft.Id)
	if rec.GetInt("total") != draft.GetInt("total")+1500 || !strings.Contains(rec.GetString("lines"), `"kind":"photos"`) {
		t.Errorf("total %d (was %d), lines %s", rec.GetInt("total"), draft.GetInt("total"), rec.GetString("lines"))
	}
	for _, o := range []*core.Record{a, b, cancelled, nextMonth, late} {
		fresh, _ := app.FindRecordById(col, o.Id)
		want := map[string]string{a.Id: "invoiced", b.Id: "invoiced", cancelled.Id: "cancelled", nextMonth.Id: "ordered", late.Id: "ordered"}[o.Id]
		if fresh.GetString("status") != want || (want == "invoiced") != (fresh.GetString("invoice") == draft.Id) {
			t.Errorf("order %d yen: %s on %q, want %s", o.GetInt("total"), fresh.GetString("status"), fresh.GetString("invoice"), want)
		}
	}
	again, err := invoicing.Run(app, ctx, monthStart(month), "")
	if err != nil || again.Changes() != 0 {
		t.Errorf("rerun with invoiced orders: %+v, %v", again, err)
	}
	// Once issued, its photos still count: a rerun sees no difference.
	rec.Set("status", "issued")
	if err := app.Save(rec); err != nil {
		t.Fatal(err)
	}
	issuedRun, err := invoicing.Run(app, ctx, monthStart(month), "")
	if err != nil || issuedRun.Changes() != 0 || issuedRun.Skipped != 2 || len(issuedRun.Problems) != 1 {
		t.Errorf("rerun after issue: %+v, %v", issuedRun, err)
	}
}

func TestInvoiceStatus(t *testing.T) {
	app := fx.NewApp(t)
	draft := householdInvoice(t, app, "parent2")
	issued := householdInvoice(t, app, "parent")
	outsiderRec, err := app.FindAuthRecordByEmail("nursery_staff", "outsider-nursery_staff@test.lifestage.example")
	if err != nil {
		t.Fatal(err)
	}
	outsider := tokenOf(t, app, "nursery_staff", "outsider-nursery_staff@test.lifestage.example")
	// An invoice of the outsider director's own nursery.
	theirs, err := app.FindFirstRecordByFilter("invoices", "nursery = {:n} && month = {:m}",
		dbx.Params{"n": outsiderRec.GetString("nursery"), "m": billedMonth()})
	if err != nil {
		t.Fatal("the outsider's nursery has no invoice")
	}
	app.Cleanup()
	url := func(id string) string { return "/api/collections/invoices/records/" + id }
	setStatus := func(id, status string) func(testing.TB, *tests.TestApp, *core.ServeEvent) {
		return func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
			r, err := app.FindRecordById("invoices", id)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range map[string][]string{"issued": {"issued"}, "paid": {"issued", "paid"}}[status] {
				r.Set("status", s)
				if err := app.Save(r); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	body := func(s string) *strings.Reader { return strings.NewReader(s) }
	scenarios := []tests.ApiScenario{
		{
			Name: "保育担当 issues a draft; the family is told", Method: http.MethodPatch, URL: url(draft.Id),
			Body: body(`{"status":"issued"}`), Headers: auth("city_nursery"),
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"issued"`, `"issuedAt":"20`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				n, err := app.CountRecords("notifications", dbx.HashExp{"recipient": fx.IDs["parent2"], "kind": "nursery.invoice_issued", "reason": draft.Id})
				if err != nil || n != 1 {
					t.Errorf("parent2 got %d notices (%v)", n, err)
				}
			},
		},
		{
			Name: "the family sees it once issued", Method: http.MethodGet, URL: url(draft.Id), Headers: auth("parent2"),
			BeforeTestFunc: setStatus(draft.Id, "issued"),
			ExpectedStatus: 200, ExpectedContent: []string{`"id":"` + draft.Id + `"`, `"status":"issued"`},
		},
		{
			Name: "but not as a draft", Method: http.MethodGet, URL: url(draft.Id), Headers: auth("parent2"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
		{
			Name: "nor another household's", Method: http.MethodGet, URL: url(issued.Id), Headers: auth("parent2"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
		{
			Name: "a draft cannot be marked paid", Method: http.MethodPatch, URL: url(draft.Id),
			Body: body(`{"status":"paid"}`), Headers: auth("city_nursery"),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":{"code":"invalid_transition"`},
		},
		{
			Name: "保育担当 records payment", Method: http.MethodPatch, URL: url(issued.Id),
			Body: body(`{"status":"paid"}`), Headers: auth("city_nursery"),
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"paid"`, `"paidAt":"20`},
		},
		{
			Name: "paid never goes back", Method: http.MethodPatch, URL: url(issued.Id),
			Body: body(`{"status":"issued"}`), Headers: auth("city_nursery"), BeforeTestFunc: setStatus(issued.Id, "paid"),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":{"code":"invalid_transition"`},
		},
		{
			Name: "nor back to draft", Method: http.MethodPatch, URL: url(issued.Id),
			Body: body(`{"status":"draft"}`), Headers: auth("city_nursery"),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":{"code":"invalid_transition"`},
		},
		{
			Name: "amounts are the run's: 保育担当 cannot change a total", Method: http.MethodPatch, URL: url(draft.Id),
			Body: body(`{"total":1}`), Headers: auth("city_nursery"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}, ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
		{
			Name: "a note is fine", Method: http.MethodPatch, URL: url(issued.Id),
			Body: body(`{"note":"口座振替日: 27日"}`), Headers: auth("city_nursery"),
			ExpectedStatus: 200, ExpectedContent: []string{`"note":"口座振替日: 27日"`, `"status":"issued"`},
		},
		{
			Name: "the director records payment of the nursery's invoice", Method: http.MethodPatch, URL: url(theirs.Id),
			Body: body(`{"status":"paid"}`), Headers: bearer(outsider), BeforeTestFunc: setStatus(theirs.Id, "issued"),
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"paid"`},
		},
		{
			Name: "but does not issue", Method: http.MethodPatch, URL: url(theirs.Id),
			Body: body(`{"status":"issued"}`), Headers: bearer(outsider),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}, ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
		{
			Name: "nor touches another nursery's", Method: http.MethodPatch, URL: url(issued.Id),
			Body: body(`{"status":"paid"}`), Headers: bearer(outsider),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}, ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
		{
			Name: "nursery staff (not director) cannot mark paid", Method: http.MethodPatch, URL: url(issued.Id),
			Body: body(`{"status":"paid"}`), Headers: auth("nursery_staff"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}, ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
		{
			Name: "the family cannot mark its invoice paid", Method: http.MethodPatch, URL: url(issued.Id),
			Body: body(`{"status":"paid"}`), Headers: auth("parent"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}, ExpectedEvents: map[string]int{"OnModelUpdate": 0},
		},
		{
			Name: "nobody deletes, 保育担当 included", Method: http.MethodDelete, URL: url(draft.Id), Headers: auth("city_nursery"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, ExpectedEvents: map[string]int{"OnModelDelete": 0},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func TestIssueRoute(t *testing.T) {
	app := fx.NewApp(t)
	draft := householdInvoice(t, app, "parent2")
	nursery := draft.GetString("nursery")
	drafts, err := app.CountRecords("invoices", dbx.HashExp{"nursery": nursery, "month": billedMonth(), "status": "draft"})
	if err != nil || drafts == 0 {
		t.Fatal("no drafts to issue")
	}
	app.Cleanup()
	const url = "/api/lifestage/nursery/billing/issue"
	body := `{"month":"` + billedMonth() + `","nursery":"` + nursery + `"}`
	scenarios := append(refusedRoles(http.MethodPost, url, body, "city_nursery"), []tests.ApiScenario{
		{Name: "unknown nursery", Method: http.MethodPost, URL: url, Body: strings.NewReader(`{"month":"` + billedMonth() + `","nursery":"nosuchnursery00"}`),
			Headers: auth("city_nursery"), ExpectedStatus: 400, ExpectedContent: []string{`"nursery":{"code":"unknown_nursery"`}},
		{
			Name: "保育担当 issues the nursery's drafts that need no check", Method: http.MethodPost, URL: url,
			Body: strings.NewReader(body), Headers: auth("city_nursery"),
			ExpectedStatus: 200, ExpectedContent: []string{`"month":"` + billedMonth() + `"`, `"issued":`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				var s invoicing.IssueSummary
				if err := json.NewDecoder(res.Body).Decode(&s); err != nil {
					t.Fatal(err)
				}
				left, _ := app.CountRecords("invoices", dbx.HashExp{"nursery": nursery, "month": billedMonth(), "status": "draft"})
				if s.Issued == 0 || int64(s.Held) != left || int64(s.Issued+s.Held) != drafts {
					t.Errorf("summary %+v, %d drafts before, %d left", s, drafts, left)
				}
				others, _ := app.CountRecords("invoices", dbx.NewExp("nursery != {:n} AND status = 'issued' AND month = {:m}",
					dbx.Params{"n": nursery, "m": billedMonth()}))
				if others != 1 { // only the demo parent's, issued by the demo
					t.Errorf("%d invoices of other nurseries issued", others)
				}
			},
		},
	}...)
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func TestInvoicesXLSX(t *testing.T) {
	app := fx.NewApp(t)
	mine := householdInvoice(t, app, "parent") // the demo nursery's
	other := householdInvoice(t, app, "parent2")
	app.Cleanup()
	url := "/api/lifestage/nursery/billing/" + billedMonth() + "/invoices.xlsx"
	xlsxHas := func(want ...string) func(testing.TB, *tests.TestApp, *http.Response) {
		return func(t testing.TB, app *tests.TestApp, res *http.Response) {
			if ct := res.Header.Get("Content-Type"); ct != reports.XLSXContentType {
				t.Fatalf("content type %q", ct)
			}
			f, err := excelize.OpenReader(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := f.GetRows("請求一覧")
			if err != nil {
				t.Fatal(err)
			}
			var text []string
			for _, r := range rows {
				text = append(text, strings.Join(r, "|"))
			}
			all := strings.Join(text, "\n")
			for _, w := range want {
				if !strings.Contains(all, w) {
					t.Errorf("xlsx lacks %q:\n%s", w, all[:min(600, len(all))])
				}
			}
			if strings.Contains(all, other.GetString("addressee")+"|") && other.GetString("nursery") != mine.GetString("nursery") {
				t.Error("another nursery's household is listed")
			}
			n, _ := app.CountRecords("audit_log", dbx.HashExp{"collection": "invoices", "action": "view", "record": mine.Id})
			if n != 1 {
				t.Errorf("%d audited reads of the invoice", n)
			}
		}
	}
	xlsxHeaders := []string{"世帯番号|宛名|お子さま|保育料|副食費|延長保育料|写真代|合計|状態|確認事項", mine.GetString("addressee") + "|", "発行済"}
	scenarios := append(refusedRoles(http.MethodGet, url+"?nursery="+mine.GetString("nursery"), "", "city_nursery", "nursery_staff"), []tests.ApiScenario{
		{Name: "nursery staff: not another nursery", Method: http.MethodGet, URL: url + "?nursery=" + other.GetString("nursery"), Headers: auth("nursery_staff"),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "保育担当 names the nursery", Method: http.MethodGet, URL: url, Headers: auth("city_nursery"),
			ExpectedStatus: 400, ExpectedContent: []string{`"nursery":{"code":"required"`}},
		{Name: "bad month", Method: http.MethodGet, URL: "/api/lifestage/nursery/billing/2026-13/invoices.xlsx?nursery=" + mine.GetString("nursery"), Headers: auth("city_nursery"),
			ExpectedStatus: 400, ExpectedContent: []string{`"month":{"code":"invalid_month"`}},
		{Name: "nursery staff: their own nursery", Method: http.MethodGet, URL: url, Headers: auth("nursery_staff"),
			ExpectedStatus: 200, NotExpectedContent: []string{`"status":`}, AfterTestFunc: xlsxHas(xlsxHeaders...)},
		{Name: "保育担当: any nursery", Method: http.MethodGet, URL: url + "?nursery=" + mine.GetString("nursery"), Headers: auth("city_nursery"),
			ExpectedStatus: 200, NotExpectedContent: []string{`"status":`}, AfterTestFunc: xlsxHas(xlsxHeaders...)},
	}...)
	for _, s := range scenarios {
		s.TestAppFactory = fx.NewApp
		s.Test(t)
	}
}

func TestBillingClosingDayJob(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	draft := householdInvoice(t, app, "parent2")
	settings, err := app.FindFirstRecordByFilter("nurseries", "nursery = {:n}", dbx.Params{"n": draft.GetString("nursery")})
	if err != nil {
		t.Fatal(err)
	}
	today := civil.Today()
	settings.Set("closingDay", min(today.Day, 28))
	if err := app.Save(settings); err != nil {
		t.Fatal(err)
	}
	if today.Day > 28 {
		today.Day = 28
	}
	sums, err := invoicing.ClosingDay(app, context.Background(), today)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(sums, func(s invoicing.Summary) bool { return s.Nursery == draft.GetString("nursery") })
	if i < 0 || sums[i].Month != billedMonth() || sums[i].Invoices == 0 {
		t.Errorf("the nursery closing today was not billed for %s: %+v", billedMonth(), sums)
	}
	if job := cronJob(testutil.NewAppWithHooks(t), "lifestageNurseryBilling"); job != "0 5 * * *" {
		t.Errorf("billing job %q", job)
	}
}

// A change to the household's invoice shows in the family's own access
// history (the invoice's subject is the household).
func TestInvoiceInAccessLog(t *testing.T) {
	s := tests.ApiScenario{
		Name: "the invoice's change is in the parent's access log", Method: http.MethodGet, URL: "/api/lifestage/me/access-log",
		Headers: auth("parent"), TestAppFactory: fx.NewApp,
		BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
			inv := householdInvoice(t, app, "parent")
			inv.Set("note", "変更テスト")
			if err := app.Save(inv); err != nil {
				t.Fatal(err)
			}
		},
		ExpectedStatus: 200, ExpectedContent: []string{`"action":"update","collection":"invoices"`},
	}
	s.Test(t)
}

// A draft the month no longer bills (its enrolments corrected away) is
// emptied and held, not deleted; a rerun leaves it so.
func TestBillingEmptiesStaleDrafts(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	draft := householdInvoice(t, app, "parent2")
	enrolments, err := app.FindAllRecords("enrolments", dbx.HashExp{"household": draft.GetString("household")})
	if err != nil || len(enrolments) == 0 {
		t.Fatal("parent2 has no enrolments")
	}
	before := monthStart(billedMonth()).AddDays(-1).String()
	for _, e := range enrolments {
		e.Set("start", monthStart(billedMonth()).AddMonthsClamped(-2).String())
		e.Set("end", before)
		if err := app.Save(e); err != nil {
			t.Fatal(err)
		}
	}
	// Their attendance of the month goes too, or extended care would bill.
	if _, err := app.DB().NewQuery("DELETE FROM attendance WHERE nursery = {:n} AND date >= {:d}").
		Bind(dbx.Params{"n": draft.GetString("nursery"), "d": billedMonth() + "-01"}).Execute(); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		s, err := invoicing.Run(app, audit.WithActor(context.Background(), audit.System), monthStart(billedMonth()), draft.GetString("nursery"))
		if err != nil {
			t.Fatal(err)
		}
		rec, _ := app.FindRecordById("invoices", draft.Id)
		if rec.GetInt("total") != 0 || rec.GetString("lines") != "[]" || !strings.Contains(rec.GetString("warnings"), `"code":"no_charges"`) {
			t.Errorf("run %d: the stale draft is %d yen, %s, %s", i, rec.GetInt("total"), rec.GetString("lines"), rec.GetString("warnings"))
		}
		if i == 1 && s.Changes() != 0 {
			t.Errorf("the rerun changed %d invoices", s.Changes())
		}
	}
}
