package gateway

import (
	"errors"
	"time"

	"github.com/saijo-dx/lifestage/civil"
)

// Input errors, for the routes and the CLI to word.
var (
	ErrBadExpiry  = errors.New("gateway: expiry must be YYYY-MM-DD or an RFC 3339 instant")
	ErrPastExpiry = errors.New("gateway: expiry is not in the future")
	ErrBadRange   = errors.New("gateway: from and to must be YYYY-MM-DD with from <= to")
	ErrLongRange  = errors.New("gateway: the period is longer than MaxRangeDays")
)

// ParseExpiry reads a key's expiry. A date means the key works through that
// day (Tokyo) and stops at the next midnight; an RFC 3339 instant is exact;
// "" means never (the zero time). The expiry must be after now.
func ParseExpiry(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	var at time.Time
	if d, err := civil.Parse(s); err == nil {
		at = d.AddDays(1).Time()
	} else if at, err = time.Parse(time.RFC3339, s); err != nil {
		return time.Time{}, ErrBadExpiry
	}
	if !at.After(now) {
		return time.Time{}, ErrPastExpiry
	}
	return at, nil
}

// MaxRangeDays bounds a usage report.
const MaxRangeDays = 366

// DefaultRangeDays is the period of a usage report with no from.
const DefaultRangeDays = 30

// UsageRange reads a report's from and to (inclusive Tokyo days). A missing
// to is today; a missing from is DefaultRangeDays ending at to.
func UsageRange(from, to string, today civil.Date) (civil.Date, civil.Date, error) {
	end := today
	var err error
	if to != "" {
		if end, err = civil.Parse(to); err != nil {
			return civil.Date{}, civil.Date{}, ErrBadRange
		}
	}
	start := end.AddDays(1 - DefaultRangeDays)
	if from != "" {
		if start, err = civil.Parse(from); err != nil {
			return civil.Date{}, civil.Date{}, ErrBadRange
		}
	}
	switch {
	case start.After(end):
		return civil.Date{}, civil.Date{}, ErrBadRange
	case civil.DaysBetween(start, end) >= MaxRangeDays:
		return civil.Date{}, civil.Date{}, ErrLongRange
	}
	return start, end, nil
}
