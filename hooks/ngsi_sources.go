package hooks

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/infection"
	"github.com/saijo-dx/lifestage/ngsi"
)

// The NGSI entity builders: one SQL query per type (no query per entity),
// public data only. ngsi.Types documents each type; ngsiSources says which
// collections feed it, so a change there rebuilds it.

type ngsiSource struct {
	build   func(app core.App, today civil.Date) ([]ngsi.Entity, error)
	sources []string
}

var ngsiSources = map[string]ngsiSource{
	ngsi.PointOfInterest: {buildPOIs, []string{"facilities"}},
	ngsi.NurseryVacancy:  {buildVacancies, []string{"facilities", "nursery_classes", "enrolments"}},
	ngsi.InfectionCount:  {buildInfectionCounts, []string{"facilities", "absence_notices"}},
	ngsi.Event:           {buildEvents, []string{"events", "facilities", "areas"}},
}

// infectionWindow is how many days of infection counts are published.
const infectionWindow = 60

func poiID(code string) string { return "urn:ngsi-ld:PointOfInterest:saijo:" + code }

// facilityRow is what every type reads of a facility.
type facilityRow struct {
	ID       string `db:"id"`
	Code     string `db:"code"`
	Name     string `db:"name"`
	Location string `db:"location"`
}

// point reads a geoPoint column; PocketBase's zero value (0,0) is no place.
func (f facilityRow) point() *ngsi.Point {
	var g struct{ Lon, Lat float64 }
	if json.Unmarshal([]byte(f.Location), &g) != nil || (g.Lon == 0 && g.Lat == 0) {
		return nil
	}
	return &ngsi.Point{Lat: g.Lat, Lng: g.Lon}
}

// withPlace adds the facility's name, reference and location.
func (f facilityRow) withPlace(e ngsi.Entity) ngsi.Entity {
	e.Attrs["name"] = ngsi.Text(f.Name)
	e.Attrs["refPointOfInterest"] = ngsi.Ref(poiID(f.Code))
	if p := f.point(); p != nil {
		e.Loc = p
		e.Attrs["location"] = ngsi.GeoPoint(*p)
	}
	return e
}

func buildPOIs(app core.App, _ civil.Date) ([]ngsi.Entity, error) {
	var rows []struct {
		facilityRow
		Kana        string  `db:"kana"`
		Type        string  `db:"type"`
		Services    string  `db:"services"`
		Address     string  `db:"address"`
		Phone       string  `db:"phone"`
		URL         string  `db:"url"`
		Hours       string  `db:"hours"`
		Capacity    float64 `db:"capacity"`
		Description string  `db:"description"`
		Area        string  `db:"areaName"`
	}
	err := app.DB().NewQuery(`SELECT f.id, f.code, f.name, f.location, f.kana, f.type, f.services, f.address,
		f.phone, f.url, f.hours, f.capacity, f.description, COALESCE(a.name, '') AS areaName
		FROM facilities f LEFT JOIN areas a ON a.id = f.area WHERE f.public = TRUE ORDER BY f.code`).All(&rows)
	if err != nil {
		return nil, err
	}
	out := make([]ngsi.Entity, 0, len(rows))
	for _, r := range rows {
		var services []any
		_ = json.Unmarshal([]byte(r.Services), &services)
		if services == nil {
			services = []any{}
		}
		e := ngsi.Entity{ID: poiID(r.Code), Type: ngsi.PointOfInterest, Attrs: map[string]ngsi.Attr{
			"name":          ngsi.Text(r.Name),
			"alternateName": ngsi.Text(r.Kana),
			"category":      ngsi.Structured([]any{r.Type}),
			"service":       ngsi.Structured(services),
			"address": ngsi.Structured(map[string]any{
				"addressCountry": "JP", "addressRegion": "愛媛県", "addressLocality": "西条市",
				"streetAddress": r.Address, "areaServed": r.Area,
			}),
			"telephone":    ngsi.Text(r.Phone),
			"url":          ngsi.Text(r.URL),
			"openingHours": ngsi.Text(r.Hours),
			"description":  ngsi.Text(r.Description),
			"source":       ngsi.Text("lifestage"),
		}}
		if r.Capacity > 0 {
			e.Attrs["capacity"] = ngsi.Number(r.Capacity)
		}
		if p := r.point(); p != nil {
			e.Loc, e.Attrs["location"] = p, ngsi.GeoPoint(*p)
		}
		out = append(out, e)
	}
	return out, nil
}

