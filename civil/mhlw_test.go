package civil

import "testing"

// Cases from ../shared/reference/domain-data.md §1.1 (MHLW 事務連絡 as
// restated by Kiyose, Natori, Kobe and Tome cities) and the CSV header.
func TestMonthBoundary(t *testing.T) {
	cases := []struct {
		birth string
		k     int
		want  string
	}{
		{"2013-04-02", 2, "2013-06-01"}, // Kiyose City example
		{"2022-03-31", 1, "2022-04-30"}, // April 31 does not exist: last day, no minus one
		{"2018-12-31", 2, "2019-02-28"}, // Natori City example
		{"2024-01-31", 1, "2024-02-29"}, // leap February
		{"2024-01-30", 1, "2024-02-29"}, // Feb 30 does not exist either
		{"2024-01-29", 1, "2024-02-28"}, // Feb 29 exists: minus one
		{"2024-02-29", 12, "2025-02-28"},
		{"2024-02-29", 48, "2028-02-28"}, // the same day exists: minus one
		{"2025-04-01", 12, "2026-03-31"},
		{"2025-01-01", 1, "2025-01-31"},
		{"2025-05-10", 0, "2025-05-09"},
		{"2025-08-31", 6, "2026-02-28"},
		{"2025-10-31", 90, "2033-04-30"},
		{"2025-10-15", 90, "2033-04-14"},
	}
	for _, c := range cases {
		if got := MonthBoundary(d(c.birth), c.k).String(); got != c.want {
			t.Errorf("MonthBoundary(%s, %d) = %s, want %s", c.birth, c.k, got, c.want)
		}
	}
}

func TestAgeReachedDate(t *testing.T) {
	cases := []struct {
		birth string
		n     int
		want  string
	}{
		{"2020-05-10", 1, "2021-05-09"},
		{"2020-02-29", 1, "2021-02-28"}, // Feb 29 births reach their age on Feb 28
		{"2020-02-29", 4, "2024-02-28"},
		{"2020-04-01", 6, "2026-03-31"},
		{"2020-04-02", 6, "2026-04-01"},
		{"2020-01-01", 1, "2020-12-31"},
	}
	for _, c := range cases {
		got := AgeReachedDate(d(c.birth), c.n)
		if got.String() != c.want {
			t.Errorf("AgeReachedDate(%s, %d) = %s, want %s", c.birth, c.n, got, c.want)
		}
		// Consistent with AgeOn: the age is n on that day, n-1 the day before.
		if AgeOn(d(c.birth), got) != c.n || AgeOn(d(c.birth), got.AddDays(-1)) != c.n-1 {
			t.Errorf("AgeReachedDate(%s, %d) disagrees with AgeOn", c.birth, c.n)
		}
	}
}

func TestDaysAfterAtLeast(t *testing.T) {
	cases := []struct {
		prev string
		x    int
		want string
	}{
		{"2025-06-02", 27, "2025-06-30"},  // 27日以上 → +28 d, same weekday 4 weeks later
		{"2025-06-02", 20, "2025-06-23"},  // 20日以上 → +21 d
		{"2025-06-02", 6, "2025-06-09"},   // 6日以上 → +7 d
		{"2025-06-02", 60, "2025-08-02"},  // 60日以上 → +61 d
		{"2025-06-02", 139, "2025-10-20"}, // 139日以上 → +140 d, 20 weeks
		{"2024-02-01", 27, "2024-02-29"},
		{"2025-12-20", 27, "2026-01-17"},
	}
	for _, c := range cases {
		if got := DaysAfterAtLeast(d(c.prev), c.x).String(); got != c.want {
			t.Errorf("DaysAfterAtLeast(%s, %d) = %s, want %s", c.prev, c.x, got, c.want)
		}
	}
}

func TestMonthsAfter(t *testing.T) {
	cases := []struct {
		prev string
		n    int
		want string
	}{
		{"2025-01-15", 6, "2025-07-15"},
		{"2025-08-31", 6, "2026-03-01"}, // Feb 31 does not exist: 1st of the next month
		{"2024-08-31", 6, "2025-03-01"},
		{"2023-08-29", 6, "2024-02-29"},
		{"2025-03-31", 1, "2025-05-01"},
		{"2025-10-31", 3, "2026-01-31"},
		{"2025-12-31", 2, "2026-03-01"},
		{"2025-11-30", 3, "2026-03-01"}, // Feb 30 → Mar 1
	}
	for _, c := range cases {
		if got := MonthsAfter(d(c.prev), c.n).String(); got != c.want {
			t.Errorf("MonthsAfter(%s, %d) = %s, want %s", c.prev, c.n, got, c.want)
		}
	}
}

func TestWeeksAfterBirth(t *testing.T) {
	// 出生0週0日 is the birth day; 出生24週0日後 is the same weekday 24 weeks on.
	b := d("2025-04-10")
	if got := WeeksAfterBirth(b, 6).String(); got != "2025-05-22" {
		t.Errorf("6 weeks = %s", got)
	}
	if got := WeeksAfterBirth(b, 24).String(); got != "2025-09-25" {
		t.Errorf("24 weeks = %s", got)
	}
	if got := WeeksAfterBirth(b, 14).AddDays(6).String(); got != "2025-07-23" {
		t.Errorf("14 weeks 6 days = %s", got)
	}
}

func TestFiscalYearOfAge(t *testing.T) {
	cases := []struct {
		birth      string
		n, want    int
		start, end string
	}{
		// 年長 (MR 2期): the year in which the child turns 6.
		{"2019-04-01", 6, 2024, "2024-04-01", "2025-03-31"}, // April 1: earlier school year
		{"2019-04-02", 6, 2025, "2025-04-01", "2026-03-31"},
		{"2020-03-31", 6, 2025, "2025-04-01", "2026-03-31"},
		{"2020-02-29", 6, 2025, "2025-04-01", "2026-03-31"},
		// HPV: 12歳となる日の属する年度 (小6).
		{"2014-04-01", 12, 2025, "2025-04-01", "2026-03-31"},
		{"2014-04-02", 12, 2026, "2026-04-01", "2027-03-31"},
	}
	for _, c := range cases {
		fy := FiscalYearOfAge(d(c.birth), c.n)
		if fy != c.want || FiscalYearStart(fy).String() != c.start || FiscalYearEnd(fy).String() != c.end {
			t.Errorf("FiscalYearOfAge(%s, %d) = %d [%s, %s], want %d [%s, %s]", c.birth, c.n, fy,
				FiscalYearStart(fy), FiscalYearEnd(fy), c.want, c.start, c.end)
		}
	}
}

func TestAddDaysAndCompare(t *testing.T) {
	if got := d("2024-12-31").AddDays(60).String(); got != "2025-03-01" {
		t.Errorf("AddDays = %s", got)
	}
	if got := d("2025-03-01").AddDays(-1).String(); got != "2025-02-28" {
		t.Errorf("AddDays(-1) = %s", got)
	}
	if Later(d("2025-01-01"), d("2025-01-02")).String() != "2025-01-02" || Earlier(d("2025-01-01"), d("2025-01-02")).String() != "2025-01-01" {
		t.Error("Later/Earlier")
	}
	if d("2025-01-01").Compare(d("2025-01-01")) != 0 || !(Date{}).IsZero() {
		t.Error("Compare/IsZero")
	}
}
