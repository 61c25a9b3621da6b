package hooks

import (
	"errors"
	"math"
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/search"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/growth"
	"github.com/saijo-dx/lifestage/schedule"
)

// enteredInError marks a handbook entry that was withdrawn; it is kept for
// the record but never counts.
const enteredInError = "entered_in_error"

// bindChildHealth serves a child's own schedule and growth charts, computed
// from the handbook records.
func bindChildHealth(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/lifestage/children/{id}")
		g.Bind(apis.RequireAuth())
		g.GET("/schedule", childSchedule)
		g.GET("/growth", childGrowth)
		g.GET("/growth.svg", childGrowthSVG)
		return se.Next()
	})
}

// viewableChild is the child of the path, or a 404 for anyone the children
// view rule keeps out, so that other families' children stay invisible.
func viewableChild(e *core.RequestEvent) (*core.Record, civil.Date, error) {
	child, err := e.App.FindRecordById("children", e.Request.PathValue("id"))
	if err != nil || !canView(e, child) {
		return nil, civil.Date{}, e.NotFoundError("お子さまが見つかりません。", nil)
	}
	birth, err := civil.Parse(child.GetString("birthDate"))
	if err != nil {
		return nil, civil.Date{}, e.InternalServerError("", err)
	}
	return child, birth, nil
}

// childRecords reads a child's valid entries of a handbook collection by
// date, under the collection's own list rule: the child rule lets some
// staff (保育 for instance) see a child whose health records they may not
// read, and a partial history would mislead, so that is a 403. Staff reads
// are audited as API list reads are.
func childRecords(e *core.RequestEvent, collection, childID string) ([]*core.Record, error) {
	return handbookRecords(e, collection, "child", childID)
}

// handbookRecords reads the valid entries of a handbook collection whose
// relation field points at id, by date, as childRecords does.
func handbookRecords(e *core.RequestEvent, collection, field, id string) ([]*core.Record, error) {
	col, err := e.App.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		return nil, e.InternalServerError("", err)
	}
	valid := dbx.And(dbx.HashExp{col.Name + "." + field: id},
		dbx.NewExp(col.Name+".status != {:withdrawn}", dbx.Params{"withdrawn": enteredInError}))
	q := e.App.RecordQuery(col).AndWhere(valid).OrderBy(col.Name+".date ASC", col.Name+".id ASC")
	if err := underListRule(e, col, q); err != nil {
		return nil, err
	}
	var recs []*core.Record
	if err := q.All(&recs); err != nil {
		return nil, e.InternalServerError("", err)
	}
	all, err := e.App.CountRecords(col, valid)
	if err != nil {
		return nil, e.InternalServerError("", err)
	}
	if int64(len(recs)) < all {
		return nil, e.ForbiddenError("この記録を見る権限がありません。", nil)
	}
	if err := logSensitiveReads(e, col, recs); err != nil {
		return nil, e.InternalServerError("", err)
	}
	return recs, nil
}

// underListRule narrows a query of the collection to the records the
// caller's list rule shows, as PocketBase's own list route does. A locked
// rule is a 403 (superusers pass).
func underListRule(e *core.RequestEvent, col *core.Collection, q *dbx.SelectQuery) error {
	info, err := e.RequestInfo()
	if err != nil {
		return e.InternalServerError("", err)
	}
	switch {
	case info.HasSuperuserAuth():
		return nil
	case col.ListRule == nil:
		return e.ForbiddenError("この記録を見る権限がありません。", nil)
	case *col.ListRule == "":
		return nil
	}
	resolver := core.NewRecordFieldResolver(e.App, col, info, true)
	expr, err := search.FilterData(*col.ListRule).BuildExpr(resolver)
	if err != nil {
		return e.InternalServerError("", err)
	}
	q.AndWhere(expr)
	if err := resolver.UpdateQuery(q); err != nil {
		return e.InternalServerError("", err)
	}
	return nil
}

