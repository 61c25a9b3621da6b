package hooks

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/watchplan"
)

const (
	activityDefaultLimit = 30
	activityMaxLimit     = 100
	activityWeekDays     = 7
)

// bindWatchFollowup binds the follow-through of the watch-over: the daily
// escalation, the city's live activity and the family view with consent.
func bindWatchFollowup(app core.App) {
	bindWatchEscalation(app)
	bindWatchFamily(app)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/lifestage/watch/activity", watchActivity).Bind(requireCityStaff(collections.DeptElderly))
		return se.Next()
	})
}

// activityVisit is one recent visit as the city's live view shows it: who
// was visited, where, by whom and how they were. The note stays out.
type activityVisit struct {
	ID            string `json:"id" db:"id"`
	Target        string `json:"target" db:"target"`
	Resident      string `json:"-" db:"resident"`
	Name          string `json:"name" db:"name"`
	Area          string `json:"area" db:"area"`
	AreaName      string `json:"areaName" db:"areaName"`
	Status        string `json:"status" db:"status"`
	Method        string `json:"method" db:"method"`
	Volunteer     string `json:"volunteer" db:"volunteer"`
	VolunteerName string `json:"volunteerName" db:"volunteerName"`
	At            string `json:"at" db:"at"`
}

// openEscalation is a late target at the highest step it has reached.
type openEscalation struct {
	ID          string `json:"id" db:"id"`
	Target      string `json:"target" db:"target"`
	Name        string `json:"name" db:"name"`
	AreaName    string `json:"areaName" db:"areaName"`
	DueOn       string `json:"dueOn" db:"dueOn"`
	DaysOverdue int    `json:"daysOverdue" db:"-"`
	Level       int    `json:"level" db:"level"`
	Notify      string `json:"notify" db:"notify"`
	NotifiedAt  string `json:"notifiedAt" db:"notifiedAt"`
}

// areaCoverage is one area's line of the coverage table.
type areaCoverage struct {
	Area     string `json:"area"`
	AreaName string `json:"areaName"`
	Targets  int    `json:"targets"`
	Covered  int    `json:"covered"`
	Pending  int    `json:"pending"`
	Overdue  int    `json:"overdue"`
	Percent  int    `json:"percent"`
}

func newAreaCoverage(area, name string, c watchplan.AreaCoverage) areaCoverage {
	return areaCoverage{Area: area, AreaName: name, Targets: c.Targets, Covered: c.Covered, Pending: c.Pending, Overdue: c.Overdue, Percent: c.Percent()}
}

