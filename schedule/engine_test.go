package schedule

import (
	"fmt"
	"strings"
	"testing"

	"github.com/saijo-dx/lifestage/civil"
)

func day(s string) civil.Date {
	v, err := civil.Parse(s)
	if err != nil {
		panic(err)
	}
	return v
}

// doses parses "code:YYYY-MM-DD" pairs.
func doses(spec ...string) []Dose {
	var out []Dose
	for _, s := range spec {
		code, date, _ := strings.Cut(s, ":")
		out = append(out, Dose{Vaccine: code, Date: day(date)})
	}
	return out
}

// want is one expected item: "" fields are not checked.
type want struct {
	vaccine          string
	dose             int
	earliest, latest string
	status           Status
	absent           bool // no item for vaccine (dose 0) or this dose
	count            int  // when > 0, the number of doses listed for vaccine
}

type scheduleCase struct {
	name        string
	birth, asOf string
	sex         string
	given       []Dose
	want        []want
}

func find(items []Item, vaccine string, dose int) (Item, bool) {
	for _, it := range items {
		if it.Vaccine == vaccine && (dose == 0 || it.Dose == dose) {
			return it, true
		}
	}
	return Item{}, false
}

func count(items []Item, vaccine string) int {
	n := 0
	for _, it := range items {
		if it.Vaccine == vaccine {
			n++
		}
	}
	return n
}

func dump(items []Item) string {
	var b strings.Builder
	for _, it := range items {
		date := ""
		if it.Date != nil {
			date = it.Date.String()
		}
		fmt.Fprintf(&b, "\n  %s#%d %s [%s, %s] %s", it.Vaccine, it.Dose, date, it.Earliest, it.Latest, it.Status)
	}
	return b.String()
}

func runCases(t *testing.T, cases []scheduleCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			items := Compute(day(c.birth), c.sex, day(c.asOf), c.given)
			for _, w := range c.want {
				if w.count > 0 {
					if n := count(items, w.vaccine); n != w.count {
						t.Errorf("%s: %d doses listed, want %d%s", w.vaccine, n, w.count, dump(items))
					}
				}
				if w.dose == 0 && !w.absent {
					continue
				}
				it, ok := find(items, w.vaccine, w.dose)
				if w.absent {
					if ok {
						t.Errorf("%s#%d listed, want absent", w.vaccine, w.dose)
					}
					continue
				}
				if !ok {
					t.Errorf("%s#%d missing%s", w.vaccine, w.dose, dump(items))
					continue
				}
				if w.earliest != "" && it.Earliest.String() != w.earliest {
					t.Errorf("%s#%d earliest = %s, want %s", w.vaccine, w.dose, it.Earliest, w.earliest)
				}
				if w.latest != "" && it.Latest.String() != w.latest {
					t.Errorf("%s#%d latest = %s, want %s", w.vaccine, w.dose, it.Latest, w.latest)
				}
				if w.status != "" && it.Status != w.status {
					t.Errorf("%s#%d status = %s, want %s", w.vaccine, w.dose, it.Status, w.status)
				}
			}
		})
	}
}

