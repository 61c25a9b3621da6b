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
func (d Date) AddDays(n int) Date {
	// UTC has no transitions, so this is plain calendar arithmetic, and
	// cheaper than going through the Tokyo zone.
	y, m, dd := time.Date(d.Year, d.Month, d.Day+n, 0, 0, 0, 0, time.UTC).Date()
	return Date{y, m, dd}
}

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

// The functions below turn the phrases of the MHLW rules (定期接種実施要領 and
// the 事務連絡「定期の予防接種における対象者の解釈について」) into dates. Their
// meaning is summarised in ../shared/reference/domain-data.md §1.1; every
// schedule, fee or class-age rule should go through them.

// Compare returns a negative number, zero or a positive number as d is
// before, equal to or after o.
func (d Date) Compare(o Date) int { return d.compare(o) }

// IsZero reports whether d is the zero Date (no date).
func (d Date) IsZero() bool { return d == Date{} }

// Later returns the later of two dates.
func Later(a, b Date) Date {
	if a.Before(b) {
		return b
	}
	return a
}

// Earlier returns the earlier of two dates.
func Earlier(a, b Date) Date {
	if a.After(b) {
		return b
	}
	return a
}

// DaysIn returns the number of days in the month.
func DaysIn(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// addMonths returns the year and month n months after d's, and whether d's
// day of the month exists there.
func (d Date) addMonths(n int) (year int, month time.Month, exists bool) {
	// Floor division: Go's / and % truncate toward zero, which for a shift of
	// more than a year backwards would give a negative month.
	m := int(d.Month) - 1 + n
	q, r := m/12, m%12
	if r < 0 {
		q, r = q-1, r+12
	}
	year, month = d.Year+q, time.Month(r+1)
	return year, month, d.Day <= DaysIn(year, month)
}

// MonthBoundary is the date of 「生後K月」 (and of 「生後K月に至るまで」, inclusive):
// the day before the same day of the month K months after birth, or, when
// that day does not exist, the last day of that month (with no minus one).
// Born 2013-04-02: K=2 → 2013-06-01; born 2022-03-31: K=1 → 2022-04-30.
func MonthBoundary(birth Date, k int) Date {
	y, m, ok := birth.addMonths(k)
	if !ok {
		return Date{y, m, DaysIn(y, m)}
	}
	return Date{y, m, birth.Day}.AddDays(-1)
}

// AgeReachedDate is the day on which a person reaches age n by the legal
// rule (「N歳に達した時」, 「N歳以上」 from this day, 「N歳に至るまで」 up to it):
// the day before the n-th birthday; a Feb 29 birth reaches it on Feb 28 of
// a common year.
func AgeReachedDate(birth Date, n int) Date { return MonthBoundary(birth, 12*n) }

// DaysAfterAtLeast is the first date allowed by 「X日以上の間隔をおく」 after a
// dose on prev: the days in between must be at least X, so prev + (X+1)
// days (27日以上 → +28 days).
func DaysAfterAtLeast(prev Date, x int) Date { return prev.AddDays(x + 1) }

// MonthsAfter is the first date allowed by 「Nか月（月）の間隔をおく」: the same
// day N months later, or the 1st of the following month when that day does
// not exist.
func MonthsAfter(prev Date, n int) Date {
	y, m, ok := prev.addMonths(n)
	if !ok {
		return Date{y, m, DaysIn(y, m)}.AddDays(1)
	}
	return Date{y, m, prev.Day}
}

// WeeksAfterBirth is 「出生N週0日後」: the birth day is 0週0日, so this is the
// same weekday N weeks later. Add days for 「N週M日後」.
func WeeksAfterBirth(birth Date, n int) Date { return birth.AddDays(7 * n) }

// FiscalYearOfAge is the fiscal year of 「N歳となる日の属する年度」: the year
// containing the day the person reaches age n under the legal rule, so a
// child born on April 1 belongs to the earlier school year (早生まれ).
func FiscalYearOfAge(birth Date, n int) int { return FiscalYear(AgeReachedDate(birth, n)) }

// FiscalYearStart is April 1 of fiscal year fy (「年度の初日」).
func FiscalYearStart(fy int) Date { return Date{fy, time.April, 1} }

// FiscalYearEnd is March 31 of fiscal year fy (「年度の末日」).
func FiscalYearEnd(fy int) Date { return Date{fy + 1, time.March, 31} }

// AddMonthsClamped is the same day n months later, or that month's last day
// when it is shorter (Jan 31 + 1 month = Feb 28). It is the calendar month
// of growth charts, not the legal boundary of MonthBoundary.
func (d Date) AddMonthsClamped(n int) Date {
	y, m, ok := d.addMonths(n)
	if !ok {
		return Date{y, m, DaysIn(y, m)}
	}
	return Date{y, m, d.Day}
}

// DaysBetween is the number of days from a to b (negative when b is earlier).
func DaysBetween(a, b Date) int {
	ta := time.Date(a.Year, a.Month, a.Day, 0, 0, 0, 0, time.UTC)
	tb := time.Date(b.Year, b.Month, b.Day, 0, 0, 0, 0, time.UTC)
	return int(tb.Sub(ta).Hours() / 24)
}

// MonthsOld is the age on date in fractional months, as growth charts read
// it: the completed calendar months (see AddMonthsClamped) plus the days
// since the last one divided by the length of the month running now.
func MonthsOld(birth, on Date) float64 {
	if on.Before(birth) {
		return 0
	}
	n := (on.Year-birth.Year)*12 + int(on.Month) - int(birth.Month)
	for n > 0 && birth.AddMonthsClamped(n).After(on) {
		n--
	}
	start, next := birth.AddMonthsClamped(n), birth.AddMonthsClamped(n+1)
	return float64(n) + float64(DaysBetween(start, on))/float64(DaysBetween(start, next))
}