// watchActivity is the city's live view (見守りの実施状況): today's and
// this week's visits by status, the latest visits, the open escalations and
// each area's coverage. A handful of grouped queries whatever the size.
func watchActivity(e *core.RequestEvent) error {
	limit, err := strconv.Atoi(e.Request.URL.Query().Get("limit"))
	if err != nil || limit < 1 {
		limit = activityDefaultLimit
	}
	limit = min(limit, activityMaxLimit)
	today := civil.Today()
	day, week, err := visitCounts(e.App, today)
	if err != nil {
		return e.InternalServerError("", err)
	}
	recent, err := recentVisits(e.App, limit)
	if err != nil {
		return e.InternalServerError("", err)
	}
	escalations, err := openEscalations(e.App, today)
	if err != nil {
		return e.InternalServerError("", err)
	}
	areas, total, err := coverageByArea(e.App, today)
	if err != nil {
		return e.InternalServerError("", err)
	}
	// The names and statuses of the visits are a staff read of sensitive
	// records: logged like a list of them.
	if err := logSensitiveReads(e, mustCollection(e.App, watchVisits), visitStubs(e.App, recent)); err != nil {
		return e.InternalServerError("", err)
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return e.JSON(http.StatusOK, map[string]any{
		"asOf": today.String(), "today": day, "week": week,
		"recent": recent, "escalations": escalations, "areas": areas, "total": total,
	})
}

// statusCounts counts visits by status, in display order.
type statusCounts struct {
	Fine      int `json:"fine"`
	Absent    int `json:"absent"`
	Concern   int `json:"concern"`
	Emergency int `json:"emergency"`
	Total     int `json:"total"`
}

func (c *statusCounts) add(status string, n int) {
	switch status {
	case collections.VisitFine:
		c.Fine += n
	case collections.VisitAbsent:
		c.Absent += n
	case collections.VisitConcern:
		c.Concern += n
	case collections.VisitEmergency:
		c.Emergency += n
	}
	c.Total += n
}

// visitCounts counts today's and the last seven days' visits by status.
func visitCounts(app core.App, today civil.Date) (day, week statusCounts, err error) {
	var rows []struct {
		Status string `db:"status"`
		Today  int    `db:"today"`
		Week   int    `db:"week"`
	}
	err = app.DB().NewQuery(`SELECT status, SUM(at >= {:today}) AS today, COUNT(*) AS week
		FROM watch_visits WHERE at >= {:week} GROUP BY status`).
		Bind(dbx.Params{"today": storedInstant(today), "week": storedInstant(today.AddDays(1 - activityWeekDays))}).All(&rows)
	for _, r := range rows {
		day.add(r.Status, r.Today)
		week.add(r.Status, r.Week)
	}
	return day, week, err
}

// storedInstant is the start of a Tokyo day as PocketBase stores instants.
func storedInstant(d civil.Date) string {
	dt, _ := types.ParseDateTime(d.Time())
	return dt.String()
}

func recentVisits(app core.App, limit int) ([]activityVisit, error) {
	rows := []activityVisit{}
	err := app.DB().NewQuery(`SELECT v.id, v.target, v.resident, COALESCE(r.familyName || ' ' || r.givenName, '') AS name,
			t.area, COALESCE(a.name, '') AS areaName, v.status, v.method, v.volunteer,
			COALESCE(vo.name, '') AS volunteerName, v.at
		FROM watch_visits v
		JOIN watch_targets t ON t.id = v.target
		LEFT JOIN residents r ON r.id = v.resident
		LEFT JOIN areas a ON a.id = t.area
		LEFT JOIN volunteers vo ON vo.id = v.volunteer
		ORDER BY v.at DESC LIMIT {:n}`).Bind(dbx.Params{"n": limit}).All(&rows)
	for i := range rows {
		rows[i].At = rfc3339(parseInstant(rows[i].At))
	}
	return rows, err
}

// visitStubs are records carrying just what the audit log files a read
// under: the id and the person.
func visitStubs(app core.App, visits []activityVisit) []*core.Record {
	col := mustCollection(app, watchVisits)
	out := make([]*core.Record, len(visits))
	for i, v := range visits {
		r := core.NewRecord(col)
		r.Id = v.ID
		r.Set("resident", v.Resident)
		out[i] = r
	}
	return out
}

func mustCollection(app core.App, name string) *core.Collection {
	col, err := app.FindCachedCollectionByNameOrId(name)
	if err != nil {
		panic(err) // the schema is compiled in: a missing collection is a bug
	}
	return col
}

// openEscalations lists each late target once, at the highest step
// reached, the longest overdue first. A target paused or whose consent was
// withdrawn is no longer followed up, so its old escalations drop out.
func openEscalations(app core.App, today civil.Date) ([]openEscalation, error) {
	var rows []openEscalation
	err := app.DB().NewQuery(`SELECT e.id, e.target, COALESCE(r.familyName || ' ' || r.givenName, '') AS name,
			COALESCE(a.name, '') AS areaName, e.dueOn, s.level, s.notify, e.notifiedAt
		FROM watch_escalations e
		JOIN watch_escalation_steps s ON s.id = e.step
		JOIN watch_targets t ON t.id = e.target
		LEFT JOIN residents r ON r.id = e.resident
		LEFT JOIN areas a ON a.id = t.area
		WHERE e.resolvedAt = '' AND t.active = TRUE AND t.consentStatus = {:consented}
		ORDER BY e.dueOn, e.target, s.level DESC`).Bind(dbx.Params{"consented": collections.ConsentGiven}).All(&rows)
	if err != nil {
		return nil, err
	}
	out := []openEscalation{}
	seen := map[string]bool{}
	for _, r := range rows {
		if seen[r.Target] {
			continue
		}
		seen[r.Target] = true
		if due, err := civil.Parse(r.DueOn); err == nil {
			r.DaysOverdue = max(0, civil.DaysBetween(due, today))
		}
		r.NotifiedAt = rfc3339(parseInstant(r.NotifiedAt))
		out = append(out, r)
	}
	return out, nil
}

// coverageByArea classifies every active, consented target and sums the
// classes by area (areas by name; targets without an area last).
func coverageByArea(app core.App, today civil.Date) ([]areaCoverage, areaCoverage, error) {
	rows, err := loadWatchDue(app)
	if err != nil {
		return nil, areaCoverage{}, err
	}
	by := map[string]*watchplan.AreaCoverage{}
	names := map[string]string{}
	var all watchplan.AreaCoverage
	for _, r := range rows {
		c := r.plan().CoverageOn(today)
		if by[r.Area] == nil {
			by[r.Area] = &watchplan.AreaCoverage{}
			names[r.Area] = r.AreaName
		}
		by[r.Area].Add(c)
		all.Add(c)
	}
	out := make([]areaCoverage, 0, len(by))
	for area, c := range by {
		name := names[area]
		if area == "" {
			name = "地区未設定"
		}
		out = append(out, newAreaCoverage(area, name, *c))
	}
	slices.SortFunc(out, func(a, b areaCoverage) int {
		switch {
		case (a.Area == "") != (b.Area == ""):
			if a.Area == "" {
				return 1
			}
			return -1
		case a.AreaName < b.AreaName:
			return -1
		case a.AreaName > b.AreaName:
			return 1
		}
		return 0
	})
	return out, newAreaCoverage("", "全体", all), nil
}
