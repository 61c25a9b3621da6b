package billing

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/fees"
)

// Amounts are Saijo's FY2026 table (domain-data.md §5.6). October 2026 uses
// the FY2026 tax; a child born 2025-06-01 is in the 0歳児クラス, one born
// 2024-05-01 in the 1歳児クラス and one born 2022-06-01 in the 4歳児クラス.
var (
	october = civil.Date{Year: 2026, Month: time.October, Day: 1}
	baby    = civil.Date{Year: 2025, Month: time.June, Day: 1}
	toddler = civil.Date{Year: 2024, Month: time.May, Day: 1}
	older   = civil.Date{Year: 2022, Month: time.June, Day: 1}
	april   = civil.Date{Year: 2026, Month: time.April, Day: 1}
)

func table(t testing.TB) fees.Table {
	tb, err := fees.Saijo(2026)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// settings are the demo defaults: 07:00 start, 30-minute units at 200円,
// at most 4,000円 a month, 副食費 4,500円.
func settings() Settings {
	return Settings{
		StandardFrom: Clock{7 * time.Hour, true}, ShortFrom: Clock{8*time.Hour + 30*time.Minute, true},
		ExtensionUnit: 30 * time.Minute, ExtensionPrice: 200, ExtensionCap: 4000, SideDish: 4500,
	}
}

func enrol(child, household, nursery string, birth civil.Date) Enrolment {
	return Enrolment{Child: child, ChildName: child + "ちゃん", Birth: birth, Household: household, Nursery: nursery,
		Hours: fees.Standard, CertifiedHours: 11, Start: april}
}

func taxed(tax int) Assessment { return Assessment{Income: fees.Income{IncomeTax: tax, TaxYear: 2026}} }

func input(t testing.TB, enrolments ...Enrolment) Input {
	return Input{
		Month: october, Table: table(t), Policy: fees.NationalPolicy(),
		Settings:    map[string]Settings{"n1": settings(), "n2": settings()},
		Enrolments:  enrolments,
		Assessments: map[string]Assessment{"h1": taxed(100_000), "h2": taxed(100_000)},
		Attendance:  map[string][]Attendance{},
	}
}

// at is an instant on an October day in Tokyo.
func at(day, hour, minute int) time.Time {
	return time.Date(2026, time.October, day, hour, minute, 0, 0, civil.Tokyo)
}

func mustRun(t *testing.T, in Input) []Invoice {
	t.Helper()
	out, err := Run(in)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func find(t *testing.T, invs []Invoice, household, nursery string) Invoice {
	t.Helper()
	for _, inv := range invs {
		if inv.Household == household && inv.Nursery == nursery {
			return inv
		}
	}
	t.Fatalf("no invoice for %s at %s in %+v", household, nursery, invs)
	return Invoice{}
}

func line(inv Invoice, kind, child string) (Line, bool) {
	for _, l := range inv.Lines {
		if l.Kind == kind && l.Child == child {
			return l, true
		}
	}
	return Line{}, false
}

func codes(inv Invoice) []string {
	var out []string
	for _, w := range inv.Warnings {
		out = append(out, w.Code)
	}
	return out
}

func TestMonthlyFees(t *testing.T) {
	cases := []struct {
		name       string
		enrolments []Enrolment
		assess     map[string]Assessment
		children   map[string]map[string]civil.Date
		nursery    string // bill only this one
		// want: household/nursery/child -> kind -> yen
		want map[[3]string]map[string]int
	}{
		{
			name:       "one child, C8, standard hours",
			enrolments: []Enrolment{enrol("a", "h1", "n1", toddler)},
			want:       map[[3]string]map[string]int{{"h1", "n1", "a"}: {KindHoikuryo: 33000}},
		},
		{
			name:       "siblings in two nurseries: the younger is the second child, half price",
			enrolments: []Enrolment{enrol("b", "h1", "n2", baby), enrol("a", "h1", "n1", toddler)},
			want: map[[3]string]map[string]int{
				{"h1", "n1", "a"}: {KindHoikuryo: 33000},
				{"h1", "n2", "b"}: {KindHoikuryo: 16500},
			},
		},
		{
			name:       "billing one nursery still counts the sibling in the other",
			enrolments: []Enrolment{enrol("b", "h1", "n2", baby), enrol("a", "h1", "n1", toddler)},
			nursery:    "n2",
			want:       map[[3]string]map[string]int{{"h1", "n2", "b"}: {KindHoikuryo: 16500}},
		},
		{
			name: "third child free; the 4歳児 counts as the eldest and pays 副食費",
			enrolments: []Enrolment{
				enrol("c", "h1", "n1", older), enrol("a", "h1", "n1", toddler), enrol("b", "h1", "n1", baby),
			},
			want: map[[3]string]map[string]int{
				{"h1", "n1", "c"}: {KindHoikuryo: 0, KindSideDish: 4500},
				{"h1", "n1", "a"}: {KindHoikuryo: 16500},
				{"h1", "n1", "b"}: {KindHoikuryo: 0},
			},
		},
		{
			name:       "副食費 exempt below 57,700円 所得割",
			enrolments: []Enrolment{enrol("c", "h1", "n1", older)},
			assess:     map[string]Assessment{"h1": taxed(50_000)},
			want:       map[[3]string]map[string]int{{"h1", "n1", "c"}: {KindHoikuryo: 0, KindSideDish: 0}},
		},
		{
			name:       "low income: an elder child at school makes the baby the second child",
			enrolments: []Enrolment{enrol("b", "h1", "n1", baby)},
			assess:     map[string]Assessment{"h1": taxed(50_000)},
			children:   map[string]map[string]civil.Date{"h1": {"b": baby, "schoolkid": {Year: 2018, Month: time.May, Day: 5}}},
			want:       map[[3]string]map[string]int{{"h1", "n1", "b"}: {KindHoikuryo: 10900}},
		},
		{
			name:       "not low income: the school child does not count",
			enrolments: []Enrolment{enrol("b", "h1", "n1", baby)},
			children:   map[string]map[string]civil.Date{"h1": {"b": baby, "schoolkid": {Year: 2018, Month: time.May, Day: 5}}},
			want:       map[[3]string]map[string]int{{"h1", "n1", "b"}: {KindHoikuryo: 33000}},
		},
		{
			name:       "tier B: the second child is free",
			enrolments: []Enrolment{enrol("a", "h1", "n1", toddler), enrol("b", "h1", "n2", baby)},
			assess:     map[string]Assessment{"h1": {Income: fees.Income{TaxExempt: true}}},
			want: map[[3]string]map[string]int{
				{"h1", "n1", "a"}: {KindHoikuryo: 0},
				{"h1", "n2", "b"}: {KindHoikuryo: 0},
			},
		},
		{
			name: "left on the 10th: the whole month is due",
			enrolments: []Enrolment{func() Enrolment {
				e := enrol("a", "h1", "n1", toddler)
				e.End = civil.Date{Year: 2026, Month: time.October, Day: 10}
				return e
			}()},
			want: map[[3]string]map[string]int{{"h1", "n1", "a"}: {KindHoikuryo: 33000}},
		},
		{
			name:       "a missing assessment bills the provisional highest tier (C12)",
			enrolments: []Enrolment{enrol("a", "h3", "n1", toddler)},
			want:       map[[3]string]map[string]int{{"h3", "n1", "a"}: {KindHoikuryo: 50000}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := input(t, c.enrolments...)
			if c.assess != nil {
				in.Assessments = c.assess
			}
			in.Children = c.children
			in.Nursery = c.nursery
			invs := mustRun(t, in)
			seen := map[[2]string]bool{}
			for k, kinds := range c.want {
				seen[[2]string{k[0], k[1]}] = true
				inv := find(t, invs, k[0], k[1])
				for kind, yen := range kinds {
					l, ok := line(inv, kind, k[2])
					if !ok || l.Yen != yen {
						t.Errorf("%v %s = %+v (found %v), want %d yen", k, kind, l, ok, yen)
					}
				}
			}
			if len(invs) != len(seen) {
				t.Errorf("got %d invoices, want %d: %+v", len(invs), len(seen), invs)
			}
			for _, inv := range invs {
				sum := 0
				for _, l := range inv.Lines {
					sum += l.Yen
				}
				if sum != inv.Total {
					t.Errorf("total %d is not the sum of the lines %d", inv.Total, sum)
				}
			}
		})
	}
}

func TestMissingAssessmentIsHeld(t *testing.T) {
	inv := mustRun(t, input(t, enrol("a", "h3", "n1", toddler)))[0]
	if !slices.Equal(codes(inv), []string{WarnMissingAssessment}) || !inv.Held() {
		t.Fatalf("warnings %+v", inv.Warnings)
	}
	l, _ := line(inv, KindHoikuryo, "a")
	if !slices.Contains(l.Notes, "市民税の情報がないため仮の額（最高階層）です。") {
		t.Errorf("the line does not say the fee is provisional: %v", l.Notes)
	}
}

func TestExtendedCare(t *testing.T) {
	cases := []struct {
		name      string
		hours     fees.Hours
		days      []Attendance
		units     int
		yen       int
		warnings  []string
		noLineWhy string
	}{
		{
			name: "20 minutes late and 20 minutes early are a unit each",
			days: []Attendance{
				{Nursery: "n1", In: at(1, 7, 30), Out: at(1, 18, 20)},
				{Nursery: "n1", In: at(2, 6, 40), Out: at(2, 17, 0)},
				{Nursery: "n1", In: at(3, 8, 0), Out: at(3, 18, 0)}, // on time
			},
			units: 2, yen: 400,
		},
		{
			name:  "short hours end at 16:30",
			hours: fees.Short,
			days:  []Attendance{{Nursery: "n1", In: at(5, 8, 30), Out: at(5, 17, 15)}},
			units: 2, yen: 400,
		},
		{
			name: "the monthly cap",
			days: func() []Attendance {
				var out []Attendance
				for d := 1; d <= 25; d++ {
					out = append(out, Attendance{Nursery: "n1", In: at(d, 7, 0), Out: at(d, 19, 0)})
				}
				return out
			}(),
			units: 50, yen: 4000,
		},
		{
			name: "a missing checkout is flagged and not billed",
			days: []Attendance{
				{Nursery: "n1", In: at(1, 7, 30), Out: at(1, 18, 20)},
				{Nursery: "n1", In: at(2, 7, 30)},
			},
			units: 1, yen: 200, warnings: []string{WarnMissingCheckout},
		},
		{
			name: "a checkout without a checkin is flagged; an empty day is an absence",
			days: []Attendance{
				{Nursery: "n1", Date: civil.Date{Year: 2026, Month: time.October, Day: 6}, Out: at(6, 18, 0)},
				{Nursery: "n1", Date: civil.Date{Year: 2026, Month: time.October, Day: 7}},
			},
			warnings: []string{WarnMissingCheckin}, noLineWhy: "nothing billable",
		},
		{
			name:      "attendance at another nursery is that nursery's",
			days:      []Attendance{{Nursery: "n2", In: at(1, 7, 30), Out: at(1, 19, 0)}},
			noLineWhy: "not this nursery",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := enrol("a", "h1", "n1", toddler)
			if c.hours != "" {
				e.Hours, e.CertifiedHours = c.hours, 8
			}
			in := input(t, e)
			in.Attendance["a"] = c.days
			inv := find(t, mustRun(t, in), "h1", "n1")
			l, ok := line(inv, KindExtension, "a")
			switch {
			case c.noLineWhy != "" && ok:
				t.Errorf("extension billed (%+v) though %s", l, c.noLineWhy)
			case c.noLineWhy == "" && (!ok || l.Quantity != c.units || l.Yen != c.yen):
				t.Errorf("extension %+v, want %d units, %d yen", l, c.units, c.yen)
			}
			if got := codes(inv); !slices.Equal(got, c.warnings) {
				t.Errorf("warnings %v, want %v", got, c.warnings)
			}
			if len(c.warnings) > 0 && !inv.Held() {
				t.Error("an attendance problem must hold the invoice")
			}
		})
	}
}

func TestMidMonthStart(t *testing.T) {
	e := enrol("a", "h1", "n1", toddler)
	e.Start = civil.Date{Year: 2026, Month: time.October, Day: 15}
	in := input(t, e)
	in.Attendance["a"] = []Attendance{{Nursery: "n1", In: at(15, 7, 0), Out: at(15, 18, 30)}}
	inv := mustRun(t, in)[0]
	if _, ok := line(inv, KindHoikuryo, "a"); ok {
		t.Error("a child starting on the 15th pays no 保育料 for the month")
	}
	if l, ok := line(inv, KindExtension, "a"); !ok || l.Yen != 200 {
		t.Errorf("extended care is billed from the first day: %+v", l)
	}
	if !slices.Equal(codes(inv), []string{WarnMidMonthStart}) || inv.Held() {
		t.Errorf("warnings %+v: a note, not a hold", inv.Warnings)
	}

	in.Attendance = nil
	inv = mustRun(t, in)[0]
	if len(inv.Lines) != 0 || !slices.Equal(codes(inv), []string{WarnMidMonthStart, WarnNoCharges}) || !inv.Held() {
		t.Errorf("an invoice with nothing to bill is held: %+v", inv)
	}
}

func TestPhotos(t *testing.T) {
	in := input(t, enrol("a", "h1", "n1", toddler))
	in.Photos = []PhotoOrder{
		{ID: "p2", Household: "h1", Nursery: "n1", Total: 300},
		{ID: "p1", Household: "h1", Nursery: "n1", Total: 1200},
		{ID: "p3", Household: "h2", Nursery: "n2", Total: 500}, // no child there: an invoice of its own
	}
	invs := mustRun(t, in)
	inv := find(t, invs, "h1", "n1")
	if l, ok := line(inv, KindPhotos, ""); !ok || l.Yen != 1500 || l.Quantity != 2 {
		t.Errorf("photos line %+v", l)
	}
	if !slices.Equal(inv.PhotoOrders, []string{"p1", "p2"}) || inv.Total != 33000+1500 {
		t.Errorf("invoice %+v", inv)
	}
	if other := find(t, invs, "h2", "n2"); other.Total != 500 {
		t.Errorf("photo-only invoice %+v", other)
	}
}

func TestEnrolledTwiceBillsOnce(t *testing.T) {
	invs := mustRun(t, input(t, enrol("a", "h1", "n1", toddler), enrol("a", "h1", "n2", toddler)))
	if _, ok := line(find(t, invs, "h1", "n1"), KindHoikuryo, "a"); !ok {
		t.Error("the first nursery bills the fee")
	}
	second := find(t, invs, "h1", "n2")
	if _, ok := line(second, KindHoikuryo, "a"); ok || !slices.Equal(codes(second), []string{WarnEnrolledTwice}) {
		t.Errorf("the second nursery must not bill it again: %+v", second)
	}
}

// The same month computed twice, from input in any order, gives the same
// invoices: a rerun changes nothing.
func TestRunIsDeterministic(t *testing.T) {
	enrolments := []Enrolment{
		enrol("c", "h1", "n1", older), enrol("a", "h1", "n1", toddler), enrol("b", "h1", "n2", baby),
		enrol("d", "h2", "n1", toddler), enrol("e", "h2", "n1", toddler),
	}
	in := input(t, enrolments...)
	in.Attendance["a"] = []Attendance{{Nursery: "n1", In: at(1, 6, 0), Out: at(1, 19, 0)}, {Nursery: "n1", In: at(2, 7, 0)}}
	in.Photos = []PhotoOrder{{ID: "p1", Household: "h2", Nursery: "n1", Total: 900}, {ID: "p2", Household: "h2", Nursery: "n1", Total: 100}}
	want := mustRun(t, in)
	for i := range 20 {
		r := rand.New(rand.NewPCG(uint64(i), 1))
		shuffled := in
		shuffled.Enrolments = slices.Clone(enrolments)
		r.Shuffle(len(shuffled.Enrolments), func(i, j int) {
			shuffled.Enrolments[i], shuffled.Enrolments[j] = shuffled.Enrolments[j], shuffled.Enrolments[i]
		})
		shuffled.Photos = []PhotoOrder{in.Photos[1], in.Photos[0]}
		if got := mustRun(t, shuffled); !reflect.DeepEqual(got, want) {
			t.Fatalf("run %d differs:\n%+v\nwant\n%+v", i, got, want)
		}
	}
	// Twins (d, e) are ordered by id: d first, e half.
	h2 := find(t, want, "h2", "n1")
	if l, _ := line(h2, KindHoikuryo, "e"); l.Yen != 16500 {
		t.Errorf("the younger twin by id pays %d", l.Yen)
	}
}

func TestNoFeeTable(t *testing.T) {
	in := input(t, enrol("a", "h1", "n1", toddler))
	in.Month = civil.Date{Year: 2027, Month: time.April, Day: 1}
	if _, err := Run(in); !errors.Is(err, ErrNoFeeTable) {
		t.Fatalf("err = %v, want ErrNoFeeTable", err)
	}
}

func TestParseClock(t *testing.T) {
	c, err := ParseClock("08:30")
	if err != nil || c != (Clock{8*time.Hour + 30*time.Minute, true}) {
		t.Errorf("08:30 = %+v, %v", c, err)
	}
	if c, err := ParseClock(""); err != nil || c.Set {
		t.Errorf("empty = %+v, %v", c, err)
	}
	if _, err := ParseClock("8h"); err == nil {
		t.Error("8h parsed")
	}
}
