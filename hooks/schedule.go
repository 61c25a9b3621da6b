package hooks

import (
	"fmt"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/schedule"
)

// maxPreviewDoses bounds the doses of one preview; a child's full routine
// schedule has about 30.
const maxPreviewDoses = 60

// bindSchedule serves the vaccination schedule routes.
func bindSchedule(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		// Public, so that a parent can see the schedule before signing up;
		// the guest limit on /api/lifestage/ applies. Nothing is stored.
		se.Router.POST("/api/lifestage/schedule/preview", schedulePreview).Bind(apis.BodyLimit(bodyLimit))
		return se.Next()
	})
}

type previewItem struct {
	Vaccine  string `json:"vaccine"`
	Dose     int    `json:"dose"`
	Date     string `json:"date,omitempty"`
	Earliest string `json:"earliest"`
	Latest   string `json:"latest"`
	Status   string `json:"status"`
}

func schedulePreview(e *core.RequestEvent) error {
	body := struct {
		BirthDate string `json:"birthDate"`
		Sex       string `json:"sex"`
		AsOf      string `json:"asOf"`
		Doses     []struct {
			Vaccine string `json:"vaccine"`
			Date    string `json:"date"`
		} `json:"doses"`
	}{}
	if err := e.BindBody(&body); err != nil {
		return fieldError("birthDate", "invalid_body", "リクエストの形式が正しくありません。")
	}
	errs := validation.Errors{}
	today := civil.Today()

	birth, birthOK := civil.Date{}, false
	if s := strings.TrimSpace(body.BirthDate); s == "" {
		errs["birthDate"] = validation.NewError("required", "生年月日を入力してください。")
	} else if d, err := civil.Parse(s); err != nil {
		errs["birthDate"] = validation.NewError("invalid_date", "生年月日は YYYY-MM-DD の形式で指定してください（例: 2025-04-10）。")
	} else if d.After(today) {
		errs["birthDate"] = validation.NewError("future_date", "生年月日が今日より後になっています。")
	} else {
		birth, birthOK = d, true
	}

	asOf := today
	if s := strings.TrimSpace(body.AsOf); s != "" {
		if d, err := civil.Parse(s); err != nil {
			errs["asOf"] = validation.NewError("invalid_date", "基準日は YYYY-MM-DD の形式で指定してください（例: 2025-05-01）。")
		} else if birthOK && d.Before(birth) {
			errs["asOf"] = validation.NewError("before_birth", "基準日が生年月日より前になっています。")
		} else {
			asOf = d
		}
	}

	sex := strings.TrimSpace(body.Sex)
	if sex != "" && sex != "male" && sex != "female" {
		errs["sex"] = validation.NewError("invalid_sex", "性別は male（男の子）か female（女の子）を指定してください。")
	}

	if len(body.Doses) > maxPreviewDoses {
		errs["doses"] = validation.NewError("too_many", fmt.Sprintf("接種歴は%d件までにしてください。", maxPreviewDoses))
	}
	given := make([]schedule.Dose, 0, len(body.Doses))
	for i, d := range body.Doses {
		if i >= maxPreviewDoses {
			break
		}
		key := fmt.Sprintf("doses.%d.", i)
		code := strings.TrimSpace(d.Vaccine)
		if !schedule.KnownCode(code) {
			errs[key+"vaccine"] = validation.NewError("unknown_vaccine", "ワクチンの種類が正しくありません。")
		}
		date, err := civil.Parse(strings.TrimSpace(d.Date))
		switch {
		case err != nil:
			errs[key+"date"] = validation.NewError("invalid_date", "接種日は YYYY-MM-DD の形式で指定してください。")
		case birthOK && date.Before(birth):
			errs[key+"date"] = validation.NewError("before_birth", "接種日が生年月日より前になっています。")
		}
		given = append(given, schedule.Dose{Vaccine: code, Date: date})
	}
	if len(errs) > 0 {
		msg := "入力内容を確認してください。"
		if len(errs) == 1 {
			for _, err := range errs {
				msg = err.Error()
			}
		}
		return apis.NewBadRequestError(msg, errs)
	}

	return e.JSON(200, map[string]any{"items": previewItems(schedule.Compute(birth, sex, asOf, given))})
}

// previewItems is the wire form of a schedule, shared by the preview and a
// child's own schedule.
func previewItems(items []schedule.Item) []previewItem {
	out := make([]previewItem, len(items))
	for i, it := range items {
		out[i] = previewItem{Vaccine: it.Vaccine, Dose: it.Dose, Earliest: it.Earliest.String(),
			Latest: it.Latest.String(), Status: string(it.Status)}
		if it.Date != nil {
			out[i].Date = it.Date.String()
		}
	}
	return out
}
