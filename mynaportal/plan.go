package mynaportal

import (
	"slices"
	"time"
)

// Entry is one handbook record to create from a PMH record.
type Entry struct {
	Collection     string
	SourceRecordID string
	Fields         map[string]any // without child, source and sourceRecordId
}

// Skip is a PMH record that cannot become a handbook entry, and why.
type Skip struct {
	RecordID string `json:"recordId"`
	Reason   string `json:"reason"` // unknown_vaccine | unknown_checkup | invalid_date | invalid_dose | missing_id
}

// Plan turns a PMH response into handbook entries, limited to the
// consented collections. Records it cannot map are skipped with a reason,
// never guessed.
func Plan(r Response, collections []string) (entries []Entry, skipped []Skip) {
	if slices.Contains(collections, Immunizations) {
		for _, im := range r.Immunizations {
			e, reason := immunization(im)
			if reason != "" {
				skipped = append(skipped, Skip{RecordID: im.RecordID, Reason: reason})
				continue
			}
			entries = append(entries, e)
		}
	}
	if slices.Contains(collections, InfantCheckups) {
		for _, c := range r.InfantCheckups {
			e, reason := checkup(c)
			if reason != "" {
				skipped = append(skipped, Skip{RecordID: c.RecordID, Reason: reason})
				continue
			}
			entries = append(entries, e)
		}
	}
	return entries, skipped
}

func immunization(im Immunization) (Entry, string) {
	code := VaccineCode(im.VaccineName)
	switch {
	case im.RecordID == "" || len(im.RecordID) > 100:
		return Entry{}, "missing_id"
	case code == "":
		return Entry{}, "unknown_vaccine"
	case !validDate(im.VaccinationDate):
		return Entry{}, "invalid_date"
	case im.DoseNumber < 1 || im.DoseNumber > 5:
		return Entry{}, "invalid_dose"
	}
	return Entry{Collection: Immunizations, SourceRecordID: im.RecordID, Fields: map[string]any{
		"vaccine": code, "dose": im.DoseNumber, "date": im.VaccinationDate,
		"product": clip(im.ProductName, 100), "lot": clip(im.LotNumber, 50), "status": "completed",
	}}, ""
}

func checkup(c Checkup) (Entry, string) {
	code := CheckupCode(c.CheckupType)
	switch {
	case c.RecordID == "" || len(c.RecordID) > 100:
		return Entry{}, "missing_id"
	case code == "":
		return Entry{}, "unknown_checkup"
	case !validDate(c.ExaminationDate):
		return Entry{}, "invalid_date"
	}
	fields := map[string]any{"code": code, "date": c.ExaminationDate, "status": "completed"}
	// Out-of-range measures are left out rather than failing the record:
	// the bounds are the handbook's (collections/childhealth.go).
	setMeasure(fields, "weightKg", c.WeightKg, 0.3, 40)
	setMeasure(fields, "heightCm", c.HeightCm, 20, 140)
	setMeasure(fields, "headCm", c.HeadCircumferenceCm, 20, 60)
	if r := judgementKeys[key(c.Judgement)]; r != "" {
		fields["result"] = r
	}
	return Entry{Collection: InfantCheckups, SourceRecordID: c.RecordID, Fields: fields}, ""
}

func setMeasure(fields map[string]any, name string, v *float64, lo, hi float64) {
	if v != nil && *v >= lo && *v <= hi {
		fields[name] = *v
	}
}

func validDate(s string) bool {
	if !datePattern.MatchString(s) {
		return false
	}
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
