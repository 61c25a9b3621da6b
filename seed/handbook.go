package seed

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/growth"
	"github.com/saijo-dx/lifestage/schedule"
)

// handbookAge is the age up to which demo children get a handbook history:
// everyone still within a routine vaccine's window (HPV ends at 16).
const handbookAge = 17

// Habits of the synthetic families, chosen per child from its id so the
// demo is the same every time: most are on schedule, some miss a vaccine or
// a checkup, which the city's follow-up list should find.
func missed(childID string) (vaccines, checkups []string) {
	b := strings.IndexByte(idAlphabet, stableID("habit", childID)[0])
	if b < 10 {
		vaccines = append(vaccines, "varicella")
	}
	if b < 4 {
		vaccines = append(vaccines, "mr1")
	}
	if b >= 33 {
		checkups = append(checkups, "1y6m")
	}
	return vaccines, checkups
}

// growthAges are the months at which families usually measure.
var growthAges = []int{1, 3, 4, 6, 9, 12, 18, 24, 36, 48, 60, 72}

// Handbook writes handbook histories for the demo city's children:
// immunizations, growth, checkups, and an allergy and weaning log here and
// there. One import entry per collection goes to the audit log.
func Handbook(app core.App, today civil.Date) error {
	return app.RunInTransaction(func(tx core.App) error {
		w := &writer{tx: tx, cols: map[string]*core.Collection{}}
		kids, err := tx.FindRecordsByFilter("children", "birthDate > {:cut}", "birthDate", 0, 0,
			map[string]any{"cut": today.AddDays(-366 * handbookAge).String()})
		if err != nil {
			return err
		}
		counts := map[string]int{}
		for _, k := range kids {
			if err := w.handbookOf(k, today, counts); err != nil {
				return fmt.Errorf("handbook of %s: %w", k.Id, err)
			}
		}
		if err := w.birthRecords(kids, counts); err != nil {
			return err
		}
		for _, name := range []string{"immunizations", "growth_measurements", "infant_checkups", "allergies", "weaning_logs", "birth_records"} {
			if counts[name] > 0 {
				if err := auditlog.LogImport(tx, name, counts[name]); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func (w *writer) handbookOf(k *core.Record, today civil.Date, counts map[string]int) error {
	birth, err := civil.Parse(k.GetString("birthDate"))
	if err != nil {
		return err
	}
	sex := k.GetString("sex")
	skipVaccines, skipCheckups := missed(k.Id)
	doses := map[string]int{}
	for i, d := range schedule.OnTimeHistory(birth, sex, today, skipVaccines) {
		doses[d.Vaccine]++
		if _, err := w.insert("immunizations", fmt.Sprintf("%s-%d", k.Id, i), map[string]any{
			"child": k.Id, "vaccine": d.Vaccine, "dose": doses[d.Vaccine], "date": d.Date.String(),
			"source": "clinic", "status": "completed", "site": siteOf(d.Vaccine),
		}); err != nil {
			return err
		}
		counts["immunizations"]++
	}
	for _, m := range growthAges {
		date := civil.MonthBoundary(birth, m)
		if date.After(today) {
			break
		}
		fields := map[string]any{"child": k.Id, "date": date.String(), "source": "parent", "status": "completed"}
		for measure, field := range map[string]string{"weight": "weightKg", "height": "heightCm", "head": "headCm"} {
			if v, ok := typical(sex, birth, date, measure, k.Id); ok {
				fields[field] = v
			}
		}
		if _, err := w.insert("growth_measurements", fmt.Sprintf("%s-%d", k.Id, m), fields); err != nil {
			return err
		}
		counts["growth_measurements"]++
	}
	for _, c := range schedule.Checkups(birth, today) {
		date := c.From.AddDays(7)
		if slices.Contains(skipCheckups, c.Code) || date.After(today) || date.After(c.To) {
			continue
		}
		if _, err := w.insert("infant_checkups", k.Id+"-"+c.Code, map[string]any{
			"child": k.Id, "code": c.Code, "date": date.String(), "result": "normal", "source": "city", "status": "completed",
		}); err != nil {
			return err
		}
		counts["infant_checkups"]++
	}
	return w.foodNotes(k, birth, today, counts)
}

// foodNotes gives some children an allergy and babies a weaning log.
func (w *writer) foodNotes(k *core.Record, birth, today civil.Date, counts map[string]int) error {
	if strings.IndexByte(idAlphabet, stableID("allergy", k.Id)[0]) < 4 && civil.MonthBoundary(birth, 8).Before(today) {
		if _, err := w.insert("allergies", k.Id, map[string]any{
			"child": k.Id, "substance": "卵", "severity": "mild", "date": civil.MonthBoundary(birth, 8).String(),
			"note": "卵黄で口の周りが赤くなった", "source": "parent", "status": "completed",
		}); err != nil {
			return err
		}
		counts["allergies"]++
	}
	for i, food := range []string{"10倍がゆ", "にんじん", "豆腐", "しらす"} {
		date := civil.MonthBoundary(birth, 5).AddDays(7 * i)
		if date.After(today) || civil.MonthBoundary(birth, 18).Before(today) {
			break
		}
		if _, err := w.insert("weaning_logs", fmt.Sprintf("%s-%d", k.Id, i), map[string]any{
			"child": k.Id, "date": date.String(), "food": food, "reaction": "none", "source": "parent", "status": "completed",
		}); err != nil {
			return err
		}
		counts["weaning_logs"]++
	}
	return nil
}

// typical is a value near the national median, varied a little per child.
func typical(sex string, birth, date civil.Date, measure, childID string) (float64, bool) {
	r, err := growth.Assess(sex, birth, date, measure, 30) // any value in range: only the percentiles are used
	if err != nil {
		return 0, false
	}
	spread := float64(strings.IndexByte(idAlphabet, stableID("size", childID)[0])-18) / 400 // about ±4.5 %
	v := r.P50 * (1 + spread)
	return float64(int(v*10+0.5)) / 10, true
}

func siteOf(vaccine string) string {
	if strings.HasPrefix(vaccine, "rota") {
		return "oral"
	}
	return "left_arm"
}

// birthRecords gives the youngest child of each household the birth record
// its family copied from the paper handbook. Older siblings were born
// before the family used the app, so theirs is still to enter: the demo
// family has one of each.
func (w *writer) birthRecords(kids []*core.Record, counts map[string]int) error {
	youngest := map[string]*core.Record{} // kids come oldest first
	for _, k := range kids {
		youngest[familyOf(k)] = k
	}
	maternity, err := w.tx.FindRecordsByFilter("facilities",
		`services:each ?= "obstetrics" && (type = "hospital" || type = "clinic")`, "code", 1, 0)
	if err != nil {
		return err
	}
	for _, k := range kids {
		if youngest[familyOf(k)] != k {
			continue
		}
		fields, err := birthOf(k)
		if err != nil {
			return err
		}
		if len(maternity) > 0 {
			fields["institution"] = maternity[0].Id
		} else {
			fields["institutionName"] = "市外の産婦人科"
		}
		if _, err := w.insert("birth_records", k.Id, fields); err != nil {
			return err
		}
		counts["birth_records"]++
	}
	return nil
}

// familyOf groups siblings by household; a child without one is a family
// of its own.
func familyOf(k *core.Record) string {
	if h := k.GetString("household"); h != "" {
		return h
	}
	return "child:" + k.Id
}

// birthOf is a term birth near the national medians of the growth survey's
// 出生時 row, varied per child; the chest is about a centimetre smaller
// than the head at birth.
func birthOf(k *core.Record) (map[string]any, error) {
	birth, err := civil.Parse(k.GetString("birthDate"))
	if err != nil {
		return nil, err
	}
	sex := k.GetString("sex")
	b := strings.IndexByte(idAlphabet, stableID("birth", k.Id)[0])
	method := "spontaneous"
	switch {
	case b < 7:
		method = "cesarean"
	case b < 10:
		method = "vacuum"
	}
	fields := map[string]any{
		"child": k.Id, "gestationalWeeks": 38 + b%3, "gestationalDays": b % 7, "deliveryMethod": method,
		"abnormality": "none", "birthPlace": "hospital", "apgar1": 8 + b%2, "apgar5": 9 + b/2%2, "source": "parent",
	}
	if v, ok := typical(sex, birth, birth, growth.Weight, k.Id); ok {
		fields["weightG"] = int(v*1000 + 0.5)
	}
	if v, ok := typical(sex, birth, birth, growth.Height, k.Id); ok {
		fields["lengthCm"] = v
	}
	if v, ok := typical(sex, birth, birth, growth.Head, k.Id); ok {
		fields["headCm"] = v
		fields["chestCm"] = v - 1
	}
	return fields, nil
}