func TestNewborn(t *testing.T) {
	// Born 2025-04-10, seen at three weeks: 生後2月 = 2025-06-09, 1歳 =
	// 2026-04-09, 出生6週 = 05-22, 24週 = 09-25, 32週 = 11-20.
	runCases(t, []scheduleCase{{
		name: "three weeks old", birth: "2025-04-10", asOf: "2025-05-01", sex: "male",
		want: []want{
			{vaccine: "hepb", dose: 1, earliest: "2025-04-10", latest: "2026-04-09", status: Upcoming, count: 3},
			{vaccine: "rota1", dose: 1, earliest: "2025-05-22", latest: "2025-09-25", status: Upcoming, count: 2},
			{vaccine: "rota5", dose: 1, earliest: "2025-05-22", latest: "2025-11-20", status: Upcoming, count: 3},
			{vaccine: "dtp_ipv_hib", dose: 1, earliest: "2025-06-09", latest: "2032-10-09", status: Upcoming, count: 4},
			{vaccine: "dtp_ipv_hib", dose: 2, earliest: "2025-06-30"},
			{vaccine: "pcv", dose: 1, earliest: "2025-06-09", latest: "2030-04-09", status: Upcoming, count: 4},
			{vaccine: "bcg", dose: 1, earliest: "2025-04-10", latest: "2026-04-09", status: Upcoming},
			{vaccine: "mr1", dose: 1, earliest: "2026-04-09", latest: "2027-04-09", status: Upcoming},
			{vaccine: "mr2", dose: 1, earliest: "2031-04-01", latest: "2032-03-31", status: Upcoming},
			{vaccine: "varicella", dose: 1, earliest: "2026-04-09", latest: "2028-04-09", count: 2},
			{vaccine: "je1", dose: 1, earliest: "2025-10-09", latest: "2032-10-09", count: 3},
			{vaccine: "je2", dose: 1, earliest: "2034-04-09", latest: "2038-04-09"},
			{vaccine: "dt2", dose: 1, earliest: "2036-04-09", latest: "2038-04-09"},
			{vaccine: "hpv", absent: true},
			{vaccine: "hib", absent: true},
			{vaccine: "dtp_ipv", absent: true},
		},
	}, {
		name: "due in the standard period", birth: "2025-04-10", asOf: "2025-06-20",
		want: []want{
			{vaccine: "hepb", dose: 1, status: Due},
			{vaccine: "rota1", dose: 1, status: Due},
			{vaccine: "dtp_ipv_hib", dose: 1, status: Due},
			{vaccine: "bcg", dose: 1, status: Upcoming},
		},
	}})
}

func TestMonthEndAndLeapBirths(t *testing.T) {
	runCases(t, []scheduleCase{
		// 生後2月 of a Dec 31 birth: Feb 31 does not exist → last day of Feb.
		{name: "Dec 31 into a leap year", birth: "2023-12-31", asOf: "2024-01-20", want: []want{
			{vaccine: "dtp_ipv_hib", dose: 1, earliest: "2024-02-29"},
			{vaccine: "pcv", dose: 1, earliest: "2024-02-29"},
			{vaccine: "hepb", dose: 1, latest: "2024-12-30"},
		}},
		{name: "Dec 31 into a common year", birth: "2018-12-31", asOf: "2019-01-10", want: []want{
			{vaccine: "dtp_ipv_hib", dose: 1, earliest: "2019-02-28"},
			{vaccine: "je1", dose: 1, earliest: "2019-06-30"},
		}},
		// Jan 31: 生後1月… not used, but 生後90月 ends on the last day of July.
		{name: "Jan 31", birth: "2024-01-31", asOf: "2024-02-10", want: []want{
			{vaccine: "dtp_ipv_hib", dose: 1, earliest: "2024-03-30", latest: "2031-07-30"},
			{vaccine: "mr1", dose: 1, earliest: "2025-01-30", latest: "2026-01-30"},
		}},
		// Feb 29 births reach 1歳 on Feb 28 of common years.
		{name: "Feb 29", birth: "2024-02-29", asOf: "2024-03-10", want: []want{
			{vaccine: "hepb", dose: 1, latest: "2025-02-28"},
			{vaccine: "bcg", dose: 1, latest: "2025-02-28"},
			{vaccine: "mr1", dose: 1, earliest: "2025-02-28", latest: "2026-02-28"},
			{vaccine: "varicella", dose: 1, latest: "2027-02-28"},
			{vaccine: "dtp_ipv_hib", dose: 1, earliest: "2024-04-28"},
		}},
		// Feb 28: the same day exists every year, so minus one day.
		{name: "Feb 28", birth: "2023-02-28", asOf: "2023-03-10", want: []want{
			{vaccine: "mr1", dose: 1, earliest: "2024-02-27", latest: "2025-02-27"},
			{vaccine: "dtp_ipv_hib", dose: 1, earliest: "2023-04-27"},
		}},
		// A same-vaccine months interval from the 31st: 6 months after Aug 31.
		{name: "booster after Aug 31", birth: "2025-04-10", asOf: "2025-09-01",
			given: doses("dtp_ipv_hib:2025-06-09", "dtp_ipv_hib:2025-07-10", "dtp_ipv_hib:2025-08-31"),
			want: []want{
				{vaccine: "dtp_ipv_hib", dose: 3, status: Done},
				{vaccine: "dtp_ipv_hib", dose: 4, earliest: "2026-03-01", status: Upcoming},
			}},
	})
}