// childSchedule is the schedule preview for a registered child, from the
// immunizations on file.
func childSchedule(e *core.RequestEvent) error {
	child, birth, err := viewableChild(e)
	if err != nil {
		return err
	}
	asOf := civil.Today()
	if s := strings.TrimSpace(e.Request.URL.Query().Get("asOf")); s != "" {
		d, err := civil.Parse(s)
		switch {
		case err != nil:
			return fieldError("asOf", "invalid_date", "基準日は YYYY-MM-DD の形式で指定してください（例: 2025-05-01）。")
		case d.Before(birth):
			return fieldError("asOf", "before_birth", "基準日が生年月日より前になっています。")
		}
		asOf = d
	}
	recs, err := childRecords(e, "immunizations", child.Id)
	if err != nil {
		return err
	}
	given := make([]schedule.Dose, 0, len(recs))
	for _, r := range recs {
		if d, err := civil.Parse(r.GetString("date")); err == nil {
			given = append(given, schedule.Dose{Vaccine: r.GetString("vaccine"), Date: d})
		}
	}
	items := schedule.Compute(birth, child.GetString("sex"), asOf, given)
	return e.JSON(http.StatusOK, map[string]any{"items": previewItems(items)})
}

// measureOnly is a measurement the survey tables cannot place: past their
// age (頭囲 from 3 years, the others from 6歳6か月), or a child without a
// registered sex. It has no percentiles and no position.
type measureOnly struct {
	Value     float64 `json:"value"`
	AgeMonths float64 `json:"ageMonths"`
}

// growthItem is one measurement; a measure not taken is absent.
type growthItem struct {
	ID        string  `json:"id"`
	Date      string  `json:"date"`
	AgeMonths float64 `json:"ageMonths"`
	Weight    any     `json:"weight,omitempty"`
	Height    any     `json:"height,omitempty"`
	Head      any     `json:"head,omitempty"`
}

func (it *growthItem) set(measure string, v any) {
	switch measure {
	case growth.Weight:
		it.Weight = v
	case growth.Height:
		it.Height = v
	case growth.Head:
		it.Head = v
	}
}

type growthChild struct {
	ID        string `json:"id"`
	BirthDate string `json:"birthDate"`
	Sex       string `json:"sex"`
}

// growthRecords loads the child the caller may view and its valid growth
// measurements.
func growthRecords(e *core.RequestEvent) (*core.Record, civil.Date, []*core.Record, error) {
	child, birth, err := viewableChild(e)
	if err != nil {
		return nil, birth, nil, err
	}
	recs, err := childRecords(e, "growth_measurements", child.Id)
	return child, birth, recs, err
}

// childGrowth lists a child's measurements, each placed on the curves as
// the public assessment does.
func childGrowth(e *core.RequestEvent) error {
	child, birth, recs, err := growthRecords(e)
	if err != nil {
		return err
	}
	sex := child.GetString("sex")
	items := make([]growthItem, 0, len(recs))
	for _, r := range recs {
		date, err := civil.Parse(r.GetString("date"))
		if err != nil {
			continue
		}
		age := math.Round(civil.MonthsOld(birth, date)*10) / 10
		item := growthItem{ID: r.Id, Date: date.String(), AgeMonths: age}
		for _, in := range growthInputs {
			v := r.GetFloat(in.field)
			if v <= 0 {
				continue
			}
			res, err := growth.Assess(sex, birth, date, in.measure, v)
			switch {
			case err == nil:
				item.set(in.measure, res)
			case errors.Is(err, growth.ErrAgeOutOfRange), errors.Is(err, growth.ErrUnknownSex),
				errors.Is(err, growth.ErrValueOutOfRange), errors.Is(err, growth.ErrDateBeforeBirth):
				item.set(in.measure, measureOnly{Value: v, AgeMonths: age})
			default:
				return e.InternalServerError("", err)
			}
		}
		items = append(items, item)
	}
	return e.JSON(http.StatusOK, map[string]any{
		"child": growthChild{ID: child.Id, BirthDate: birth.String(), Sex: sex},
		"items": items,
	})
}

// childGrowthSVG draws the child's weight and height over the survey
// curves, for the handbook page and for printing.
func childGrowthSVG(e *core.RequestEvent) error {
	child, birth, recs, err := growthRecords(e)
	if err != nil {
		return err
	}
	points := make([]growth.ChartPoint, 0, len(recs))
	for _, r := range recs {
		date, err := civil.Parse(r.GetString("date"))
		if err != nil || date.Before(birth) {
			continue
		}
		points = append(points, growth.ChartPoint{Date: date.String(), AgeMonths: civil.MonthsOld(birth, date),
			WeightKg: r.GetFloat("weightKg"), HeightCm: r.GetFloat("heightCm")})
	}
	svg, err := growth.ChartSVG(child.GetString("sex"), points)
	if err != nil {
		return e.InternalServerError("", err)
	}
	// Health data: never kept by a shared cache or the browser's disk.
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return e.Blob(http.StatusOK, "image/svg+xml", svg)
}
