package seed

import (
	"fmt"
	"hash/fnv"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/synth"
)

// classNames are the age classes' names, 0歳児 to 5歳児.
var classNames = []string{"ひよこ組", "りす組", "うさぎ組", "ぱんだ組", "きりん組", "ぞう組"}

// classShare splits a nursery's capacity over the age classes roughly as
// Saijo's nurseries do: few babies, full 3–5 classes.
var classShare = []int{8, 15, 17, 20, 20, 20}

// enrolPercent is the share of preschool children in a nursery or kodomoen,
// close to the national rate for ages 1–5.
const enrolPercent = 55

// NurseryDefaults are the settings a nursery starts with: the national
// staffing standard (配置基準) and common nap-check intervals; the fees are
// placeholders for the nursery to set (Saijo publishes no 延長保育料).
var NurseryDefaults = map[string]any{
	"opensAt": "07:00", "closesAt": "19:00", "standardFrom": "07:00", "shortFrom": "08:30",
	"extensionUnitMinutes": 30, "extensionUnitPrice": 200, "extensionMonthlyCap": 4000,
	"sideDishFee": 4500, "napIntervalInfant": 5, "napIntervalOlder": 10,
	"ratio0": 3, "ratio12": 6, "ratio3": 15, "ratio45": 25, "closingDay": 10,
}

// pick is a stable pseudo-random number in [0, n) for a key.
func pick(key string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32() % uint32(n))
}

func caresForUnder6(f synth.Facility) bool {
	return f.Type == synth.TypeNursery || f.Type == synth.TypeKodomoen
}

// nurseries writes each nursery's settings and this year's classes, enrols
// about half of the preschool children in a nursery of their area (or any
// nursery when their area has none), and records each enrolled household's
// fee basis for the two tax years a fiscal year uses.
func (w *writer) nurseries(c *synth.City, today civil.Date) error {
	fy := civil.FiscalYear(today)
	byArea := map[string][]string{}
	var all []string
	for _, f := range c.Facilities {
		if !caresForUnder6(f) {
			continue
		}
		if err := w.nurseryOf(f, fy); err != nil {
			return err
		}
		byArea[f.AreaCode] = append(byArea[f.AreaCode], f.Code)
		all = append(all, f.Code)
	}
	if len(all) == 0 {
		return nil
	}
	households := map[string]bool{}
	for i := range c.Residents {
		r := &c.Residents[i]
		nursery, ok := w.nurseryFor(r, today, byArea, all)
		if !ok {
			continue
		}
		if err := w.enrol(r, nursery, today); err != nil {
			return err
		}
		households[r.HouseholdCode] = true
	}
	for code := range households {
		if err := w.feeBasisOf(stableID("households", code), fy); err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) nurseryOf(f synth.Facility, fy int) error {
	settings := map[string]any{"nursery": stableID("facilities", f.Code)}
	for k, v := range NurseryDefaults {
		settings[k] = v
	}
	if _, err := w.insert("nurseries", f.Code, settings); err != nil {
		return err
	}
	for age, name := range classNames {
		_, err := w.insert("nursery_classes", classKey(f.Code, fy, age), map[string]any{
			"nursery": stableID("facilities", f.Code), "fiscalYear": fy, "ageClass": age,
			"name": name, "capacity": f.Capacity * classShare[age] / 100,
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func classKey(facility string, fy, age int) string { return fmt.Sprintf("%s/%d/%d", facility, fy, age) }

// nurseryFor chooses whether and where a child is enrolled: children in age
// classes 0–5 who are at least 57 days old (産休明け), about half of them.
func (w *writer) nurseryFor(r *synth.Resident, today civil.Date, byArea map[string][]string, all []string) (string, bool) {
	birth, err := civil.Parse(r.BirthDate)
	if err != nil || today.Before(birth.AddDays(57)) {
		return "", false
	}
	age := civil.ClassAge(birth, civil.FiscalYear(today))
	if age < 0 || age > 5 || pick("enrol/"+r.Key, 100) >= enrolPercent {
		return "", false
	}
	near := byArea[w.householdArea[r.HouseholdCode]]
	if len(near) == 0 {
		near = all
	}
	return near[pick("nursery/"+r.Key, len(near))], true
}

func (w *writer) enrol(r *synth.Resident, nursery string, today civil.Date) error {
	birth, _ := civil.Parse(r.BirthDate)
	fy := civil.FiscalYear(today)
	age := civil.ClassAge(birth, fy)
	cert, hours, certified := "3", collections.HoursStandard, 11
	if age >= 3 {
		cert = "2"
	}
	if pick("hours/"+r.Key, 5) == 0 {
		hours, certified = collections.HoursShort, 8
	}
	// They started in the April after turning 57 days old, or in the month
	// they were old enough when that was this year.
	start := civil.Later(civil.FiscalYearStart(fy-age), birth.AddDays(57))
	_, err := w.insert("enrolments", r.Key, map[string]any{
		"child": stableID("children", r.Key), "household": stableID("households", r.HouseholdCode),
		"nursery": stableID("facilities", nursery), "class": stableID("nursery_classes", classKey(nursery, fy, age)),
		"certification": cert, "hours": hours, "certifiedHours": certified, "start": start.String(),
	})
	if err == nil {
		w.stats.Enrolments++
	}
	return err
}

// feeBasis gives a household a plausible 市民税所得割額 (most young families
// fall in C8–C10) and, rarely, welfare, tax exemption or a protected status.
func (w *writer) feeBasisOf(household string, fy int) error {
	roll := pick("fee/"+household, 1000)
	for _, year := range []int{fy - 1, fy} {
		income := 30_000 + pick(fmt.Sprintf("tax/%s/%d", household, year), 300)*1_000
		if roll < 60 {
			income = 0 // welfare and tax-exempt households pay no 所得割
		}
		_, err := w.insert("fee_assessments", fmt.Sprintf("%s/%d", household, year), map[string]any{
			"household": household, "taxYear": year, "incomeTax": income,
			"welfare": roll < 10, "taxExempt": roll >= 10 && roll < 60, "protectedHousehold": roll >= 60 && roll < 140,
		})
		if err != nil {
			return err
		}
	}
	return nil
}
