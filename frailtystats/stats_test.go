package frailtystats

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/frailty"
)

func day(s string) civil.Date {
	d, err := civil.Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// sample is four people in two areas (and one with no area, sex or birth
// date), screened in fiscal years 2025 and 2026:
//
//	t1 小松, woman born 1950-06-01: 2 (robust) → 9 (frail, ② and 事業対象者)
//	t2 小松, man born 1940-01-01: 8 (frail) → 5 (prefrail, ④); 質問票 1, 4, 5
//	t3 丹原, woman born 1958-04-02: 4 (prefrail) once; 質問票 3, then none
//	t4 no area: 0 then 3 on the same day (robust; the later record wins)
func sample() []Assessment {
	return []Assessment{
		{Target: "t1", Area: "a", Sex: "female", BirthDate: day("1950-06-01"), Instrument: Kihon, AssessedOn: day("2026-06-10"), Total: 9,
			Criteria: frailty.Criteria{Physical: true}, Jigyo: true},
		{Target: "t1", Area: "a", Sex: "female", BirthDate: day("1950-06-01"), Instrument: Kihon, AssessedOn: day("2025-05-10"), Total: 2},
		{Target: "t2", Area: "a", Sex: "male", BirthDate: day("1940-01-01"), Instrument: Kihon, AssessedOn: day("2025-11-01"), Total: 8,
			Criteria: frailty.Criteria{Multiple: true}, Jigyo: true},
		{Target: "t2", Area: "a", Sex: "male", BirthDate: day("1940-01-01"), Instrument: Kihon, AssessedOn: day("2026-10-01"), Total: 5,
			Criteria: frailty.Criteria{Oral: true}, Jigyo: true},
		{Target: "t2", Area: "a", Sex: "male", BirthDate: day("1940-01-01"), Instrument: Kouki, AssessedOn: day("2026-10-01"), Flags: []int{1, 4, 5}},
		{Target: "t3", Area: "b", Sex: "female", BirthDate: day("1958-04-02"), Instrument: Kihon, AssessedOn: day("2026-05-01"), Total: 4},
		{Target: "t3", Area: "b", Sex: "female", BirthDate: day("1958-04-02"), Instrument: Kouki, AssessedOn: day("2026-05-01"), Flags: []int{}},
		{Target: "t3", Area: "b", Sex: "female", BirthDate: day("1958-04-02"), Instrument: Kouki, AssessedOn: day("2025-05-01"), Flags: []int{3}},
		{Target: "t4", Instrument: Kihon, AssessedOn: day("2026-04-01"), Total: 0},
		{Target: "t4", Instrument: Kihon, AssessedOn: day("2026-04-01"), Total: 3},
	}
}

var names = map[string]string{"a": "小松", "b": "丹原"}

// split is a Dist written as "total robust/prefrail/frail jigyo".
func split(d Dist) string {
	return fmt.Sprintf("%s:%d %d/%d/%d j%d", d.Key, d.Total, d.Robust, d.Prefrail, d.Frail, d.Jigyo)
}

func splits(ds []Dist) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = split(d)
	}
	return out
}

