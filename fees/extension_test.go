package fees

import (
	"testing"
	"time"

	"github.com/saijo-dx/lifestage/civil"
)

// at is an instant in Tokyo, "2026-06-01 18:01" or with seconds.
func at(s string) time.Time {
	layout := "2006-01-02 15:04"
	if len(s) > len(layout) {
		layout += ":05"
	}
	t, err := time.ParseInLocation(layout, s, civil.Tokyo)
	if err != nil {
		panic(err)
	}
	return t
}

// The standard 11-hour window 7:00–18:00 and the short 8-hour window
// 8:30–16:30, billed per started 30 minutes at an assumed ¥200 (Saijo's
// 延長保育料 is a documented gap).
var (
	standardWindow = ExtensionRule{Open: 7 * time.Hour, Close: 18 * time.Hour, Unit: 30 * time.Minute, PricePerUnit: 200}
	shortWindow    = ExtensionRule{Open: 8*time.Hour + 30*time.Minute, Close: 16*time.Hour + 30*time.Minute, Unit: 30 * time.Minute, PricePerUnit: 200}
	standardHours  = ExtensionRule{Hours: Standard.Daily(), Unit: 30 * time.Minute, PricePerUnit: 200}
)

func TestExtensionDay(t *testing.T) {
	cases := []struct {
		name           string
		rule           ExtensionRule
		in, out        string // "" for no checkout
		minutes, units int
		problem        string
	}{
		{"exactly at closing", standardWindow, "2026-06-01 08:00", "2026-06-01 18:00", 0, 0, ""},
		{"1 minute over", standardWindow, "2026-06-01 08:00", "2026-06-01 18:01", 1, 1, ""},
		{"59 seconds over is on time", standardWindow, "2026-06-01 08:00", "2026-06-01 18:00:59", 0, 0, ""},
		{"a full unit", standardWindow, "2026-06-01 08:00", "2026-06-01 18:30", 30, 1, ""},
		{"a unit and a minute", standardWindow, "2026-06-01 08:00", "2026-06-01 18:31", 31, 2, ""},
		{"exactly at opening", standardWindow, "2026-06-01 07:00", "2026-06-01 17:00", 0, 0, ""},
		{"early", standardWindow, "2026-06-01 06:45", "2026-06-01 17:00", 15, 1, ""},
		{"early and late share a unit", standardWindow, "2026-06-01 06:50", "2026-06-01 18:10", 20, 1, ""},
		{"all before opening", standardWindow, "2026-06-01 06:00", "2026-06-01 06:30", 30, 1, ""},
		{"short hours: within 8:30–16:30", shortWindow, "2026-06-01 08:30", "2026-06-01 16:30", 0, 0, ""},
		{"short hours: 1 minute over", shortWindow, "2026-06-01 08:30", "2026-06-01 16:31", 1, 1, ""},
		{"short hours: an hour early", shortWindow, "2026-06-01 07:30", "2026-06-01 16:00", 60, 2, ""},
		{"11 hours exactly", standardHours, "2026-06-01 07:30", "2026-06-01 18:30", 0, 0, ""},
		{"11 hours and a minute", standardHours, "2026-06-01 07:30", "2026-06-01 18:31", 1, 1, ""},
		{"missing checkout", standardWindow, "2026-06-01 08:00", "", 0, 0, MissingCheckout},
		{"checkout before checkin", standardWindow, "2026-06-01 08:00", "2026-06-01 07:00", 0, 0, CheckoutBeforeStart},
	}
	for _, c := range cases {
		a := Attendance{In: at(c.in)}
		if c.out != "" {
			a.Out = at(c.out)
		}
		bill, err := ExtensionFee(day("2026-06-01"), []Attendance{a}, c.rule)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		d := bill.Days[0]
		if d.Minutes != c.minutes || d.Units != c.units || d.Problem != c.problem || d.Yen != c.units*200 || d.Date != day("2026-06-01") {
			t.Errorf("%s: %+v, want %d min %d units %q", c.name, d, c.minutes, c.units, c.problem)
		}
		if bill.Units != c.units || bill.Yen != c.units*200 {
			t.Errorf("%s: bill %d units ¥%d", c.name, bill.Units, bill.Yen)
		}
	}
}

