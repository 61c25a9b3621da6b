package nurserystats

import (
	"testing"

	"github.com/saijo-dx/lifestage/civil"
)

func day(s string) civil.Date {
	d, err := civil.Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestOverview(t *testing.T) {
	open := []civil.Date{day("2026-06-01"), day("2026-06-02"), day("2026-06-03"), day("2026-06-04")}
	m := Month{
		From: day("2026-06-01"), To: day("2026-06-30"),
		Classes: []Class{
			{ID: "b0", Nursery: "n2", NurseryName: "にしき保育所", Name: "ひよこ組", AgeClass: 0, Capacity: 6},
			{ID: "a1", Nursery: "n1", NurseryName: "あおば保育園", Name: "りす組", AgeClass: 1, Capacity: 2},
			{ID: "a0", Nursery: "n1", NurseryName: "あおば保育園", Name: "ひよこ組", AgeClass: 0, Capacity: 3},
		},
		Enrolments: []Enrolment{
			{Class: "a0", Start: day("2025-04-01")},                         // whole month: 4 open days
			{Class: "a0", Start: day("2026-06-03")},                         // from the 3rd: 2 open days
			{Class: "a0", Start: day("2025-04-01"), End: day("2026-06-01")}, // left after the 1st: 1 day, not enrolled at the end
			{Class: "a1", Start: day("2025-04-01")},
			{Class: "a1", Start: day("2025-04-01")},
			{Class: "a1", Start: day("2025-04-01")}, // over capacity: no negative vacancies
			{Class: "zz", Start: day("2025-04-01")}, // a class of another year: ignored
		},
		Attended: []Attended{
			{"a0", day("2026-06-01")}, {"a0", day("2026-06-02")}, {"a0", day("2026-06-03")}, {"a0", day("2026-06-04")},
			{"a0", day("2026-06-03")},
			{"a0", day("2026-06-01")},
			{"a1", day("2026-06-01")},
			{"a0", day("2026-05-31")}, // the month before: not counted
		},
		OpenDays:   map[string][]civil.Date{"n1": open, "n2": nil},
		Infections: map[string]int{"a1": 2},
	}
	want := []Row{
		{Nursery: "n1", NurseryName: "あおば保育園", Class: "a0", ClassName: "ひよこ組", AgeClass: 0, Capacity: 3, Enrolled: 2, Vacancies: 1, ChildDays: 6, Expected: 7, Rate: 6.0 / 7},
		{Nursery: "n1", NurseryName: "あおば保育園", Class: "a1", ClassName: "りす組", AgeClass: 1, Capacity: 2, Enrolled: 3, Vacancies: 0, ChildDays: 1, Expected: 12, Rate: 1.0 / 12, Infections: 2},
		{Nursery: "n2", NurseryName: "にしき保育所", Class: "b0", ClassName: "ひよこ組", AgeClass: 0, Capacity: 6, Vacancies: 6},
	}
	got := Overview(m)
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}
