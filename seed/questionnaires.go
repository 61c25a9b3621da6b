package seed

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/questionnaire"
	"github.com/saijo-dx/lifestage/schedule"
)

const questionnairesName = "vaccination_questionnaires"

// demoForm is one 予診票 of the demo and what its state adds to it.
type demoForm struct {
	key     string // natural key of its stable id
	child   *core.Record
	vaccine string
	dose    int
	planned civil.Date
	status  string
	extra   map[string]any
	unwell  string // the 今日の体調 answer's detail when the child was unwell
}

// questionnaires puts 予診票 in every state at the demo clinic, so that its
// reception list and the families' histories have something to show. The
// demo family's last dose was postponed once for a fever and given a week
// later there. Demo children are up to date, so the open forms come from
// other families of the city with a dose open today: one submitted, one
// the doctor has checked (ready to record the shot), one still a draft.
func (d *demo) questionnaires() error {
	nurse := d.records["medical_staff"]
	w := &writer{tx: d.tx, cols: map[string]*core.Collection{}}
	forms, err := d.lastDoseForms(nurse)
	if err != nil {
		return err
	}
	open, err := d.openDoseForms(nurse)
	if err != nil {
		return err
	}
	forms = append(forms, open...)
	for _, f := range forms {
		if err := w.demoForm(f, nurse.GetString("institution")); err != nil {
			return err
		}
	}
	if len(forms) == 0 {
		return nil // a tiny city may have none to show
	}
	return auditlog.LogImport(d.tx, questionnairesName, len(forms))
}

// lastDoseForms are the postponed and the administered form of the demo
// parent's youngest child's latest dose, which is then recorded as given at
// the demo clinic.
func (d *demo) lastDoseForms(nurse *core.Record) ([]demoForm, error) {
	kids, err := d.tx.FindRecordsByFilter("children", "guardians:each ?= {:p}", "-birthDate", 1, 0, dbx.Params{"p": d.records["parent"].Id})
	if err != nil || len(kids) == 0 {
		return nil, err
	}
	imms, err := d.tx.FindRecordsByFilter("immunizations", "child = {:c} && status = 'completed'", "-date", 1, 0, dbx.Params{"c": kids[0].Id})
	if err != nil || len(imms) == 0 {
		return nil, err
	}
	imm := imms[0]
	given, err := civil.Parse(imm.GetString("date"))
	if err != nil {
		return nil, err
	}
	imm.Set("institution", nurse.GetString("institution"))
	if err := d.tx.SaveWithContext(bulk, imm); err != nil {
		return nil, err
	}
	postponed := given.AddDays(-7)
	base := demoForm{child: kids[0], vaccine: imm.GetString("vaccine"), dose: imm.GetInt("dose")}
	reviewed := base
	reviewed.key, reviewed.planned, reviewed.status, reviewed.unwell = "postponed", postponed, collections.QuestionnaireReviewed, "朝から37.8℃の熱がある"
	reviewed.extra = checked(postponed, nurse, 37.8, "postpone", false)
	administered := base
	administered.key, administered.planned, administered.status = "administered", given, collections.QuestionnaireAdministered
	administered.extra = checked(given, nurse, 36.6, "ok", true)
	administered.extra["immunization"] = imm.Id
	return []demoForm{reviewed, administered}, nil
}

// checked is the doctor's section of a form reviewed on the given day.
func checked(day civil.Date, nurse *core.Record, temperature float64, judgement string, consent bool) map[string]any {
	return map[string]any{
		"submittedAt": day.Time().Add(-14 * time.Hour), "reviewedAt": day.Time().Add(10 * time.Hour),
		"temperature": temperature, "judgement": judgement, "consent": consent, "reviewedBy": nurse.Id,
	}
}

// openDoseForms are a submitted, a checked and a draft form for the first
// three children outside the demo households with a dose open today.
func (d *demo) openDoseForms(nurse *core.Record) ([]demoForm, error) {
	doses, err := d.openDoses(3)
	if err != nil {
		return nil, err
	}
	var out []demoForm
	for i, od := range doses {
		f := demoForm{child: od.child, vaccine: od.item.Vaccine, dose: od.item.Dose}
		switch i {
		case 0:
			token, err := questionnaire.NewToken()
			if err != nil {
				return nil, err
			}
			f.key, f.status, f.planned = "submitted", collections.QuestionnaireSubmitted, civil.Earlier(d.today.AddDays(2), od.item.Latest)
			f.extra = map[string]any{"submittedAt": time.Now().Add(-2 * time.Hour), "qrToken": token}
		case 1:
			f.key, f.status, f.planned = "checked", collections.QuestionnaireReviewed, d.today
			f.extra = checked(d.today, nurse, 36.5, "ok", true)
		default:
			f.key, f.status, f.planned = "draft", collections.QuestionnaireDraft, civil.Earlier(d.today.AddDays(7), od.item.Latest)
		}
		out = append(out, f)
	}
	return out, nil
}

