package civil

import (
	"math"
	"testing"
	"time"
)

func d(s string) Date {
	v, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestAgeOn(t *testing.T) {
	// Cases follow 年齢計算ニ関スル法律: the age increases at the end of the
	// day before the birthday (so it is already in effect on that eve).
	cases := []struct {
		birth, on string
		want      int
	}{
		{"2020-05-10", "2021-05-08", 0},
		{"2020-05-10", "2021-05-09", 1}, // eve of the first birthday
		{"2020-05-10", "2021-05-10", 1},
		{"2020-04-01", "2026-03-31", 6}, // born April 1: older class (早生まれ)
		{"2020-04-02", "2026-03-31", 5},
		{"2020-02-29", "2021-02-27", 0},
		{"2020-02-29", "2021-02-28", 1}, // leap-day birth, common year
		{"1956-11-27", "2021-11-26", 65},
		{"1956-11-28", "2021-11-26", 64},
	}
	for _, c := range cases {
		if got := AgeOn(d(c.birth), d(c.on)); got != c.want {
			t.Errorf("AgeOn(%s, %s) = %d, want %d", c.birth, c.on, got, c.want)
		}
	}
}

func TestParseRejectsImpossibleDates(t *testing.T) {
	for _, s := range []string{"2026-02-30", "2026-13-01", "2026/01/01", "", "20260101"} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) accepted", s)
		}
	}
	if got := d("2024-02-29").String(); got != "2024-02-29" {
		t.Errorf("round trip = %s", got)
	}
}

func TestDateOfUsesTokyo(t *testing.T) {
	// 2026-03-31 16:00 UTC is already April 1 in Japan.
	instant := time.Date(2026, 3, 31, 16, 0, 0, 0, time.UTC)
	if got := DateOf(instant).String(); got != "2026-04-01" {
		t.Fatalf("DateOf = %s", got)
	}
	if got := FiscalYear(DateOf(instant)); got != 2026 {
		t.Fatalf("FiscalYear = %d", got)
	}
	if got := FiscalYear(d("2026-03-31")); got != 2025 {
		t.Fatalf("FiscalYear(2026-03-31) = %d", got)
	}
}

func TestMonthsOld(t *testing.T) {
	cases := []struct {
		birth, date string
		want        float64
	}{
		{"2025-01-01", "2025-01-01", 0},
		{"2025-01-01", "2025-02-01", 1},
		{"2025-01-01", "2025-04-01", 3},
		{"2025-01-01", "2025-04-16", 3.5}, // April has 30 days
		{"2025-01-31", "2025-02-28", 1},   // clamped to the short month
		{"2025-01-31", "2025-03-31", 2},
		{"2024-01-01", "2025-04-01", 15},
		{"2024-02-29", "2025-02-28", 12},
		{"2019-01-01", "2025-07-01", 78},
	}
	for _, c := range cases {
		if got := MonthsOld(d(c.birth), d(c.date)); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("MonthsOld(%s, %s) = %v, want %v", c.birth, c.date, got, c.want)
		}
	}
}

// At a band's x-position the percentiles are the CSV row itself.

func TestAddMonthsClamped(t *testing.T) {
	cases := []struct {
		from string
		n    int
		want string
	}{
		{"2026-01-31", 1, "2026-02-28"},  // clamped to the month's end
		{"2024-01-31", 1, "2024-02-29"},  // leap year
		{"2026-01-15", -1, "2025-12-15"}, // across a year backwards
		{"2026-01-15", -12, "2025-01-15"},
		{"2026-01-15", -13, "2024-12-15"},
		{"2026-01-15", -30, "2023-07-15"}, // more than two years back
		{"2026-03-31", -25, "2024-02-29"},
		{"2026-12-15", 1, "2027-01-15"},
		{"2026-11-30", 27, "2029-02-28"},
		{"2026-05-10", 0, "2026-05-10"},
	}
	for _, c := range cases {
		from, err := Parse(c.from)
		if err != nil {
			t.Fatal(err)
		}
		if got := from.AddMonthsClamped(c.n).String(); got != c.want {
			t.Errorf("%s %+d months = %s, want %s", c.from, c.n, got, c.want)
		}
	}
}