func TestExtensionMonth(t *testing.T) {
	var days []Attendance
	for d := 1; d <= 10; d++ { // ten days at 18:45: two units each
		date := civil.Date{Year: 2026, Month: time.June, Day: d}.String()
		days = append(days, Attendance{In: at(date + " 08:00"), Out: at(date + " 18:45")})
	}
	days = append(days, Attendance{In: at("2026-06-11 08:00")}) // forgot to check out

	bill, err := ExtensionFee(day("2026-06-01"), days, standardWindow)
	if err != nil {
		t.Fatal(err)
	}
	if len(bill.Days) != 11 || bill.Units != 20 || bill.Yen != 4000 || bill.Capped {
		t.Errorf("uncapped: %d days %d units ¥%d capped=%v", len(bill.Days), bill.Units, bill.Yen, bill.Capped)
	}
	if bill.Days[10].Problem != MissingCheckout {
		t.Errorf("day 11: %+v", bill.Days[10])
	}

	capped := standardWindow
	capped.MonthlyCap = 3000
	bill, _ = ExtensionFee(day("2026-06-01"), days, capped)
	if bill.Units != 20 || bill.Yen != 3000 || !bill.Capped || bill.Days[0].Yen != 400 {
		t.Errorf("capped: %d units ¥%d capped=%v", bill.Units, bill.Yen, bill.Capped)
	}
	capped.MonthlyCap = 4000 // exactly the cap: not lowered
	if bill, _ = ExtensionFee(day("2026-06-01"), days, capped); bill.Yen != 4000 || bill.Capped {
		t.Errorf("at the cap: ¥%d capped=%v", bill.Yen, bill.Capped)
	}
}

// Instants in any zone are read in Tokyo: 09:01 UTC is 18:01 in Japan, and
// 23:30 UTC on May 31 is June 1 in Japan.
func TestExtensionUsesTokyo(t *testing.T) {
	a := Attendance{In: time.Date(2026, 5, 31, 23, 30, 0, 0, time.UTC), Out: time.Date(2026, 6, 1, 9, 1, 0, 0, time.UTC)}
	bill, err := ExtensionFee(day("2026-06-15"), []Attendance{a}, standardWindow)
	if err != nil {
		t.Fatal(err)
	}
	if d := bill.Days[0]; d.Date != day("2026-06-01") || d.Minutes != 1 || d.Units != 1 {
		t.Errorf("%+v", d)
	}
	if _, err := ExtensionFee(day("2026-05-01"), []Attendance{a}, standardWindow); err == nil {
		t.Error("a June day was billed in May")
	}
}

func TestExtensionRejects(t *testing.T) {
	ok := []Attendance{{In: at("2026-06-01 08:00"), Out: at("2026-06-01 18:00")}}
	bad := map[string]ExtensionRule{
		"no unit":          {Close: 18 * time.Hour, PricePerUnit: 200},
		"negative price":   {Close: 18 * time.Hour, Unit: time.Minute, PricePerUnit: -1},
		"negative cap":     {Close: 18 * time.Hour, Unit: time.Minute, MonthlyCap: -1},
		"no window, hours": {Unit: time.Minute},
		"closes first":     {Open: 18 * time.Hour, Close: 7 * time.Hour, Unit: time.Minute},
		"past midnight":    {Open: 7 * time.Hour, Close: 25 * time.Hour, Unit: time.Minute},
	}
	for name, r := range bad {
		if _, err := ExtensionFee(day("2026-06-01"), ok, r); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := ExtensionFee(day("2026-06-01"), []Attendance{{Out: at("2026-06-01 18:00")}}, standardWindow); err == nil {
		t.Error("no check-in: accepted")
	}
	if bill, err := ExtensionFee(day("2026-06-01"), nil, standardWindow); err != nil || bill.Yen != 0 || len(bill.Days) != 0 {
		t.Errorf("no attendance: %+v %v", bill, err)
	}
}

func BenchmarkExtensionFee(b *testing.B) {
	var days []Attendance
	for d := 1; d <= 22; d++ {
		date := civil.Date{Year: 2026, Month: time.June, Day: d}.String()
		days = append(days, Attendance{In: at(date + " 07:40"), Out: at(date + " 18:20")})
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ExtensionFee(day("2026-06-01"), days, standardWindow); err != nil {
			b.Fatal(err)
		}
	}
}
