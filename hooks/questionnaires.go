package hooks

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/notify"
	"github.com/saijo-dx/lifestage/questionnaire"
	"github.com/saijo-dx/lifestage/schedule"
)

const questionnairesCollection = "vaccination_questionnaires"

// feverC is the temperature from which a child is not vaccinated that day
// (明らかな発熱: 37.5℃以上).
const feverC = 37.5

// immunizationSites are the sites the immunizations collection accepts.
var immunizationSites = []string{"left_arm", "right_arm", "left_thigh", "right_thigh", "oral", "other"}

// bindQuestionnaires serves the digital 予診票: guardians fill and submit it,
// the chosen clinic opens it by QR code, reviews and records the dose.
func bindQuestionnaires(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		citizens := []*hook.Handler[*core.RequestEvent]{apis.RequireAuth(collections.Users), apis.BodyLimit(bodyLimit)}
		clinic := []*hook.Handler[*core.RequestEvent]{apis.RequireAuth(collections.MedicalStaff), apis.BodyLimit(bodyLimit)}
		se.Router.POST("/api/lifestage/children/{id}/questionnaires", createQuestionnaire).Bind(citizens...)
		se.Router.PATCH("/api/lifestage/questionnaires/{id}/answers", saveAnswers).Bind(citizens...)
		se.Router.POST("/api/lifestage/questionnaires/{id}/submit", submitQuestionnaire).Bind(citizens...)
		se.Router.POST("/api/lifestage/questionnaires/{id}/cancel", cancelQuestionnaire).Bind(citizens...)
		se.Router.GET("/api/lifestage/questionnaires/{id}/qr.png", questionnaireQR).Bind(apis.RequireAuth())
		se.Router.GET("/api/lifestage/clinic/questionnaires", openByToken).Bind(apis.RequireAuth())
		se.Router.GET("/api/lifestage/clinic/questionnaires/{id}", openFromList).Bind(apis.RequireAuth(collections.MedicalStaff))
		se.Router.POST("/api/lifestage/questionnaires/{id}/review", reviewQuestionnaire).Bind(clinic...)
		se.Router.POST("/api/lifestage/questionnaires/{id}/administer", administerQuestionnaire).Bind(clinic...)
		return se.Next()
	})
}

// isChildManager is true for a guardian or a family member with the manage
// share: the people who may fill a child's forms.
func isChildManager(e *core.RequestEvent, child *core.Record) bool {
	return isCitizen(e) && (slices.Contains(child.GetStringSlice("guardians"), e.Auth.Id) ||
		slices.Contains(child.GetStringSlice("familyManagers"), e.Auth.Id))
}

// isClinicOf is true for active staff of the questionnaire's institution.
func isClinicOf(e *core.RequestEvent, q *core.Record) bool {
	return e.Auth != nil && e.Auth.Collection().Name == collections.MedicalStaff && e.Auth.GetBool("active") &&
		e.Auth.GetString("institution") != "" && e.Auth.GetString("institution") == q.GetString("institution")
}

// loadQuestionnaire is the questionnaire of the path, or a 404 for anyone
// its view rule keeps out. The answers are decrypted in memory, so a later
// save seals clear text once.
func loadQuestionnaire(e *core.RequestEvent) (*core.Record, error) {
	q, err := e.App.FindRecordById(questionnairesCollection, e.Request.PathValue("id"))
	if err != nil || !canView(e, q) {
		return nil, e.NotFoundError("予診票が見つかりません。", nil)
	}
	plain, err := DecryptField(e.App, q, "answers")
	if err != nil {
		return nil, e.InternalServerError("", err)
	}
	q.Set("answers", plain)
	return q, nil
}

// questionnaireOut is the questionnaire as the routes answer it: the record
// as the API shows it, with the answers as an object and the questions.
func questionnaireOut(e *core.RequestEvent, q *core.Record) (map[string]any, error) {
	if err := apis.EnrichRecord(e, q); err != nil {
		return nil, err
	}
	out := q.PublicExport()
	answers := map[string]any{}
	if s := q.GetString("answers"); s != "" {
		if err := json.Unmarshal([]byte(s), &answers); err != nil {
			return nil, err
		}
	}
	out["answers"] = answers
	out["questions"] = questionnaire.For(q.GetString("vaccine"))
	return out, nil
}

