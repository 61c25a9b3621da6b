package schedule

import "github.com/saijo-dx/lifestage/civil"

// The series below change with the age at the first dose (§1.4), so they are
// built per child: first is the date of dose 1, given or, when not yet
// given, the first day it could be given from asOf.

// pcvSeries encodes CSV row "pcv" and domain-data.md §1.3/§1.4 (小児用肺炎球菌):
// 生後2月 → 60月に至るまで; 初回 27日以上; 追加 60日以上 after the last 初回 and
// on/after 生後12月 (std 12–15月); 初回#2/#3 only before 生後24月 (else skipped);
// 初回#2 after 生後12月 → 初回#3 skipped.
func pcvSeries(birth, first civil.Date) series {
	d1 := doseRule{start: m(2), end: m(60), stdStart: m(2), stdEnd: m(7)}
	primary := func() doseRule {
		return doseRule{start: m(2), end: m(24), gaps: []gap{daysGap(prev, 27)}, skippable: true}
	}
	booster := doseRule{start: m(12), end: m(60), gaps: []gap{daysGap(prev, 60)}, stdStart: m(12), stdEnd: m(15)}
	s := series{code: "pcv"}
	switch {
	case !first.After(civil.MonthBoundary(birth, 7)): // 生後2月〜7月に至るまで: 3 + 1
		p3 := primary()
		p3.skipIfDose, p3.skipIfAfter = 1, m(12)
		s.doses = []doseRule{d1, primary(), p3, booster}
	case !first.After(civil.MonthBoundary(birth, 12)): // 7月〜12月に至るまで: 2 + 1
		s.doses = []doseRule{d1, primary(), booster}
	case !first.After(civil.MonthBoundary(birth, 24)): // 12月〜24月に至るまで: 2, 60日以上
		s.doses = []doseRule{d1, {start: m(2), end: m(60), gaps: []gap{daysGap(0, 60)}}}
	default: // 24月〜60月に至るまで: 1
		s.doses = []doseRule{d1}
	}
	return s
}

// hibSeries encodes CSV row "hib" and domain-data.md §1.3/§1.4 (Hib 単独,
// legacy): 生後2月 → 60月に至るまで; 初回 27日以上 and only before 生後12月
// (else skipped); 追加 7月以上 after the last 初回 (std 7–13月), or 27日以上
// after the last 初回 given when 初回 doses were skipped.
func hibSeries(birth, first civil.Date) series {
	d1 := doseRule{start: m(2), end: m(60), stdStart: m(2), stdEnd: m(7)}
	primary := func(i int) doseRule {
		return doseRule{start: m(2), end: m(12), gaps: []gap{daysGap(prev, 27)}, stdEnd: afterDays(i-1, 56), skippable: true}
	}
	booster := func(last int) doseRule {
		return doseRule{start: m(2), end: m(60), gaps: []gap{monthsGap(last, 7), daysGap(prev, 27)},
			stdStart: afterMon(last, 7), stdEnd: afterMon(last, 13)}
	}
	s := series{code: "hib"}
	switch {
	case !first.After(civil.MonthBoundary(birth, 7)): // 生後2月〜7月に至るまで: 3 + 1
		s.doses = []doseRule{d1, primary(1), primary(2), booster(2)}
	case !first.After(civil.MonthBoundary(birth, 12)): // 7月〜12月に至るまで: 2 + 1
		s.doses = []doseRule{d1, primary(1), booster(1)}
	default: // 12月〜60月に至るまで: 1
		s.doses = []doseRule{d1}
	}
	return s
}

// hpvSeries encodes CSV row "hpv9" and domain-data.md §1.3 (HPV, girls; 9価
// only from 2026-04): 12歳となる年度の初日 → 16歳となる年度の末日, std 13歳となる
// 年度 (中1). Dose 1 before the 15th birthday: 2 doses 5月以上 apart (std 6月),
// and if #2 came earlier than 5 months a 3rd dose 3月以上 after #2.
// Otherwise 3 doses: #2 1月以上 after #1, #3 3月以上 after #2.
func hpvSeries(birth, first civil.Date, given []civil.Date) series {
	d1 := doseRule{start: fyFirst(12), end: fyLast(16), stdStart: fyFirst(13), stdEnd: fyLast(13)}
	s := series{code: "hpv"}
	if !first.After(civil.AgeReachedDate(birth, 15)) {
		d2 := doseRule{start: fyFirst(12), end: fyLast(16), gaps: []gap{monthsGap(0, 5)}, stdStart: afterMon(0, 6)}
		s.doses = []doseRule{d1, d2}
		if len(given) >= 2 && given[1].Before(civil.MonthsAfter(given[0], 5)) {
			s.doses = append(s.doses, doseRule{start: fyFirst(12), end: fyLast(16), gaps: []gap{monthsGap(1, 3)}})
		}
		return s
	}
	s.doses = []doseRule{d1,
		{start: fyFirst(12), end: fyLast(16), gaps: []gap{monthsGap(0, 1)}, stdStart: afterMon(0, 2)},
		{start: fyFirst(12), end: fyLast(16), gaps: []gap{monthsGap(1, 3)}, stdStart: afterMon(0, 6)},
	}
	return s
}
