package civil

import (
	"testing"
	"time"
)

// The Cabinet Office's lists of national holidays (内閣府「国民の祝日について」)
// for 2021, 2025 and 2026, substitutes and 国民の休日 included.
var holidayLists = map[int][]string{
	2021: {"01-01", "01-11", "02-11", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05", "07-22", "07-23",
		"08-08", "08-09", "09-20", "09-23", "11-03", "11-23"},
	2025: {"01-01", "01-13", "02-11", "02-23", "02-24", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06",
		"07-21", "08-11", "09-15", "09-23", "10-13", "11-03", "11-23", "11-24"},
	2026: {"01-01", "01-12", "02-11", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06", "07-20",
		"08-11", "09-21", "09-22", "09-23", "10-12", "11-03", "11-23"},
}

func TestIsHoliday(t *testing.T) {
	for y, list := range holidayLists {
		want := map[string]bool{}
		for _, md := range list {
			want[md] = true
		}
		for d := (Date{y, time.January, 1}); d.Year == y; d = d.AddDays(1) {
			md := d.String()[5:]
			if got := IsHoliday(d); got != want[md] {
				t.Errorf("IsHoliday(%s) = %v, want %v", d, got, want[md])
			}
		}
	}
}