func TestFiscalYearWindows(t *testing.T) {
	runCases(t, []scheduleCase{
		// MR 2期 = 年長: the fiscal year in which the child turns 6.
		{name: "MR2 born April 1, last day", birth: "2019-04-01", asOf: "2025-03-31", want: []want{
			{vaccine: "mr2", dose: 1, earliest: "2024-04-01", latest: "2025-03-31", status: Due},
		}},
		{name: "MR2 born April 1, after", birth: "2019-04-01", asOf: "2025-04-01", want: []want{
			{vaccine: "mr2", dose: 1, status: Expired},
		}},
		{name: "MR2 born April 2", birth: "2019-04-02", asOf: "2025-03-31", want: []want{
			{vaccine: "mr2", dose: 1, earliest: "2025-04-01", latest: "2026-03-31", status: Upcoming},
		}},
		{name: "MR2 done", birth: "2019-04-02", asOf: "2025-06-01", given: doses("mr2:2025-05-01"), want: []want{
			{vaccine: "mr2", dose: 1, status: Done},
		}},
		// HPV: 12歳となる年度の初日 → 16歳となる年度の末日, std 13歳となる年度.
		{name: "HPV born April 1", birth: "2013-04-01", asOf: "2024-04-01", sex: "female", want: []want{
			{vaccine: "hpv", dose: 1, earliest: "2024-04-01", latest: "2029-03-31", status: Upcoming, count: 2},
		}},
		{name: "HPV born April 1 in the standard year", birth: "2013-04-01", asOf: "2025-04-01", sex: "female", want: []want{
			{vaccine: "hpv", dose: 1, status: Due},
		}},
		{name: "HPV born April 2", birth: "2013-04-02", asOf: "2024-04-01", sex: "female", want: []want{
			{vaccine: "hpv", dose: 1, earliest: "2025-04-01", latest: "2030-03-31", status: Upcoming},
		}},
		{name: "HPV not for boys", birth: "2013-04-02", asOf: "2026-04-01", sex: "male", want: []want{
			{vaccine: "hpv", absent: true},
		}},
		// 9価: 2 doses when #1 is before the 15th birthday (AR(15) = 2026-05-31).
		{name: "HPV two doses", birth: "2011-06-01", asOf: "2026-05-02", sex: "female", given: doses("hpv:2026-05-01"), want: []want{
			{vaccine: "hpv", dose: 2, earliest: "2026-10-01", latest: "2028-03-31", status: Upcoming, count: 2},
		}},
		{name: "HPV three doses from 15", birth: "2011-06-01", asOf: "2026-06-02", sex: "female", given: doses("hpv:2026-06-01"), want: []want{
			{vaccine: "hpv", dose: 2, earliest: "2026-07-01", count: 3},
			{vaccine: "hpv", dose: 3, earliest: "2026-10-01"},
		}},
		{name: "HPV second dose too early", birth: "2011-06-01", asOf: "2026-08-02", sex: "female", given: doses("hpv:2026-05-01", "hpv:2026-08-01"), want: []want{
			{vaccine: "hpv", dose: 3, earliest: "2026-11-01", count: 3},
		}},
		{name: "HPV expired", birth: "2008-06-01", asOf: "2025-04-01", sex: "female", want: []want{
			{vaccine: "hpv", dose: 1, status: Expired},
		}},
	})
}

