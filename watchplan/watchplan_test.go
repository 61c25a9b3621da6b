package watchplan

import (
	"slices"
	"testing"

	"github.com/saijo-dx/lifestage/civil"
)

func d(s string) civil.Date {
	v, err := civil.Parse(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestIntervalDays(t *testing.T) {
	for freq, want := range map[string]int{"weekly": 7, "biweekly": 14, "monthly": 31, "": 31, "yearly": 31} {
		if got := IntervalDays(freq); got != want {
			t.Errorf("IntervalDays(%q) = %d, want %d", freq, got, want)
		}
	}
}

func TestDueAndOverdue(t *testing.T) {
	cases := []struct {
		name     string
		target   Target
		today    string
		due      string
		overdue  int
		coverage Coverage
	}{
		{"weekly, on the due day", Target{"weekly", d("2026-10-01"), d("2026-11-19")}, "2026-11-26", "2026-11-26", 0, Covered},
		{"weekly, the day after", Target{"weekly", d("2026-10-01"), d("2026-11-19")}, "2026-11-27", "2026-11-26", 1, Overdue},
		{"weekly, visited today", Target{"weekly", d("2026-10-01"), d("2026-11-26")}, "2026-11-26", "2026-12-03", 0, Covered},
		{"biweekly, across the year end", Target{"biweekly", d("2026-01-01"), d("2026-12-25")}, "2027-01-11", "2027-01-08", 3, Overdue},
		{"monthly is 31 days, not the same date", Target{"monthly", d("2026-01-01"), d("2026-01-31")}, "2026-03-03", "2026-03-03", 0, Covered},
		{"monthly over a leap February", Target{"monthly", d("2028-01-01"), d("2028-02-01")}, "2028-03-10", "2028-03-03", 7, Overdue},
		{"no visit yet, due from the start", Target{"weekly", d("2026-11-20"), civil.Date{}}, "2026-11-26", "2026-11-27", 0, Pending},
		{"no visit, a day late", Target{"weekly", d("2026-11-20"), civil.Date{}}, "2026-11-28", "2026-11-27", 1, Overdue},
		{"no frequency counts as monthly", Target{"", d("2026-10-01"), d("2026-10-26")}, "2026-11-27", "2026-11-26", 1, Overdue},
		{"a visit dated in the future is not late", Target{"weekly", d("2026-10-01"), d("2026-12-01")}, "2026-11-26", "2026-12-08", 0, Covered},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			today := d(c.today)
			if got := c.target.DueOn().String(); got != c.due {
				t.Errorf("DueOn = %s, want %s", got, c.due)
			}
			if got := c.target.DaysOverdue(today); got != c.overdue {
				t.Errorf("DaysOverdue = %d, want %d", got, c.overdue)
			}
			if got := c.target.CoverageOn(today); got != c.coverage {
				t.Errorf("CoverageOn = %s, want %s", got, c.coverage)
			}
		})
	}
}

func TestReached(t *testing.T) {
	// Given out of order on purpose: the chain order is the level.
	steps := []Step{
		{ID: "city", Level: 3, DaysOverdue: 7, Notify: "city"},
		{ID: "vol", Level: 1, DaysOverdue: 1, Notify: "volunteer"},
		{ID: "org", Level: 2, DaysOverdue: 3, Notify: "organization"},
	}
	weekly := Target{"weekly", d("2026-01-01"), d("2026-11-01")} // due 2026-11-08
	cases := []struct {
		today string
		want  []string
	}{
		{"2026-11-08", nil},
		{"2026-11-09", []string{"vol"}},
		{"2026-11-10", []string{"vol"}},
		{"2026-11-11", []string{"vol", "org"}},
		{"2026-11-14", []string{"vol", "org"}},
		{"2026-11-15", []string{"vol", "org", "city"}},
		{"2027-02-01", []string{"vol", "org", "city"}},
	}
	for _, c := range cases {
		var got []string
		for _, s := range Reached(steps, weekly, d(c.today)) {
			got = append(got, s.ID)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: reached %v, want %v", c.today, got, c.want)
		}
	}
	if got := Reached(nil, weekly, d("2027-01-01")); len(got) != 0 {
		t.Errorf("no steps reached %v", got)
	}
}

func TestAreaCoverage(t *testing.T) {
	var a AreaCoverage
	if a.Percent() != 0 {
		t.Fatal("an empty area is 0%")
	}
	for _, c := range []Coverage{Covered, Covered, Pending, Overdue} {
		a.Add(c)
	}
	if a != (AreaCoverage{Targets: 4, Covered: 2, Pending: 1, Overdue: 1}) || a.Percent() != 50 {
		t.Errorf("got %+v %d%%", a, a.Percent())
	}
	a.Add(Overdue)
	a.Add(Covered)
	if a.Percent() != 50 {
		t.Errorf("3 of 6 = %d%%", a.Percent())
	}
	a.Add(Covered)
	if a.Percent() != 57 { // 4/7 = 57.1: rounded down
		t.Errorf("4 of 7 = %d%%", a.Percent())
	}
}