type openDose struct {
	child *core.Record
	item  schedule.Item
}

// openDoses finds up to n children of other households, babies first, each
// with a dose of the routine schedule it may receive today, reading their
// immunizations in one query.
func (d *demo) openDoses(n int) ([]openDose, error) {
	var skip []string
	for _, role := range []string{"parent", "parent2"} {
		skip = append(skip, d.records[role].GetString("household"))
	}
	kids, err := d.tx.FindRecordsByFilter("children", "guardians != '[]' && birthDate > {:cut}", "-birthDate", 300, 0,
		dbx.Params{"cut": d.today.AddDays(-366 * handbookAge).String()})
	if err != nil {
		return nil, err
	}
	kids = slices.DeleteFunc(kids, func(k *core.Record) bool { return slices.Contains(skip, k.GetString("household")) })
	ids := make([]any, len(kids))
	for i, k := range kids {
		ids[i] = k.Id
	}
	given := map[string][]schedule.Dose{}
	if len(ids) > 0 {
		imms, err := d.tx.FindAllRecords("immunizations", dbx.In("child", ids...), dbx.NewExp("status != 'entered_in_error'"))
		if err != nil {
			return nil, err
		}
		for _, r := range imms {
			if date, err := civil.Parse(r.GetString("date")); err == nil {
				given[r.GetString("child")] = append(given[r.GetString("child")], schedule.Dose{Vaccine: r.GetString("vaccine"), Date: date})
			}
		}
	}
	var out []openDose
	for _, k := range kids {
		if it, ok := d.openDose(k, given[k.Id]); ok {
			out = append(out, openDose{k, it})
		}
		if len(out) == n {
			break
		}
	}
	return out, nil
}

// openDose is the child's first dose whose legal window holds today.
func (d *demo) openDose(k *core.Record, given []schedule.Dose) (schedule.Item, bool) {
	birth, err := civil.Parse(k.GetString("birthDate"))
	if err != nil {
		return schedule.Item{}, false
	}
	for _, it := range schedule.Compute(birth, k.GetString("sex"), d.today, given) {
		if (it.Status == schedule.Due || it.Status == schedule.Overdue) && !d.today.Before(it.Earliest) && !d.today.After(it.Latest) {
			return it, true
		}
	}
	return schedule.Item{}, false
}

// demoForm writes the form with the header the server would fill from the
// register and the answers a family would give: いいえ throughout, the
// birth weight from the handbook, and the fever of a postponed visit.
func (w *writer) demoForm(f demoForm, clinic string) error {
	birth, err := civil.Parse(f.child.GetString("birthDate"))
	if err != nil {
		return err
	}
	guardian, address := "", ""
	if ids := f.child.GetStringSlice("guardians"); len(ids) > 0 {
		if g, err := w.tx.FindRecordById(collections.Users, ids[0]); err == nil {
			guardian = g.GetString("name")
		}
	}
	if hh, err := w.tx.FindRecordById("households", f.child.GetString("household")); err == nil {
		address = hh.GetString("address")
	}
	header := questionnaire.NewHeader(f.child.GetString("familyName"), f.child.GetString("givenName"), birth, f.planned, guardian, address)
	answers, err := w.demoAnswers(f)
	if err != nil {
		return err
	}
	fields := header.Fields()
	for k, v := range map[string]any{
		"child": f.child.Id, "vaccine": f.vaccine, "dose": f.dose, "plannedDate": f.planned.String(),
		"institution": clinic, "status": f.status, "answers": answers,
	} {
		fields[k] = v
	}
	for k, v := range f.extra {
		fields[k] = v
	}
	if _, err := w.insert(questionnairesName, f.key+"-"+f.child.Id, fields); err != nil {
		return fmt.Errorf("demo questionnaire %s: %w", f.key, err)
	}
	return nil
}

func (w *writer) demoAnswers(f demoForm) (string, error) {
	weight := 0
	if b, err := w.tx.FindFirstRecordByData("birth_records", "child", f.child.Id); err == nil {
		weight = b.GetInt("weightG")
	}
	a := questionnaire.Prefilled(weight)
	no, yes := false, true
	for _, q := range questionnaire.For(f.vaccine) {
		if f.status == collections.QuestionnaireDraft && len(a.Items) >= 3 {
			break // a draft is answered only in part
		}
		a.Items[q.Key] = questionnaire.Answer{Yes: &no}
	}
	if f.unwell != "" {
		a.Items["unwellToday"] = questionnaire.Answer{Yes: &yes, Detail: f.unwell}
	}
	raw, err := json.Marshal(a)
	return string(raw), err
}