func TestIntervals(t *testing.T) {
	runCases(t, []scheduleCase{
		// HepB #3: 139日以上 after #1 → #1 + 140 days.
		{name: "hepB third dose", birth: "2025-04-10", asOf: "2025-07-11", given: doses("hepb:2025-06-10", "hepb:2025-07-10"), want: []want{
			{vaccine: "hepb", dose: 2, status: Done, earliest: "2025-07-08"},
			{vaccine: "hepb", dose: 3, earliest: "2025-10-28", latest: "2026-04-09", status: Upcoming},
		}},
		// Injectable live → injectable live: 27日以上 (+28 d).
		{name: "MR then varicella", birth: "2024-05-15", asOf: "2025-05-21", given: doses("mr1:2025-05-20"), want: []want{
			{vaccine: "varicella", dose: 1, earliest: "2025-06-17", status: Upcoming},
			{vaccine: "mr1", dose: 1, status: Done},
		}},
		{name: "BCG then MR", birth: "2025-04-10", asOf: "2026-04-06", given: doses("bcg:2026-04-05"), want: []want{
			{vaccine: "mr1", dose: 1, earliest: "2026-05-03"},
			{vaccine: "varicella", dose: 1, earliest: "2026-05-03"},
			{vaccine: "hepb", dose: 1, earliest: "2025-04-10"}, // inactivated: no constraint
		}},
		// Oral live (rota) constrains nothing.
		{name: "rota then BCG", birth: "2025-04-10", asOf: "2025-06-11", given: doses("rota1:2025-06-10"), want: []want{
			{vaccine: "bcg", dose: 1, earliest: "2025-04-10"},
			{vaccine: "rota1", dose: 2, earliest: "2025-07-08", status: Upcoming},
			{vaccine: "rota5", absent: true},
		}},
		{name: "rota5 chosen", birth: "2025-04-10", asOf: "2025-06-11", given: doses("rota5:2025-06-10"), want: []want{
			{vaccine: "rota1", absent: true},
			{vaccine: "rota5", dose: 3, earliest: "2025-08-05", latest: "2025-11-20"},
		}},
		// Rotavirus has no catch-up: rota1 closed at 24週, rota5 #3 cannot fit.
		{name: "rota late", birth: "2025-01-01", asOf: "2025-07-01", want: []want{
			{vaccine: "rota1", dose: 1, latest: "2025-06-18", status: Expired},
			{vaccine: "rota5", dose: 1, latest: "2025-08-13", status: Overdue},
			{vaccine: "rota5", dose: 3, earliest: "2025-08-26", status: Expired},
		}},
		// Varicella #2: 3月以上 after #1.
		{name: "varicella second", birth: "2024-05-15", asOf: "2025-06-01", given: doses("varicella:2025-05-31"), want: []want{
			{vaccine: "varicella", dose: 2, earliest: "2025-08-31", status: Upcoming},
		}},
		// JE 1期: #2 6日以上, 追加 6月以上 after #2.
		{name: "je1", birth: "2022-01-10", asOf: "2025-02-01", given: doses("je1:2025-01-09", "je1:2025-01-16"), want: []want{
			{vaccine: "je1", dose: 2, earliest: "2025-01-16", status: Done},
			{vaccine: "je1", dose: 3, earliest: "2025-07-16", status: Upcoming},
		}},
		{name: "school age", birth: "2015-06-15", asOf: "2026-07-01", want: []want{
			{vaccine: "je2", dose: 1, earliest: "2024-06-14", latest: "2028-06-14", status: Overdue},
			{vaccine: "dt2", dose: 1, earliest: "2026-06-14", latest: "2028-06-14", status: Due},
			{vaccine: "mr1", dose: 1, status: Expired},
		}},
	})
}

