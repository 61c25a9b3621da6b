package schedule

import "github.com/saijo-dx/lifestage/civil"

// Gestational age is counted like 「出生N週M日」 (§1.1): the first day of the
// last menstrual period (LMP) is 妊娠0週0日 and the due date is 40週0日, 280
// days later (Naegele's rule, domain-data.md §2.2). All dates below are
// offsets in days from the LMP, so they need no month arithmetic.
const gestationDays = 280

// lmpOf is the LMP (0週0日) of a pregnancy due on due.
func lmpOf(due civil.Date) civil.Date { return due.AddDays(-gestationDays) }

// atWeek is the date of 妊娠W週D日 of a pregnancy due on due.
func atWeek(due civil.Date, w, d int) civil.Date { return lmpOf(due).AddDays(7*w + d) }

// DueDateFromLMP is the expected date of delivery (分娩予定日): LMP + 280 days.
func DueDateFromLMP(lmp civil.Date) civil.Date { return lmp.AddDays(gestationDays) }

// GestationalAge is the gestational age on date on, as 妊娠weeks週days日,
// for a pregnancy due on due: 0w0d on the LMP, 40w0d on the due date.
// Before the LMP weeks is negative and days stays in 0..6 (floor division).
func GestationalAge(due, on civil.Date) (weeks, days int) {
	n := civil.DaysBetween(lmpOf(due), on)
	weeks, days = n/7, n%7
	if days < 0 {
		weeks, days = weeks-1, days+7
	}
	return weeks, days
}

// PrenatalVisit is one recommended 妊婦健康診査 on the first day (W週0日) of
// its gestational week.
type PrenatalVisit struct {
	Week int
	Date civil.Date
}

// prenatalWeeks is the standard 14-visit plan of 告示226号 (§2.2), for a
// birth at 40 weeks:
//   - 妊娠初期〜23週, every 4 weeks: 8, 12, 16, 20 (4 visits). Week 8 is an
//     assumption: the reference gives no first week; it is about when a
//     pregnancy is confirmed and the 受診票 are handed out with the 母子健康手帳.
//   - 24〜35週, every 2 weeks: 24, 26, 28, 30, 32, 34 (6 visits).
//   - 36週〜出産, every week: 36, 37, 38, 39 (4 visits); the birth is expected
//     at 40w0d, so no visit is listed for it.
//
// That is 4 + 6 + 4 = 14, the "about 14" of the こども家庭庁 page and the
// number of visits every municipality subsidises.
var prenatalWeeks = []int{8, 12, 16, 20, 24, 26, 28, 30, 32, 34, 36, 37, 38, 39}

// PrenatalCheckups returns the 14 standard prenatal checkups of a pregnancy
// due on due.
func PrenatalCheckups(due civil.Date) []PrenatalVisit {
	out := make([]PrenatalVisit, len(prenatalWeeks))
	for i, w := range prenatalWeeks {
		out[i] = PrenatalVisit{Week: w, Date: atWeek(due, w, 0)}
	}
	return out
}

// RSVWindow is the inclusive window of the maternal RSV vaccine (from
// 2026-04, §1.3/§2.2): 妊娠28週0日 to 36週6日.
func RSVWindow(due civil.Date) (from, to civil.Date) {
	return atWeek(due, 28, 0), atWeek(due, 36, 6)
}
