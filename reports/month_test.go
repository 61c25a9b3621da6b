package reports

import (
	"errors"
	"testing"
	"time"
)

func TestParseMonth(t *testing.T) {
	cases := []struct {
		in   string
		want Month
		ok   bool
	}{
		{"2026-03", Month{2026, time.March}, true},
		{"2026-01", Month{2026, time.January}, true},
		{"2026-12", Month{2026, time.December}, true},
		{"1999-07", Month{1999, time.July}, true},
		{"2026-13", Month{}, false},
		{"2026-00", Month{}, false},
		{"0000-05", Month{}, false},
		{"2026-3", Month{}, false},
		{"2026/03", Month{}, false},
		{"202603", Month{}, false},
		{"2026-03-01", Month{}, false},
		{" 2026-03", Month{}, false},
		{"2026-03\n", Month{}, false},
		{"２０２６-03", Month{}, false},
		{"", Month{}, false},
		{"abcd-ef", Month{}, false},
	}
	for _, c := range cases {
		got, err := ParseMonth(c.in)
		if c.ok != (err == nil) {
			t.Errorf("ParseMonth(%q) error = %v, want ok=%v", c.in, err, c.ok)
			continue
		}
		if !c.ok && !errors.Is(err, ErrInvalidMonth) {
			t.Errorf("ParseMonth(%q) error = %v, want ErrInvalidMonth", c.in, err)
		}
		if got != c.want {
			t.Errorf("ParseMonth(%q) = %v, want %v", c.in, got, c.want)
		}
		if c.ok && got.String() != c.in {
			t.Errorf("round trip %q -> %q", c.in, got.String())
		}
	}
}

func TestMonthBoundariesAreInTokyo(t *testing.T) {
	cases := []struct {
		month, prev, label string
		start, end, cutoff string // UTC
	}{
		{"2026-03", "2026-02", "2026年3月", "2026-02-28T15:00:00.000Z", "2026-03-31T14:59:59.999Z", "2026-03-31T15:00:00.000Z"},
		{"2026-01", "2025-12", "2026年1月", "2025-12-31T15:00:00.000Z", "2026-01-31T14:59:59.999Z", "2026-01-31T15:00:00.000Z"},
		{"2025-12", "2025-11", "2025年12月", "2025-11-30T15:00:00.000Z", "2025-12-31T14:59:59.999Z", "2025-12-31T15:00:00.000Z"},
		{"2024-02", "2024-01", "2024年2月", "2024-01-31T15:00:00.000Z", "2024-02-29T14:59:59.999Z", "2024-02-29T15:00:00.000Z"}, // leap year
		{"2026-02", "2026-01", "2026年2月", "2026-01-31T15:00:00.000Z", "2026-02-28T14:59:59.999Z", "2026-02-28T15:00:00.000Z"},
	}
	const layout = "2006-01-02T15:04:05.000Z"
	for _, c := range cases {
		m, err := ParseMonth(c.month)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Prev().String(); got != c.prev {
			t.Errorf("%s: prev = %s, want %s", c.month, got, c.prev)
		}
		if got := m.Label(); got != c.label {
			t.Errorf("%s: label = %s, want %s", c.month, got, c.label)
		}
		if got := m.Start().UTC().Format(layout); got != c.start {
			t.Errorf("%s: start = %s, want %s", c.month, got, c.start)
		}
		if got := m.End().UTC().Format(layout); got != c.end {
			t.Errorf("%s: end = %s, want %s", c.month, got, c.end)
		}
		if got := m.Cutoff().UTC().Format(layout); got != c.cutoff {
			t.Errorf("%s: cutoff = %s, want %s", c.month, got, c.cutoff)
		}
		if got := m.Prev().Cutoff(); !got.Equal(m.Start()) {
			t.Errorf("%s: the previous month must end where this one starts", c.month)
		}
	}
	// The end in Tokyo's own clock.
	m, _ := ParseMonth("2026-03")
	if got := m.End().Format("2006-01-02T15:04:05.000Z07:00"); got != "2026-03-31T23:59:59.999+09:00" {
		t.Errorf("end of 2026-03 in Tokyo = %s", got)
	}
}

func TestMonthOfAndReportMonth(t *testing.T) {
	// 2026-03-31T15:30Z is already April 1st in Tokyo.
	now := time.Date(2026, 3, 31, 15, 30, 0, 0, time.UTC)
	if got := MonthOf(now).String(); got != "2026-04" {
		t.Errorf("MonthOf = %s, want 2026-04", got)
	}
	if got := LastCompleted(now).String(); got != "2026-03" {
		t.Errorf("LastCompleted = %s, want 2026-03", got)
	}
	jan := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	if got := LastCompleted(jan).String(); got != "2025-12" {
		t.Errorf("LastCompleted in January = %s, want 2025-12", got)
	}
	cases := []struct {
		in, want string
		err      error
	}{
		{"", "2026-03", nil},
		{"2026-04", "2026-04", nil}, // the month in progress
		{"2026-03", "2026-03", nil},
		{"2020-01", "2020-01", nil},
		{"2026-05", "", ErrFutureMonth},
		{"2027-01", "", ErrFutureMonth},
		{"2026-4", "", ErrInvalidMonth},
	}
	for _, c := range cases {
		got, err := ReportMonth(c.in, now)
		if !errors.Is(err, c.err) {
			t.Errorf("ReportMonth(%q) error = %v, want %v", c.in, err, c.err)
			continue
		}
		if err == nil && got.String() != c.want {
			t.Errorf("ReportMonth(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}
