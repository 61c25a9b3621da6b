package hooks

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
)

// Nursery paperwork: daily journals (保育日誌) and guidance plans (指導計画)
// are written through the records API under their rules; these hooks fill
// what the server owns (author, approver, the journal's attendance counts)
// and keep a document on a class of its own nursery.

const (
	journalsCollection = "nursery_journals"
	plansCollection    = "guidance_plans"
)

// bindNurseryPlans binds the journals, plans, events, nap checks and
// staffing ratios of the nursery system.
func bindNurseryPlans(app core.App) {
	bindNurseryDocs(app)
	bindNurseryEvents(app)
	bindNaps(app)
	bindRatios(app)
}

func bindNurseryDocs(app core.App) {
	docs := []string{journalsCollection, plansCollection}
	app.OnRecordCreate(docs...).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("status") == "" {
			e.Record.Set("status", collections.DocDraft)
		}
		return e.Next()
	})
	app.OnRecordCreateRequest(docs...).BindFunc(func(e *core.RecordRequestEvent) error {
		if isNurseryStaff(e.Auth) {
			e.Record.Set("author", e.Auth.Id)
		}
		return e.Next()
	})
	// The rules let only the director set a document to approved; the
	// approver is whoever did (a superuser's dashboard edit names nobody).
	app.OnRecordUpdateRequest(docs...).BindFunc(func(e *core.RecordRequestEvent) error {
		was, now := e.Record.Original().GetString("status"), e.Record.GetString("status")
		switch {
		case now == collections.DocApproved && was != now && isNurseryStaff(e.Auth):
			e.Record.Set("approvedBy", e.Auth.Id)
			e.Record.Set("approvedAt", types.NowDateTime())
		case now == collections.DocDraft && was == collections.DocApproved:
			e.Record.Set("approvedBy", "")
			e.Record.Set("approvedAt", "")
		}
		return e.Next()
	})
	app.OnRecordValidate(docs...).BindFunc(func(e *core.RecordEvent) error {
		if err := classOfNursery(e.App, e.Record); err != nil {
			return err
		}
		if e.Record.Collection().Name == plansCollection {
			return validPlanMonth(e.Record)
		}
		return validJournalDate(e.Record)
	})
	// The journal's head count is the attendance record's, taken at every
	// save, so an approved journal keeps the numbers it was approved with.
	countAttendance := func(e *core.RecordEvent) error {
		present, absent, err := attendanceSummary(e.App, e.Record.GetString("nursery"), e.Record.GetString("class"), e.Record.GetString("date"))
		if err != nil {
			return err
		}
		e.Record.Set("present", present)
		e.Record.Set("absent", absent)
		return e.Next()
	}
	app.OnRecordCreate(journalsCollection).BindFunc(countAttendance)
	app.OnRecordUpdate(journalsCollection).BindFunc(countAttendance)
}

// classOfNursery keeps a record's class inside its own nursery.
func classOfNursery(app core.App, r *core.Record) error {
	id := r.GetString("class")
	if id == "" {
		return nil
	}
	class, err := app.FindRecordById("nursery_classes", id)
	if err != nil || class.GetString("nursery") != r.GetString("nursery") {
		return fieldValidation("class", "class_not_in_nursery", "この施設のクラスを選んでください。")
	}
	return nil
}

// validJournalDate allows journals for today and earlier days only.
func validJournalDate(r *core.Record) error {
	d, err := civil.Parse(r.GetString("date"))
	if err != nil {
		return fieldValidation("date", "invalid_date", "日付は YYYY-MM-DD の形式で入力してください。")
	}
	if d.After(civil.Today()) {
		return fieldValidation("date", "future_date", "明日以降の保育日誌は書けません。")
	}
	return nil
}

// validPlanMonth: a monthly plan names its month, an annual plan none.
func validPlanMonth(r *core.Record) error {
	month := r.GetInt("month")
	if r.GetString("kind") == "monthly" && (month < 1 || month > 12) {
		return fieldValidation("month", "month_required", "月間指導計画には月（1〜12）を指定してください。")
	}
	if r.GetString("kind") == "annual" && month != 0 {
		return fieldValidation("month", "month_not_allowed", "年間指導計画には月を指定しません。")
	}
	return nil
}

// attendanceSummary counts a class's children enrolled on the day, and of
// them those who checked in (present) and those who did not (absent).
func attendanceSummary(app core.App, nursery, class, day string) (present, absent int, err error) {
	var row struct {
		Enrolled int `db:"enrolled"`
		Present  int `db:"present"`
	}
	err = app.DB().NewQuery(`SELECT COUNT(*) AS enrolled, COUNT(a.id) AS present
		FROM enrolments e
		LEFT JOIN attendance a ON a.child = e.child AND a.date = {:d} AND a.checkIn != ''
		WHERE e.nursery = {:n} AND e.class = {:c} AND e.start <= {:d} AND (e.[[end]] = '' OR e.[[end]] >= {:d})`).
		Bind(dbx.Params{"n": nursery, "c": class, "d": day}).One(&row)
	return row.Present, row.Enrolled - row.Present, err
}
