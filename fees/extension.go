package fees

import (
	"errors"
	"fmt"
	"time"

	"github.com/saijo-dx/lifestage/civil"
)

// Attendance is one day's check-in and check-out. Out is zero when the
// child was not checked out (a forgotten tap at the gate).
type Attendance struct {
	In, Out time.Time
}

// ExtensionRule says what counts as 延長保育 and what it costs. Saijo's
// 延長保育料 is not in our sources (domain-data.md §7), so every amount is a
// parameter.
type ExtensionRule struct {
	// Open and Close, when Close is set, are the child's certified daily
	// window as offsets from midnight in Tokyo (7:00–18:00 for standard
	// hours, 8:30–16:30 for a short-hours child): time outside it, before
	// or after, is extended care.
	Open, Close time.Duration
	// Hours, used when no window is set, is the certified time per day
	// (Hours.Daily: 11h or 8h): presence beyond it is extended care.
	Hours time.Duration
	// Unit is the billing unit; every started unit is billed.
	Unit time.Duration
	// PricePerUnit is the yen of one unit.
	PricePerUnit int
	// MonthlyCap is the most one child pays in a month; 0 for no cap.
	MonthlyCap int
}

// Problems with a day's attendance. Such a day is not billed and needs a
// look by staff before the bill goes out.
const (
	MissingCheckout     = "missing_checkout"
	CheckoutBeforeStart = "checkout_before_checkin"
)

// ExtensionDay is one day of the breakdown.
type ExtensionDay struct {
	Date    civil.Date
	Minutes int // whole minutes of extended care
	Units   int
	Yen     int    // before the monthly cap
	Problem string // "" or one of the problem codes
}

// ExtensionBill is one child's extended care in one month.
type ExtensionBill struct {
	Days   []ExtensionDay
	Units  int
	Yen    int  // after the monthly cap
	Capped bool // the cap lowered Yen
}

func (r ExtensionRule) check() error {
	switch {
	case r.Unit < time.Minute:
		return errors.New("fees: the extended-care unit must be at least a minute")
	case r.PricePerUnit < 0 || r.MonthlyCap < 0:
		return errors.New("fees: extended-care prices cannot be negative")
	case r.Close == 0 && r.Hours <= 0:
		return errors.New("fees: extended care needs a daily window or certified hours")
	case r.Close != 0 && (r.Open < 0 || r.Close <= r.Open || r.Close > 24*time.Hour):
		return errors.New("fees: the daily window must open before it closes, within the day")
	}
	return nil
}

// ExtensionFee bills the extended care of one child in one month from the
// month's attendance. A day belongs to the month of its check-in in Tokyo;
// attendance of another month is an error, so that nothing is billed twice.
func ExtensionFee(month civil.Date, days []Attendance, rule ExtensionRule) (ExtensionBill, error) {
	if err := rule.check(); err != nil {
		return ExtensionBill{}, err
	}
	bill := ExtensionBill{Days: make([]ExtensionDay, 0, len(days))}
	for _, a := range days {
		if a.In.IsZero() {
			return ExtensionBill{}, errors.New("fees: an attendance has no check-in")
		}
		d := rule.day(a)
		if d.Date.Year != month.Year || d.Date.Month != month.Month {
			return ExtensionBill{}, fmt.Errorf("fees: attendance on %s is not in %04d-%02d", d.Date, month.Year, month.Month)
		}
		bill.Days = append(bill.Days, d)
		bill.Units += d.Units
		bill.Yen += d.Yen
	}
	if rule.MonthlyCap > 0 && bill.Yen > rule.MonthlyCap {
		bill.Yen, bill.Capped = rule.MonthlyCap, true
	}
	return bill, nil
}

// day bills one attendance. The extension is counted in whole minutes,
// dropping seconds, because the gate clock shows minutes and a family
// reads 18:00 as on time; then every started unit is billed.
func (r ExtensionRule) day(a Attendance) ExtensionDay {
	d := ExtensionDay{Date: civil.DateOf(a.In)}
	switch {
	case a.Out.IsZero():
		d.Problem = MissingCheckout
		return d
	case a.Out.Before(a.In):
		d.Problem = CheckoutBeforeStart
		return d
	}
	ext := r.extension(d.Date, a)
	d.Minutes = int(ext / time.Minute)
	d.Units = int((time.Duration(d.Minutes)*time.Minute + r.Unit - 1) / r.Unit)
	d.Yen = d.Units * r.PricePerUnit
	return d
}

// extension is the time outside the certified window, or beyond the
// certified hours.
func (r ExtensionRule) extension(day civil.Date, a Attendance) time.Duration {
	if r.Close == 0 {
		return max(a.Out.Sub(a.In)-r.Hours, 0)
	}
	midnight := day.Time()
	open, closing := midnight.Add(r.Open), midnight.Add(r.Close)
	early := max(earliest(a.Out, open).Sub(a.In), 0)
	late := max(a.Out.Sub(latest(a.In, closing)), 0)
	return early + late
}

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
