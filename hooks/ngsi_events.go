package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/ngsi"
)

// buildEvents publishes the public, published events (ngsi.Event) with
// one query; a facility joins only to name the venue's PointOfInterest.
func buildEvents(app core.App, _ civil.Date) ([]ngsi.Entity, error) {
	var rows []struct {
		Code        string  `db:"code"`
		Title       string  `db:"title"`
		Kana        string  `db:"kana"`
		Kind        string  `db:"kind"`
		Description string  `db:"description"`
		Place       string  `db:"place"`
		Address     string  `db:"address"`
		Location    string  `db:"location"`
		StartsAt    string  `db:"startsAt"`
		EndsAt      string  `db:"endsAt"`
		Capacity    float64 `db:"capacity"`
		Opens       string  `db:"applicationOpens"`
		Closes      string  `db:"applicationCloses"`
		MinAge      float64 `db:"minAgeMonths"`
		MaxAge      float64 `db:"maxAgeMonths"`
		Fee         float64 `db:"fee"`
		Contact     string  `db:"contact"`
		URL         string  `db:"url"`
		Facility    string  `db:"facilityCode"`
		Area        string  `db:"areaName"`
	}
	err := app.DB().NewQuery(`SELECT e.code, e.title, e.kana, e.kind, e.description, e.place, e.address, e.location,
		e.startsAt, e.endsAt, e.capacity, e.applicationOpens, e.applicationCloses, e.minAgeMonths, e.maxAgeMonths,
		e.fee, e.contact, e.url, COALESCE(f.code, '') AS facilityCode, COALESCE(a.name, '') AS areaName
		FROM events e LEFT JOIN facilities f ON f.id = e.facility LEFT JOIN areas a ON a.id = e.area
		WHERE e.public = TRUE AND e.published = TRUE ORDER BY e.startsAt, e.code`).All(&rows)
	if err != nil {
		return nil, err
	}
	out := make([]ngsi.Entity, 0, len(rows))
	for _, r := range rows {
		e := ngsi.Entity{ID: "urn:ngsi-ld:Event:saijo:" + r.Code, Type: ngsi.Event, Attrs: map[string]ngsi.Attr{
			"name":          ngsi.Text(r.Title),
			"alternateName": ngsi.Text(r.Kana),
			"category":      ngsi.Structured([]any{r.Kind}),
			"description":   ngsi.Text(r.Description),
			"startDate":     dateTimeAttr(r.StartsAt),
			"address": ngsi.Structured(map[string]any{
				"addressCountry": "JP", "addressRegion": "愛媛県", "addressLocality": "西条市",
				"streetAddress": r.Address, "place": r.Place, "areaServed": r.Area,
			}),
			"fee":     ngsi.Number(r.Fee),
			"contact": ngsi.Text(r.Contact),
			"url":     ngsi.Text(r.URL),
		}}
		if r.EndsAt != "" {
			e.Attrs["endDate"] = dateTimeAttr(r.EndsAt)
		}
		if r.Capacity > 0 {
			e.Attrs["capacity"] = ngsi.Number(r.Capacity)
		}
		if r.Opens != "" || r.Closes != "" {
			e.Attrs["applicationPeriod"] = ngsi.Structured(map[string]any{"opens": rfc3339(parseInstant(r.Opens)), "closes": rfc3339(parseInstant(r.Closes))})
		}
		if r.MinAge > 0 || r.MaxAge > 0 {
			e.Attrs["eligibleAge"] = ngsi.Structured(map[string]any{"minMonths": r.MinAge, "maxMonths": r.MaxAge})
		}
		if r.Facility != "" {
			e.Attrs["refPointOfInterest"] = ngsi.Ref(poiID(r.Facility))
		}
		if p := (facilityRow{Location: r.Location}).point(); p != nil {
			e.Loc, e.Attrs["location"] = p, ngsi.GeoPoint(*p)
		}
		out = append(out, e)
	}
	return out, nil
}

// dateTimeAttr writes a stored date field as an RFC 3339 DateTime in Tokyo.
func dateTimeAttr(stored string) ngsi.Attr {
	return ngsi.Attr{Type: ngsi.TypeDateTime, Value: rfc3339(parseInstant(stored))}
}
