package synth

import "time"

// jst is Japan Standard Time. Japan has no daylight saving time, so a fixed
// zone is exact and avoids depending on the tzdata database.
var jst = time.FixedZone("JST", 9*60*60)

// daysFromCivil returns the number of days since 1970-01-01 of the proleptic
// Gregorian date y-m-d. Out-of-range days roll over (Feb 29 of a common year
// is Mar 1), which is what the birth-date windows below rely on.
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int) (y, m, d int) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// ageAt returns the age in completed years on the civil date (y, m, d) of a
// person born on (by, bm, bd). A person born on Feb 29 is counted one year
// older on Mar 1 of a common year. (The legal rule that the new age is
// reached at the end of the day before the birthday is not applied here;
// the shared date package of the project implements that.)
func ageAt(by, bm, bd, y, m, d int) int {
	a := y - by
	if m < bm || (m == bm && d < bd) {
		a--
	}
	return a
}

// ageOnDay is ageAt with the birth date given as a day number.
func ageOnDay(birthDay, y, m, d int) int {
	by, bm, bd := civilFromDays(birthDay)
	return ageAt(by, bm, bd, y, m, d)
}

// formatDay renders a day number as "YYYY-MM-DD".
func formatDay(z int) string {
	y, m, d := civilFromDays(z)
	b := [10]byte{
		byte('0' + y/1000%10), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10),
		'-', byte('0' + m/10), byte('0' + m%10),
		'-', byte('0' + d/10), byte('0' + d%10),
	}
	return string(b[:])
}

// ageWindows computes, for every age 0..maxAge, the inclusive range of birth
// day numbers that give exactly that age on the civil date (y, m, d).
func ageWindows(y, m, d int) (lo, hi [maxAge + 1]int) {
	for a := 0; a <= maxAge; a++ {
		l := daysFromCivil(y-a-1, m, d) + 1
		h := daysFromCivil(y-a, m, d)
		for ageOnDay(l, y, m, d) > a {
			l++
		}
		for ageOnDay(l-1, y, m, d) == a {
			l--
		}
		for ageOnDay(h, y, m, d) < a {
			h--
		}
		for ageOnDay(h+1, y, m, d) == a {
			h++
		}
		lo[a], hi[a] = l, h
	}
	return lo, hi
}
