// Package civil holds the calendar arithmetic every lifestage system shares:
// civil dates in Japan (Asia/Tokyo), today, and age. Keep all such
// arithmetic here so that it is written once.
package civil

import (
	"fmt"
	"time"
	_ "time/tzdata" // the static binary carries the zone database
)

// Tokyo is the zone every civil date in lifestage belongs to.
var Tokyo = mustLoad("Asia/Tokyo")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// Layout is the wire format of a civil date.
const Layout = "2006-01-02"

// Date is a calendar day in Japan, with no time of day.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the civil date of an instant, as seen in Tokyo.
func DateOf(t time.Time) Date {
	y, m, d := t.In(Tokyo).Date()
	return Date{y, m, d}
}

// Today returns today's date in Tokyo.
func Today() Date { return DateOf(time.Now()) }

// Parse reads a YYYY-MM-DD date and rejects impossible days such as 02-30.
func Parse(s string) (Date, error) {
	t, err := time.ParseInLocation(Layout, s, Tokyo)
	if err != nil {
		return Date{}, fmt.Errorf("civil: invalid date %q", s)
	}
	return DateOf(t), nil
}

// String formats the date as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Time returns midnight of the date in Tokyo.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, Tokyo) }

// AddDays returns the date n days later (earlier when n < 0).
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// Before reports whether d is strictly before o.
func (d Date) Before(o Date) bool { return d.compare(o) < 0 }

// After reports whether d is strictly after o.
func (d Date) After(o Date) bool { return d.compare(o) > 0 }

func (d Date) compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return d.Year - o.Year
	case d.Month != o.Month:
		return int(d.Month) - int(o.Month)
	default:
		return d.Day - o.Day
	}
}

// AgeOn returns the age in completed years on date on, by the legal rule
// (年齢計算ニ関スル法律 and 民法143条): a person gains a year at the end of
// the day before the birthday, so someone born on Feb 29 turns a year older
// on Feb 28 of common years, and someone born on April 1 is already older
// on March 31. The age therefore increases on the day after the "eve".
func AgeOn(birth, on Date) int {
	// Compare on+1 day with the birthday: the age increments at the end of
	// the day before the birthday, i.e. it is in effect on that eve.
	next := on.AddDays(1)
	age := next.Year - birth.Year
	if next.Month < birth.Month || (next.Month == birth.Month && next.Day < birth.Day) {
		age--
	}
	return age
}

// FiscalYear returns the Japanese fiscal year (April to March) of a date.
func FiscalYear(d Date) int {
	if d.Month < time.April {
		return d.Year - 1
	}
	return d.Year
}
