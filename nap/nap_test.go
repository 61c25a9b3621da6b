package nap

import (
	"testing"
	"time"
)

func TestAssess(t *testing.T) {
	start := time.Date(2026, 6, 1, 13, 0, 0, 0, time.UTC)
	at := func(min, sec int) time.Time {
		return start.Add(time.Duration(min)*time.Minute + time.Duration(sec)*time.Second)
	}
	nursery := Intervals{Infant: 5 * time.Minute, Older: 10 * time.Minute}
	cases := []struct {
		name    string
		s       Sleeper
		iv      Intervals
		now     time.Time
		due     time.Time
		state   State
		prone   bool
		wantGap time.Duration
	}{
		{"infant just asleep", Sleeper{ClassAge: 0, Start: start}, nursery, at(2, 0), at(5, 0), OK, false, 5 * time.Minute},
		{"infant first check due on the minute", Sleeper{ClassAge: 0, Start: start}, nursery, at(5, 0), at(5, 0), Due, false, 5 * time.Minute},
		{"infant within grace", Sleeper{ClassAge: 1, Start: start}, nursery, at(6, 0), at(5, 0), Due, false, 5 * time.Minute},
		{"infant one second past grace", Sleeper{ClassAge: 1, Start: start}, nursery, at(6, 1), at(5, 0), Missed, false, 5 * time.Minute},
		{"a check restarts the interval", Sleeper{ClassAge: 0, Start: start, LastCheck: at(4, 30), LastPosition: Supine}, nursery, at(7, 0), at(9, 30), OK, false, 5 * time.Minute},
		{"missed after the last check", Sleeper{ClassAge: 0, Start: start, LastCheck: at(4, 30), LastPosition: Side}, nursery, at(10, 31), at(9, 30), Missed, false, 5 * time.Minute},
		{"2-year-olds use the older interval", Sleeper{ClassAge: 2, Start: start}, nursery, at(9, 0), at(10, 0), OK, false, 10 * time.Minute},
		{"older child late", Sleeper{ClassAge: 5, Start: start, LastCheck: at(10, 0)}, nursery, at(21, 1), at(20, 0), Missed, false, 10 * time.Minute},
		{"born this fiscal year counts as 0", Sleeper{ClassAge: -1, Start: start}, nursery, at(1, 0), at(5, 0), OK, false, 5 * time.Minute},
		{"infant found prone", Sleeper{ClassAge: 0, Start: start, LastCheck: at(5, 0), LastPosition: Prone}, nursery, at(6, 0), at(10, 0), OK, true, 5 * time.Minute},
		{"prone is not flagged for a 3-year-old", Sleeper{ClassAge: 3, Start: start, LastCheck: at(5, 0), LastPosition: Prone}, nursery, at(6, 0), at(15, 0), OK, false, 10 * time.Minute},
		{"nursery's own intervals", Sleeper{ClassAge: 1, Start: start}, Intervals{Infant: 3 * time.Minute, Older: 15 * time.Minute}, at(4, 1), at(3, 0), Missed, false, 3 * time.Minute},
		{"unset intervals fall back to 5 and 10", Sleeper{ClassAge: 4, Start: start}, Intervals{}, at(5, 0), at(10, 0), OK, false, 10 * time.Minute},
		{"a check before the start does not count", Sleeper{ClassAge: 0, Start: start, LastCheck: start.Add(-time.Hour)}, nursery, at(3, 0), at(5, 0), OK, false, 5 * time.Minute},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Assess(c.s, c.iv, c.now)
			if !got.NextDue.Equal(c.due) || got.State != c.state || got.Prone != c.prone || got.Interval != c.wantGap {
				t.Errorf("got due %s %s prone=%v every %s, want due %s %s prone=%v every %s",
					got.NextDue.Format("15:04:05"), got.State, got.Prone, got.Interval,
					c.due.Format("15:04:05"), c.state, c.prone, c.wantGap)
			}
			if got.Alert() != (c.state == Missed || c.prone) {
				t.Errorf("Alert() = %v", got.Alert())
			}
		})
	}
}

func TestPositions(t *testing.T) {
	for _, p := range Positions {
		if !p.Valid() {
			t.Errorf("%s not valid", p)
		}
	}
	if Position("standing").Valid() || Position("").Valid() {
		t.Error("unknown position accepted")
	}
}
