package schedule

import (
	"slices"

	"github.com/saijo-dx/lifestage/civil"
)

// Dose is a dose already given.
type Dose struct {
	Vaccine string
	Date    civil.Date
}

// Status of one dose on the asOf date.
type Status string

const (
	Done     Status = "done"     // given
	Upcoming Status = "upcoming" // the legal window or the standard period has not begun
	Due      Status = "due"      // the window is open and within the standard period
	Overdue  Status = "overdue"  // still in the legal window, past the standard period
	Expired  Status = "expired"  // the legal window passed without the dose
	Skipped  Status = "skipped"  // dropped by a catch-up rule (§1.4); the series goes on
)

// Item is one dose of one vaccine. Earliest and Latest are the inclusive
// legal dates for the dose given the doses already given; a dose that is not
// given yet is assumed, for the doses after it, to be given on the first day
// it can be from asOf.
type Item struct {
	Vaccine  string
	Dose     int
	Date     *civil.Date // given doses only
	Earliest civil.Date
	Latest   civil.Date
	Status   Status
}

// Compute returns the schedule of a child born on birth as of asOf. sex is
// "female" or "male"; HPV is listed for "female" only. Doses with an unknown
// code, or beyond a series' count, are ignored.
func Compute(birth civil.Date, sex string, asOf civil.Date, given []Dose) []Item {
	byCode := make(map[string][]civil.Date, 8)
	for _, d := range given {
		byCode[d.Vaccine] = append(byCode[d.Vaccine], d.Date)
	}
	for _, ds := range byCode {
		slices.SortFunc(ds, civil.Date.Compare)
	}
	// The latest injectable live dose of each vaccine, for the 27日以上 rule.
	lastLive := map[string]civil.Date{}
	for _, s := range []series{bcg, mr1, mr2, varicella} {
		if ds := byCode[s.code]; len(ds) > 0 {
			lastLive[s.group] = civil.Later(lastLive[s.group], ds[len(ds)-1])
		}
	}
	// firstDay is dose 1's date, given or the first day it could be.
	firstDay := func(code string, start civil.Date) civil.Date {
		if ds := byCode[code]; len(ds) > 0 {
			return ds[0]
		}
		return civil.Later(start, asOf)
	}

	list := make([]series, 0, 16)
	list = append(list, hepb)
	// Rotavirus: both products until one is given, then only that one
	// (same product to the end, §1.3/§1.6).
	r1, r5 := byCode["rota1"], byCode["rota5"]
	switch {
	case len(r1) > 0 && (len(r5) == 0 || !r5[0].Before(r1[0])):
		list = append(list, rota1)
	case len(r5) > 0:
		list = append(list, rota5)
	default:
		list = append(list, rota1, rota5)
	}
	b2 := civil.MonthBoundary(birth, 2)
	// Children who began with 4種混合 + Hib finish with them (§1.3 transition
	// rules); everyone else gets 5種混合.
	if len(byCode["dtp_ipv"]) > 0 || len(byCode["hib"]) > 0 {
		list = append(list, dtpIpv, hibSeries(birth, firstDay("hib", b2)))
	} else {
		list = append(list, dtpIpvHib)
	}
	list = append(list, pcvSeries(birth, firstDay("pcv", b2)), bcg, mr1, mr2, varicella, je1, je2, dt2)
	if sex == "female" {
		fy12 := civil.FiscalYearStart(civil.FiscalYearOfAge(birth, 12))
		list = append(list, hpvSeries(birth, firstDay("hpv", fy12), byCode["hpv"]))
	}

	items := make([]Item, 0, 40)
	e := evaluator{birth: birth, asOf: asOf}
	for _, s := range list {
		items = e.series(items, s, byCode[s.code], lastLive)
	}
	return items
}

type evaluator struct {
	birth, asOf civil.Date
	res         [8]resolved // per dose of the current series
}

