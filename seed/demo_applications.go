package seed

import (
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/events"
)

// Demo event codes that the applications use (see demoEvents).
const (
	demoWeaningClass = "EV-0001" // 離乳食教室: a question on the adults coming
	demoConsultation = "EV-0002" // 育児相談: age range, free-text question
	demoTemporary    = "EV-0005" // 一時預かり: 3 seats, full, with a waitlist
	demoExercise     = "EV-0006" // 親子ふれあい体操: the parent's cancelled one
)

// applications opens the published demo events to online applications and
// files some: the demo parent has a confirmed 育児相談, a place on the
// waitlist of the full 一時預かり and a cancelled 親子ふれあい体操; parent2 a
// confirmed 育児相談; other synthetic families fill the 一時預かり.
func (d *demo) applications() error {
	parent, parent2 := d.records["parent"], d.records["parent2"]
	kid, err := d.youngestChild(parent.Id)
	if err != nil {
		return err
	}
	kid2, err := d.youngestChild(parent2.Id)
	if err != nil {
		return err
	}
	evs, err := d.openDemoEvents(kid, kid2)
	if err != nil || evs[demoTemporary] == nil {
		return err // a data set without facilities has no events
	}
	now := time.Now()
	ago := func(h int) time.Time { return now.Add(-time.Duration(h) * time.Hour) }
	temp := evs[demoTemporary]
	others, err := d.otherFamilies(temp, []string{parent.GetString("household"), parent2.GetString("household")}, temp.GetInt("capacity")+1)
	if err != nil {
		return err
	}
	if len(others) < temp.GetInt("capacity")+1 { // a small data set: fewer seats
		temp.Set("capacity", max(1, len(others)-1))
		if err := d.tx.Save(temp); err != nil {
			return err
		}
	}
	type app struct {
		ev       *core.Record
		user     string
		child    *core.Record
		status   string
		at       time.Time
		answers  map[string]any
		canceled bool
	}
	list := []app{
		{ev: evs[demoConsultation], user: parent.Id, child: kid, status: events.Confirmed, at: ago(50), answers: map[string]any{"topic": "夜泣きが続いていて相談したいです。"}},
		{ev: evs[demoConsultation], user: parent2.Id, child: kid2, status: events.Confirmed, at: ago(30)},
		{ev: evs[demoExercise], user: parent.Id, child: kid, status: events.Cancelled, at: ago(80), canceled: true},
	}
	// The seats went to other families; the parent applied after them and
	// is first on the waitlist, another family second.
	for i, o := range others {
		status, at := events.Confirmed, ago(120-10*i)
		if i >= temp.GetInt("capacity") {
			status, at = events.Waitlisted, ago(40)
		}
		list = append(list, app{ev: temp, user: o.GetStringSlice("guardians")[0], child: o, status: status, at: at,
			answers: map[string]any{"reason": "リフレッシュ"}})
	}
	list = append(list, app{ev: temp, user: parent.Id, child: kid, status: events.Waitlisted, at: ago(60),
		answers: map[string]any{"reason": "通院", "allergy": "卵"}})
	col, err := d.tx.FindCollectionByNameOrId(collections.EventApplications)
	if err != nil {
		return err
	}
	for _, a := range list {
		r := core.NewRecord(col)
		r.Set("event", a.ev.Id)
		r.Set("user", a.user)
		r.Set("child", a.child.Id)
		r.Set("status", a.status)
		r.Set("answers", a.answers)
		r.Set("appliedAt", a.at)
		if a.canceled {
			r.Set("cancelledAt", a.at.Add(24*time.Hour))
			r.Set("cancelledBy", "applicant")
		}
		if err := d.tx.Save(r); err != nil {
			return fmt.Errorf("demo application: %w", err)
		}
	}
	return nil
}