func respondQuestionnaire(e *core.RequestEvent, q *core.Record, extra map[string]any) error {
	out, err := questionnaireOut(e, q)
	if err != nil {
		return e.InternalServerError("", err)
	}
	for k, v := range extra {
		out[k] = v
	}
	return e.JSON(http.StatusOK, out)
}

// givenDoses are the child's valid immunizations, for the schedule.
func givenDoses(app core.App, childID string) ([]schedule.Dose, error) {
	recs, err := app.FindAllRecords("immunizations", dbx.HashExp{"child": childID},
		dbx.NewExp("status != {:w}", dbx.Params{"w": enteredInError}))
	if err != nil {
		return nil, err
	}
	out := make([]schedule.Dose, 0, len(recs))
	for _, r := range recs {
		if d, err := civil.Parse(r.GetString("date")); err == nil {
			out = append(out, schedule.Dose{Vaccine: r.GetString("vaccine"), Date: d})
		}
	}
	return out, nil
}

func notEligible(field, msg string) error { return fieldError(field, "not_eligible", msg) }

// eligibleDose finds the child's next dose of the vaccine and checks the
// planned date against its legal window. warning is set when the date is
// past the standard period but still legal.
func eligibleDose(app core.App, child *core.Record, birth civil.Date, vaccine string, dose int, planned civil.Date) (schedule.Item, string, error) {
	given, err := givenDoses(app, child.Id)
	if err != nil {
		return schedule.Item{}, "", apis.NewInternalServerError("", err)
	}
	var next *schedule.Item
	items := schedule.Compute(birth, child.GetString("sex"), planned, given)
	for i := range items {
		it := items[i]
		if it.Vaccine == vaccine && it.Status != schedule.Done && it.Status != schedule.Skipped {
			next = &items[i]
			break
		}
	}
	switch {
	case next == nil:
		return schedule.Item{}, "", notEligible("vaccine", "このワクチンは接種が済んでいるか、お子さまの定期接種の対象ではありません。")
	case dose != 0 && dose != next.Dose:
		return schedule.Item{}, "", notEligible("dose", "次に受けるのは"+strconv.Itoa(next.Dose)+"回目です。")
	case planned.Before(next.Earliest):
		msg := "最短で " + next.Earliest.String() + " から接種できます。"
		if next.Dose > 1 {
			msg = "前回の接種からの間隔が足りません。" + msg
		}
		return schedule.Item{}, "", notEligible("plannedDate", msg)
	case planned.After(next.Latest) || next.Status == schedule.Expired:
		return schedule.Item{}, "", notEligible("plannedDate", "定期接種として受けられる期間（"+next.Latest.String()+" まで）を過ぎています。")
	}
	warning := ""
	if next.Status == schedule.Overdue {
		warning = "標準的な接種期間を過ぎています"
	}
	return *next, warning, nil
}