type resolved struct {
	date    civil.Date // given, or assumed for the following doses
	skipped bool
}

// at resolves an anchor for dose i; ok is false for none or for a dose
// anchor that points at a skipped or later dose.
func (e *evaluator) at(a anchor, i int) (civil.Date, bool) {
	switch a.kind {
	case birthDays:
		return e.birth.AddDays(a.n), true
	case month:
		return civil.MonthBoundary(e.birth, a.n), true
	case age:
		return civil.AgeReachedDate(e.birth, a.n), true
	case fyStart:
		return civil.FiscalYearStart(civil.FiscalYearOfAge(e.birth, a.n)), true
	case fyEnd:
		return civil.FiscalYearEnd(civil.FiscalYearOfAge(e.birth, a.n)), true
	case doseDays, doseMonths:
		if a.dose >= i || e.res[a.dose].skipped {
			return civil.Date{}, false
		}
		if a.kind == doseDays {
			return e.res[a.dose].date.AddDays(a.n), true
		}
		return civil.MonthsAfter(e.res[a.dose].date, a.n), true
	}
	return civil.Date{}, false
}

func (e *evaluator) series(items []Item, s series, given []civil.Date, lastLive map[string]civil.Date) []Item {
	last := -1 // the last dose not skipped
	gi := 0    // the next given date to place
	for i, r := range s.doses {
		start, _ := e.at(r.start, i)
		end, _ := e.at(r.end, i)
		earliest := start
		for _, g := range r.gaps {
			from := g.from
			if from == prev {
				from = last
			}
			if from < 0 || from >= i || e.res[from].skipped {
				continue
			}
			if g.months > 0 {
				earliest = civil.Later(earliest, civil.MonthsAfter(e.res[from].date, g.months))
			} else {
				earliest = civil.Later(earliest, civil.DaysAfterAtLeast(e.res[from].date, g.days))
			}
		}
		if last >= 0 { // doses of one vaccine fall on different days
			earliest = civil.Later(earliest, e.res[last].date.AddDays(1))
		}
		it := Item{Vaccine: s.code, Dose: i + 1, Earliest: earliest, Latest: end}

		skip := false
		if r.skipIfAfter.kind != none && r.skipIfDose < i && !e.res[r.skipIfDose].skipped {
			if lim, _ := e.at(r.skipIfAfter, i); e.res[r.skipIfDose].date.After(lim) {
				skip = true
			}
		}
		if r.skippable && !skip {
			// A given dose past this dose's window is a later dose of the series.
			if gi < len(given) {
				skip = given[gi].After(end)
			} else {
				skip = earliest.After(end) || e.asOf.After(end)
			}
		}
		if skip {
			e.res[i] = resolved{skipped: true}
			it.Status = Skipped
			items = append(items, it)
			continue
		}
		last = i
		if gi < len(given) {
			d := given[gi]
			gi++
			e.res[i] = resolved{date: d}
			it.Date, it.Status = &d, Done
			items = append(items, it)
			continue
		}
		if s.live {
			for g, d := range lastLive {
				if g != s.group {
					it.Earliest = civil.Later(it.Earliest, civil.DaysAfterAtLeast(d, 27))
				}
			}
		}
		e.res[i] = resolved{date: civil.Later(it.Earliest, e.asOf)}
		it.Status = e.status(r, i, it.Earliest, end)
		items = append(items, it)
	}
	return items
}

func (e *evaluator) status(r doseRule, i int, earliest, latest civil.Date) Status {
	if earliest.After(latest) || e.asOf.After(latest) {
		return Expired
	}
	if e.asOf.Before(earliest) {
		return Upcoming
	}
	if s, ok := e.at(r.stdStart, i); ok && e.asOf.Before(s) {
		return Upcoming
	}
	if s, ok := e.at(r.stdEnd, i); ok && e.asOf.After(s) {
		return Overdue
	}
	return Due
}
