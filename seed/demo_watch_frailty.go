package seed

import (
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/frailty"
)

// demoScreening is one demo target's 基本チェックリスト a year ago and now:
// the items answered with their risk answer (12 comes from the height and
// weight). Together they give every change: worse, improved and the same.
type demoScreening struct {
	before, now        []int
	heightCm, weightKg float64
}

var demoScreenings = []demoScreening{
	{[]int{9, 10, 17}, []int{6, 9, 10, 17, 21, 22}, 152, 50},                                                    // robust → prefrail (②, ⑦)
	{[]int{1, 6, 7, 8, 9, 10, 11, 13, 14, 16, 17}, []int{6, 9, 10, 13, 17}, 158, 55},                            // frail → prefrail
	{[]int{4, 5, 17, 25}, []int{4, 5, 17, 25}, 165, 62},                                                         // prefrail, unchanged
	{[]int{6, 9, 13, 14, 18, 21, 22, 23, 24, 25}, []int{6, 9, 10, 11, 13, 14, 18, 21, 22, 23, 24, 25}, 150, 40}, // frail, low BMI now (③)
	{nil, []int{9}, 170, 68}, // robust, unchanged
	{[]int{6, 7, 9, 10, 16, 17}, []int{6, 7, 8, 9, 10, 16, 17, 18, 19, 20}, 160, 52}, // prefrail → frail
	{[]int{11, 15, 23}, []int{23}, 148, 45},                                          // robust, fewer points
	{nil, []int{2, 3, 19, 20}, 155, 51},                                              // consent pending: screened once
}

// demoKoukiHealthy is the questionnaire with no item of concern.
var demoKoukiHealthy = [15]int{1, 1, 1, 2, 2, 2, 2, 2, 1, 2, 2, 2, 1, 1, 1}

// watchFrailty screens the demo's watch targets twice with the checklist, a
// year apart (the latest during the latest visit, when there was one), and
// those aged 75 or more with the 後期高齢者の質問票 too, so the analysis
// has a distribution and a change over time to show.
func (d *demo) watchFrailty() error {
	targets, err := d.tx.FindRecordsByFilter("watch_targets", `id != ""`, "created", len(demoScreenings), 0)
	if err != nil {
		return err
	}
	for i, t := range targets {
		s := demoScreenings[i]
		visit, on := d.latestVisit(t)
		if s.before != nil {
			if err := d.saveKihon(t, nil, d.today.AddDays(-400), s.before, s); err != nil {
				return err
			}
		}
		if err := d.saveKihon(t, visit, on, s.now, s); err != nil {
			return err
		}
		if err := d.saveKouki(t, visit, on, i); err != nil {
			return err
		}
	}
	return nil
}

// latestVisit is the target's latest visit and its day, or none and three
// days ago.
func (d *demo) latestVisit(t *core.Record) (*core.Record, civil.Date) {
	v, err := d.tx.FindRecordsByFilter("watch_visits", "target = {:t}", "-at", 1, 0, dbx.Params{"t": t.Id})
	if err != nil || len(v) == 0 {
		return nil, d.today.AddDays(-3)
	}
	return v[0], civil.DateOf(v[0].GetDateTime("at").Time())
}

func (d *demo) newAssessment(t, visit *core.Record, instrument string, on civil.Date) (*core.Record, error) {
	col, err := d.tx.FindCollectionByNameOrId(collections.FrailtyAssessments)
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(col)
	r.Set("target", t.Id)
	r.Set("resident", t.GetString("resident"))
	if visit != nil {
		r.Set("visit", visit.Id)
	}
	r.Set("instrument", instrument)
	r.Set("assessedOn", on.String())
	r.Set("recordedBy", t.GetString("volunteer"))
	r.Set("recordedByCollection", collections.Volunteers)
	return r, nil
}

func (d *demo) saveKihon(t, visit *core.Record, on civil.Date, risky []int, s demoScreening) error {
	r, err := d.newAssessment(t, visit, collections.InstrumentKihon, on)
	if err != nil {
		return err
	}
	in := frailty.Input{HeightCm: s.heightCm, WeightKg: s.weightKg}
	answers := make([]any, frailty.Items)
	for i, it := range frailty.Checklist {
		in.Yes[i] = it.RiskYes == slices.Contains(risky, it.No)
		answers[i] = in.Yes[i]
	}
	answers[frailty.BMIItem-1] = nil
	r.Load(collections.KihonResultFields(frailty.Score(in, frailty.DefaultCutoffs)))
	r.Set("answers", answers)
	r.Set("heightCm", s.heightCm)
	r.Set("weightKg", s.weightKg)
	return d.tx.Save(r)
}

// saveKouki asks the questionnaire of the targets aged 75 or more: walking
// and falls for some, chewing and few friends for others.
func (d *demo) saveKouki(t, visit *core.Record, on civil.Date, i int) error {
	resident, err := d.tx.FindRecordById("residents", t.GetString("resident"))
	if err != nil {
		return err
	}
	birth, err := civil.Parse(resident.GetString("birthDate"))
	if err != nil || civil.AgeOn(birth, on) < 75 {
		return nil
	}
	choices := demoKoukiHealthy
	switch i % 3 {
	case 0:
		choices[6], choices[7] = 1, 1 // 歩く速度が遅くなった, 転んだ
	case 1:
		choices[3], choices[13], choices[0] = 1, 2, 4 // 固いものが食べにくい, 付き合いがない, 健康状態があまりよくない
	}
	flags, err := frailty.KoukiFlags(choices)
	if err != nil {
		return err
	}
	r, err := d.newAssessment(t, visit, collections.InstrumentKouki, on)
	if err != nil {
		return err
	}
	r.Load(collections.KoukiResultFields(flags))
	r.Set("answers", choices[:])
	return d.tx.Save(r)
}
