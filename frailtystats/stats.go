// Package frailtystats analyses the frailty screenings recorded in the
// 見守り system for 高齢福祉担当 (spec §3(4)イ(ウ)): the distribution of
// robust / prefrail / frail by area, age band and sex, the prevalence of the
// 事業対象者 criteria and of the 後期高齢者の質問票 items, and the change over
// time per person and per area. It is pure: plain values in, plain values out.
package frailtystats

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/frailty"
)

// Instruments, as stored.
const (
	Kihon = "kihon"
	Kouki = "kouki"
)

// Assessment is one recorded screening with what the analysis needs to know
// about the person on that day.
type Assessment struct {
	Target     string // the watch target (one person)
	Area       string // area id; "" when unknown
	AssessedOn civil.Date
	BirthDate  civil.Date // zero when unknown
	Sex        string     // "male", "female" or ""
	Instrument string     // Kihon or Kouki
	Total      int        // kihon: 0–25
	Criteria   frailty.Criteria
	Jigyo      bool
	Flags      []int // kouki: the items of concern
}

// Period groups assessment days for the trend tables.
type Period string

const (
	FiscalYear Period = "fy"   // 年度 (April–March)
	HalfYear   Period = "half" // 上期 April–September, 下期 October–March
)

// Options tune an analysis.
type Options struct {
	// Cutoffs classify each kihon total. Classes are recomputed, not read
	// from the records, so a change of cut-offs applies to old records too
	// and every table uses one rule.
	Cutoffs   frailty.Cutoffs
	Period    Period
	AreaNames map[string]string // area id → name, for labels
}

// Dist is the robust / prefrail / frail split of one group.
type Dist struct {
	Key      string  `json:"key"`
	Label    string  `json:"label"`
	Total    int     `json:"total"`
	Robust   int     `json:"robust"`
	Prefrail int     `json:"prefrail"`
	Frail    int     `json:"frail"`
	Jigyo    int     `json:"jigyoTaishosha"`
	FrailPct float64 `json:"frailPct"` // frail ÷ total × 100
}

func (d *Dist) add(c frailty.Class, jigyo bool) {
	d.Total++
	switch c {
	case frailty.Frail:
		d.Frail++
	case frailty.Prefrail:
		d.Prefrail++
	default:
		d.Robust++
	}
	if jigyo {
		d.Jigyo++
	}
	d.FrailPct = pct(d.Frail, d.Total)
}

// Prevalence is how many of the people screened meet one criterion or flag
// one item.
type Prevalence struct {
	Key   string  `json:"key"`
	Label string  `json:"label"`
	Count int     `json:"count"`
	Pct   float64 `json:"pct"`
}

// Change compares a person's first and latest checklist in the range.
type Change string

const (
	Improved Change = "improved"
	Same     Change = "same"
	Worse    Change = "worse"
)

// TargetChange is one person's first and latest checklist.
type TargetChange struct {
	Target      string        `json:"target"`
	Area        string        `json:"area"`
	AreaLabel   string        `json:"areaLabel"`
	FirstOn     string        `json:"firstOn"`
	FirstTotal  int           `json:"firstTotal"`
	FirstClass  frailty.Class `json:"firstClass"`
	LatestOn    string        `json:"latestOn"`
	LatestTotal int           `json:"latestTotal"`
	LatestClass frailty.Class `json:"latestClass"`
	Change      Change        `json:"change"`
}

// ChangeCount sums the changes of a group.
type ChangeCount struct {
	Key      string `json:"key"`
	Label    string `json:"label"`
	Improved int    `json:"improved"`
	Same     int    `json:"same"`
	Worse    int    `json:"worse"`
}

func (c *ChangeCount) add(ch Change) {
	switch ch {
	case Improved:
		c.Improved++
	case Worse:
		c.Worse++
	default:
		c.Same++
	}
}

// PeriodDist is the split of one area (or of all, Key "") in one period.
type PeriodDist struct {
	Period string `json:"period"`
	Dist
}

// Report is the whole analysis.
type Report struct {
	Assessments   int            `json:"assessments"`  // records in the range, both instruments
	KihonTargets  int            `json:"kihonTargets"` // people with a checklist
	KoukiTargets  int            `json:"koukiTargets"` // people with a questionnaire
	Overall       Dist           `json:"overall"`
	ByArea        []Dist         `json:"byArea"`
	ByAgeBand     []Dist         `json:"byAgeBand"`
	BySex         []Dist         `json:"bySex"`
	Criteria      []Prevalence   `json:"criteria"`
	KoukiItems    []Prevalence   `json:"koukiItems"`
	Changes       ChangeCount    `json:"changes"`
	ChangesByArea []ChangeCount  `json:"changesByArea"`
	TargetChanges []TargetChange `json:"targetChanges"`
	Periods       []string       `json:"periods"`
	Trend         []PeriodDist   `json:"trend"` // per period: all areas (key "") first, then each area
}

