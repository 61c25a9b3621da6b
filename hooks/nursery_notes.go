package hooks

import (
	"encoding/json"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/saijo-dx/lifestage/audit"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/infection"
	"github.com/saijo-dx/lifestage/notify"
)

// How far a family may date an absence notice: a diagnosis reported a few
// days late still counts; plans are told up to a month ahead.
const (
	noticeDaysBack  = 7
	noticeDaysAhead = 31
)

// bindNurseryNotes keeps the notes between home and nursery honest: the
// nursery and class of a note come from the child's enrolment that day, the
// writer is the caller, a publication is stamped and tells the family, and
// an infection notice reaches the nursery's families without naming a child.
func bindNurseryNotes(app core.App) {
	app.OnRecordCreateRequest("absence_notices", "notebook_home").BindFunc(func(e *core.RecordRequestEvent) error {
		if !isCitizen(e.RequestEvent) {
			return e.Next()
		}
		if err := placeByEnrolment(e); err != nil {
			return err
		}
		by := "submittedBy"
		if e.Collection.Name == "notebook_home" {
			by = "writtenBy"
		}
		e.Record.Set(by, e.Auth.Id)
		return e.Next()
	})
	app.OnRecordValidate("absence_notices").BindFunc(validateAbsenceNotice)
	app.OnRecordValidate("notebook_home").BindFunc(func(e *core.RecordEvent) error {
		d, err := civil.Parse(e.Record.GetString("date"))
		if err != nil {
			return fieldValidation("date", "invalid_date", "日付をYYYY-MM-DDの形式で入力してください。")
		}
		if e.Record.IsNew() && d.After(civil.Today()) {
			return fieldValidation("date", "future_date", "先の日付の連絡帳はまだ書けません。")
		}
		return e.Next()
	})

	app.OnRecordCreateRequest("notebook_nursery").BindFunc(func(e *core.RecordRequestEvent) error {
		if !isNurseryStaff(e.Auth) {
			return e.Next()
		}
		if err := placeByEnrolment(e); err != nil {
			return err
		}
		if e.Record.GetString("nursery") != e.Auth.GetString("nursery") {
			return fieldError("child", "not_in_nursery", "このお子さまは自施設に在籍していません。")
		}
		e.Record.Set("writtenBy", e.Auth.Id)
		stampPublication(e)
		return e.Next()
	})
	app.OnRecordUpdateRequest("notebook_nursery").BindFunc(func(e *core.RecordRequestEvent) error {
		if isNurseryStaff(e.Auth) {
			stampPublication(e)
		}
		return e.Next()
	})
	app.OnRecordValidate("notebook_nursery").BindFunc(validateNurseryEntry)
	app.OnRecordCreateExecute("notebook_nursery").BindFunc(notifyOnPublish)
	app.OnRecordUpdateExecute("notebook_nursery").BindFunc(notifyOnPublish)

	app.OnRecordCreateRequest("infection_notices").BindFunc(func(e *core.RecordRequestEvent) error {
		if isNurseryStaff(e.Auth) {
			e.Record.Set("nursery", e.Auth.GetString("nursery"))
			e.Record.Set("publishedBy", e.Auth.Id)
		}
		return e.Next()
	})
	app.OnRecordValidate("infection_notices").BindFunc(validateInfectionNotice)
	app.OnRecordCreateExecute("infection_notices").BindFunc(publishInfectionNotice)

	bindNurseryInfections(app)
	bindNurseryNotebook(app)
}

// enrolmentRecordOn is the child's enrolment record on the day, or nil.
func enrolmentRecordOn(app core.App, childID string, day civil.Date) *core.Record {
	recs, err := app.FindRecordsByFilter("enrolments", "child = {:c} && start <= {:d} && (end = '' || end >= {:d})", "-start", 1, 0,
		dbx.Params{"c": childID, "d": day.String()})
	if err != nil || len(recs) == 0 {
		return nil
	}
	return recs[0]
}

// placeByEnrolment sets a new note's nursery and class from the child's
// enrolment on its date, whatever the request said, and refuses a child
// who is not enrolled that day.
func placeByEnrolment(e *core.RecordRequestEvent) error {
	day, err := civil.Parse(e.Record.GetString("date"))
	if err != nil {
		return fieldError("date", "invalid_date", "日付をYYYY-MM-DDの形式で入力してください。")
	}
	enr := enrolmentRecordOn(e.App, e.Record.GetString("child"), day)
	if enr == nil {
		return fieldError("child", "not_enrolled", "この日に保育施設に在籍しているお子さまではありません。")
	}
	e.Record.Set("nursery", enr.GetString("nursery"))
	e.Record.Set("class", enr.GetString("class"))
	return nil
}

