package audience

import (
	"slices"
	"testing"

	"github.com/saijo-dx/lifestage/civil"
)

func d(s string) civil.Date {
	v, err := civil.Parse(s)
	if err != nil {
		panic(err)
	}
	return v
}

func n(v int) *int { return &v }

func TestAgeMatches(t *testing.T) {
	cases := []struct {
		name       string
		birth, day string
		min, max   *int
		want       bool
	}{
		// 「生後3月」 of a child born 04-02 is 07-01 (MonthBoundary).
		{"day before 3 months", "2026-04-02", "2026-06-30", n(3), n(4), false},
		{"reaches 3 months", "2026-04-02", "2026-07-01", n(3), n(4), true},
		{"last day of 4 months", "2026-04-02", "2026-08-31", n(3), n(4), true},
		{"reaches 5 months", "2026-04-02", "2026-09-01", n(3), n(4), false},
		// Born on a month end: February has no 30th, so 3 months is 02-28.
		{"month-end birth, Feb 27", "2025-11-30", "2026-02-27", n(3), n(3), false},
		{"month-end birth, Feb 28", "2025-11-30", "2026-02-28", n(3), n(3), true},
		{"month-end birth, day before 4 months", "2025-11-30", "2026-03-28", n(3), n(3), true},
		{"month-end birth, 4 months", "2025-11-30", "2026-03-29", n(3), n(3), false},
		{"open minimum", "2026-01-10", "2026-01-10", nil, n(0), true},
		{"open maximum", "2015-05-05", "2026-01-10", n(12), nil, true},
		{"no range at all", "2020-05-05", "2026-01-10", nil, nil, true},
		{"not yet born", "2026-02-01", "2026-01-10", nil, nil, false},
		{"1 year is 12 months on the legal birthday eve", "2025-03-15", "2026-03-14", n(12), nil, true},
		{"11 months the day before", "2025-03-15", "2026-03-13", n(12), nil, false},
	}
	for _, c := range cases {
		if got := AgeMatches(d(c.birth), d(c.day), c.min, c.max); got != c.want {
			t.Errorf("%s: AgeMatches(%s, %s) = %v, want %v", c.name, c.birth, c.day, got, c.want)
		}
	}
}

func TestCheck(t *testing.T) {
	cases := []struct {
		name  string
		a     Audience
		codes []string
	}{
		{"all", Audience{All: true}, nil},
		{"all ignores the rest", Audience{All: true, MinAgeMonths: n(9), MaxAgeMonths: n(1)}, nil},
		{"empty", Audience{}, []string{"empty_audience"}},
		{"age", Audience{MinAgeMonths: n(3), MaxAgeMonths: n(4)}, nil},
		{"reversed", Audience{MinAgeMonths: n(5), MaxAgeMonths: n(4)}, []string{"age_range"}},
		{"negative", Audience{MinAgeMonths: n(-1)}, []string{"age_out_of_range"}},
		{"too old", Audience{MaxAgeMonths: n(300)}, []string{"age_out_of_range"}},
		{"area only", Audience{Areas: []string{"a"}}, nil},
		{"nursery only", Audience{Nurseries: []string{"x"}}, nil},
	}
	for _, c := range cases {
		var codes []string
		for _, p := range Check(c.a) {
			codes = append(codes, p.Code)
		}
		if !slices.Equal(codes, c.codes) {
			t.Errorf("%s: codes %v, want %v", c.name, codes, c.codes)
		}
	}
}

func TestRecipients(t *testing.T) {
	day := d("2026-07-10")
	citizens := []Citizen{{"p1", "east"}, {"p2", "west"}, {"p3", ""}, {"m1", "west"}, {"p4", "east"}}
	children := []Child{
		// 3 months old, own area east
		{ID: "baby", BirthDate: d("2026-04-02"), Area: "east", Guardians: []string{"p1"}, Managers: []string{"m1"}},
		// 3 years old, no area of its own: guardian p2 lives west
		{ID: "toddler", BirthDate: d("2023-05-01"), Guardians: []string{"p2"}},
		// 5 years old, area west, guardian with a deleted account "gone"
		{ID: "older", BirthDate: d("2021-01-01"), Area: "west", Guardians: []string{"p3", "gone"}},
		// 3 months old in the west, a second family
		{ID: "baby2", BirthDate: d("2026-03-25"), Area: "west", Guardians: []string{"p4"}},
	}
	enrolments := []Enrolment{
		{Child: "toddler", Nursery: "n1", Start: d("2024-04-01")},
		{Child: "older", Nursery: "n1", Start: d("2022-04-01"), End: d("2026-03-31")}, // left
		{Child: "older", Nursery: "n2", Start: d("2026-04-01")},
		{Child: "baby2", Nursery: "n1", Start: d("2026-08-01")}, // not yet
	}
	cases := []struct {
		name string
		a    Audience
		want []string
	}{
		{"all citizens", Audience{All: true}, []string{"m1", "p1", "p2", "p3", "p4"}},
		{"3-4 months", Audience{MinAgeMonths: n(3), MaxAgeMonths: n(4)}, []string{"m1", "p1", "p4"}},
		{"area east by the child's own area", Audience{Areas: []string{"east"}}, []string{"m1", "p1"}},
		{"area west through the guardian", Audience{Areas: []string{"west"}}, []string{"p2", "p3", "p4"}},
		{"areas are OR", Audience{Areas: []string{"east", "west"}}, []string{"m1", "p1", "p2", "p3", "p4"}},
		{"nursery n1 now", Audience{Nurseries: []string{"n1"}}, []string{"p2"}},
		{"nurseries are OR", Audience{Nurseries: []string{"n1", "n2"}}, []string{"p2", "p3"}},
		{"age AND area", Audience{MinAgeMonths: n(3), MaxAgeMonths: n(4), Areas: []string{"west"}}, []string{"p4"}},
		{"age AND nursery: nobody", Audience{MaxAgeMonths: n(12), Nurseries: []string{"n1"}}, nil},
		{"from 36 months, west", Audience{MinAgeMonths: n(36), Areas: []string{"west"}}, []string{"p2", "p3"}},
	}
	for _, c := range cases {
		got := Recipients(c.a, day, children, enrolments, citizens)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
