package civil

import "fmt"

// AgeYMD is the age on a date in completed years, months and days, as a
// 予診票 writes it (「1歳2か月3日」): whole calendar months since birth
// (AddMonthsClamped, so a child born on the 31st turns a month older on the
// last day of a shorter month), then the days since the last of them.
// A date before birth is 0, 0, 0.
func AgeYMD(birth, on Date) (years, months, days int) {
	if on.Before(birth) {
		return 0, 0, 0
	}
	n := (on.Year-birth.Year)*12 + int(on.Month) - int(birth.Month)
	for n > 0 && birth.AddMonthsClamped(n).After(on) {
		n--
	}
	return n / 12, n % 12, DaysBetween(birth.AddMonthsClamped(n), on)
}

// AgeText is AgeYMD in Japanese, e.g. "1歳2か月3日" or "0歳3か月0日".
func AgeText(birth, on Date) string {
	y, m, d := AgeYMD(birth, on)
	return fmt.Sprintf("%d歳%dか月%d日", y, m, d)
}