func validateAbsenceNotice(e *core.RecordEvent) error {
	r := e.Record
	day, err := civil.Parse(r.GetString("date"))
	if err != nil {
		return fieldValidation("date", "invalid_date", "日付をYYYY-MM-DDの形式で入力してください。")
	}
	today := civil.Today()
	if r.IsNew() && (day.Before(today.AddDays(-noticeDaysBack)) || day.After(today.AddDays(noticeDaysAhead))) {
		return fieldValidation("date", "out_of_range", "連絡できるのは7日前から31日先までの日付です。")
	}
	switch r.GetString("kind") {
	case infection.KindLate:
		if r.GetString("expectedTime") == "" {
			return fieldValidation("expectedTime", "required", "登園予定の時刻を入力してください。")
		}
	case infection.KindPickupChange:
		if r.GetString("expectedTime") == "" && r.GetString("pickupPerson") == "" {
			return fieldValidation("pickupPerson", "required", "お迎えの時刻かお迎えに来る人を入力してください。")
		}
	}
	return e.Next()
}

func validateNurseryEntry(e *core.RecordEvent) error {
	r := e.Record
	if _, err := civil.Parse(r.GetString("date")); err != nil {
		return fieldValidation("date", "invalid_date", "日付をYYYY-MM-DDの形式で入力してください。")
	}
	// hh:mm strings of one day compare as times.
	if from, to := r.GetString("napFrom"), r.GetString("napTo"); from != "" && to != "" && to <= from {
		return fieldValidation("napTo", "before_start", "午睡の終了は開始より後の時刻にしてください。")
	}
	if !r.IsNew() && r.Original().GetString("status") == collections.NotebookPublished && r.GetString("status") != collections.NotebookPublished {
		return fieldValidation("status", "already_published", "公開した連絡帳は下書きに戻せません。内容の訂正はそのまま保存してください。")
	}
	return e.Next()
}

// stampPublication records who published a nursery entry and when, the
// first time its status becomes published.
func stampPublication(e *core.RecordRequestEvent) {
	r := e.Record
	if r.GetString("status") == "" {
		r.Set("status", collections.NotebookDraft)
	}
	if r.GetString("status") == collections.NotebookPublished && r.GetDateTime("publishedAt").IsZero() {
		r.Set("publishedAt", types.NowDateTime())
		r.Set("publishedBy", e.Auth.Id)
	}
}