func TestFrailtyStatsCrossSections(t *testing.T) {
	r := Analyse(sample(), Options{Cutoffs: frailty.DefaultCutoffs, Period: FiscalYear, AreaNames: names})
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"assessments", r.Assessments, 10},
		{"people with a checklist", r.KihonTargets, 4},
		{"people with a questionnaire", r.KoukiTargets, 2},
		{"overall", split(r.Overall), ":4 1/2/1 j2"},
		{"frail %", r.Overall.FrailPct, 25.0},
		// Sorted by name: 丹原, 地区不明, 小松.
		{"by area", splits(r.ByArea), []string{"b:1 0/1/0 j0", ":1 1/0/0 j0", "a:2 0/1/1 j2"}},
		{"by area labels", []string{r.ByArea[0].Label, r.ByArea[1].Label, r.ByArea[2].Label}, []string{"丹原", "地区不明", "小松"}},
		// Ages on the day: t3 68, t1 76, t2 86; t4 has no birth date.
		{"by age band", splits(r.ByAgeBand), []string{"under65:0 0/0/0 j0", "65-69:1 0/1/0 j0", "70-74:0 0/0/0 j0", "75-79:1 0/0/1 j1", "80-84:0 0/0/0 j0", "85+:1 0/1/0 j1", "unknown:1 1/0/0 j0"}},
		{"by sex", splits(r.BySex), []string{"female:2 0/1/1 j1", "male:1 0/1/0 j1", "unknown:1 1/0/0 j0"}},
	} {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestFrailtyStatsPrevalence(t *testing.T) {
	r := Analyse(sample(), Options{Cutoffs: frailty.DefaultCutoffs, AreaNames: names})
	// Latest checklists only: t2's earlier ① does not count.
	want := map[string]string{"multiple": "0 0", "physical": "1 25", "nutrition": "0 0", "oral": "1 25", "housebound": "0 0", "cognitive": "0 0", "depression": "0 0", "jigyoTaishosha": "2 50"}
	if len(r.Criteria) != len(want) {
		t.Fatalf("criteria: %v", r.Criteria)
	}
	for _, p := range r.Criteria {
		if got := fmt.Sprintf("%d %g", p.Count, p.Pct); got != want[p.Key] {
			t.Errorf("criterion %s: %s, want %s", p.Key, got, want[p.Key])
		}
	}
	// Latest questionnaires: t2 flags 1, 4, 5; t3's later one flags none.
	var flagged []string
	for _, p := range r.KoukiItems {
		if p.Count > 0 {
			flagged = append(flagged, fmt.Sprintf("%s:%d %g", p.Key, p.Count, p.Pct))
		}
	}
	if len(r.KoukiItems) != 15 || !slices.Equal(flagged, []string{"1:1 50", "4:1 50", "5:1 50"}) {
		t.Errorf("questionnaire items: %v of %d", flagged, len(r.KoukiItems))
	}
}

func TestFrailtyStatsChanges(t *testing.T) {
	for _, c := range []struct {
		name    string
		cutoffs frailty.Cutoffs
		want    []string // target first→latest change
		summary string
	}{
		// t3 was screened once and t4 twice on one day: neither has a change.
		{"Satake cut-offs", frailty.DefaultCutoffs, []string{"t1 robust→frail worse", "t2 frail→prefrail improved"}, "1/0/1"},
		// With frail from 5, t2's 8 and 5 are both frail.
		{"lower cut-offs", frailty.Cutoffs{PrefrailFrom: 3, FrailFrom: 5}, []string{"t1 robust→frail worse", "t2 frail→frail same"}, "0/1/1"},
	} {
		r := Analyse(sample(), Options{Cutoffs: c.cutoffs, AreaNames: names})
		var got []string
		for _, tc := range r.TargetChanges {
			got = append(got, fmt.Sprintf("%s %s→%s %s", tc.Target, tc.FirstClass, tc.LatestClass, tc.Change))
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
		if s := fmt.Sprintf("%d/%d/%d", r.Changes.Improved, r.Changes.Same, r.Changes.Worse); s != c.summary {
			t.Errorf("%s: improved/same/worse %s, want %s", c.name, s, c.summary)
		}
		if len(r.ChangesByArea) != 1 || r.ChangesByArea[0].Label != "小松" {
			t.Errorf("%s: by area %v", c.name, r.ChangesByArea)
		}
	}
	r := Analyse(sample(), Options{Cutoffs: frailty.DefaultCutoffs})
	if tc := r.TargetChanges[0]; tc.FirstOn != "2025-05-10" || tc.FirstTotal != 2 || tc.LatestOn != "2026-06-10" || tc.LatestTotal != 9 {
		t.Errorf("t1 row: %+v", tc)
	}
}

func TestFrailtyStatsTrend(t *testing.T) {
	for _, c := range []struct {
		period  Period
		periods []string
		trend   []string
	}{
		{FiscalYear, []string{"2025年度", "2026年度"}, []string{
			"2025年度 :2 1/0/1 j1", "2025年度 a:2 1/0/1 j1",
			"2026年度 :4 1/2/1 j2", "2026年度 b:1 0/1/0 j0", "2026年度 :1 1/0/0 j0", "2026年度 a:2 0/1/1 j2",
		}},
		{HalfYear, []string{"2025年度上期", "2025年度下期", "2026年度上期", "2026年度下期"}, []string{
			"2025年度上期 :1 1/0/0 j0", "2025年度上期 a:1 1/0/0 j0",
			"2025年度下期 :1 0/0/1 j1", "2025年度下期 a:1 0/0/1 j1",
			"2026年度上期 :3 1/1/1 j1", "2026年度上期 b:1 0/1/0 j0", "2026年度上期 :1 1/0/0 j0", "2026年度上期 a:1 0/0/1 j1",
			"2026年度下期 :1 0/1/0 j1", "2026年度下期 a:1 0/1/0 j1",
		}},
	} {
		r := Analyse(sample(), Options{Cutoffs: frailty.DefaultCutoffs, Period: c.period, AreaNames: names})
		var got []string
		for _, p := range r.Trend {
			got = append(got, p.Period+" "+split(p.Dist))
		}
		if !slices.Equal(r.Periods, c.periods) || !slices.Equal(got, c.trend) {
			t.Errorf("%s: periods %v trend %v\nwant %v %v", c.period, r.Periods, got, c.periods, c.trend)
		}
	}
}

func TestFrailtyStatsEmpty(t *testing.T) {
	r := Analyse(nil, Options{Cutoffs: frailty.DefaultCutoffs})
	if r.Overall.Total != 0 || r.Overall.FrailPct != 0 || len(r.ByAgeBand) != len(AgeBands) || len(r.BySex) != 2 {
		t.Errorf("empty: %+v", r)
	}
	// JSON lists, never null.
	if r.TargetChanges == nil || r.ChangesByArea == nil || r.Trend == nil || r.Periods == nil || r.ByArea == nil {
		t.Errorf("nil slices in %+v", r)
	}
}

// BenchmarkFrailtyStats analyses 10,000 assessments: 2,500 people screened
// with the checklist in four half-years (and half of them with the
// questionnaire), in 30 areas.
func BenchmarkFrailtyStats(b *testing.B) {
	in := synthetic(10000)
	b.ReportAllocs()
	for b.Loop() {
		Analyse(in, Options{Cutoffs: frailty.DefaultCutoffs, Period: HalfYear})
	}
}

// synthetic makes n assessments: people screened every half-year from
// April 2024, totals drifting, every other checklist with a questionnaire
// on the same day until n is reached.
func synthetic(n int) []Assessment {
	out := make([]Assessment, 0, n)
	for p := 0; len(out) < n; p++ {
		person := fmt.Sprintf("t%05d", p)
		area := fmt.Sprintf("a%02d", p%30)
		birth := civil.Date{Year: 1930 + p%30, Month: time.Month(1 + p%12), Day: 1 + p%28}
		sex := []string{"female", "male"}[p%2]
		for k := 0; k < 4 && len(out) < n; k++ {
			on := day("2024-05-01").AddDays(182 * k)
			total := (p*7 + k*3) % 14
			out = append(out, Assessment{Target: person, Area: area, Sex: sex, BirthDate: birth, Instrument: Kihon, AssessedOn: on,
				Total: total, Criteria: frailty.Criteria{Physical: total > 6, Depression: total > 10}, Jigyo: total > 6})
			if p%2 == 0 && len(out) < n {
				out = append(out, Assessment{Target: person, Area: area, Sex: sex, BirthDate: birth, Instrument: Kouki, AssessedOn: on, Flags: []int{1 + p%15, 1 + (p+k)%15}})
			}
		}
	}
	return out
}