// createQuestionnaire starts a draft for the child's next dose of a vaccine.
// The header (name, birth date, age, address, guardian) comes from the
// register, never from the body.
func createQuestionnaire(e *core.RequestEvent) error {
	child, birth, err := viewableChild(e)
	if err != nil {
		return err
	}
	if !isChildManager(e, child) {
		return e.ForbiddenError("予診票を作成できるのは保護者と管理を共有された家族だけです。", nil)
	}
	body := struct {
		Vaccine     string `json:"vaccine"`
		Dose        int    `json:"dose"`
		PlannedDate string `json:"plannedDate"`
		Institution string `json:"institution"`
	}{}
	if err := e.BindBody(&body); err != nil {
		return fieldError("vaccine", "invalid_body", "リクエストの形式が正しくありません。")
	}
	if !schedule.KnownCode(body.Vaccine) {
		return fieldError("vaccine", "invalid_vaccine", "ワクチンを選んでください。")
	}
	if body.Dose < 0 || body.Dose > 5 {
		return fieldError("dose", "invalid_dose", "接種回数は1〜5で指定してください。")
	}
	planned, err := civil.Parse(body.PlannedDate)
	if err != nil {
		return fieldError("plannedDate", "invalid_date", "接種予定日は YYYY-MM-DD の形式で指定してください（例: 2026-05-01）。")
	}
	if planned.Before(civil.Today()) {
		return fieldError("plannedDate", "past_date", "接種予定日に過去の日付は指定できません。")
	}
	inst, err := e.App.FindRecordById("facilities", body.Institution)
	if err != nil || !slices.Contains([]string{"clinic", "hospital"}, inst.GetString("type")) {
		return fieldError("institution", "invalid_institution", "接種を受ける医療機関を選んでください。")
	}
	item, warning, err := eligibleDose(e.App, child, birth, body.Vaccine, body.Dose, planned)
	if err != nil {
		return err
	}

	col, err := e.App.FindCachedCollectionByNameOrId(questionnairesCollection)
	if err != nil {
		return e.InternalServerError("", err)
	}
	q := core.NewRecord(col)
	q.Set("child", child.Id)
	q.Set("vaccine", body.Vaccine)
	q.Set("dose", item.Dose)
	q.Set("plannedDate", planned.String())
	q.Set("institution", inst.Id)
	q.Set("status", collections.QuestionnaireDraft)
	q.Set("warning", warning)
	header := questionnaire.NewHeader(child.GetString("familyName"), child.GetString("givenName"), birth, planned,
		guardianName(e, child), householdAddress(e.App, child))
	for k, v := range header.Fields() {
		q.Set(k, v)
	}
	answers, err := json.Marshal(questionnaire.Prefilled(birthWeight(e.App, child.Id)))
	if err != nil {
		return e.InternalServerError("", err)
	}
	q.Set("answers", string(answers))
	if err := e.App.SaveWithContext(actorContext(e), q); err != nil {
		return e.BadRequestError("予診票を作成できませんでした。", err)
	}
	return respondQuestionnaire(e, q, nil)
}

// householdAddress is the address of the child's household on the
// register, or "".
func householdAddress(app core.App, child *core.Record) string {
	if h := child.GetString("household"); h != "" {
		if hh, err := app.FindRecordById("households", h); err == nil {
			return hh.GetString("address")
		}
	}
	return ""
}

// guardianName is the caller when a guardian, else the first guardian.
func guardianName(e *core.RequestEvent, child *core.Record) string {
	ids := child.GetStringSlice("guardians")
	if slices.Contains(ids, e.Auth.Id) {
		return e.Auth.GetString("name")
	}
	if len(ids) > 0 {
		if g, err := e.App.FindRecordById(collections.Users, ids[0]); err == nil {
			return g.GetString("name")
		}
	}
	return ""
}

// managedQuestionnaire loads a questionnaire its child's manager may change.
func managedQuestionnaire(e *core.RequestEvent) (*core.Record, error) {
	q, err := loadQuestionnaire(e)
	if err != nil {
		return nil, err
	}
	child, err := e.App.FindRecordById("children", q.GetString("child"))
	if err != nil {
		return nil, e.NotFoundError("予診票が見つかりません。", nil)
	}
	if !isChildManager(e, child) {
		return nil, e.ForbiddenError("予診票に回答できるのは保護者と管理を共有された家族だけです。", nil)
	}
	return q, nil
}

// saveAnswers stores a draft's answers (partial answers are fine).
func saveAnswers(e *core.RequestEvent) error {
	q, err := managedQuestionnaire(e)
	if err != nil {
		return err
	}
	if q.GetString("status") != collections.QuestionnaireDraft {
		return fieldError("status", "not_draft", "提出済みの予診票は変更できません。")
	}
	body := struct {
		Answers map[string]json.RawMessage `json:"answers"`
	}{}
	if err := e.BindBody(&body); err != nil || body.Answers == nil {
		return fieldError("answers", "invalid_body", "回答を送ってください。")
	}
	answers, p := questionnaire.Parse(q.GetString("vaccine"), body.Answers)
	if p != nil {
		return fieldError("answers."+p.Key, p.Code, p.Message)
	}
	raw, err := json.Marshal(answers)
	if err != nil {
		return e.InternalServerError("", err)
	}
	q.Set("answers", string(raw))
	if err := e.App.SaveWithContext(actorContext(e), q); err != nil {
		return e.BadRequestError("回答を保存できませんでした。", err)
	}
	return respondQuestionnaire(e, q, nil)
}

