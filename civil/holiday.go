package civil

import "time"

// IsHoliday reports whether d is a national holiday (国民の祝日, 振替休日 or
// 国民の休日) under the 国民の祝日に関する法律 as amended for 2020 onwards.
// The equinoxes use the usual approximation of the National Astronomical
// Observatory's announcements, valid for 1980–2099. Earlier years get the
// current law, which is not what applied then; nothing in lifestage asks
// about them. Opening hours (「日祝休診」) are the reason this exists.
func IsHoliday(d Date) bool {
	if isNamedHoliday(d) {
		return true
	}
	// 振替休日: when a holiday falls on a Sunday, the next day that is not a
	// holiday becomes one.
	if d.Time().Weekday() != time.Sunday {
		for p := d.AddDays(-1); isNamedHoliday(p); p = p.AddDays(-1) {
			if p.Time().Weekday() == time.Sunday {
				return true
			}
		}
	}
	// 国民の休日: a day between two holidays.
	return isNamedHoliday(d.AddDays(-1)) && isNamedHoliday(d.AddDays(1))
}

// isNamedHoliday reports the holidays the law names, without substitutes.
func isNamedHoliday(d Date) bool {
	y := d.Year
	md := [2]int{int(d.Month), d.Day}
	for _, f := range moved[y] {
		if f == md {
			return true
		}
	}
	switch md {
	case [2]int{1, 1}, [2]int{2, 11}, [2]int{2, 23}, [2]int{4, 29}, [2]int{5, 3}, [2]int{5, 4},
		[2]int{5, 5}, [2]int{11, 3}, [2]int{11, 23}:
		return true
	case [2]int{8, 11}:
		return moved[y] == nil // 山の日 moved in the Olympic years
	case [2]int{3, equinox(y, 20.8431)}, [2]int{9, equinox(y, 23.2488)}:
		return true
	}
	switch d.Month {
	case time.January:
		return d.Day == nthMonday(y, time.January, 2) // 成人の日
	case time.July:
		return moved[y] == nil && d.Day == nthMonday(y, time.July, 3) // 海の日
	case time.September:
		return d.Day == nthMonday(y, time.September, 3) // 敬老の日
	case time.October:
		return moved[y] == nil && d.Day == nthMonday(y, time.October, 2) // スポーツの日
	}
	return false
}

// moved holds the 2020 and 2021 Olympic dates of 海の日, スポーツの日 and
// 山の日 (東京オリンピック競技大会・東京パラリンピック競技大会特別措置法).
var moved = map[int][][2]int{
	2020: {{7, 23}, {7, 24}, {8, 10}},
	2021: {{7, 22}, {7, 23}, {8, 8}},
}

// equinox returns the day of March (base 20.8431) or September (23.2488).
func equinox(y int, base float64) int {
	n := y - 1980
	return int(base+0.242194*float64(n)) - n/4
}

func nthMonday(y int, m time.Month, n int) int {
	first := time.Date(y, m, 1, 0, 0, 0, 0, Tokyo).Weekday()
	offset := (int(time.Monday) - int(first) + 7) % 7
	return 1 + offset + 7*(n-1)
}