// buildVacancies counts, per public nursery and age class of this fiscal
// year, the capacity of its classes and the children enrolled in them
// today. Only numbers leave: no child is named.
func buildVacancies(app core.App, today civil.Date) ([]ngsi.Entity, error) {
	var rows []struct {
		facilityRow
		AgeClass int `db:"ageClass"`
		Capacity int `db:"capacity"`
		Enrolled int `db:"enrolled"`
	}
	fy := civil.FiscalYear(today)
	err := app.DB().NewQuery(`SELECT f.id, f.code, f.name, f.location, c.ageClass AS ageClass,
		SUM(c.capacity) AS capacity, COALESCE(SUM(e.n), 0) AS enrolled
		FROM nursery_classes c
		JOIN facilities f ON f.id = c.nursery AND f.public = TRUE
		LEFT JOIN (SELECT class, COUNT(*) AS n FROM enrolments
			WHERE start <= {:today} AND ([[end]] = '' OR [[end]] >= {:today}) GROUP BY class) e ON e.class = c.id
		WHERE c.fiscalYear = {:fy}
		GROUP BY f.id, c.ageClass ORDER BY f.code, c.ageClass`).
		Bind(dbx.Params{"today": today.String(), "fy": fy}).All(&rows)
	if err != nil {
		return nil, err
	}
	out := make([]ngsi.Entity, 0, len(rows))
	for _, r := range rows {
		e := r.withPlace(ngsi.Entity{
			ID:   fmt.Sprintf("urn:ngsi-ld:NurseryVacancy:saijo:%s:%d", r.Code, r.AgeClass),
			Type: ngsi.NurseryVacancy,
			Attrs: map[string]ngsi.Attr{
				"ageClass":     ngsi.Number(float64(r.AgeClass)),
				"fiscalYear":   ngsi.Number(float64(fy)),
				"capacity":     ngsi.Number(float64(r.Capacity)),
				"enrolled":     ngsi.Number(float64(r.Enrolled)),
				"vacancies":    ngsi.Number(float64(max(0, r.Capacity-r.Enrolled))),
				"dateObserved": ngsi.Date(today.String()),
			},
		})
		out = append(out, e)
	}
	return out, nil
}

// buildInfectionCounts publishes the last infectionWindow days of counts
// per nursery, day and infection, with small counts withheld exactly as in
// the open data (infection.Open).
func buildInfectionCounts(app core.App, today civil.Date) ([]ngsi.Entity, error) {
	reports, err := loadReports(app, "", "", today.AddDays(-infectionWindow), today)
	if err != nil {
		return nil, err
	}
	open := infection.Open(infection.ByNurseryDay(reports))
	if len(open) == 0 {
		return nil, nil
	}
	var places []facilityRow
	if err := app.DB().NewQuery(`SELECT id, code, name, location FROM facilities WHERE public = TRUE`).All(&places); err != nil {
		return nil, err
	}
	byID := make(map[string]facilityRow, len(places))
	for _, p := range places {
		byID[p.ID] = p
	}
	labels := infection.Labels(infection.Infections)
	out := make([]ngsi.Entity, 0, len(open))
	for _, c := range open {
		place, ok := byID[c.Nursery]
		if !ok || c.Infection == "" {
			continue
		}
		e := place.withPlace(ngsi.Entity{
			ID:   "urn:ngsi-ld:InfectionCount:saijo:" + strings.Join([]string{place.Code, c.Date, c.Infection}, ":"),
			Type: ngsi.InfectionCount,
			Attrs: map[string]ngsi.Attr{
				"infection":     ngsi.Text(c.Infection),
				"infectionName": ngsi.Text(labels[c.Infection]),
				"count":         ngsi.Number(float64(c.Count)),
				"suppressed":    ngsi.Bool(c.Suppressed),
				"dateObserved":  ngsi.Date(c.Date),
			},
		})
		out = append(out, e)
	}
	return out, nil
}
