package hooks

import (
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/schedule"
)

// visitMatchDays is how far (in days, either side) a prenatal checkup on
// file may be from a recommended visit and still count as that visit.
const visitMatchDays = 6

// bindPregnancy keeps the pregnancy records consistent (the mother, the due
// date) and serves a pregnancy's checkup schedule.
func bindPregnancy(app core.App) {
	// A citizen registers her own pregnancy only: the mother is the caller,
	// whatever the body says (as a child's guardian is, in bindChildren).
	app.OnRecordCreateRequest("pregnancies").BindFunc(func(e *core.RecordRequestEvent) error {
		if isCitizen(e.RequestEvent) {
			e.Record.Set("mother", e.Auth.Id)
		}
		return e.Next()
	})

	// The due date follows from the last menstrual period (Naegele's rule,
	// LMP + 280 days) when only the LMP is given.
	app.OnRecordValidate("pregnancies").BindFunc(func(e *core.RecordEvent) error {
		lmp := e.Record.GetString("lmpDate")
		if lmp != "" {
			d, err := civil.Parse(lmp)
			if err != nil {
				return fieldValidation("lmpDate", "invalid_date", "最終月経開始日をYYYY-MM-DDの形式で正しく入力してください。")
			}
			if d.After(civil.Today()) {
				return fieldValidation("lmpDate", "future_date", "最終月経開始日に未来の日付は入力できません。")
			}
			if e.Record.GetString("dueDate") == "" {
				e.Record.Set("dueDate", schedule.DueDateFromLMP(d).String())
			}
		}
		if due := e.Record.GetString("dueDate"); due != "" {
			if _, err := civil.Parse(due); err != nil {
				return fieldValidation("dueDate", "invalid_date", "分娩予定日をYYYY-MM-DDの形式で正しく入力してください。")
			}
		}
		if e.Record.GetString("status") == "" {
			e.Record.Set("status", "ongoing")
		}
		return e.Next()
	})

	// A checkup is filed under the pregnancy's mother, so rules and the
	// audit log find her without a join.
	app.OnRecordValidate("prenatal_checkups").BindFunc(func(e *core.RecordEvent) error {
		if id := e.Record.GetString("pregnancy"); id != "" {
			p, err := e.App.FindRecordById("pregnancies", id)
			if err != nil {
				return fieldValidation("pregnancy", "not_found", "妊娠の記録が見つかりません。")
			}
			e.Record.Set("mother", p.GetString("mother"))
		}
		if d := e.Record.GetString("date"); d != "" {
			if _, err := civil.Parse(d); err != nil {
				return fieldValidation("date", "invalid_date", "受診日をYYYY-MM-DDの形式で正しく入力してください。")
			}
		}
		return e.Next()
	})

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/lifestage/pregnancies/{id}/schedule", pregnancySchedule).Bind(apis.RequireAuth())
		return se.Next()
	})
}

type prenatalVisit struct {
	Week   int    `json:"week"`
	Date   string `json:"date"`
	Status string `json:"status"` // done, upcoming or past
}

// pregnancySchedule is the 14 standard 妊婦健康診査 of a pregnancy with its
// gestational age today and the maternal RSV vaccine window. The mother and
// 子育て staff see it; to anyone else the pregnancy does not exist (404).
func pregnancySchedule(e *core.RequestEvent) error {
	preg, err := e.App.FindRecordById("pregnancies", e.Request.PathValue("id"))
	if err != nil || !canView(e, preg) {
		return e.NotFoundError("妊娠の記録が見つかりません。", nil)
	}
	due, err := civil.Parse(preg.GetString("dueDate"))
	if err != nil {
		return e.InternalServerError("", err)
	}
	asOf := civil.Today()
	if s := strings.TrimSpace(e.Request.URL.Query().Get("asOf")); s != "" {
		if asOf, err = civil.Parse(s); err != nil {
			return fieldError("asOf", "invalid_date", "基準日は YYYY-MM-DD の形式で指定してください（例: 2026-05-01）。")
		}
	}
	if err := logSensitiveReads(e, preg.Collection(), []*core.Record{preg}); err != nil {
		return e.InternalServerError("", err)
	}
	recs, err := handbookRecords(e, "prenatal_checkups", "pregnancy", preg.Id)
	if err != nil {
		return err
	}
	var seen []civil.Date
	for _, r := range recs {
		if d, err := civil.Parse(r.GetString("date")); err == nil {
			seen = append(seen, d)
		}
	}
	weeks, days := schedule.GestationalAge(due, asOf)
	from, to := schedule.RSVWindow(due)
	return e.JSON(http.StatusOK, map[string]any{
		"dueDate":        due.String(),
		"gestationalAge": map[string]int{"weeks": weeks, "days": days},
		"visits":         prenatalVisits(schedule.PrenatalCheckups(due), seen, asOf),
		"rsv":            map[string]string{"from": from.String(), "to": to.String()},
	})
}

// prenatalVisits marks each recommended visit: done when a checkup on file
// (not entered in error) is within visitMatchDays days of its date, either
// side; each checkup counts once, for the earliest visit it can fill, so one
// checkup in the weekly weeks 36–39 cannot tick two visits. A visit not done
// is upcoming from its date on (today included), past before it.
func prenatalVisits(plan []schedule.PrenatalVisit, seen []civil.Date, asOf civil.Date) []prenatalVisit {
	used := make([]bool, len(seen))
	out := make([]prenatalVisit, len(plan))
	for i, v := range plan {
		status := "upcoming"
		if v.Date.Before(asOf) {
			status = "past"
		}
		best := -1
		for j, d := range seen {
			n := civil.DaysBetween(v.Date, d)
			if used[j] || n < -visitMatchDays || n > visitMatchDays {
				continue
			}
			if best < 0 || d.Before(seen[best]) {
				best = j
			}
		}
		if best >= 0 {
			used[best] = true
			status = "done"
		}
		out[i] = prenatalVisit{Week: v.Week, Date: v.Date.String(), Status: status}
	}
	return out
}
