// Package nap decides, for the children asleep at a nursery, when each one
// must next be checked and whether a check was missed (午睡チェック).
//
// The national guideline for preventing accidents in childcare (教育・保育施設
// 等における事故防止及び事故発生時の対応のためのガイドライン) asks staff to
// check sleeping children at short fixed intervals, recording body position
// and breathing, and to lay babies on their backs because sleeping face down
// is a risk factor for SIDS. Nurseries commonly check 0–1-year-olds every 5
// minutes and older children every 10; each nursery sets its own intervals
// (nurseries.napIntervalInfant / napIntervalOlder).
//
// The package knows nothing of PocketBase: the caller passes plain values.
package nap

import "time"

// Position is the body position found at a check.
type Position string

// Body positions (あおむけ・横向き・うつぶせ).
const (
	Supine Position = "supine"
	Side   Position = "side"
	Prone  Position = "prone"
)

// Positions lists every position in display order.
var Positions = []Position{Supine, Side, Prone}

// Valid reports whether p is a known position.
func (p Position) Valid() bool { return p == Supine || p == Side || p == Prone }

// Intervals are the check intervals by age group.
type Intervals struct {
	Infant time.Duration // 0- and 1-year-old classes
	Older  time.Duration // 2-year-old classes and up
}

// Default is what a nursery gets when it has not set its own intervals.
var Default = Intervals{Infant: 5 * time.Minute, Older: 10 * time.Minute}

// Grace is how late a check may be before it counts as missed. The alert
// job runs every minute, so staff hear of a missed check one to two
// minutes after it fell due: long enough for a round of the room, short
// enough to matter.
const Grace = time.Minute

// IsInfant reports whether a child of the class age (年齢クラス, 0–5) is
// checked at the infant interval. A baby born during the fiscal year has a
// class age below 0 and counts as 0.
func IsInfant(classAge int) bool { return classAge <= 1 }

// For is the interval for a child of the class age. A zero interval falls
// back to the default.
func (iv Intervals) For(classAge int) time.Duration {
	if IsInfant(classAge) {
		return orDefault(iv.Infant, Default.Infant)
	}
	return orDefault(iv.Older, Default.Older)
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Sleeper is one child asleep: the open nap and its latest check.
type Sleeper struct {
	ClassAge     int
	Start        time.Time // when the nap began
	LastCheck    time.Time // zero when nobody has checked yet
	LastPosition Position  // position at the last check
}

// State is where a sleeping child stands with its checks.
type State string

const (
	OK     State = "ok"     // the next check is not due yet
	Due    State = "due"    // due now, within the grace period
	Missed State = "missed" // not checked within interval + grace
)

// Status is the assessment of one sleeping child at a moment.
type Status struct {
	Interval time.Duration
	// NextDue is when the next check falls due: the last check (or the
	// start of the nap) plus the interval. It also names the missed window:
	// until a new check moves it, a missed check stays the same miss, so
	// it is alerted once.
	NextDue time.Time
	State   State
	// Prone is set when the last check found a 0–1-year-old face down: an
	// alert on its own, whatever the timing.
	Prone bool
}

// Assess says when the sleeper is due and whether a check was missed.
func Assess(s Sleeper, iv Intervals, now time.Time) Status {
	interval := iv.For(s.ClassAge)
	from := s.Start
	if s.LastCheck.After(from) {
		from = s.LastCheck
	}
	st := Status{Interval: interval, NextDue: from.Add(interval), State: OK}
	switch {
	case now.After(st.NextDue.Add(Grace)):
		st.State = Missed
	case !now.Before(st.NextDue):
		st.State = Due
	}
	st.Prone = IsInfant(s.ClassAge) && !s.LastCheck.IsZero() && s.LastPosition == Prone
	return st
}

// Alert reports whether the status needs the class staff's attention.
func (s Status) Alert() bool { return s.State == Missed || s.Prone }
