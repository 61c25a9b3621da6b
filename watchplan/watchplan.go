// Package watchplan decides when a watched-over person is due a visit, how
// late the visit is, which escalation steps that lateness has reached and
// whether the person counts as covered. It works on Tokyo civil dates
// (package civil) and knows nothing of PocketBase.
package watchplan

import (
	"slices"

	"github.com/saijo-dx/lifestage/civil"
)

// IntervalDays is the number of days between visits for a frequency: a
// month is taken as 31 days so that "once a month" is never overdue on the
// same date of a shorter month. An unknown or empty frequency counts as
// monthly, the loosest, so a target without one still gets followed up.
func IntervalDays(frequency string) int {
	switch frequency {
	case "weekly":
		return 7
	case "biweekly":
		return 14
	}
	return 31
}

// Target is what the plan needs to know about one watched-over person.
type Target struct {
	Frequency string
	// Since is the day watching began (the target's creation day).
	Since civil.Date
	// LastVisit is the day of the latest visit; zero when there is none.
	LastVisit civil.Date
}

// DueOn is the day the next visit is due: the last visit plus the interval,
// or, before any visit, the day watching began plus the interval.
func (t Target) DueOn() civil.Date {
	base := t.Since
	if !t.LastVisit.IsZero() {
		base = t.LastVisit
	}
	return base.AddDays(IntervalDays(t.Frequency))
}

// DaysOverdue is how many days today is past the due day; 0 on the due day
// itself and before it.
func (t Target) DaysOverdue(today civil.Date) int {
	return max(0, civil.DaysBetween(t.DueOn(), today))
}

// Coverage classifies a target on a day.
type Coverage string

const (
	Covered Coverage = "covered" // visited and the next visit is not late
	Pending Coverage = "pending" // never visited, first visit not yet late
	Overdue Coverage = "overdue" // the due day has passed without a visit
)

// CoverageOn classifies the target on today.
func (t Target) CoverageOn(today civil.Date) Coverage {
	switch {
	case t.DaysOverdue(today) > 0:
		return Overdue
	case t.LastVisit.IsZero():
		return Pending
	}
	return Covered
}

// Step is one stage of the escalation chain.
type Step struct {
	ID          string
	Level       int
	DaysOverdue int
	Notify      string
}

// Reached returns the steps a target's lateness has reached on today, in
// chain order (by level). Steps are taken as given: the caller passes the
// active ones.
func Reached(steps []Step, t Target, today civil.Date) []Step {
	late := t.DaysOverdue(today)
	if late == 0 {
		return nil
	}
	var out []Step
	for _, s := range steps {
		if s.DaysOverdue <= late {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b Step) int { return a.Level - b.Level })
	return out
}

// AreaCoverage counts an area's targets by coverage.
type AreaCoverage struct {
	Targets, Covered, Pending, Overdue int
}

// Add counts one target's coverage.
func (a *AreaCoverage) Add(c Coverage) {
	a.Targets++
	switch c {
	case Covered:
		a.Covered++
	case Pending:
		a.Pending++
	case Overdue:
		a.Overdue++
	}
}

// Percent is the share of targets covered, rounded down to a whole
// percent; 0 for an area without targets.
func (a AreaCoverage) Percent() int {
	if a.Targets == 0 {
		return 0
	}
	return a.Covered * 100 / a.Targets
}

// DefaultSteps is the chain a new installation starts with: a reminder to
// the volunteer a day late, the organisation's coordinators three days
// late, the city a week late.
var DefaultSteps = []Step{
	{Level: 1, DaysOverdue: 1, Notify: "volunteer"},
	{Level: 2, DaysOverdue: 3, Notify: "organization"},
	{Level: 3, DaysOverdue: 7, Notify: "city"},
}
