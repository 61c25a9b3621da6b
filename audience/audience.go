// Package audience decides who receives a targeted announcement or survey:
// the guardians (and managing family members) of the children that match an
// audience, or every citizen for "all". It takes plain values so the rules
// can be table-tested without a database.
package audience

import (
	"slices"

	"github.com/saijo-dx/lifestage/civil"
)

// MaxAgeMonths bounds an age range: children's services end at 18 years.
const MaxAgeMonths = 18 * 12

// Audience is who an announcement is aimed at. Dimensions combine with AND;
// the values inside one dimension (several areas, several nurseries) with OR.
// All ignores every other dimension.
type Audience struct {
	All bool `json:"all"`
	// MinAgeMonths and MaxAgeMonths bound the child's age in completed months
	// on the reference day, inclusive; nil leaves that side open.
	MinAgeMonths *int     `json:"minAgeMonths,omitempty"`
	MaxAgeMonths *int     `json:"maxAgeMonths,omitempty"`
	Areas        []string `json:"areas,omitempty"`
	Nurseries    []string `json:"nurseries,omitempty"`
}

// Child is what targeting needs to know about a child.
type Child struct {
	ID        string
	BirthDate civil.Date
	Area      string // the child's own area; "" when unknown
	// Guardians and Managers receive the child's announcements. Family
	// members with view access only do not: the guardians decide, as with
	// reminders.
	Guardians []string
	Managers  []string
}

// Enrolment is a nursery place; an open End (zero) means still enrolled.
type Enrolment struct {
	Child, Nursery string
	Start, End     civil.Date
}

// Citizen is a citizen account and the area it lives in.
type Citizen struct {
	ID, Area string
}

// Problem is one invalid part of an audience, with a stable code.
type Problem struct {
	Field, Code, Message string
}

// Check reports what is wrong with an audience. An audience that targets
// nobody in particular and is not "all" is refused, so "all" is always an
// explicit choice.
func Check(a Audience) []Problem {
	var out []Problem
	if a.All {
		return nil
	}
	for _, p := range []struct {
		field string
		v     *int
	}{{"minAgeMonths", a.MinAgeMonths}, {"maxAgeMonths", a.MaxAgeMonths}} {
		if p.v != nil && (*p.v < 0 || *p.v > MaxAgeMonths) {
			out = append(out, Problem{p.field, "age_out_of_range", "月齢は0から216（18歳）までで指定してください。"})
		}
	}
	if a.MinAgeMonths != nil && a.MaxAgeMonths != nil && *a.MaxAgeMonths < *a.MinAgeMonths {
		out = append(out, Problem{"maxAgeMonths", "age_range", "月齢の上限が下限より小さくなっています。"})
	}
	if a.MinAgeMonths == nil && a.MaxAgeMonths == nil && len(a.Areas) == 0 && len(a.Nurseries) == 0 {
		out = append(out, Problem{"all", "empty_audience", "対象（全員・月齢・地区・保育所）を選んでください。"})
	}
	return out
}

// AgeMatches reports whether a child born on birth is between min and max
// completed months old on day, by the legal reckoning of 「生後N月」 that the
// vaccination schedule uses (civil.MonthBoundary): a child is N months old
// from MonthBoundary(birth, N) until the day before MonthBoundary(birth, N+1).
// A child not yet born never matches.
func AgeMatches(birth, day civil.Date, min, max *int) bool {
	if day.Before(birth) {
		return false
	}
	if min != nil && day.Before(civil.MonthBoundary(birth, *min)) {
		return false
	}
	if max != nil && !day.Before(civil.MonthBoundary(birth, *max+1)) {
		return false
	}
	return true
}

// enrolledOn reports whether the enrolment covers day.
func (e Enrolment) enrolledOn(day civil.Date) bool {
	return !day.Before(e.Start) && (e.End.IsZero() || !day.After(e.End))
}

// Recipients returns the ids of the citizens an audience reaches on day,
// sorted and without repeats. For "all" that is every citizen; otherwise
// the guardians and managers of each matching child. A child without an
// area of its own matches an area through any of its guardians' areas.
// Only ids found in citizens are returned, so deleted accounts drop out.
func Recipients(a Audience, day civil.Date, children []Child, enrolments []Enrolment, citizens []Citizen) []string {
	areaOf := make(map[string]string, len(citizens))
	for _, c := range citizens {
		areaOf[c.ID] = c.Area
	}
	var out []string
	if a.All {
		for _, c := range citizens {
			out = append(out, c.ID)
		}
		return sortUnique(out)
	}
	var enrolled map[string]bool
	if len(a.Nurseries) > 0 {
		enrolled = map[string]bool{}
		for _, e := range enrolments {
			if slices.Contains(a.Nurseries, e.Nursery) && e.enrolledOn(day) {
				enrolled[e.Child] = true
			}
		}
	}
	for _, k := range children {
		if !AgeMatches(k.BirthDate, day, a.MinAgeMonths, a.MaxAgeMonths) {
			continue
		}
		if enrolled != nil && !enrolled[k.ID] {
			continue
		}
		if len(a.Areas) > 0 && !inAreas(k, a.Areas, areaOf) {
			continue
		}
		for _, id := range append(slices.Clone(k.Guardians), k.Managers...) {
			if _, ok := areaOf[id]; ok {
				out = append(out, id)
			}
		}
	}
	return sortUnique(out)
}

func inAreas(k Child, areas []string, areaOf map[string]string) bool {
	if k.Area != "" {
		return slices.Contains(areas, k.Area)
	}
	for _, g := range k.Guardians {
		if a := areaOf[g]; a != "" && slices.Contains(areas, a) {
			return true
		}
	}
	return false
}

func sortUnique(ids []string) []string {
	slices.Sort(ids)
	return slices.Compact(ids)
}
