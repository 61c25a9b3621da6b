package seed

import (
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/watchplan"
)

// Demo follow-through: how late the colleague's weekly visit is (enough for
// the first two escalation steps, not the city's) and when the stand-in
// visit and the family consent happened.
const (
	demoLateVisitDaysAgo = 12
	demoStandInDaysAgo   = 10
	demoConsentDaysAgo   = 20
)

// watchFollowup shows the follow-through of the watch-over (call it after
// watch): the demo volunteer coordinates the organisation and sees a visit
// a colleague made in their stead; a colleague's weekly visit is late, with
// its escalations already sent; the family role may see its elder's visits.
func (d *demo) watchFollowup() error {
	me := d.records["volunteer"]
	me.Set("coordinator", true)
	if err := d.tx.Save(me); err != nil {
		return err
	}
	colleague, err := d.tx.FindAuthRecordByEmail(collections.Volunteers, "volunteer-colleague@"+DemoEmailDomain)
	if err != nil {
		return err
	}
	elder, err := d.elderLivingAlone()
	if err != nil {
		return err
	}
	elderTarget, err := d.tx.FindFirstRecordByData("watch_targets", "resident", elder.Id)
	if err != nil {
		return err
	}
	mine, err := d.watchTargetWhere(`volunteer = {:v} && id != {:t}`, dbx.Params{"v": me.Id, "t": elderTarget.Id})
	if err != nil {
		return err
	}
	if err := d.visitOn(mine, colleague, demoStandInDaysAgo, "担当の方の代わりに訪問。変わりなし"); err != nil {
		return err
	}
	late, err := d.watchTargetWhere(`volunteer = {:v} && frequency = "weekly" && consentStatus = {:c} && watch_visits_via_target.id = null`,
		dbx.Params{"v": colleague.Id, "c": collections.ConsentGiven})
	if err != nil {
		return err
	}
	if err := d.visitOn(late, colleague, demoLateVisitDaysAgo, ""); err != nil {
		return err
	}
	if err := d.lateEscalations(late); err != nil {
		return err
	}
	if err := d.familyConsent(elderTarget, d.records["family"].Id, collections.EvidencePaper, "同意書（原本は長寿介護課で保管）"); err != nil {
		return err
	}
	// Another family, so the family role's consent is one among others.
	other, err := d.citizenOutsideDemo()
	if err != nil {
		return err
	}
	visited, err := d.watchTargetWhere(`volunteer = {:v} && watch_visits_via_target.id != null && id != {:t}`,
		dbx.Params{"v": colleague.Id, "t": late.Id})
	if err != nil {
		return err
	}
	return d.familyConsent(visited, other, collections.EvidenceInPerson, "自宅訪問時に本人と長男に説明し、口頭で同意")
}

// watchTargetWhere is the first watch target (by id) matching the filter.
func (d *demo) watchTargetWhere(filter string, params dbx.Params) (*core.Record, error) {
	recs, err := d.tx.FindRecordsByFilter("watch_targets", filter, "id", 1, 0, params)
	if err != nil || len(recs) == 0 {
		return nil, fmt.Errorf("demo has no watch target matching %s: %v", filter, err)
	}
	return recs[0], nil
}

// visitOn records a fine visit by the volunteer some days ago, 10:00 Tokyo.
func (d *demo) visitOn(target, volunteer *core.Record, daysAgo int, note string) error {
	col, err := d.tx.FindCollectionByNameOrId("watch_visits")
	if err != nil {
		return err
	}
	day := d.today.AddDays(-daysAgo)
	v := core.NewRecord(col)
	v.Set("target", target.Id)
	v.Set("resident", target.GetString("resident"))
	v.Set("volunteer", volunteer.Id)
	v.Set("at", time.Date(day.Year, day.Month, day.Day, 1, 0, 0, 0, time.UTC))
	v.Set("status", collections.VisitFine)
	v.Set("answers", map[string]string{"health": collections.VisitAnswerOK, "meals": collections.VisitAnswerOK})
	v.Set("note", note)
	v.Set("method", collections.VisitMethodQR)
	return d.tx.Save(v)
}

// lateEscalations stores the escalations the daily job would have sent
// for the late target by today, so the live view has one open and the job
// does not send them again.
func (d *demo) lateEscalations(target *core.Record) error {
	plan := watchplan.Target{
		Frequency: target.GetString("frequency"),
		Since:     d.today, // created just now
		LastVisit: d.today.AddDays(-demoLateVisitDaysAgo),
	}
	stepRecs, err := d.tx.FindRecordsByFilter("watch_escalation_steps", "active = true", "level", 0, 0)
	if err != nil {
		return err
	}
	steps := make([]watchplan.Step, len(stepRecs))
	for i, s := range stepRecs {
		steps[i] = watchplan.Step{ID: s.Id, Level: s.GetInt("level"), DaysOverdue: s.GetInt("daysOverdue"), Notify: s.GetString("notify")}
	}
	col, err := d.tx.FindCollectionByNameOrId("watch_escalations")
	if err != nil {
		return err
	}
	due := plan.DueOn()
	for _, s := range watchplan.Reached(steps, plan, d.today) {
		sent := due.AddDays(s.DaysOverdue)
		e := core.NewRecord(col)
		e.Set("target", target.Id)
		e.Set("resident", target.GetString("resident"))
		e.Set("step", s.ID)
		e.Set("dueOn", due.String())
		e.Set("daysOverdue", s.DaysOverdue)
		e.Set("notifiedAt", time.Date(sent.Year, sent.Month, sent.Day, 23, 30, 0, 0, time.UTC).AddDate(0, 0, -1)) // 08:30 Tokyo
		if err := d.tx.Save(e); err != nil {
			return err
		}
	}
	return nil
}

// familyConsent records the person's consent, on paper, to show their
// visits to a family member; the demo 高齢福祉担当 registered it.
func (d *demo) familyConsent(target *core.Record, user, evidence, note string) error {
	col, err := d.tx.FindCollectionByNameOrId("watch_family_consents")
	if err != nil {
		return err
	}
	c := core.NewRecord(col)
	c.Set("target", target.Id)
	c.Set("resident", target.GetString("resident"))
	c.Set("user", user)
	c.Set("scope", collections.ConsentScopeVisits)
	c.Set("grantedOn", d.today.AddDays(-demoConsentDaysAgo).String())
	c.Set("evidence", evidence)
	c.Set("evidenceNote", note)
	c.Set("grantedBy", d.records["city_elderly"].Id)
	return d.tx.Save(c)
}

// citizenOutsideDemo is a synthetic citizen account that no demo role uses.
func (d *demo) citizenOutsideDemo() (string, error) {
	var id string
	err := d.tx.DB().NewQuery(`SELECT id FROM users WHERE email NOT LIKE {:demo} ORDER BY id LIMIT 1`).
		Bind(dbx.Params{"demo": "%@" + DemoEmailDomain}).Row(&id)
	if err != nil {
		return "", fmt.Errorf("no citizen outside the demo accounts: %w", err)
	}
	return id, nil
}
