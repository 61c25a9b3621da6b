package hooks

import (
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// bindWatchMy binds the volunteer's own list: volunteers may not read the
// resident register, yet they must know whom they visit and where.
func bindWatchMy(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/lifestage/watch/my", watchMy).Bind(requireVolunteer())
		return se.Next()
	})
}

// myTarget is one person on a volunteer's round: only what the visit needs.
type myTarget struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Kana          string `json:"kana"`
	Address       string `json:"address"`
	Area          string `json:"area"`
	AreaName      string `json:"areaName"`
	Frequency     string `json:"frequency"`
	ConsentStatus string `json:"consentStatus"`
	LastVisitAt   string `json:"lastVisitAt"`
	LastStatus    string `json:"lastStatus"`
}

// watchMy lists the active targets assigned to the caller with their last
// visit (by anyone), in kana order. Each listed target is an audited read,
// so the check-in page asks for the one person it shows (?target=ID).
func watchMy(e *core.RequestEvent) error {
	where := dbx.HashExp{"volunteer": e.Auth.Id, "active": true}
	if id := e.Request.URL.Query().Get("target"); id != "" {
		where["id"] = id
	}
	targets, err := e.App.FindAllRecords(watchTargets, where)
	if err != nil {
		return e.InternalServerError("", err)
	}
	out, err := describeTargets(e.App, targets)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if len(targets) > 0 {
		if err := logSensitiveReads(e, targets[0].Collection(), targets); err != nil {
			return e.InternalServerError("", err)
		}
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return e.JSON(http.StatusOK, map[string]any{"targets": out})
}

// describeTargets joins the residents, households, areas and last visits of
// the targets in one query each.
func describeTargets(app core.App, targets []*core.Record) ([]myTarget, error) {
	ids := func(recs []*core.Record, field string) []string {
		var out []string
		for _, r := range recs {
			if v := r.GetString(field); v != "" {
				out = append(out, v)
			}
		}
		return out
	}
	byID := func(collection string, keys []string) (map[string]*core.Record, error) {
		recs, err := app.FindRecordsByIds(collection, keys)
		m := make(map[string]*core.Record, len(recs))
		for _, r := range recs {
			m[r.Id] = r
		}
		return m, err
	}
	residents, err := byID("residents", ids(targets, "resident"))
	if err != nil {
		return nil, err
	}
	households, err := byID("households", ids(slices.Collect(maps.Values(residents)), "household"))
	if err != nil {
		return nil, err
	}
	areas, err := byID("areas", ids(targets, "area"))
	if err != nil {
		return nil, err
	}
	last, err := lastVisits(app, ids(targets, "id"))
	if err != nil {
		return nil, err
	}
	out := make([]myTarget, 0, len(targets))
	for _, t := range targets {
		r := residents[t.GetString("resident")]
		if r == nil {
			continue
		}
		item := myTarget{
			ID: t.Id, Area: t.GetString("area"), Frequency: t.GetString("frequency"), ConsentStatus: t.GetString("consentStatus"),
			Name: strings.TrimSpace(r.GetString("familyName") + " " + r.GetString("givenName")),
			Kana: strings.TrimSpace(r.GetString("familyNameKana") + " " + r.GetString("givenNameKana")),
		}
		if h := households[r.GetString("household")]; h != nil {
			item.Address = h.GetString("address")
		}
		if a := areas[item.Area]; a != nil {
			item.AreaName = a.GetString("name")
		}
		if v, ok := last[t.Id]; ok {
			item.LastVisitAt, item.LastStatus = v.at, v.status
		}
		out = append(out, item)
	}
	slices.SortFunc(out, func(a, b myTarget) int { return strings.Compare(a.Kana, b.Kana) })
	return out, nil
}

type lastVisit struct{ at, status string }

// lastVisits gives each target's latest visit (RFC 3339 time and status).
func lastVisits(app core.App, targets []string) (map[string]lastVisit, error) {
	out := map[string]lastVisit{}
	if len(targets) == 0 {
		return out, nil
	}
	var rows []struct {
		Target string `db:"target"`
		At     string `db:"at"`
		Status string `db:"status"`
	}
	in := make([]any, len(targets))
	for i, t := range targets {
		in[i] = t
	}
	err := app.DB().Select("v.target", "v.at", "v.status").From(watchVisits + " v").
		Where(dbx.In("v.target", in...)).
		AndWhere(dbx.NewExp("v.at = (SELECT MAX(w.at) FROM " + watchVisits + " w WHERE w.target = v.target)")).
		All(&rows)
	for _, r := range rows {
		at, perr := time.Parse("2006-01-02 15:04:05.000Z", r.At)
		if perr != nil {
			continue
		}
		out[r.Target] = lastVisit{at.Format(time.RFC3339), r.Status}
	}
	return out, err
}