// submitQuestionnaire sends a complete form to the clinic and issues a
// fresh reception token (a re-submit invalidates the old QR code).
func submitQuestionnaire(e *core.RequestEvent) error {
	q, err := managedQuestionnaire(e)
	if err != nil {
		return err
	}
	if s := q.GetString("status"); s != collections.QuestionnaireDraft && s != collections.QuestionnaireSubmitted {
		return fieldError("status", "not_draft", "この予診票はすでに医療機関で確認されています。")
	}
	var raw map[string]json.RawMessage
	if s := q.GetString("answers"); s != "" {
		if err := json.Unmarshal([]byte(s), &raw); err != nil {
			return e.InternalServerError("", err)
		}
	}
	answers, p := questionnaire.Parse(q.GetString("vaccine"), raw)
	if p == nil {
		p = questionnaire.Complete(q.GetString("vaccine"), answers)
	}
	if p != nil {
		return fieldError("answers."+p.Key, p.Code, p.Message)
	}
	token, err := questionnaire.NewToken()
	if err != nil {
		return e.InternalServerError("", err)
	}
	q.Set("status", collections.QuestionnaireSubmitted)
	q.Set("submittedAt", time.Now())
	q.Set("qrToken", token)
	if err := e.App.SaveWithContext(actorContext(e), q); err != nil {
		return e.BadRequestError("予診票を提出できませんでした。", err)
	}
	return respondQuestionnaire(e, q, map[string]any{
		"qrToken": token,
		"qrUrl":   "/api/lifestage/questionnaires/" + q.Id + "/qr.png",
	})
}

// cancelQuestionnaire withdraws a form the clinic has not reviewed yet;
// its QR code stops working at once.
func cancelQuestionnaire(e *core.RequestEvent) error {
	q, err := managedQuestionnaire(e)
	if err != nil {
		return err
	}
	if s := q.GetString("status"); s != collections.QuestionnaireDraft && s != collections.QuestionnaireSubmitted {
		return fieldError("status", "not_cancellable", "医療機関で確認済みの予診票は取り消せません。医療機関にご相談ください。")
	}
	q.Set("status", collections.QuestionnaireCancelled)
	q.Set("qrToken", "")
	if err := e.App.SaveWithContext(actorContext(e), q); err != nil {
		return e.BadRequestError("予診票を取り消せませんでした。", err)
	}
	return respondQuestionnaire(e, q, nil)
}

// receptionURL is what the QR code holds: the clinic's reception page.
func receptionURL(app core.App, token string) string {
	return strings.TrimRight(app.Settings().Meta.AppURL, "/") + "/clinic/questionnaire/?t=" + url.QueryEscape(token)
}

