package hooks

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/growth"
)

// growthInputs are the optional measurements of an assessment, in the
// order they are answered.
var growthInputs = []struct{ field, measure, label, unit string }{
	{"weightKg", growth.Weight, "体重", "kg"},
	{"heightCm", growth.Height, "身長", "cm"},
	{"headCm", growth.Head, "頭囲", "cm"},
}

// bindGrowth serves the growth assessment routes.
func bindGrowth(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		// Public, so that a parent can check a measurement from the
		// handbook before signing up; the guest limit on /api/lifestage/
		// applies. Nothing is stored.
		se.Router.GET("/api/lifestage/growth/assess", growthAssess).Bind(apis.BodyLimit(bodyLimit))
		return se.Next()
	})
}

func growthAssess(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	errs := validation.Errors{}

	sex := strings.TrimSpace(q.Get("sex"))
	if sex != growth.Male && sex != growth.Female {
		errs["sex"] = validation.NewError("invalid_sex", "性別は male（男の子）か female（女の子）を指定してください。")
	}
	birth, birthOK := civil.Date{}, false
	if s := strings.TrimSpace(q.Get("birthDate")); s == "" {
		errs["birthDate"] = validation.NewError("required", "生年月日を入力してください。")
	} else if d, err := civil.Parse(s); err != nil {
		errs["birthDate"] = validation.NewError("invalid_date", "生年月日は YYYY-MM-DD の形式で指定してください（例: 2025-01-01）。")
	} else {
		birth, birthOK = d, true
	}
	dateGiven := strings.TrimSpace(q.Get("date")) != ""
	date := civil.Today()
	if dateGiven {
		if d, err := civil.Parse(strings.TrimSpace(q.Get("date"))); err != nil {
			errs["date"] = validation.NewError("invalid_date", "測定日は YYYY-MM-DD の形式で指定してください（例: 2025-04-01）。")
		} else {
			date = d
		}
	}
	if birthOK && errs["date"] == nil && date.Before(birth) {
		if dateGiven {
			errs["date"] = validation.NewError("before_birth", "測定日が生年月日より前になっています。")
		} else {
			errs["birthDate"] = validation.NewError("future_date", "生年月日が今日より後になっています。")
		}
	}

	values := map[string]float64{}
	for _, in := range growthInputs {
		s := strings.TrimSpace(q.Get(in.field))
		if s == "" {
			continue
		}
		v, err := strconv.ParseFloat(s, 64)
		above, atMost, _ := growth.Bounds(in.measure)
		switch {
		case err != nil || math.IsNaN(v) || math.IsInf(v, 0):
			errs[in.field] = validation.NewError("invalid_number", fmt.Sprintf("%sは数値（%s）で入力してください。", in.label, in.unit))
		case v <= above || v > atMost:
			errs[in.field] = validation.NewError("out_of_range",
				fmt.Sprintf("%sは%gより大きく%g%s以下で入力してください。単位（%s）をご確認ください。", in.label, above, atMost, in.unit, in.unit))
		default:
			values[in.measure] = v
		}
	}
	if len(values) == 0 && !anyField(errs, "weightKg", "heightCm", "headCm") {
		msg := validation.NewError("required", "体重・身長・頭囲のうち、少なくとも1つを入力してください。")
		errs["weightKg"], errs["heightCm"], errs["headCm"] = msg, msg, msg
	}
	if len(errs) > 0 {
		return badRequest(errs)
	}

	out := map[string]any{"sex": sex, "birthDate": birth.String(), "date": date.String()}
	for _, in := range growthInputs {
		v, ok := values[in.measure]
		if !ok {
			continue
		}
		r, err := growth.Assess(sex, birth, date, in.measure, v)
		switch {
		case errors.Is(err, growth.ErrAgeOutOfRange):
			limit, _ := growth.AgeLimitMonths(in.measure)
			errs["date"] = validation.NewError("age_out_of_range",
				fmt.Sprintf("%sの基準値は%sまでです（令和5年乳幼児身体発育調査の対象年齢）。", in.label, monthsJa(limit)))
		case err != nil:
			return e.InternalServerError("", err)
		default:
			out[in.measure] = r
		}
	}
	if len(errs) > 0 {
		return badRequest(errs)
	}
	return e.JSON(http.StatusOK, out)
}

// badRequest reports every field at once; with a single field its message
// is also the headline, as fieldError does.
func badRequest(errs validation.Errors) error {
	msg := "入力内容を確認してください。"
	if len(errs) == 1 {
		for _, err := range errs {
			msg = err.Error()
		}
	}
	return apis.NewBadRequestError(msg, errs)
}

func anyField(errs validation.Errors, fields ...string) bool {
	for _, f := range fields {
		if errs[f] != nil {
			return true
		}
	}
	return false
}

// monthsJa words an age limit in months as the survey does: "6歳6か月未満".
func monthsJa(m float64) string {
	n := int(m)
	if n%12 == 0 {
		return fmt.Sprintf("%d歳未満", n/12)
	}
	return fmt.Sprintf("%d歳%dか月未満", n/12, n%12)
}
