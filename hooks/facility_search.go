package hooks

import (
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	validation "github.com/pocketbase/ozzo-validation/v4"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/facilitysearch"
	"github.com/saijo-dx/lifestage/schedule"
)

// searchVocab is what the search's filters accept: the facilities
// collection's select values, one source for the schema and the route.
var searchVocab = facilitysearch.Vocab{
	Types: collections.FacilityTypes, Services: collections.FacilityServices,
	Vaccines: schedule.Codes, Checkups: collections.FacilityCheckups,
}

// facilityIndex is the public facilities in memory. A city has a few
// hundred; matching folded kana (which SQLite's LIKE cannot do) and the
// opening hours needs every candidate in Go anyway, so the list is read
// once and thrown away on any write to facilities or areas.
type facilityIndex struct {
	mu    sync.Mutex
	list  []*facilitysearch.Facility
	valid bool
}

func (x *facilityIndex) invalidate(e *core.RecordEvent) error {
	x.mu.Lock()
	x.valid, x.list = false, nil
	x.mu.Unlock()
	return e.Next()
}

// get returns the list, reading it when a write made it stale. The lock is
// held while reading so that an invalidation never lands in between.
func (x *facilityIndex) get(app core.App) ([]*facilitysearch.Facility, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.valid {
		return x.list, nil
	}
	list, err := loadPublicFacilities(app)
	if err != nil {
		return nil, err
	}
	x.list, x.valid = list, true
	return list, nil
}

func loadPublicFacilities(app core.App) ([]*facilitysearch.Facility, error) {
	areas, err := app.FindAllRecords("areas")
	if err != nil {
		return nil, err
	}
	areaName, areaParent := map[string]string{}, map[string]string{}
	for _, a := range areas {
		areaName[a.Id], areaParent[a.Id] = a.GetString("name"), a.GetString("parent")
	}
	recs, err := app.FindRecordsByFilter("facilities", "public = true", "", 0, 0)
	if err != nil {
		return nil, err
	}
	out := make([]*facilitysearch.Facility, 0, len(recs))
	for _, r := range recs {
		area := r.GetString("area")
		f := &facilitysearch.Facility{
			ID: r.Id, Code: r.GetString("code"), Name: r.GetString("name"), Kana: r.GetString("kana"),
			Type: r.GetString("type"), Services: r.GetStringSlice("services"), Vaccines: r.GetStringSlice("vaccines"),
			Checkups: r.GetStringSlice("checkups"), Area: area, AreaName: areaName[area], AreaParent: areaParent[area],
			Address: r.GetString("address"), Phone: r.GetString("phone"), URL: r.GetString("url"),
			Hours: r.GetString("hours"), Capacity: r.GetInt("capacity"), Description: r.GetString("description"),
		}
		if g, ok := r.Get("location").(types.GeoPoint); ok && (g.Lat != 0 || g.Lon != 0) {
			f.Location = &facilitysearch.Point{Lat: g.Lat, Lng: g.Lon}
		}
		// Saved hours were checked on save; a bad value cannot be there.
		w, ok, _ := facilitysearch.ParseHours(openingHoursRaw(r))
		f.Prepare(w, ok)
		out = append(out, f)
	}
	return out, nil
}

func openingHoursRaw(r *core.Record) []byte {
	raw, _ := r.Get("openingHours").(types.JSONRaw)
	return raw
}

// bindFacilitySearch checks opening hours on every save (record API, open
// data import, demo) and serves the public search.
func bindFacilitySearch(app core.App) {
	app.OnRecordValidate("facilities").BindFunc(func(e *core.RecordEvent) error {
		w, ok, err := facilitysearch.ParseHours(openingHoursRaw(e.Record))
		if err != nil {
			ferr := err.(*facilitysearch.Error)
			return validation.Errors{"openingHours": validation.NewError(ferr.Code, ferr.Message)}
		}
		// The display text follows the hours unless staff wrote their own.
		if ok && e.Record.GetString("hours") == "" {
			e.Record.Set("hours", w.Text())
		}
		return e.Next()
	})

	index := &facilityIndex{}
	onRecordChange(app, index.invalidate, "facilities", "areas")
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/lifestage/facilities/search", func(e *core.RequestEvent) error {
			return searchFacilities(e, index)
		})
		return se.Next()
	})
}

// searchResult is the answer of the search route.
type searchResult struct {
	Page    int                  `json:"page"`
	PerPage int                  `json:"perPage"`
	HasMore bool                 `json:"hasMore"`
	Items   []facilitysearch.Hit `json:"items"`
}

func searchFacilities(e *core.RequestEvent, index *facilityIndex) error {
	q, errs := facilitysearch.ParseQuery(e.Request.URL.Query(), time.Now(), searchVocab)
	if errs != nil {
		verrs := validation.Errors{}
		fields := make([]string, 0, len(errs))
		for field, err := range errs {
			verrs[field] = validation.NewError(err.Code, err.Message)
			fields = append(fields, field)
		}
		slices.Sort(fields)
		return e.BadRequestError(errs[fields[0]].Message, verrs)
	}
	list, err := index.get(e.App)
	if err != nil {
		return e.InternalServerError("施設の一覧を読み込めませんでした。", err)
	}
	items, hasMore := facilitysearch.Search(list, q, civil.IsHoliday)
	// Public data that changes a few times a year; a minute of caching
	// keeps "open now" honest enough.
	e.Response.Header().Set("Cache-Control", "public, max-age=60")
	return e.JSON(http.StatusOK, searchResult{Page: q.Page, PerPage: q.PerPage, HasMore: hasMore, Items: items})
}