// notifyOnPublish tells the child's guardians, in the entry's own
// transaction, that the nursery's side of today's notebook has arrived.
// Realtime subscribers see the entry itself at the same moment, because the
// list rule lets them see it only from now on.
func notifyOnPublish(e *core.RecordEvent) error {
	r := e.Record
	was := ""
	if !r.IsNew() {
		was = r.Original().GetString("status")
	}
	if err := e.Next(); err != nil {
		return err
	}
	// A bulk load (the demo, an import) tells nobody.
	if r.GetString("status") != collections.NotebookPublished || was == collections.NotebookPublished || audit.IsBulk(e.Context) {
		return nil
	}
	child, err := e.App.FindRecordById("children", r.GetString("child"))
	if err != nil {
		return err
	}
	guardians, err := e.App.FindRecordsByIds(collections.Users, child.GetStringSlice("guardians"))
	if err != nil {
		return err
	}
	for _, g := range guardians {
		_, err := notify.Send(e.App, notify.Message{
			Recipient: g, Kind: "nursery.notebook_published",
			Key:    "notify.nursery.notebook_published",
			Vars:   map[string]string{"child": child.GetString("givenName"), "date": r.GetString("date")},
			Link:   "/me/notebook/?child=" + child.Id + "&date=" + r.GetString("date"),
			Reason: r.Id,
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func validateInfectionNotice(e *core.RecordEvent) error {
	r := e.Record
	for _, f := range []string{"periodFrom", "periodTo"} {
		if v := r.GetString(f); v != "" {
			if _, err := civil.Parse(v); err != nil {
				return fieldValidation(f, "invalid_date", "期間の日付をYYYY-MM-DDの形式で入力してください。")
			}
		}
	}
	if from, to := r.GetString("periodFrom"), r.GetString("periodTo"); from != "" && to != "" && to < from {
		return fieldValidation("periodTo", "before_start", "期間の終わりは始めより後の日付にしてください。")
	}
	if class := r.GetString("class"); class != "" {
		c, err := e.App.FindRecordById("nursery_classes", class)
		if err != nil || c.GetString("nursery") != r.GetString("nursery") {
			return fieldValidation("class", "not_in_nursery", "自施設のクラスを選んでください。")
		}
	}
	names, err := enrolledNames(e.App, r.GetString("nursery"), civil.Today())
	if err != nil {
		return err
	}
	if found := infection.Mentions(r.GetString("title")+"\n"+r.GetString("body"), names); len(found) > 0 {
		return fieldValidation("body", "names_child", "在園児の名前（"+found[0]+"）が含まれています。お知らせには子どもの名前を書かないでください。")
	}
	return e.Next()
}

// enrolledNames are the family and given names, in kanji and kana, of the
// children enrolled in the nursery on the day.
func enrolledNames(app core.App, nursery string, day civil.Date) ([]string, error) {
	var rows []struct {
		FamilyName     string `db:"familyName"`
		GivenName      string `db:"givenName"`
		FamilyNameKana string `db:"familyNameKana"`
		GivenNameKana  string `db:"givenNameKana"`
	}
	err := app.DB().NewQuery(`SELECT c.familyName, c.givenName, c.familyNameKana, c.givenNameKana
		FROM enrolments e JOIN children c ON c.id = e.child
		WHERE e.nursery = {:n} AND e.start <= {:d} AND (e.[[end]] = '' OR e.[[end]] >= {:d})`).
		Bind(dbx.Params{"n": nursery, "d": day.String()}).All(&rows)
	names := make([]string, 0, 4*len(rows))
	for _, r := range rows {
		names = append(names, r.FamilyName, r.GivenName, r.FamilyNameKana, r.GivenNameKana)
	}
	return names, err
}

// audienceOf reads, in one query, who may read a notice to the nursery (or
// one class): the guardians and the sharing family of the children enrolled
// today. It returns the readers and, among them, the guardians.
func audienceOf(app core.App, nursery, class string, day civil.Date) (readers, guardians []string, err error) {
	q := `SELECT c.guardians, c.familyViewers, c.familyManagers
		FROM enrolments e JOIN children c ON c.id = e.child
		WHERE e.nursery = {:n} AND e.start <= {:d} AND (e.[[end]] = '' OR e.[[end]] >= {:d})`
	if class != "" {
		q += ` AND e.class = {:k}`
	}
	var rows []struct {
		Guardians      string `db:"guardians"`
		FamilyViewers  string `db:"familyViewers"`
		FamilyManagers string `db:"familyManagers"`
	}
	if err := app.DB().NewQuery(q).Bind(dbx.Params{"n": nursery, "k": class, "d": day.String()}).All(&rows); err != nil {
		return nil, nil, err
	}
	add := func(list []string, raw string) []string {
		var ids []string
		_ = json.Unmarshal([]byte(raw), &ids) // an empty cell is no one
		for _, id := range ids {
			if !slices.Contains(list, id) {
				list = append(list, id)
			}
		}
		return list
	}
	for _, r := range rows {
		guardians = add(guardians, r.Guardians)
		readers = add(add(add(readers, r.Guardians), r.FamilyViewers), r.FamilyManagers)
	}
	return readers, guardians, nil
}

// publishInfectionNotice fixes a new notice's readers and tells the
// guardians, in the notice's own transaction: if a notification cannot be
// stored, the notice is not published either. A bulk load (an import) fixes
// the readers but tells nobody.
func publishInfectionNotice(e *core.RecordEvent) error {
	return e.App.RunInTransaction(func(tx core.App) error {
		outer := e.App
		e.App = tx
		defer func() { e.App = outer }()
		r := e.Record
		if r.GetDateTime("publishedAt").IsZero() {
			r.Set("publishedAt", types.NowDateTime())
		}
		readers, guardians, err := audienceOf(tx, r.GetString("nursery"), r.GetString("class"), civil.Today())
		if err != nil {
			return err
		}
		r.Set("audience", readers)
		if err := e.Next(); err != nil || audit.IsBulk(e.Context) {
			return err
		}
		recipients, err := tx.FindRecordsByIds(collections.Users, guardians)
		if err != nil {
			return err
		}
		_, err = notify.SendEach(tx, notify.Message{
			// The nursery writes the notice in Japanese; other languages get
			// a translated frame around it.
			Kind: "nursery.infection_notice", Key: "notify.nursery.infection_notice",
			Vars: map[string]string{"title": r.GetString("title"), "body": r.GetString("body")},
			Link: "/me/notebook/#notices", Reason: r.Id,
		}, recipients)
		return err
	})
}