func TestPCVCatchUp(t *testing.T) {
	// Born 2024-01-15: 生後2月 2024-03-14, 7月 08-14, 12月 2025-01-14,
	// 15月 04-14, 24月 2026-01-14, 60月 2029-01-14.
	b := "2024-01-15"
	runCases(t, []scheduleCase{
		{name: "start at 2-7 months: 3+1", birth: b, asOf: "2024-03-21", given: doses("pcv:2024-03-20"), want: []want{
			{vaccine: "pcv", count: 4},
			{vaccine: "pcv", dose: 2, earliest: "2024-04-17", latest: "2026-01-14", status: Upcoming},
			{vaccine: "pcv", dose: 3, earliest: "2024-05-15", latest: "2026-01-14", status: Upcoming},
			{vaccine: "pcv", dose: 4, earliest: "2025-01-14", latest: "2029-01-14", status: Upcoming},
		}},
		{name: "primary #2 after 12 months skips #3", birth: b, asOf: "2025-02-02", given: doses("pcv:2024-03-20", "pcv:2025-02-01"), want: []want{
			{vaccine: "pcv", dose: 3, status: Skipped},
			{vaccine: "pcv", dose: 4, earliest: "2025-04-03", status: Upcoming},
		}},
		{name: "primary #2 after 12 months, booster given", birth: b, asOf: "2025-05-01", given: doses("pcv:2024-03-20", "pcv:2025-02-01", "pcv:2025-04-10"), want: []want{
			{vaccine: "pcv", dose: 3, status: Skipped},
			{vaccine: "pcv", dose: 4, status: Done},
		}},
		{name: "primary not given by 24 months", birth: b, asOf: "2026-02-01", given: doses("pcv:2024-03-20"), want: []want{
			{vaccine: "pcv", dose: 2, status: Skipped},
			{vaccine: "pcv", dose: 3, status: Skipped},
			{vaccine: "pcv", dose: 4, earliest: "2025-01-14", status: Overdue},
		}},
		{name: "a dose after 24 months is the booster", birth: b, asOf: "2026-02-02", given: doses("pcv:2024-03-20", "pcv:2026-02-01"), want: []want{
			{vaccine: "pcv", dose: 2, status: Skipped},
			{vaccine: "pcv", dose: 4, status: Done},
		}},
		{name: "start at 7-12 months: 2+1", birth: b, asOf: "2024-10-02", given: doses("pcv:2024-10-01"), want: []want{
			{vaccine: "pcv", count: 3},
			{vaccine: "pcv", dose: 2, earliest: "2024-10-29", latest: "2026-01-14"},
			{vaccine: "pcv", dose: 3, earliest: "2025-01-14", latest: "2029-01-14"},
		}},
		{name: "start at 7 months boundary is still 3+1", birth: b, asOf: "2024-08-15", given: doses("pcv:2024-08-14"), want: []want{
			{vaccine: "pcv", count: 4},
		}},
		{name: "start at 12-24 months: 2 doses 60日以上", birth: b, asOf: "2025-03-02", given: doses("pcv:2025-03-01"), want: []want{
			{vaccine: "pcv", count: 2},
			{vaccine: "pcv", dose: 2, earliest: "2025-05-01", latest: "2029-01-14"},
		}},
		{name: "start at 24-60 months: 1 dose", birth: b, asOf: "2026-03-02", given: doses("pcv:2026-03-01"), want: []want{
			{vaccine: "pcv", count: 1},
			{vaccine: "pcv", dose: 1, status: Done},
		}},
		{name: "not started at 13 months", birth: b, asOf: "2025-02-20", want: []want{
			{vaccine: "pcv", count: 2},
			{vaccine: "pcv", dose: 1, status: Overdue},
		}},
		{name: "not started by 60 months", birth: b, asOf: "2029-01-15", want: []want{
			{vaccine: "pcv", count: 1},
			{vaccine: "pcv", dose: 1, status: Expired},
		}},
	})
}

