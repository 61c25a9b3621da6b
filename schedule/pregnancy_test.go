package schedule

import (
	"testing"

	"github.com/saijo-dx/lifestage/civil"
)

func TestDueDateFromLMP(t *testing.T) {
	cases := []struct{ lmp, due string }{
		{"2026-01-01", "2026-10-08"},
		{"2026-12-01", "2027-09-07"},
		{"2027-12-01", "2028-09-06"}, // crosses 2028-02-29
		{"2025-05-31", "2026-03-07"},
	}
	for _, c := range cases {
		if got := DueDateFromLMP(day(c.lmp)).String(); got != c.due {
			t.Errorf("LMP %s: due %s, want %s", c.lmp, got, c.due)
		}
	}
}

func TestGestationalAge(t *testing.T) {
	cases := []struct {
		due, on     string
		weeks, days int
	}{
		{"2026-10-08", "2026-10-08", 40, 0},
		{"2026-10-08", "2026-01-01", 0, 0}, // LMP
		{"2026-10-08", "2026-01-07", 0, 6},
		{"2026-10-08", "2026-01-08", 1, 0},
		{"2026-10-08", "2026-07-16", 28, 0},
		{"2026-10-08", "2026-09-16", 36, 6},
		{"2026-10-08", "2026-09-17", 37, 0},
		{"2026-10-08", "2026-10-15", 41, 0},
		{"2026-10-08", "2025-12-31", -1, 6}, // before the LMP
		{"2028-09-06", "2028-03-01", 13, 0}, // LMP 2027-12-01, across Feb 29: 91 days
	}
	for _, c := range cases {
		w, d := GestationalAge(day(c.due), day(c.on))
		if w != c.weeks || d != c.days {
			t.Errorf("due %s on %s: %dw%dd, want %dw%dd", c.due, c.on, w, d, c.weeks, c.days)
		}
	}
}

func TestPrenatalCheckups(t *testing.T) {
	due := day("2026-10-08")
	visits := PrenatalCheckups(due)
	wantWeeks := []int{8, 12, 16, 20, 24, 26, 28, 30, 32, 34, 36, 37, 38, 39}
	if len(visits) != 14 {
		t.Fatalf("%d visits, want 14 (§2.2)", len(visits))
	}
	for i, v := range visits {
		if v.Week != wantWeeks[i] {
			t.Errorf("#%d week %d, want %d", i, v.Week, wantWeeks[i])
		}
		if w, d := GestationalAge(due, v.Date); w != v.Week || d != 0 {
			t.Errorf("week %d on %s is %dw%dd", v.Week, v.Date, w, d)
		}
		if i == 0 {
			continue
		}
		// §2.2: every 4 weeks to 23w, every 2 weeks in 24–35w, weekly from
		// 36w; the step into a new period keeps the previous period's pace.
		prev, want := visits[i-1], 7
		switch {
		case prev.Week <= 23:
			want = 28
		case prev.Week <= 35:
			want = 14
		}
		if g := civil.DaysBetween(prev.Date, v.Date); g != want {
			t.Errorf("week %d: %d days after week %d, want %d", v.Week, g, prev.Week, want)
		}
	}
	if f, l := visits[0].Date.String(), visits[13].Date.String(); f != "2026-02-26" || l != "2026-10-01" {
		t.Errorf("first %s last %s, want 2026-02-26 and 2026-10-01", f, l)
	}
}

func TestRSVWindow(t *testing.T) {
	cases := []struct{ due, from, to string }{
		{"2026-10-08", "2026-07-16", "2026-09-16"},
		{"2028-09-06", "2028-06-14", "2028-08-15"},
	}
	for _, c := range cases {
		from, to := RSVWindow(day(c.due))
		if from.String() != c.from || to.String() != c.to {
			t.Errorf("due %s: [%s, %s], want [%s, %s]", c.due, from, to, c.from, c.to)
		}
		if w, d := GestationalAge(day(c.due), from); w != 28 || d != 0 {
			t.Errorf("from is %dw%dd", w, d)
		}
		if w, d := GestationalAge(day(c.due), to); w != 36 || d != 6 {
			t.Errorf("to is %dw%dd", w, d)
		}
	}
}