// questionnaireQR draws the reception QR code for the guardian to show, or
// for the clinic to print.
func questionnaireQR(e *core.RequestEvent) error {
	q, err := loadQuestionnaire(e)
	if err != nil {
		return err
	}
	allowed := isClinicOf(e, q)
	if !allowed && isCitizen(e) {
		if child, err := e.App.FindRecordById("children", q.GetString("child")); err == nil {
			allowed = isChildManager(e, child)
		}
	}
	if !allowed {
		return e.ForbiddenError("このQRコードを表示する権限がありません。", nil)
	}
	token := q.GetString("qrToken")
	if token == "" || (q.GetString("status") != collections.QuestionnaireSubmitted && q.GetString("status") != collections.QuestionnaireReviewed) {
		return e.NotFoundError("受付用のQRコードはありません。予診票を提出してください。", nil)
	}
	png, err := qrcode.Encode(receptionURL(e.App, token), qrcode.Medium, 320)
	if err != nil {
		return e.InternalServerError("", err)
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return e.Blob(http.StatusOK, "image/png", png)
}

// openByToken is the clinic's reception: staff of the chosen institution
// scan the QR code and get the form with its answers. The read is audited.
func openByToken(e *core.RequestEvent) error {
	token := strings.TrimSpace(e.Request.URL.Query().Get("t"))
	notFound := e.NotFoundError("予診票が見つかりません。", nil)
	if token == "" || len(token) > 64 {
		return notFound
	}
	q, err := e.App.FindFirstRecordByData(questionnairesCollection, "qrToken", token)
	if err != nil || !isClinicOf(e, q) {
		return notFound
	}
	plain, err := DecryptField(e.App, q, "answers")
	if err != nil {
		return e.InternalServerError("", err)
	}
	q.Set("answers", plain)
	if err := logSensitiveReads(e, q.Collection(), []*core.Record{q}); err != nil {
		return e.InternalServerError("", err)
	}
	return respondQuestionnaire(e, q, nil)
}

// openFromList opens a form from the clinic's reception list, which its
// staff may already read through the list rule, with the questions the
// page needs. The read is audited like a scan.
func openFromList(e *core.RequestEvent) error {
	q, err := clinicQuestionnaire(e)
	if err != nil {
		return err
	}
	if err := logSensitiveReads(e, q.Collection(), []*core.Record{q}); err != nil {
		return e.InternalServerError("", err)
	}
	return respondQuestionnaire(e, q, nil)
}

// clinicQuestionnaire loads a questionnaire for its institution's staff:
// 404 for those who cannot see it, 403 for readers who are not the clinic.
func clinicQuestionnaire(e *core.RequestEvent) (*core.Record, error) {
	q, err := loadQuestionnaire(e)
	if err != nil {
		return nil, err
	}
	if !isClinicOf(e, q) {
		return nil, e.ForbiddenError("この予診票を扱えるのは提出先の医療機関だけです。", nil)
	}
	return q, nil
}

// reviewQuestionnaire records the doctor's section: temperature,
// judgement and the guardian's consent.
func reviewQuestionnaire(e *core.RequestEvent) error {
	q, err := clinicQuestionnaire(e)
	if err != nil {
		return err
	}
	if s := q.GetString("status"); s != collections.QuestionnaireSubmitted && s != collections.QuestionnaireReviewed {
		return fieldError("status", "not_submitted", "提出済みの予診票だけが確認できます。")
	}
	body := struct {
		Temperature *float64 `json:"temperature"`
		Judgement   string   `json:"judgement"`
		Consent     bool     `json:"consent"`
	}{}
	if err := e.BindBody(&body); err != nil {
		return fieldError("temperature", "invalid_body", "リクエストの形式が正しくありません。")
	}
	switch {
	case body.Temperature == nil || *body.Temperature < 34 || *body.Temperature > 42:
		return fieldError("temperature", "invalid_temperature", "診察前の体温（34.0〜42.0℃）を入力してください。")
	case body.Judgement != "ok" && body.Judgement != "postpone":
		return fieldError("judgement", "invalid_judgement", "今日の接種を「実施できる（ok）」か「見合わせる（postpone）」か選んでください。")
	case body.Judgement == "ok" && *body.Temperature >= feverC:
		return fieldError("temperature", "fever", "37.5℃以上の発熱があるため、今日は接種できません。")
	}
	q.Set("temperature", *body.Temperature)
	q.Set("judgement", body.Judgement)
	q.Set("consent", body.Consent)
	q.Set("reviewedBy", e.Auth.Id)
	q.Set("reviewedAt", time.Now())
	q.Set("status", collections.QuestionnaireReviewed)
	if err := e.App.SaveWithContext(actorContext(e), q); err != nil {
		return e.BadRequestError("確認結果を保存できませんでした。", err)
	}
	return respondQuestionnaire(e, q, nil)
}

// administerQuestionnaire records the dose in the handbook, closes the
// form and tells the guardians, all in one transaction.
func administerQuestionnaire(e *core.RequestEvent) error {
	q, err := clinicQuestionnaire(e)
	if err != nil {
		return err
	}
	if q.GetString("status") != collections.QuestionnaireReviewed || q.GetString("judgement") != "ok" || !q.GetBool("consent") {
		return fieldError("status", "not_ready", "医師が「実施できる」と判断し、保護者が同意した予診票だけ接種を記録できます。")
	}
	body := struct {
		Product string `json:"product"`
		Lot     string `json:"lot"`
		Site    string `json:"site"`
		Date    string `json:"date"`
	}{}
	if err := e.BindBody(&body); err != nil {
		return fieldError("product", "invalid_body", "リクエストの形式が正しくありません。")
	}
	switch {
	case strings.TrimSpace(body.Product) == "" || utf8.RuneCountInString(body.Product) > 100:
		return fieldError("product", "invalid_product", "製品名を100文字以内で入力してください。")
	case strings.TrimSpace(body.Lot) == "" || utf8.RuneCountInString(body.Lot) > 50:
		return fieldError("lot", "invalid_lot", "ロット番号を50文字以内で入力してください。")
	case !slices.Contains(immunizationSites, body.Site):
		return fieldError("site", "invalid_site", "接種部位を選んでください。")
	}
	date := q.GetString("plannedDate")
	if body.Date != "" {
		date = body.Date
	}
	d, err := civil.Parse(date)
	switch {
	case err != nil:
		return fieldError("date", "invalid_date", "接種日は YYYY-MM-DD の形式で指定してください。")
	case d.After(civil.Today()):
		return fieldError("date", "future_date", "接種日に未来の日付は指定できません。")
	}
	child, err := e.App.FindRecordById("children", q.GetString("child"))
	if err != nil {
		return e.NotFoundError("予診票が見つかりません。", nil)
	}
	dup, err := e.App.CountRecords("immunizations", dbx.HashExp{"child": child.Id, "vaccine": q.GetString("vaccine"), "dose": q.GetInt("dose")},
		dbx.NewExp("status != {:w}", dbx.Params{"w": enteredInError}))
	if err != nil {
		return e.InternalServerError("", err)
	}
	if dup > 0 {
		return fieldError("dose", "already_recorded", "この回の接種はすでに記録されています。")
	}

	ctx := actorContext(e)
	var imm *core.Record
	err = e.App.RunInTransaction(func(tx core.App) error {
		col, err := tx.FindCachedCollectionByNameOrId("immunizations")
		if err != nil {
			return err
		}
		imm = core.NewRecord(col)
		imm.Set("child", child.Id)
		imm.Set("vaccine", q.GetString("vaccine"))
		imm.Set("dose", q.GetInt("dose"))
		imm.Set("date", d.String())
		imm.Set("product", strings.TrimSpace(body.Product))
		imm.Set("lot", strings.TrimSpace(body.Lot))
		imm.Set("site", body.Site)
		imm.Set("institution", q.GetString("institution"))
		imm.Set("source", "clinic")
		imm.Set("status", "completed")
		if err := tx.SaveWithContext(ctx, imm); err != nil {
			return err
		}
		q.Set("status", collections.QuestionnaireAdministered)
		q.Set("immunization", imm.Id)
		if err := tx.SaveWithContext(ctx, q); err != nil {
			return err
		}
		label := schedule.VaccineLabels[q.GetString("vaccine")]
		for _, id := range child.GetStringSlice("guardians") {
			g, err := tx.FindRecordById(collections.Users, id)
			if err != nil {
				continue // an account that no longer exists
			}
			if _, err := notify.Send(tx, notify.Message{
				Recipient: g,
				Kind:      "immunization.recorded",
				Key:       "notify.immunization.recorded",
				Vars:      map[string]string{"child": child.GetString("givenName"), "vaccine": label, "dose": strconv.Itoa(q.GetInt("dose"))},
				Dates:     map[string]civil.Date{"date": d},
				Link:      "/me/",
				Reason:    q.Id,
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return e.BadRequestError("接種を記録できませんでした。", err)
	}
	return respondQuestionnaire(e, q, map[string]any{
		"immunizationRecord": map[string]any{"id": imm.Id, "vaccine": imm.GetString("vaccine"), "dose": imm.GetInt("dose"), "date": imm.GetString("date")},
	})
}