// Analyse computes the report. The cross-sections (area, age band, sex,
// criteria, questionnaire items) use each person's latest assessment of the
// instrument, so a person screened twice counts once; the trend uses each
// person's latest checklist within each period.
func Analyse(in []Assessment, opt Options) Report {
	a := analysis{opt: opt, rep: Report{Assessments: len(in)}}
	latestKihon, latestKouki, firstKihon := map[string]*Assessment{}, map[string]*Assessment{}, map[string]*Assessment{}
	perPeriod := map[periodKey]*Assessment{}
	for i := range in {
		x := &in[i]
		switch x.Instrument {
		case Kihon:
			keepLatest(latestKihon, x.Target, x)
			keepFirst(firstKihon, x.Target, x)
			keepLatest(perPeriod, periodKey{a.period(x.AssessedOn), x.Target}, x)
		case Kouki:
			keepLatest(latestKouki, x.Target, x)
		}
	}
	a.crossSection(sortedValues(latestKihon))
	a.koukiItems(sortedValues(latestKouki))
	a.changes(firstKihon, latestKihon)
	a.trend(perPeriod)
	return a.rep
}

type analysis struct {
	opt Options
	rep Report
}

type periodKey struct{ period, target string }

// keepLatest keeps the later assessment per key; on the same day the later
// record in the input (the one entered last) wins.
func keepLatest[K comparable](m map[K]*Assessment, k K, x *Assessment) {
	if cur, ok := m[k]; !ok || !x.AssessedOn.Before(cur.AssessedOn) {
		m[k] = x
	}
}

func keepFirst[K comparable](m map[K]*Assessment, k K, x *Assessment) {
	if cur, ok := m[k]; !ok || x.AssessedOn.Before(cur.AssessedOn) {
		m[k] = x
	}
}

// sortedValues gives a deterministic order (by target) to map values.
func sortedValues[K comparable](m map[K]*Assessment) []*Assessment {
	out := make([]*Assessment, 0, len(m))
	for _, x := range m {
		out = append(out, x)
	}
	slices.SortFunc(out, func(a, b *Assessment) int {
		return cmp.Or(cmp.Compare(a.Target, b.Target), a.AssessedOn.Compare(b.AssessedOn))
	})
	return out
}

func (a *analysis) class(x *Assessment) frailty.Class { return a.opt.Cutoffs.Classify(x.Total) }

func (a *analysis) areaLabel(id string) string {
	if id == "" {
		return "地区不明"
	}
	return cmp.Or(a.opt.AreaNames[id], id)
}

func (a *analysis) crossSection(latest []*Assessment) {
	r := &a.rep
	r.KihonTargets = len(latest)
	r.Overall = Dist{Key: "", Label: "全体"}
	byArea, bySex := groups{}, groups{}
	byBand := groups{}
	for _, b := range AgeBands {
		byBand.get(b.Key, b.Label)
	}
	for _, s := range sexes {
		bySex.get(s.key, s.label)
	}
	crit := make([]int, len(CriteriaLabels))
	for _, x := range latest {
		c := a.class(x)
		r.Overall.add(c, x.Jigyo)
		byArea.get(x.Area, a.areaLabel(x.Area)).add(c, x.Jigyo)
		band := ageBand(x.BirthDate, x.AssessedOn)
		byBand.get(band.Key, band.Label).add(c, x.Jigyo)
		s := sexOf(x.Sex)
		bySex.get(s.key, s.label).add(c, x.Jigyo)
		for i, met := range criteriaOf(x) {
			if met {
				crit[i]++
			}
		}
	}
	r.ByArea = byArea.sortedByLabel()
	r.ByAgeBand = byBand.inOrder()
	r.BySex = bySex.inOrder()
	r.Criteria = make([]Prevalence, len(CriteriaLabels))
	for i, l := range CriteriaLabels {
		r.Criteria[i] = Prevalence{Key: l.Key, Label: l.Label, Count: crit[i], Pct: pct(crit[i], len(latest))}
	}
}

func (a *analysis) koukiItems(latest []*Assessment) {
	a.rep.KoukiTargets = len(latest)
	counts := make([]int, len(frailty.KoukiItems))
	for _, x := range latest {
		for _, no := range x.Flags {
			if no >= 1 && no <= len(counts) {
				counts[no-1]++
			}
		}
	}
	a.rep.KoukiItems = make([]Prevalence, len(counts))
	for i, it := range frailty.KoukiItems {
		a.rep.KoukiItems[i] = Prevalence{Key: strconv.Itoa(it.No), Label: strconv.Itoa(it.No) + " " + it.Category + "：" + it.Question, Count: counts[i], Pct: pct(counts[i], len(latest))}
	}
}

