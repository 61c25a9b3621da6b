package seed

import (
	"slices"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/watchtoken"
)

// demoWatchTargets is how many people living alone the demo watches over;
// the first demoWatchOwn go to the demo volunteer, the rest to a colleague.
const (
	demoWatchTargets = 8
	demoWatchOwn     = 4
)

// demoVisitStatuses are the past visits of each of the demo volunteer's
// targets (and of the colleague's first), newest first: mostly fine, one
// absent, one concern.
var demoVisitStatuses = [][]string{
	{collections.VisitFine, collections.VisitFine, collections.VisitFine},
	{collections.VisitAbsent, collections.VisitFine, collections.VisitFine},
	{collections.VisitConcern, collections.VisitFine},
	{collections.VisitFine},
	{collections.VisitFine, collections.VisitAbsent}, // the colleague's first
}

// watch gives the demo volunteer people to visit: elderly people living
// alone, those of the volunteer's area first and the family role's elder
// among them, with a few past visits; the rest go to another volunteer of
// the same organization.
func (d *demo) watch() error {
	me := d.records["volunteer"]
	elder, err := d.elderLivingAlone()
	if err != nil {
		return err
	}
	var ids []string
	err = d.tx.DB().NewQuery(`SELECT r.id FROM residents r JOIN households h ON h.id = r.household
		WHERE h.livingAlone = TRUE AND r.id != {:elder}
		ORDER BY (r.area = {:area}) DESC, r.key LIMIT {:n}`).
		Bind(dbx.Params{"elder": elder.Id, "area": elder.GetString("area"), "n": demoWatchTargets - 1}).Column(&ids)
	if err != nil {
		return err
	}
	ids = append([]string{elder.Id}, ids...)
	other, err := d.otherVolunteer(me)
	if err != nil {
		return err
	}
	areas := other.GetStringSlice("areas")
	for i, id := range ids {
		v := other
		if i < demoWatchOwn {
			v = me
		}
		t, err := d.watchTarget(id, v, i)
		if err != nil {
			return err
		}
		if a := t.GetString("area"); v == other && a != "" && !slices.Contains(areas, a) {
			areas = append(areas, a)
		}
		if i < len(demoVisitStatuses) {
			if err := d.pastVisits(t, v, demoVisitStatuses[i]); err != nil {
				return err
			}
		}
	}
	// The colleague covers the areas of the people given to them.
	other.Set("areas", areas)
	return d.tx.Save(other)
}

// otherVolunteer is a colleague of the demo volunteer with no demo login.
func (d *demo) otherVolunteer(me *core.Record) (*core.Record, error) {
	col, err := d.tx.FindCollectionByNameOrId(collections.Volunteers)
	if err != nil {
		return nil, err
	}
	password, err := newPassword()
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(col)
	r.Set("name", "見守り 協力員（同僚）")
	r.Set("organization", me.GetString("organization"))
	r.Set("areas", me.GetStringSlice("areas"))
	r.Set("active", true)
	r.SetEmail("volunteer-colleague@" + DemoEmailDomain)
	r.SetPassword(password)
	r.SetVerified(true)
	return r, d.tx.Save(r)
}

func (d *demo) watchTarget(residentID string, volunteer *core.Record, i int) (*core.Record, error) {
	col, err := d.tx.FindCollectionByNameOrId("watch_targets")
	if err != nil {
		return nil, err
	}
	resident, err := d.tx.FindRecordById("residents", residentID)
	if err != nil {
		return nil, err
	}
	nonce, err := watchtoken.NewNonce()
	if err != nil {
		return nil, err
	}
	consent := collections.ConsentGiven
	if i == demoWatchTargets-1 {
		consent = collections.ConsentPending
	}
	t := core.NewRecord(col)
	t.Set("resident", resident.Id)
	t.Set("area", resident.GetString("area"))
	t.Set("consentStatus", consent)
	t.Set("frequency", []string{"monthly", "biweekly", "weekly"}[i%3])
	t.Set("volunteer", volunteer.Id)
	t.Set("organization", volunteer.GetString("organization"))
	t.Set("active", true)
	t.Set("note", "訪問は午前中が望ましい（デモ）")
	t.Set("tokenVersion", 1)
	t.Set("tokenNonce", nonce)
	return t, d.tx.Save(t)
}

// pastVisits records one visit per status, two weeks apart, newest first.
func (d *demo) pastVisits(target, volunteer *core.Record, statuses []string) error {
	col, err := d.tx.FindCollectionByNameOrId("watch_visits")
	if err != nil {
		return err
	}
	notes := map[string]string{
		collections.VisitAbsent:  "不在。郵便受けに連絡票を入れた",
		collections.VisitConcern: "足のむくみを気にしていた。受診を勧めた",
	}
	day := d.today.AddDays(-3)
	for _, s := range statuses {
		at := time.Date(day.Year, day.Month, day.Day, 1, 30, 0, 0, time.UTC) // 10:30 in Tokyo
		v := core.NewRecord(col)
		v.Set("target", target.Id)
		v.Set("resident", target.GetString("resident"))
		v.Set("volunteer", volunteer.Id)
		v.Set("at", at)
		v.Set("status", s)
		v.Set("answers", map[string]string{"health": collections.VisitAnswerOK, "meals": collections.VisitAnswerOK})
		v.Set("note", notes[s])
		v.Set("method", collections.VisitMethodQR)
		if err := d.tx.Save(v); err != nil {
			return err
		}
		day = day.AddDays(-14)
	}
	return nil
}
