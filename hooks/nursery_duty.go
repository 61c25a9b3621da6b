package hooks

import (
	"slices"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/nap"
	"github.com/saijo-dx/lifestage/ratio"
)

// What the live nursery checks (nap checks, staffing ratios) need to know
// about a nursery: its settings, and which of its staff are at work.

// staffAttendanceCollection is the staff check-in (出退勤) of the nursery
// system: staff, nursery, class (optional), date, checkIn, checkOut.
const staffAttendanceCollection = "staff_attendance"

// Where a nursery's list of staff at work comes from: the day's check-ins,
// or, in a nursery where nobody has checked in today (it does not use staff
// check-in, or not yet), every active account.
const (
	dutyFromCheckIns = "staff_attendance"
	dutyFromAccounts = "accounts"
)

// nurseryConfig is a nursery's settings for the live checks. Zero values
// mean "not set" and fall back to the national defaults in nap and ratio.
type nurseryConfig struct {
	Intervals nap.Intervals
	Standard  ratio.Standard
}

func anys(ids []string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// nurseryConfigs reads the settings of the nurseries in one query.
func nurseryConfigs(app core.App, nurseries []string) (map[string]nurseryConfig, error) {
	out := map[string]nurseryConfig{}
	if len(nurseries) == 0 {
		return out, nil
	}
	recs, err := app.FindAllRecords("nurseries", dbx.In("nursery", anys(nurseries)...))
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		out[r.GetString("nursery")] = nurseryConfig{
			Intervals: nap.Intervals{
				Infant: time.Duration(r.GetInt("napIntervalInfant")) * time.Minute,
				Older:  time.Duration(r.GetInt("napIntervalOlder")) * time.Minute,
			},
			Standard: ratio.Standard{Age0: r.GetInt("ratio0"), Age12: r.GetInt("ratio12"), Age3: r.GetInt("ratio3"), Age45: r.GetInt("ratio45")},
		}
	}
	return out, nil
}

// duty is who works today in some nurseries.
type duty struct {
	checkIns map[string]bool                // nurseries with staff check-ins today
	present  map[string]map[string][]string // nursery → class ("" = none) → staff ids
	accounts map[string]*core.Record        // active accounts by id
	staffOf  map[string][]string            // nursery → active account ids
}

// loadDuty reads the nurseries' active staff accounts and the day's staff
// check-ins: two queries whatever the number of nurseries.
func loadDuty(app core.App, nurseries []string, day civil.Date) (*duty, error) {
	d := &duty{checkIns: map[string]bool{}, present: map[string]map[string][]string{}, accounts: map[string]*core.Record{}, staffOf: map[string][]string{}}
	if len(nurseries) == 0 {
		return d, nil
	}
	// A check-in kiosk is an account, not a person on duty.
	recs, err := app.FindAllRecords(collections.NurseryStaff, dbx.In("nursery", anys(nurseries)...), dbx.HashExp{"active": true},
		dbx.Not(dbx.HashExp{"role": collections.NurseryKiosk}))
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		d.accounts[r.Id] = r
		d.staffOf[r.GetString("nursery")] = append(d.staffOf[r.GetString("nursery")], r.Id)
	}
	var rows []struct {
		Staff    string `db:"staff"`
		Nursery  string `db:"nursery"`
		Class    string `db:"class"`
		CheckIn  string `db:"checkIn"`
		CheckOut string `db:"checkOut"`
	}
	err = app.DB().Select("staff", "nursery", "class", "checkIn", "checkOut").From(staffAttendanceCollection).
		Where(dbx.In("nursery", anys(nurseries)...)).AndWhere(dbx.HashExp{"date": day.String()}).All(&rows)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		d.checkIns[r.Nursery] = true
		if r.CheckIn == "" || r.CheckOut != "" {
			continue
		}
		if d.present[r.Nursery] == nil {
			d.present[r.Nursery] = map[string][]string{}
		}
		if !slices.Contains(d.present[r.Nursery][r.Class], r.Staff) {
			d.present[r.Nursery][r.Class] = append(d.present[r.Nursery][r.Class], r.Staff)
		}
	}
	for _, n := range nurseries {
		if !d.checkIns[n] {
			d.present[n] = map[string][]string{"": d.staffOf[n]}
		}
	}
	return d, nil
}

// sourceOf says where the nursery's staff at work come from.
func (d *duty) sourceOf(nursery string) string {
	if d.checkIns[nursery] {
		return dutyFromCheckIns
	}
	return dutyFromAccounts
}

// records turns staff ids into active accounts, once each.
func (d *duty) records(idLists ...[]string) []*core.Record {
	seen := map[string]bool{}
	var out []*core.Record
	for _, ids := range idLists {
		for _, id := range ids {
			if r := d.accounts[id]; r != nil && !seen[id] {
				seen[id] = true
				out = append(out, r)
			}
		}
	}
	return out
}

// atWork are the staff present anywhere in the nursery.
func (d *duty) atWork(nursery string) []string {
	var ids []string
	for _, list := range d.present[nursery] {
		ids = append(ids, list...)
	}
	return ids
}

// forClass is who hears about a class: its staff at work; else everyone at
// work in the nursery; else, so that an alert always reaches someone, every
// active account of the nursery.
func (d *duty) forClass(nursery, class string) []*core.Record {
	if r := d.records(d.present[nursery][class]); len(r) > 0 && class != "" {
		return r
	}
	if r := d.records(d.atWork(nursery)); len(r) > 0 {
		return r
	}
	return d.records(d.staffOf[nursery])
}

// forNursery is who hears about the whole nursery: everyone at work and
// the director(s), who answer for the staffing.
func (d *duty) forNursery(nursery string) []*core.Record {
	var directors []string
	for _, id := range d.staffOf[nursery] {
		if d.accounts[id].GetString("role") == "director" {
			directors = append(directors, id)
		}
	}
	if r := d.records(d.atWork(nursery), directors); len(r) > 0 {
		return r
	}
	return d.records(d.staffOf[nursery])
}
