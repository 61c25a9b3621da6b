package seed

import (
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
)

// attendanceDays is how much attendance history the demo city has: enough
// for a month's bill and a week's view.
const attendanceDays = 35

// nurseryFamilies puts the demo parent's preschool children in the demo
// nursery and parent2's in another one, so each sees a nursery day and
// nursery_staff sees parent's children but not parent2's.
func (d *demo) nurseryFamilies() error {
	mine := d.records["nursery_staff"].GetString("nursery")
	other, err := d.tx.FindFirstRecordByFilter("nurseries", "nursery != {:n}", dbx.Params{"n": mine})
	if err != nil {
		return errors.New("the demo city needs two nurseries")
	}
	for role, nursery := range map[string]string{"parent": mine, "parent2": other.GetString("nursery")} {
		kids, err := d.tx.FindRecordsByFilter("children", "guardians:each ?= {:p}", "-birthDate", 0, 0, dbx.Params{"p": d.records[role].Id})
		if err != nil {
			return err
		}
		for _, k := range kids {
			if err := d.placeInNursery(k, nursery); err != nil {
				return fmt.Errorf("demo %s enrolment: %w", role, err)
			}
		}
	}
	return nil
}

// placeInNursery enrols a child of nursery age in the nursery, moving an
// existing enrolment there, and makes sure the household has a fee basis.
func (d *demo) placeInNursery(child *core.Record, nursery string) error {
	birth, err := civil.Parse(child.GetString("birthDate"))
	if err != nil {
		return err
	}
	fy := civil.FiscalYear(d.today)
	age := civil.ClassAge(birth, fy)
	if age < 0 || age > 5 || d.today.Before(birth.AddDays(57)) {
		return nil
	}
	class, err := d.tx.FindFirstRecordByFilter("nursery_classes", "nursery = {:n} && fiscalYear = {:fy} && ageClass = {:a}",
		dbx.Params{"n": nursery, "fy": fy, "a": age})
	if err != nil {
		return err
	}
	e, err := d.tx.FindFirstRecordByFilter("enrolments", "child = {:c}", dbx.Params{"c": child.Id})
	if err != nil {
		col, cerr := d.tx.FindCollectionByNameOrId("enrolments")
		if cerr != nil {
			return cerr
		}
		e = core.NewRecord(col)
		cert := "3"
		if age >= 3 {
			cert = "2"
		}
		e.Load(map[string]any{"child": child.Id, "household": child.GetString("household"), "certification": cert,
			"hours": collections.HoursStandard, "certifiedHours": 11,
			"start": civil.Later(civil.FiscalYearStart(fy-age), birth.AddDays(57)).String()})
	}
	e.Set("nursery", nursery)
	e.Set("class", class.Id)
	if err := d.tx.Save(e); err != nil {
		return err
	}
	w := &writer{tx: d.tx, cols: map[string]*core.Collection{}}
	if _, err := d.tx.FindFirstRecordByFilter("fee_assessments", "household = {:h}", dbx.Params{"h": child.GetString("household")}); err == nil {
		return nil
	}
	return w.feeBasisOf(child.GetString("household"), fy)
}

// NurseryDays records the attendance of every enrolled child over the last
// weeks (Monday to Saturday, a few absences) and this morning's check-ins up
// to now, so the demo has a nursery day and a month to bill.
func NurseryDays(app core.App, today civil.Date, now time.Time) error {
	enrolments, err := app.FindAllRecords("enrolments")
	if err != nil {
		return err
	}
	w := &writer{tx: app, cols: map[string]*core.Collection{}}
	n := 0
	for _, e := range enrolments {
		for back := attendanceDays; back >= 0; back-- {
			day := today.AddDays(-back)
			rec, ok := demoAttendance(e, day, now)
			if !ok {
				continue
			}
			if _, err := w.insert("attendance", e.Id+"/"+day.String(), rec); err != nil {
				return err
			}
			n++
		}
	}
	if n == 0 {
		return nil
	}
	return auditlog.LogImport(app, "attendance", n)
}

// demoAttendance is one child's plausible day: in between 7:15 and 9:00, out
// between 16:00 and 18:30 (short hours: 15:00–16:45), so some days run into
// extended care.
func demoAttendance(e *core.Record, day civil.Date, now time.Time) (map[string]any, bool) {
	start, _ := civil.Parse(e.GetString("start"))
	key := e.Id + "/" + day.String()
	if day.Before(start) || day.Time().Weekday() == time.Sunday || pick("absent/"+key, 100) < 7 {
		return nil, false
	}
	at := func(h, m int) time.Time {
		return day.Time().Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
	}
	in := at(7, 15+pick("in/"+key, 105))
	if in.After(now) {
		return nil, false
	}
	rec := map[string]any{
		"child": e.GetString("child"), "nursery": e.GetString("nursery"), "class": e.GetString("class"),
		"date": day.String(), "checkIn": in, "inMethod": "qr",
	}
	out := at(16, pick("out/"+key, 150))
	if e.GetString("hours") == collections.HoursShort {
		out = at(15, pick("out/"+key, 105))
	}
	if !out.After(now) {
		rec["checkOut"], rec["outMethod"] = out, "qr"
	}
	return rec, true
}
