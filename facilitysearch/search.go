package facilitysearch

import (
	"cmp"
	"slices"
	"strings"

	"github.com/saijo-dx/lifestage/civil"
)

// Facility is one public facility as the search answers it. The JSON names
// follow the facilities collection.
type Facility struct {
	ID           string                 `json:"id"`
	Code         string                 `json:"code"`
	Name         string                 `json:"name"`
	Kana         string                 `json:"kana"`
	Type         string                 `json:"type"`
	Services     []string               `json:"services"`
	Vaccines     []string               `json:"vaccines"`
	Checkups     []string               `json:"checkups"`
	Area         string                 `json:"area"`
	AreaName     string                 `json:"areaName"`
	AreaParent   string                 `json:"-"`
	Address      string                 `json:"address"`
	Location     *Point                 `json:"location"`
	Phone        string                 `json:"phone"`
	URL          string                 `json:"url"`
	Hours        string                 `json:"hours"`
	OpeningHours map[string][][2]string `json:"openingHours,omitzero"`
	Capacity     int                    `json:"capacity"`
	Description  string                 `json:"description"`

	week    Week
	hasWeek bool
	text    string // folded name, kana, address and description
	sortKey string
}

// Prepare fills what the search needs and the JSON does not show. Call it
// once per facility when the list is built.
func (f *Facility) Prepare(w Week, hasWeek bool) {
	f.week, f.hasWeek = w, hasWeek
	if hasWeek {
		f.OpeningHours = w.JSON()
	}
	f.text = Fold(strings.Join([]string{f.Name, f.Kana, f.Address, f.Description}, "\n"))
	f.sortKey = Fold(cmp.Or(f.Kana, f.Name))
}

// Hit is a facility found, with its distance when the search was near a
// point. Open is set when the search asked about a time.
type Hit struct {
	*Facility
	DistanceKm *float64 `json:"distanceKm,omitzero"`
	OpenNow    bool     `json:"openNow"`
}

// Search filters and sorts the facilities and cuts out the asked page.
// Near a point the order is by distance, otherwise by reading (kana).
// isHoliday tells national holidays apart (civil.IsHoliday).
func Search(list []*Facility, q Query, isHoliday func(civil.Date) bool) (page []Hit, hasMore bool) {
	var hits []Hit
	for _, f := range list {
		if !q.matches(f, isHoliday) {
			continue
		}
		h := Hit{Facility: f, OpenNow: f.hasWeek && f.week.OpenAt(q.Now, isHoliday)}
		if q.Near != nil {
			if f.Location == nil {
				continue
			}
			d := DistanceKm(q.Near.Lat, q.Near.Lng, f.Location.Lat, f.Location.Lng)
			if d > q.RadiusKm {
				continue
			}
			d = float64(int(d*100+0.5)) / 100 // 10 m is as exact as a pin on a map
			h.DistanceKm = &d
		}
		hits = append(hits, h)
	}
	slices.SortFunc(hits, func(a, b Hit) int {
		if a.DistanceKm != nil && b.DistanceKm != nil {
			if c := cmp.Compare(*a.DistanceKm, *b.DistanceKm); c != 0 {
				return c
			}
		}
		return cmp.Or(cmp.Compare(a.sortKey, b.sortKey), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	from := (q.Page - 1) * q.PerPage
	if from >= len(hits) {
		return []Hit{}, false
	}
	to := min(from+q.PerPage, len(hits))
	return hits[from:to], to < len(hits)
}

func (q Query) matches(f *Facility, isHoliday func(civil.Date) bool) bool {
	if len(q.Types) > 0 && !slices.Contains(q.Types, f.Type) {
		return false
	}
	if q.Area != "" && f.Area != q.Area && f.AreaParent != q.Area {
		return false
	}
	if !containsAll(f.Services, q.Services) || !containsAll(f.Vaccines, q.Vaccines) || !containsAll(f.Checkups, q.Checkups) {
		return false
	}
	if q.OpenAt != nil && (!f.hasWeek || !f.week.OpenAt(*q.OpenAt, isHoliday)) {
		return false
	}
	if q.OpenOn != "" && (!f.hasWeek || !f.week.OpenOn(q.OpenOn)) {
		return false
	}
	for _, t := range q.Terms {
		if !strings.Contains(f.text, t) {
			return false
		}
	}
	return true
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}