// changes compares first and latest checklists of the people screened on
// two or more days: the class decides (a move within a class is "same").
func (a *analysis) changes(first, latest map[string]*Assessment) {
	r := &a.rep
	r.Changes = ChangeCount{Key: "", Label: "全体"}
	byArea := map[string]*ChangeCount{}
	r.TargetChanges = []TargetChange{}
	for _, l := range sortedValues(latest) {
		f := first[l.Target]
		if !f.AssessedOn.Before(l.AssessedOn) {
			continue
		}
		fc, lc := a.class(f), a.class(l)
		ch := Same
		switch d := classRank(lc) - classRank(fc); {
		case d < 0:
			ch = Improved
		case d > 0:
			ch = Worse
		}
		r.TargetChanges = append(r.TargetChanges, TargetChange{
			Target: l.Target, Area: l.Area, AreaLabel: a.areaLabel(l.Area),
			FirstOn: f.AssessedOn.String(), FirstTotal: f.Total, FirstClass: fc,
			LatestOn: l.AssessedOn.String(), LatestTotal: l.Total, LatestClass: lc, Change: ch,
		})
		r.Changes.add(ch)
		if byArea[l.Area] == nil {
			byArea[l.Area] = &ChangeCount{Key: l.Area, Label: a.areaLabel(l.Area)}
		}
		byArea[l.Area].add(ch)
	}
	r.ChangesByArea = []ChangeCount{}
	for _, c := range byArea {
		r.ChangesByArea = append(r.ChangesByArea, *c)
	}
	slices.SortFunc(r.ChangesByArea, func(x, y ChangeCount) int { return cmp.Or(cmp.Compare(x.Label, y.Label), cmp.Compare(x.Key, y.Key)) })
}

func classRank(c frailty.Class) int {
	switch c {
	case frailty.Frail:
		return 2
	case frailty.Prefrail:
		return 1
	}
	return 0
}

// trend splits each period's latest checklists per person by area.
func (a *analysis) trend(perPeriod map[periodKey]*Assessment) {
	type cell struct{ period, area string }
	all := map[string]*Dist{}
	byArea := map[cell]*Dist{}
	for k, x := range perPeriod {
		c := a.class(x)
		if all[k.period] == nil {
			all[k.period] = &Dist{Key: "", Label: "全体"}
		}
		all[k.period].add(c, x.Jigyo)
		ck := cell{k.period, x.Area}
		if byArea[ck] == nil {
			byArea[ck] = &Dist{Key: x.Area, Label: a.areaLabel(x.Area)}
		}
		byArea[ck].add(c, x.Jigyo)
	}
	r := &a.rep
	r.Periods = []string{}
	for p := range all {
		r.Periods = append(r.Periods, p)
	}
	slices.Sort(r.Periods)
	r.Trend = []PeriodDist{}
	for _, p := range r.Periods {
		r.Trend = append(r.Trend, PeriodDist{Period: p, Dist: *all[p]})
		var areas []PeriodDist
		for ck, d := range byArea {
			if ck.period == p {
				areas = append(areas, PeriodDist{Period: p, Dist: *d})
			}
		}
		slices.SortFunc(areas, func(x, y PeriodDist) int { return cmp.Or(cmp.Compare(x.Label, y.Label), cmp.Compare(x.Key, y.Key)) })
		r.Trend = append(r.Trend, areas...)
	}
}

// period names the period of a day: "2026年度" or "2026年度上期".
func (a *analysis) period(d civil.Date) string {
	fy := strconv.Itoa(civil.FiscalYear(d)) + "年度"
	if a.opt.Period != HalfYear {
		return fy
	}
	if d.Month >= 4 && d.Month <= 9 {
		return fy + "上期"
	}
	return fy + "下期"
}

// groups collects Dists by key, remembering the order keys were first seen.
type groups struct {
	order []string
	m     map[string]*Dist
}

func (g *groups) get(key, label string) *Dist {
	if g.m == nil {
		g.m = map[string]*Dist{}
	}
	d, ok := g.m[key]
	if !ok {
		d = &Dist{Key: key, Label: label}
		g.m[key] = d
		g.order = append(g.order, key)
	}
	return d
}

func (g *groups) inOrder() []Dist {
	out := make([]Dist, 0, len(g.order))
	for _, k := range g.order {
		out = append(out, *g.m[k])
	}
	return out
}

func (g *groups) sortedByLabel() []Dist {
	out := g.inOrder()
	slices.SortFunc(out, func(x, y Dist) int { return cmp.Or(cmp.Compare(x.Label, y.Label), cmp.Compare(x.Key, y.Key)) })
	return out
}

func pct(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(int(float64(n)*1000/float64(of)+0.5)) / 10
}
