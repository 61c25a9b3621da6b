package testutil

import (
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/schedule"
)

// ScheduleOn is a child's schedule on a date from the valid doses on file.
func ScheduleOn(t testing.TB, app core.App, child *core.Record, on civil.Date) []schedule.Item {
	t.Helper()
	birth, err := civil.Parse(child.GetString("birthDate"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := app.FindAllRecords("immunizations", dbx.HashExp{"child": child.Id}, dbx.NewExp("status != 'entered_in_error'"))
	if err != nil {
		t.Fatal(err)
	}
	var given []schedule.Dose
	for _, r := range recs {
		if d, err := civil.Parse(r.GetString("date")); err == nil {
			given = append(given, schedule.Dose{Vaccine: r.GetString("vaccine"), Date: d})
		}
	}
	return schedule.Compute(birth, child.GetString("sex"), on, given)
}

// NextDoses is each vaccine's next dose (not done, not skipped) on a date.
func NextDoses(t testing.TB, app core.App, child *core.Record, on civil.Date) []schedule.Item {
	seen := map[string]bool{}
	var out []schedule.Item
	for _, it := range ScheduleOn(t, app, child, on) {
		if seen[it.Vaccine] || it.Status == schedule.Done || it.Status == schedule.Skipped {
			continue
		}
		seen[it.Vaccine] = true
		out = append(out, it)
	}
	return out
}

// DueToday is a dose the child may receive today. The demo children are
// mostly up to date, so when none is open the last given dose of a series
// still open is withdrawn (as if entered in error), which makes it due again.
func DueToday(t testing.TB, app core.App, child *core.Record) schedule.Item {
	t.Helper()
	today := civil.Today()
	find := func() (schedule.Item, bool) {
		for _, it := range NextDoses(t, app, child, today) {
			if !today.Before(it.Earliest) && !today.After(it.Latest) {
				return it, true
			}
		}
		return schedule.Item{}, false
	}
	if it, ok := find(); ok {
		return it
	}
	items := ScheduleOn(t, app, child, today)
	for i, it := range items {
		last := i+1 == len(items) || items[i+1].Vaccine != it.Vaccine || items[i+1].Status != schedule.Done
		if it.Status != schedule.Done || !last || !it.Latest.After(today) {
			continue
		}
		rec, err := app.FindFirstRecordByFilter("immunizations", "child = {:c} && vaccine = {:v} && dose = {:d} && status = 'completed'",
			dbx.Params{"c": child.Id, "v": it.Vaccine, "d": it.Dose})
		if err != nil {
			t.Fatal(err)
		}
		rec.Set("status", "entered_in_error")
		if err := app.Save(rec); err != nil {
			t.Fatal(err)
		}
		break
	}
	if it, ok := find(); ok {
		return it
	}
	t.Fatal("the child has no dose it may receive today")
	return schedule.Item{}
}
