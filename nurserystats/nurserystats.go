// Package nurserystats builds the city's monthly overview of nurseries (spec
// §3(3)イ: 保育の利用状況をオンラインで把握): per nursery and age class, the
// capacity, the children enrolled, the attendance rate and the infections
// reported. It takes plain values and knows nothing of the database.
package nurserystats

import (
	"sort"

	"github.com/saijo-dx/lifestage/civil"
)

// Class is one class of a nursery in the month's fiscal year.
type Class struct {
	ID, Nursery, NurseryName, Name string
	AgeClass, Capacity             int
}

// Enrolment is one child's stay in a class; End is zero while enrolled.
type Enrolment struct {
	Class      string
	Start, End civil.Date
}

// Attended is one day a child of the class was checked in.
type Attended struct {
	Class string
	Date  civil.Date
}

// Row is one class in the overview.
type Row struct {
	Nursery     string  `json:"nursery"`
	NurseryName string  `json:"nurseryName"`
	Class       string  `json:"class"`
	ClassName   string  `json:"className"`
	AgeClass    int     `json:"ageClass"`
	Capacity    int     `json:"capacity"`
	Enrolled    int     `json:"enrolled"` // on the month's last day (or today)
	Vacancies   int     `json:"vacancies"`
	ChildDays   int     `json:"childDays"`      // days attended
	Expected    int     `json:"expectedDays"`   // enrolled children × days the nursery was open
	Rate        float64 `json:"attendanceRate"` // ChildDays / Expected, 0–1; 0 when nothing was expected
	Infections  int     `json:"infections"`     // reports of a diagnosed infection in the month
}

// Month is the input of one month's overview. OpenDays lists, per nursery,
// the days it was open: the days anyone was checked in, since nurseries
// close on different days (Sundays, holidays, 年末年始) and we keep no
// calendar of our own.
type Month struct {
	From, To   civil.Date // the month's first day and its last (or today)
	Classes    []Class
	Enrolments []Enrolment
	Attended   []Attended
	OpenDays   map[string][]civil.Date
	Infections map[string]int // by class id
}

// Overview computes the rows, sorted by nursery name then age class.
func Overview(m Month) []Row {
	rows := make([]Row, 0, len(m.Classes))
	index := make(map[string]int, len(m.Classes))
	for _, c := range m.Classes {
		index[c.ID] = len(rows)
		rows = append(rows, Row{Nursery: c.Nursery, NurseryName: c.NurseryName, Class: c.ID, ClassName: c.Name,
			AgeClass: c.AgeClass, Capacity: c.Capacity, Infections: m.Infections[c.ID]})
	}
	for _, e := range m.Enrolments {
		i, ok := index[e.Class]
		if !ok {
			continue
		}
		if enrolledOn(e, m.To) {
			rows[i].Enrolled++
		}
		for _, d := range m.OpenDays[rows[i].Nursery] {
			if enrolledOn(e, d) && !d.Before(m.From) && !d.After(m.To) {
				rows[i].Expected++
			}
		}
	}
	for _, a := range m.Attended {
		if i, ok := index[a.Class]; ok && !a.Date.Before(m.From) && !a.Date.After(m.To) {
			rows[i].ChildDays++
		}
	}
	for i := range rows {
		rows[i].Vacancies = max(rows[i].Capacity-rows[i].Enrolled, 0)
		if rows[i].Expected > 0 {
			rows[i].Rate = float64(rows[i].ChildDays) / float64(rows[i].Expected)
		}
	}
	sort.SliceStable(rows, func(a, b int) bool {
		if rows[a].NurseryName != rows[b].NurseryName {
			return rows[a].NurseryName < rows[b].NurseryName
		}
		return rows[a].AgeClass < rows[b].AgeClass
	})
	return rows
}

func enrolledOn(e Enrolment, d civil.Date) bool {
	return !d.Before(e.Start) && (e.End.IsZero() || !d.After(e.End))
}
