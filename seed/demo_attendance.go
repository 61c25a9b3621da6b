package seed

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/attendance"
	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
)

// NurseryCheckins gives every enrolled child a check-in code (QR and PIN)
// and the nurseries' staff their attendance over the same weeks as the
// children's, so the demo has a kiosk to try and a staffed nursery day.
func NurseryCheckins(app core.App, today civil.Date, now time.Time) error {
	if err := CheckinCodes(app, today); err != nil {
		return err
	}
	return StaffDays(app, today, now)
}

// CheckinCodes issues a code to every child enrolled today who has none.
// The codes are random, like real ones: a demo user reads a child's QR code
// and PIN in the parent's app or on the printed cards.
func CheckinCodes(app core.App, today civil.Date) error {
	var rows []struct {
		Child   string `db:"child"`
		Nursery string `db:"nursery"`
	}
	err := app.DB().NewQuery(`SELECT DISTINCT e.child AS child, e.nursery AS nursery FROM enrolments e
		WHERE e.start <= {:d} AND (e."end" = '' OR e."end" IS NULL OR e."end" >= {:d})
		AND NOT EXISTS (SELECT 1 FROM checkin_codes c WHERE c.child = e.child)
		ORDER BY e.child`).Bind(dbx.Params{"d": today.String()}).All(&rows)
	if err != nil {
		return err
	}
	var taken []string
	if err := app.DB().NewQuery("SELECT pinHash FROM checkin_codes").Column(&taken); err != nil {
		return err
	}
	used := map[string]bool{}
	for _, h := range taken {
		used[h] = true
	}
	w := &writer{tx: app, cols: map[string]*core.Collection{}}
	n := 0
	for _, r := range rows {
		token, err := attendance.NewToken()
		if err != nil {
			return err
		}
		pin, hash := "", ""
		for pin == "" || used[hash] {
			if pin, err = attendance.NewPIN(); err != nil {
				return err
			}
			hash = attendance.PINHash(r.Nursery, pin)
		}
		used[hash] = true
		_, err = w.insert("checkin_codes", r.Child, map[string]any{
			"child": r.Child, "nursery": r.Nursery, "token": token, "tokenHash": attendance.TokenHash(token),
			"pin": pin, "pinHash": hash, "rotatedAt": today.AddDays(-pick("code/"+r.Child, 60)).Time().Add(9 * time.Hour),
		})
		if err != nil {
			return err
		}
		n++
	}
	if n == 0 {
		return nil
	}
	return auditlog.LogImport(app, "checkin_codes", n)
}

// StaffDays records the attendance of every nursery's staff (not kiosks)
// over the last weeks and this morning up to now, skipping days already
// recorded, with the class each one takes.
func StaffDays(app core.App, today civil.Date, now time.Time) error {
	staff, err := app.FindRecordsByFilter(collections.NurseryStaff, "active = true && role != {:k}", "", 0, 0, dbx.Params{"k": collections.NurseryKiosk})
	if err != nil {
		return err
	}
	w := &writer{tx: app, cols: map[string]*core.Collection{}}
	fy := civil.FiscalYear(today)
	n := 0
	for _, s := range staff {
		classes, err := app.FindRecordsByFilter("nursery_classes", "nursery = {:n} && fiscalYear = {:fy}", "ageClass", 0, 0,
			dbx.Params{"n": s.GetString("nursery"), "fy": fy})
		if err != nil {
			return err
		}
		for back := attendanceDays; back >= 0; back-- {
			day := today.AddDays(-back)
			rec, ok := demoStaffDay(s, classes, day, now)
			if !ok {
				continue
			}
			if c, _ := app.CountRecords("staff_attendance", dbx.HashExp{"staff": s.Id, "date": day.String()}); c > 0 {
				continue
			}
			if _, err := w.insert("staff_attendance", s.Id+"/"+day.String(), rec); err != nil {
				return err
			}
			n++
		}
	}
	if n == 0 {
		return nil
	}
	return auditlog.LogImport(app, "staff_attendance", n)
}

// demoStaffDay is a plausible shift: early (7:00), middle (8:00–8:30) or
// late (9:30) start and about 8 hours 45 minutes with the break; Sundays off
// and a day off now and then.
func demoStaffDay(s *core.Record, classes []*core.Record, day civil.Date, now time.Time) (map[string]any, bool) {
	key := s.Id + "/" + day.String()
	if day.Time().Weekday() == time.Sunday || pick("off/"+key, 100) < 12 {
		return nil, false
	}
	starts := []int{7 * 60, 8 * 60, 8*60 + 30, 9*60 + 30}
	start := starts[pick("shift/"+key, len(starts))] + pick("late/"+key, 10)
	in := day.Time().Add(time.Duration(start) * time.Minute)
	if in.After(now) {
		return nil, false
	}
	rec := map[string]any{"staff": s.Id, "nursery": s.GetString("nursery"), "date": day.String(), "checkIn": in, "inMethod": "staff"}
	if len(classes) > 0 {
		rec["class"] = classes[pick("class/"+s.Id, len(classes))].Id
	}
	if out := in.Add(8*time.Hour + 45*time.Minute + time.Duration(pick("over/"+key, 40))*time.Minute); !out.After(now) {
		rec["checkOut"], rec["outMethod"] = out, "staff"
	}
	return rec, true
}
