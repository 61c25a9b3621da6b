package schedule

import "github.com/saijo-dx/lifestage/civil"

// Kinds of reminder a family gets about a child.
const (
	ReminderVaccineSoon    = "vaccine_soon"
	ReminderVaccineOverdue = "vaccine_overdue"
	ReminderCheckupSoon    = "checkup_soon"
	ReminderCheckupOverdue = "checkup_overdue"
)

// Reminder is one thing a guardian should be told about on a given day.
type Reminder struct {
	Kind  string // one of the Reminder* kinds
	Code  string // vaccine or checkup code
	Dose  int    // vaccines only
	Label string // Japanese, e.g. "小児用肺炎球菌 3回目" or "3歳児健診"
	// Date is when the dose or checkup window opens for a "soon" reminder,
	// and the last day it can be given (vaccine) or was due (checkup) for an
	// "overdue" one.
	Date civil.Date
}

// Reminders lists what is worth telling a child's guardians on today:
//   - vaccine_soon: the next dose of a vaccine not yet given whose legal
//     window opens within daysBefore days (today < Earliest <= today+daysBefore);
//     later doses of the same vaccine wait until it is given, because their
//     dates only assume it.
//   - checkup_soon: a checkup not attended whose window opens in that range.
//   - vaccine_overdue: a dose past its standard period, still in the legal window.
//   - checkup_overdue: a statutory checkup whose window passed without a visit.
//
// The result depends only on its arguments, so a caller can tell each
// reminder apart across days by Kind, Code and Dose.
func Reminders(birth civil.Date, sex string, today civil.Date, doses []Dose, checkupsDone map[string]bool, daysBefore int) []Reminder {
	horizon := today.AddDays(daysBefore)
	soon := func(d civil.Date) bool { return d.After(today) && !d.After(horizon) }
	var out []Reminder
	waiting := map[string]bool{} // vaccines with an earlier dose still to give
	for _, it := range Compute(birth, sex, today, doses) {
		if it.Date != nil || it.Status == Skipped || it.Status == Expired {
			continue
		}
		label := VaccineLabels[it.Vaccine] + " " + itoa(it.Dose) + "回目"
		switch {
		case it.Status == Overdue:
			out = append(out, Reminder{Kind: ReminderVaccineOverdue, Code: it.Vaccine, Dose: it.Dose, Label: label, Date: it.Latest})
		case !waiting[it.Vaccine] && soon(it.Earliest) && !it.Earliest.After(it.Latest):
			out = append(out, Reminder{Kind: ReminderVaccineSoon, Code: it.Vaccine, Dose: it.Dose, Label: label, Date: it.Earliest})
		}
		waiting[it.Vaccine] = true
	}
	for _, c := range CheckupsWithDone(birth, today, checkupsDone) {
		switch {
		case c.Status == Done:
		case c.Statutory && c.Status == Overdue:
			out = append(out, Reminder{Kind: ReminderCheckupOverdue, Code: c.Code, Label: c.Label, Date: c.To})
		case soon(c.From):
			out = append(out, Reminder{Kind: ReminderCheckupSoon, Code: c.Code, Label: c.Label, Date: c.From})
		}
	}
	return out
}