func TestHibCatchUp(t *testing.T) {
	// Born 2023-01-15: 生後2月 2023-03-14, 7月 08-14, 12月 2024-01-14, 60月 2028-01-14.
	b := "2023-01-15"
	runCases(t, []scheduleCase{
		{name: "legacy series replaces 5種混合", birth: b, asOf: "2023-03-21", given: doses("dtp_ipv:2023-03-20", "hib:2023-03-20"), want: []want{
			{vaccine: "dtp_ipv_hib", absent: true},
			{vaccine: "dtp_ipv", count: 4},
			{vaccine: "dtp_ipv", dose: 2, earliest: "2023-04-10"},
			{vaccine: "hib", count: 4},
			{vaccine: "hib", dose: 2, earliest: "2023-04-17", latest: "2024-01-14"},
		}},
		{name: "3+1 booster 7月以上 after #3", birth: b, asOf: "2023-05-16", given: doses("hib:2023-03-20", "hib:2023-04-17", "hib:2023-05-15"), want: []want{
			{vaccine: "hib", dose: 4, earliest: "2023-12-15", latest: "2028-01-14", status: Upcoming},
		}},
		{name: "primary skipped after 12 months", birth: b, asOf: "2024-02-01", given: doses("hib:2023-03-20"), want: []want{
			{vaccine: "hib", dose: 2, status: Skipped},
			{vaccine: "hib", dose: 3, status: Skipped},
			{vaccine: "hib", dose: 4, earliest: "2023-04-17", status: Due},
		}},
		{name: "start at 7-12 months: 2+1", birth: b, asOf: "2023-10-02", given: doses("hib:2023-10-01"), want: []want{
			{vaccine: "hib", count: 3},
			{vaccine: "hib", dose: 2, earliest: "2023-10-29", latest: "2024-01-14"},
			{vaccine: "hib", dose: 3, earliest: "2024-05-29"},
		}},
		{name: "start at 12-60 months: 1", birth: b, asOf: "2024-02-02", given: doses("hib:2024-02-01"), want: []want{
			{vaccine: "hib", count: 1},
			{vaccine: "dtp_ipv", count: 4},
		}},
		{name: "5種混合 without legacy doses", birth: b, asOf: "2023-03-21", want: []want{
			{vaccine: "hib", absent: true},
			{vaccine: "dtp_ipv", absent: true},
			{vaccine: "dtp_ipv_hib", count: 4},
		}},
	})
}

func TestGivenDosesAreDone(t *testing.T) {
	items := Compute(day("2025-04-10"), "", day("2025-07-01"), doses("hepb:2025-06-10", "unknown:2025-06-10"))
	it, _ := find(items, "hepb", 1)
	if it.Status != Done || it.Date == nil || it.Date.String() != "2025-06-10" {
		t.Fatalf("hepb#1 = %+v", it)
	}
	for _, it := range items {
		if it.Status != Done && it.Date != nil {
			t.Fatalf("%s#%d has a date but is %s", it.Vaccine, it.Dose, it.Status)
		}
	}
}

func BenchmarkCompute(b *testing.B) {
	birth, asOf := day("2024-01-15"), day("2025-02-02")
	given := doses("hepb:2024-03-14", "hepb:2024-04-11", "rota5:2024-03-14", "rota5:2024-04-11",
		"dtp_ipv_hib:2024-03-14", "dtp_ipv_hib:2024-04-11", "pcv:2024-03-14", "pcv:2025-02-01", "bcg:2024-06-20", "mr1:2025-01-20")
	b.ReportAllocs()
	for b.Loop() {
		Compute(birth, "female", asOf, given)
	}
}
