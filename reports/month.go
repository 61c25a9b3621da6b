package reports

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/saijo-dx/lifestage/civil"
)

// Month is a calendar month in Japan (Asia/Tokyo), the period of a monthly
// report.
type Month struct {
	Year  int
	Month time.Month
}

var monthPattern = regexp.MustCompile(`^(\d{4})-(\d{2})$`)

// ErrInvalidMonth is returned for anything but an existing YYYY-MM month.
var ErrInvalidMonth = fmt.Errorf("reports: the month must be YYYY-MM")

// ParseMonth reads "YYYY-MM" (e.g. "2026-03"), rejecting other spellings
// and months outside 01..12.
func ParseMonth(s string) (Month, error) {
	m := monthPattern.FindStringSubmatch(s)
	if m == nil {
		return Month{}, ErrInvalidMonth
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	if y < 1 || mo < 1 || mo > 12 {
		return Month{}, ErrInvalidMonth
	}
	return Month{y, time.Month(mo)}, nil
}

// MonthOf returns the month an instant falls in, as seen in Tokyo.
func MonthOf(t time.Time) Month {
	y, m, _ := t.In(civil.Tokyo).Date()
	return Month{y, m}
}

// String formats the month as YYYY-MM.
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)) }

// Label is the month in Japanese, e.g. "2026年3月".
func (m Month) Label() string { return fmt.Sprintf("%d年%d月", m.Year, int(m.Month)) }

// Start is the first instant of the month in Tokyo.
func (m Month) Start() time.Time { return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, civil.Tokyo) }

// Cutoff is the first instant after the month (midnight of the next month's
// first day in Tokyo). "At the end of the month" means strictly before it.
func (m Month) Cutoff() time.Time { return m.Next().Start() }

// End is the last millisecond of the month in Tokyo, the precision
// PocketBase stores; 2026-03 ends at 2026-03-31T23:59:59.999+09:00.
func (m Month) End() time.Time { return m.Cutoff().Add(-time.Millisecond) }

// Prev is the month before; January's is December of the year before.
func (m Month) Prev() Month {
	if m.Month == time.January {
		return Month{m.Year - 1, time.December}
	}
	return Month{m.Year, m.Month - 1}
}

// Next is the month after; December's is January of the next year.
func (m Month) Next() Month {
	if m.Month == time.December {
		return Month{m.Year + 1, time.January}
	}
	return Month{m.Year, m.Month + 1}
}

// After reports whether m is later than o.
func (m Month) After(o Month) bool {
	return m.Year > o.Year || (m.Year == o.Year && m.Month > o.Month)
}

// LastCompleted is the month before the one now falls in (Tokyo): the month
// a monthly report is usually made for.
func LastCompleted(now time.Time) Month { return MonthOf(now).Prev() }

// ErrFutureMonth is returned for a month that has not started yet.
var ErrFutureMonth = fmt.Errorf("reports: the month has not started yet")

// ReportMonth parses the month of a monthly report: empty means the last
// completed month, and a month that has not started is refused because its
// figures would only repeat today's.
func ReportMonth(s string, now time.Time) (Month, error) {
	if s == "" {
		return LastCompleted(now), nil
	}
	m, err := ParseMonth(s)
	if err != nil {
		return Month{}, err
	}
	if m.After(MonthOf(now)) {
		return Month{}, ErrFutureMonth
	}
	return m, nil
}
