package infection

import (
	"cmp"
	"slices"
)

// MinPublished is the smallest count that may leave the system (open data,
// a feed to another body). In a nursery of a small town one or two sick
// children can be recognised by the other parents, so smaller counts are
// withheld. Staff and the city see exact counts inside the system.
const MinPublished = 3

// OpenCount is one nursery's count of an infection on one day, safe to
// publish: a count below MinPublished is withheld (Count 0, Suppressed).
type OpenCount struct {
	Nursery    string `json:"nursery"`
	Date       string `json:"date"`
	Infection  string `json:"infection"`
	Count      int    `json:"count"`
	Suppressed bool   `json:"suppressed"`
}

// Open turns per-nursery daily rows (from ByNurseryDay; class rows would
// reveal smaller groups and are merged first) into publishable counts. A
// withheld count is still listed, so a reader knows the disease was seen.
func Open(rows []Row) []OpenCount {
	merged := map[[3]string]int{}
	for _, r := range rows {
		for code, n := range r.Infections {
			merged[[3]string{r.Nursery, r.Date, code}] += n
		}
	}
	out := make([]OpenCount, 0, len(merged))
	for k, n := range merged {
		c := OpenCount{Nursery: k[0], Date: k[1], Infection: k[2], Count: n}
		if n < MinPublished {
			c.Count, c.Suppressed = 0, true
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b OpenCount) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Nursery, b.Nursery), cmp.Compare(a.Infection, b.Infection))
	})
	return out
}
