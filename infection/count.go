package infection

import (
	"cmp"
	"slices"
)

// Report is what one absence notice says about one child on one day. Child
// is used only to count each child once; no output carries it.
type Report struct {
	Child, Nursery, Class, Date string
	Kind                        string
	Symptoms                    []string
	Infection                   string
}

// Row is the count of children for one nursery, class and day. Class is ""
// in rows merged over a nursery (ByNurseryDay).
type Row struct {
	Nursery string `json:"nursery"`
	Class   string `json:"class"`
	Date    string `json:"date"`
	// Reported is the number of children with any notice that day.
	Reported int `json:"reported"`
	// Absent is the number of children reported absent.
	Absent int `json:"absent"`
	// Infections and Symptoms count children by code; a child with two
	// notices the same day counts once per code.
	Infections map[string]int `json:"infections"`
	Symptoms   map[string]int `json:"symptoms"`
}

type rowKey struct{ nursery, class, date string }

// tally is a row under construction: the set of children behind each count.
type tally struct {
	reported, absent     map[string]bool
	infections, symptoms map[string]map[string]bool
}

func newTally() *tally {
	return &tally{map[string]bool{}, map[string]bool{}, map[string]map[string]bool{}, map[string]map[string]bool{}}
}

func addTo(m map[string]map[string]bool, code, child string) {
	if m[code] == nil {
		m[code] = map[string]bool{}
	}
	m[code][child] = true
}

func sizes(m map[string]map[string]bool) map[string]int {
	out := make(map[string]int, len(m))
	for k, set := range m {
		out[k] = len(set)
	}
	return out
}

// Count counts the reports per nursery, class and day, each child once per
// count, sorted by date, nursery and class.
func Count(reports []Report) []Row {
	return count(reports, func(r Report) rowKey { return rowKey{r.Nursery, r.Class, r.Date} })
}

// ByNurseryDay counts the reports per nursery and day over all classes.
func ByNurseryDay(reports []Report) []Row {
	return count(reports, func(r Report) rowKey { return rowKey{r.Nursery, "", r.Date} })
}

func count(reports []Report, keyOf func(Report) rowKey) []Row {
	tallies := map[rowKey]*tally{}
	for _, r := range reports {
		k := keyOf(r)
		t := tallies[k]
		if t == nil {
			t = newTally()
			tallies[k] = t
		}
		t.reported[r.Child] = true
		if r.Kind == KindAbsence {
			t.absent[r.Child] = true
		}
		if r.Infection != "" {
			addTo(t.infections, r.Infection, r.Child)
		}
		for _, s := range r.Symptoms {
			addTo(t.symptoms, s, r.Child)
		}
	}
	rows := make([]Row, 0, len(tallies))
	for k, t := range tallies {
		rows = append(rows, Row{
			Nursery: k.nursery, Class: k.class, Date: k.date,
			Reported: len(t.reported), Absent: len(t.absent),
			Infections: sizes(t.infections), Symptoms: sizes(t.symptoms),
		})
	}
	slices.SortFunc(rows, func(a, b Row) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Nursery, b.Nursery), cmp.Compare(a.Class, b.Class))
	})
	return rows
}

// Children counts the distinct children with the infection among the
// reports (over whatever period and place the caller selected).
func Children(reports []Report, infection string) int {
	seen := map[string]bool{}
	for _, r := range reports {
		if r.Infection == infection {
			seen[r.Child] = true
		}
	}
	return len(seen)
}

// DiagnosedByClass counts, per class, the distinct children reported with
// a diagnosed infection (any disease) among the reports: the figure the
// city's monthly overview shows next to attendance.
func DiagnosedByClass(reports []Report) map[string]int {
	seen := map[string]map[string]bool{}
	for _, r := range reports {
		if r.Infection != "" {
			addTo(seen, r.Class, r.Child)
		}
	}
	return sizes(seen)
}
