package invoicing_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/audit"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/invoicing"
	"github.com/saijo-dx/lifestage/testutil"
)

// benchMonth is billed in the benchmark: FY2026, whose table the migration
// loads, whatever day the benchmark runs.
var benchMonth = civil.Date{Year: 2026, Month: time.October, Day: 1}

const (
	benchChildren  = 2500
	benchNurseries = 25
)

// seedMonth writes, straight into the tables, a city with the given number
// of enrolled children in households of one or two, spread over
// nurseries, each child with a fee basis, a guardian and a weekday of
// attendance for every working day of the month (some running late).
func seedMonth(tb testing.TB, app core.App, children int) {
	tb.Helper()
	now := time.Now().UTC().Format("2006-01-02 15:04:05.000Z")
	err := app.RunInTransaction(func(tx core.App) error {
		insert := func(table string, row dbx.Params) error {
			row["created"], row["updated"] = now, now
			_, err := tx.DB().Insert(table, row).Execute()
			return err
		}
		for n := range benchNurseries {
			f := fmt.Sprintf("benchnursery%03d", n)
			if err := insert("facilities", dbx.Params{"id": f, "code": f, "name": fmt.Sprintf("ベンチ保育園%d", n), "type": "nursery", "public": true}); err != nil {
				return err
			}
			if err := insert("nurseries", dbx.Params{"id": fmt.Sprintf("benchsettings%02d", n), "nursery": f,
				"standardFrom": "07:00", "shortFrom": "08:30", "extensionUnitMinutes": 30, "extensionUnitPrice": 200,
				"extensionMonthlyCap": 4000, "sideDishFee": 4500, "closingDay": 10}); err != nil {
				return err
			}
		}
		household, guardian, nursery := "", "", ""
		for c := range children {
			if c%3 != 1 { // households of one or two children, in one nursery
				household = fmt.Sprintf("benchhouse%05d", c)
				guardian = fmt.Sprintf("benchuser%06d", c)
				nursery = fmt.Sprintf("benchnursery%03d", c%benchNurseries)
				if err := insert("households", dbx.Params{"id": household, "code": household}); err != nil {
					return err
				}
				if err := insert("users", dbx.Params{"id": guardian, "email": guardian + "@test.lifestage.example",
					"tokenKey": guardian, "password": "x", "name": "保護者 " + guardian, "household": household}); err != nil {
					return err
				}
				if err := insert("fee_assessments", dbx.Params{"id": fmt.Sprintf("benchfee%07d", c), "household": household,
					"taxYear": 2026, "incomeTax": 30_000 + (c*7919)%300_000}); err != nil {
					return err
				}
			}
			child := fmt.Sprintf("benchchild%05d", c)
			birth := civil.Date{Year: 2021 + c%5, Month: time.Month(1 + c%12), Day: 1 + c%28}
			if err := insert("children", dbx.Params{"id": child, "household": household, "birthDate": birth.String(),
				"familyName": "試験", "givenName": fmt.Sprintf("子%d", c), "guardians": `["` + guardian + `"]`}); err != nil {
				return err
			}
			hours := collections.HoursStandard
			if c%5 == 0 {
				hours = collections.HoursShort
			}
			if err := insert("enrolments", dbx.Params{"id": fmt.Sprintf("benchenrol%05d", c), "child": child, "household": household,
				"nursery": nursery, "certification": "3", "hours": hours, "certifiedHours": 11, "start": "2026-04-01"}); err != nil {
				return err
			}
			for d := benchMonth; d.Month == benchMonth.Month; d = d.AddDays(1) {
				if d.Time().Weekday() == time.Sunday {
					continue
				}
				in := d.Time().Add(7*time.Hour + time.Duration((c+d.Day)%90)*time.Minute)
				out := d.Time().Add(16*time.Hour + time.Duration((c*d.Day)%150)*time.Minute)
				if err := insert("attendance", dbx.Params{"id": fmt.Sprintf("benchatt%05d%02d", c, d.Day), "child": child, "nursery": nursery,
					"date": d.String(), "checkIn": in.UTC().Format("2006-01-02 15:04:05.000Z"), "checkOut": out.UTC().Format("2006-01-02 15:04:05.000Z")}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

func system() context.Context { return audit.WithActor(context.Background(), audit.System) }

// TestRunAtScale checks that the benchmark's city (smaller) bills every
// household once, and that a rerun writes nothing.
func TestRunAtScale(t *testing.T) {
	const children = 300
	app := testutil.NewAppWithHooks(t)
	seedMonth(t, app, children)
	start := time.Now()
	s, err := invoicing.Run(app, system(), benchMonth, "")
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	households := children / 3 * 2
	if s.Created != s.Invoices || s.Invoices != households || s.TotalYen == 0 || len(s.Problems) != 0 {
		t.Fatalf("summary %+v, want %d invoices", s, households)
	}
	t.Logf("billed %d children in %d invoices (%d yen) in %s", children, s.Invoices, s.TotalYen, took)
	again, err := invoicing.Run(app, system(), benchMonth, "")
	if err != nil || again.Changes() != 0 || again.Unchanged != s.Invoices {
		t.Fatalf("rerun %+v, %v", again, err)
	}
}

// BenchmarkBillingRun is a whole month's run for 2,500 enrolled children in
// 25 nurseries: the loading queries, the computation, and the writes of
// every invoice (with their audit entries) in one transaction.
func BenchmarkBillingRun(b *testing.B) {
	app := testutil.NewAppWithHooks(b)
	seedMonth(b, app, benchChildren)
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		if _, err := app.DB().NewQuery("DELETE FROM invoices").Execute(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		s, err := invoicing.Run(app, system(), benchMonth, "")
		if err != nil || s.Created == 0 {
			b.Fatalf("%+v %v", s, err)
		}
	}
}

// BenchmarkBillingRerun is the same month run again: everything loaded and
// computed, nothing written.
func BenchmarkBillingRerun(b *testing.B) {
	app := testutil.NewAppWithHooks(b)
	seedMonth(b, app, benchChildren)
	if _, err := invoicing.Run(app, system(), benchMonth, ""); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		s, err := invoicing.Run(app, system(), benchMonth, "")
		if err != nil || s.Changes() != 0 {
			b.Fatalf("%+v %v", s, err)
		}
	}
}
