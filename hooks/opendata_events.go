package hooks

import (
	"io"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/opendata"
)

// eventsOrganizer is イベント一覧's 主催者 of every lifestage event.
const eventsOrganizer = "西条市"

// writeEventsCSV writes イベント一覧: the public, published events by start
// (drafts and staff-only events never leave).
func writeEventsCSV(app core.App, w io.Writer) error {
	recs, err := app.FindRecordsByFilter(collections.Events, "public = true && published = true", "startsAt,code", 0, 0)
	if err != nil {
		return err
	}
	return writeOpenDataCSV(w, opendata.Events.Columns, recs, func(r *core.Record) []string { return opendata.EventRow(eventOf(r)) })
}

func eventOf(r *core.Record) opendata.Event {
	e := opendata.Event{No: r.GetString("code"), Name: r.GetString("title"), Kana: r.GetString("kana"),
		Description: r.GetString("description"), Fee: opendata.FeeText(r.GetInt("fee")),
		ContactName: r.GetString("contact"), Organizer: eventsOrganizer, Place: r.GetString("place"),
		Address: r.GetString("address"), Target: opendata.AgeTarget(r.GetInt("minAgeMonths"), r.GetInt("maxAgeMonths")),
		URL: r.GetString("url")}
	e.StartDate, e.StartTime = opendata.SplitTime(r.GetDateTime("startsAt").Time())
	e.EndDate, e.EndTime = opendata.SplitTime(r.GetDateTime("endsAt").Time())
	e.ApplyFrom, _ = opendata.SplitTime(r.GetDateTime("applicationOpens").Time())
	e.ApplyUntil, _ = opendata.SplitTime(r.GetDateTime("applicationCloses").Time())
	if p, ok := r.Get("location").(types.GeoPoint); ok && (p.Lat != 0 || p.Lon != 0) {
		e.Lat, e.Lng, e.HasLocation = p.Lat, p.Lon, true
	}
	if n := r.GetInt("capacity"); n > 0 {
		e.Capacity, e.HasCapacity = n, true
	}
	return e
}

// importEvents reads イベント一覧 and creates or updates events by NO
// (= events.code), the same way facilities are imported. Only 子育て staff
// run events (the collection's create rule), so the import route's wider
// staff check is narrowed here.
func importEvents(e *core.RequestEvent) error {
	if !isCityStaffIn(e.Auth, collections.DeptChild) {
		return e.ForbiddenError("イベントを取り込めるのは子育て担当の職員です。", nil)
	}
	rows, err := uploadedRows(e)
	if err != nil {
		return err
	}
	events, cellErrs := opendata.ParseEvents(rows)
	if len(cellErrs) > 0 {
		return cellErrors(cellErrs)
	}
	codes, places := make([]string, len(events)), make([]string, len(events))
	for i, ev := range events {
		codes[i], places[i] = ev.No, ev.Place
	}
	existing, err := recordsByCode(e.App, collections.Events, codes)
	if err != nil {
		return e.InternalServerError("", err)
	}
	venues, err := facilitiesByName(e.App, places)
	if err != nil {
		return e.InternalServerError("", err)
	}
	col, err := e.App.FindCachedCollectionByNameOrId(collections.Events)
	if err != nil {
		return e.InternalServerError("", err)
	}
	out := make([]importRow, len(events))
	for i, ev := range events {
		rec := existing[ev.No]
		if rec == nil {
			rec = core.NewRecord(col)
			rec.Set("kind", opendata.GuessEventKind(ev.Name))
		}
		applyEvent(rec, ev, venues[ev.Place])
		out[i] = importRow{line: ev.Line, rec: rec}
	}
	return saveImport(e, opendata.Events.ID, out)
}

// facilitiesByName finds the public facilities whose name is a 場所名称, so
// an imported event at 西条市保健センター is tied to that facility.
func facilitiesByName(app core.App, names []string) (map[string]*core.Record, error) {
	recs, err := app.FindAllRecords("facilities", dbx.HashExp{"public": true}, dbx.In("name", anySlice(names)...))
	if err != nil {
		return nil, err
	}
	out := make(map[string]*core.Record, len(recs))
	for _, r := range recs {
		out[r.GetString("name")] = r
	}
	return out, nil
}

// applyEvent copies what イベント一覧 holds. The kind and the age
// eligibility (対象者 is free text) are kept; imported events are public
// and published, as open data is.
func applyEvent(rec *core.Record, ev opendata.ParsedEvent, venue *core.Record) {
	rec.Set("code", ev.No)
	rec.Set("title", ev.Name)
	rec.Set("kana", ev.Kana)
	rec.Set("description", ev.Description)
	rec.Set("place", ev.Place)
	rec.Set("address", ev.Address)
	loc := types.GeoPoint{Lat: ev.Lat, Lon: ev.Lng}
	if venue != nil {
		rec.Set("facility", venue.Id)
		rec.Set("area", venue.GetString("area"))
		if !ev.HasLocation {
			loc, _ = venue.Get("location").(types.GeoPoint)
		}
		if ev.Address == "" {
			rec.Set("address", venue.GetString("address"))
		}
	}
	rec.Set("location", loc)
	start, end, _ := opendata.EventTimes(ev.Event)
	opens, closes := opendata.ApplicationTimes(ev.Event)
	rec.Set("startsAt", start)
	rec.Set("endsAt", timeOrEmpty(end))
	rec.Set("applicationOpens", timeOrEmpty(opens))
	rec.Set("applicationCloses", timeOrEmpty(closes))
	rec.Set("capacity", ev.Capacity)
	rec.Set("fee", ev.FeeYen)
	rec.Set("contact", strings.TrimSpace(ev.ContactName+" "+ev.ContactPhone))
	rec.Set("url", ev.URL)
	rec.Set("public", true)
	rec.Set("published", true)
}

// timeOrEmpty clears a date field for a zero time (PocketBase would store
// 0001-01-01).
func timeOrEmpty(t time.Time) any {
	if t.IsZero() {
		return ""
	}
	return t
}