// openDemoEvents turns on online applications on the published demo events
// and widens the age ranges of the 育児相談 and 一時預かり so that the demo
// children qualify (the synthetic city decides their ages).
func (d *demo) openDemoEvents(kids ...*core.Record) (map[string]*core.Record, error) {
	recs, err := d.tx.FindRecordsByFilter(collections.Events, "published = true && code ~ 'EV-'", "code", 0, 0)
	if err != nil {
		return nil, err
	}
	out := map[string]*core.Record{}
	for _, r := range recs {
		day := civil.DateOf(r.GetDateTime("startsAt").Time())
		r.Set("onlineApplication", true)
		r.Set("requiresChild", r.GetString("kind") != "event")
		switch r.GetString("code") {
		case demoWeaningClass:
			r.Set("questions", []events.Question{{ID: "adults", Label: "参加する大人の人数", Kind: events.QuestionNumber, Required: true, Min: ptrInt(1), Max: ptrInt(2)}})
		case demoConsultation:
			r.Set("minAgeMonths", 0)
			r.Set("maxAgeMonths", max(36, oldestMonths(day, kids)))
			r.Set("questions", []events.Question{{ID: "topic", Label: "相談したいこと", Kind: events.QuestionText}})
		case demoTemporary:
			r.Set("minAgeMonths", min(6, youngestMonths(day, kids)))
			r.Set("maxAgeMonths", max(35, oldestMonths(day, kids)))
			r.Set("waitlistLimit", 5)
			r.Set("questions", []events.Question{
				{ID: "reason", Label: "利用の理由", Kind: events.QuestionChoice, Required: true, Options: []string{"通院", "リフレッシュ", "冠婚葬祭", "その他"}},
				{ID: "allergy", Label: "食物アレルギー（あれば）", Kind: events.QuestionText},
			})
		}
		if err := d.tx.Save(r); err != nil {
			return nil, fmt.Errorf("demo event %s: %w", r.GetString("code"), err)
		}
		out[r.GetString("code")] = r
	}
	return out, nil
}

func ptrInt(n int) *int { return &n }

func monthsOn(day civil.Date, kid *core.Record) int {
	birth, err := civil.Parse(kid.GetString("birthDate"))
	if err != nil {
		return 0
	}
	return events.AgeMonths(birth, day)
}

func oldestMonths(day civil.Date, kids []*core.Record) int {
	n := 0
	for _, k := range kids {
		n = max(n, monthsOn(day, k))
	}
	return n
}

func youngestMonths(day civil.Date, kids []*core.Record) int {
	n := 1 << 20
	for _, k := range kids {
		n = min(n, monthsOn(day, k))
	}
	return n
}

func (d *demo) youngestChild(user string) (*core.Record, error) {
	kids, err := d.tx.FindRecordsByFilter("children", "guardians ~ {:u}", "-birthDate", 1, 0, dbx.Params{"u": user})
	if err != nil || len(kids) == 0 {
		return nil, fmt.Errorf("demo user %s has no child", user)
	}
	return kids[0], nil
}

// otherFamilies picks up to n children of the event's age from other households
// with a guardian account, one per household.
func (d *demo) otherFamilies(ev *core.Record, skip []string, n int) ([]*core.Record, error) {
	day := civil.DateOf(ev.GetDateTime("startsAt").Time())
	youngest := day.AddMonthsClamped(-ev.GetInt("minAgeMonths")).String()
	oldest := day.AddMonthsClamped(-ev.GetInt("maxAgeMonths") - 1).String()
	kids, err := d.tx.FindRecordsByFilter("children",
		"guardians != '[]' && guardians != '' && birthDate <= {:y} && birthDate > {:o} && household != {:s0} && household != {:s1}",
		"birthDate", 0, 0, dbx.Params{"y": youngest, "o": oldest, "s0": skip[0], "s1": skip[1]})
	if err != nil {
		return nil, err
	}
	var out []*core.Record
	seen := map[string]bool{}
	for _, k := range kids {
		if len(out) == n {
			break
		}
		if seen[k.GetString("household")] {
			continue
		}
		seen[k.GetString("household")] = true
		out = append(out, k)
	}
	return out, nil
}
