package hooks

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/saijo-dx/lifestage/announcedb"
	"github.com/saijo-dx/lifestage/audit"
	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/reports"
	"github.com/saijo-dx/lifestage/survey"
)

// surveyBodyLimit leaves room for a survey's text answers.
const surveyBodyLimit = 64 << 10

func bindSurveys(app core.App) {
	app.OnRecordValidate(collections.Surveys).BindFunc(func(e *core.RecordEvent) error {
		if _, err := questionsOf(e.Record); err != nil {
			return err
		}
		if _, err := announcedb.Audience(e.Record); err != nil {
			return err
		}
		if !e.Record.GetDateTime("closesAt").Time().After(e.Record.GetDateTime("opensAt").Time()) {
			return fieldValidation("closesAt", "closes_before_opens", "締切は受付開始より後にしてください。")
		}
		return e.Next()
	})
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		staff := []*hook.Handler[*core.RequestEvent]{requireCityStaff(collections.DeptChild), apis.BodyLimit(bodyLimit)}
		se.Router.GET("/api/lifestage/me/surveys", mySurveys).Bind(apis.RequireAuth(collections.Users))
		se.Router.POST("/api/lifestage/surveys/{id}/responses", answerSurvey).Bind(apis.RequireAuth(collections.Users), apis.BodyLimit(surveyBodyLimit))
		se.Router.GET("/api/lifestage/surveys/{id}/results", surveyResults).Bind(staff...)
		se.Router.GET("/api/lifestage/surveys/{id}/results.xlsx", surveyResultsXLSX).Bind(staff...)
		return se.Next()
	})
}

// questionsOf reads and checks a survey's questions.
func questionsOf(r *core.Record) ([]survey.Question, error) {
	var qs []survey.Question
	if err := r.UnmarshalJSONField("questions", &qs); err != nil {
		return nil, validation.Errors{"questions": validation.NewError("invalid_questions", "質問の形式が正しくありません。")}
	}
	if ps := survey.CheckQuestions(qs); len(ps) > 0 {
		return nil, validation.Errors{"questions": validation.NewError(ps[0].Code, ps[0].Message)}
	}
	return qs, nil
}

type mySurvey struct {
	ID          string            `json:"id"`
	Title       string            `json:"title"`
	Description string            `json:"description"`
	Questions   []survey.Question `json:"questions"`
	OpensAt     string            `json:"opensAt"`
	ClosesAt    string            `json:"closesAt"`
	Open        bool              `json:"open"`
	Answered    bool              `json:"answered"`
}

// mySurveys lists the surveys delivered to the caller, open ones first.
func mySurveys(e *core.RequestEvent) error {
	var rows []struct {
		ID       string `db:"id"`
		Answered int    `db:"answered"`
	}
	err := e.App.DB().NewQuery(`SELECT s.id, (SELECT COUNT(*) FROM survey_responses x WHERE x.survey = s.id AND x.user = {:u}) AS answered
		FROM surveys s JOIN announcement_recipients r ON r.announcement = s.announcement AND r.user = {:u}
		WHERE s.status IN ('open', 'closed') ORDER BY s.closesAt DESC LIMIT 50`).
		Bind(dbx.Params{"u": e.Auth.Id}).All(&rows)
	if err != nil {
		return e.InternalServerError("", err)
	}
	ids := make([]string, len(rows))
	answered := map[string]bool{}
	for i, r := range rows {
		ids[i] = r.ID
		answered[r.ID] = r.Answered > 0
	}
	recs, err := e.App.FindRecordsByIds(collections.Surveys, ids)
	if err != nil {
		return e.InternalServerError("", err)
	}
	now := time.Now()
	items := make([]mySurvey, 0, len(recs))
	for _, s := range recs {
		qs, _ := questionsOf(s)
		items = append(items, mySurvey{
			ID: s.Id, Title: s.GetString("title"), Description: s.GetString("description"), Questions: qs,
			OpensAt: s.GetDateTime("opensAt").String(), ClosesAt: s.GetDateTime("closesAt").String(),
			Open: surveyOpenAt(s, now), Answered: answered[s.Id],
		})
	}
	sort.SliceStable(items, func(i, j int) bool {
		if items[i].Open != items[j].Open {
			return items[i].Open
		}
		return items[i].ClosesAt > items[j].ClosesAt
	})
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}

func surveyOpenAt(s *core.Record, now time.Time) bool {
	return s.GetString("status") == collections.SurveyOpen && !now.Before(s.GetDateTime("opensAt").Time()) &&
		now.Before(s.GetDateTime("closesAt").Time())
}

// answerSurvey stores the caller's one response. Only people the survey was
// delivered to may answer (403 not_targeted), once (409 already_answered),
// while it is open (409 survey_closed); answers are checked per question.
func answerSurvey(e *core.RequestEvent) error {
	s, err := e.App.FindRecordById(collections.Surveys, e.Request.PathValue("id"))
	if err != nil || s.GetString("status") == collections.SurveyDraft || s.GetString("status") == collections.SurveyScheduled {
		return e.NotFoundError("アンケートが見つかりません。", nil)
	}
	targeted, err := e.App.CountRecords(collections.AnnouncementRecipients,
		dbx.HashExp{"announcement": s.GetString("announcement"), "user": e.Auth.Id})
	if err != nil {
		return e.InternalServerError("", err)
	}
	if targeted == 0 || s.GetString("announcement") == "" {
		return apis.NewForbiddenError("このアンケートの対象ではありません。", validation.Errors{"survey": validation.NewError("not_targeted", "このアンケートの対象ではありません。")})
	}
	if !surveyOpenAt(s, time.Now()) {
		return apis.NewApiError(http.StatusConflict, "このアンケートは受付期間外です。", validation.Errors{"survey": validation.NewError("survey_closed", "このアンケートは受付期間外です。")})
	}
	var body struct {
		Answers survey.Answers `json:"answers"`
	}
	if err := e.BindBody(&body); err != nil {
		return fieldError("answers", "invalid_answers", "回答の形式が正しくありません。")
	}
	qs, err := questionsOf(s)
	if err != nil {
		return e.InternalServerError("", err)
	}
	clean, problems := survey.CheckAnswers(qs, body.Answers)
	if len(problems) > 0 {
		errs := validation.Errors{}
		for _, p := range problems {
			errs[p.Field] = validation.NewError(p.Code, p.Message)
		}
		return apis.NewBadRequestError("回答に誤りがあります。", errs)
	}
	raw, _ := json.Marshal(clean)
	var id string
	err = e.App.RunInTransaction(func(tx core.App) error {
		if n, err := tx.CountRecords(collections.SurveyResponses, dbx.HashExp{"survey": s.Id, "user": e.Auth.Id}); err != nil || n > 0 {
			return errAlreadyAnswered
		}
		col, err := tx.FindCachedCollectionByNameOrId(collections.SurveyResponses)
		if err != nil {
			return err
		}
		r := core.NewRecord(col)
		r.Load(map[string]any{"survey": s.Id, "user": e.Auth.Id, "answers": string(raw)})
		if err := tx.SaveWithContext(actorContext(e), r); err != nil {
			if collections.IsUniqueViolation(err) {
				return errAlreadyAnswered
			}
			return err
		}
		id = r.Id
		_, err = tx.DB().NewQuery(`UPDATE surveys SET responseCount = (SELECT COUNT(*) FROM survey_responses WHERE survey = {:s}) WHERE id = {:s}`).
			Bind(dbx.Params{"s": s.Id}).Execute()
		return err
	})
	if errors.Is(err, errAlreadyAnswered) {
		return apis.NewApiError(http.StatusConflict, "このアンケートには回答済みです。", validation.Errors{"survey": validation.NewError("already_answered", "このアンケートには回答済みです。")})
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"id": id, "survey": s.Id})
}

var errAlreadyAnswered = errors.New("already answered")

// surveyData is a survey with its questions, its responses (in record id
// order, which says nothing about who or when) and how many it reached.
type surveyData struct {
	rec       *core.Record
	questions []survey.Question
	responses []survey.Answers
	targeted  int
}

func loadSurveyData(e *core.RequestEvent) (*surveyData, error) {
	s, err := e.App.FindRecordById(collections.Surveys, e.Request.PathValue("id"))
	if err != nil {
		return nil, e.NotFoundError("アンケートが見つかりません。", nil)
	}
	qs, err := questionsOf(s)
	if err != nil {
		return nil, e.InternalServerError("", err)
	}
	recs, err := e.App.FindRecordsByFilter(collections.SurveyResponses, "survey = {:s}", "id", 0, 0, dbx.Params{"s": s.Id})
	if err != nil {
		return nil, e.InternalServerError("", err)
	}
	d := &surveyData{rec: s, questions: qs}
	for _, r := range recs {
		plain, err := DecryptField(e.App, r, "answers")
		if err != nil {
			return nil, e.InternalServerError("", err)
		}
		var a survey.Answers
		if json.Unmarshal([]byte(plain), &a) == nil {
			d.responses = append(d.responses, a)
		}
	}
	if ann := s.GetString("announcement"); ann != "" {
		n, err := e.App.CountRecords(collections.AnnouncementRecipients, dbx.HashExp{"announcement": ann})
		if err != nil {
			return nil, e.InternalServerError("", err)
		}
		d.targeted = int(n)
	}
	return d, nil
}

// surveyResults aggregates a survey for staff: counts, scale statistics and
// text answers, never who answered.
func surveyResults(e *core.RequestEvent) error {
	d, err := loadSurveyData(e)
	if err != nil {
		return err
	}
	rate := 0.0
	if d.targeted > 0 {
		rate = float64(len(d.responses)) / float64(d.targeted)
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return e.JSON(http.StatusOK, map[string]any{
		"id": d.rec.Id, "title": d.rec.GetString("title"), "status": d.rec.GetString("status"),
		"targeted": d.targeted, "responses": len(d.responses), "responseRate": rate,
		"questions": survey.Aggregate(d.questions, d.responses),
	})
}

// surveyResultsXLSX is the results workbook; the export is audited.
func surveyResultsXLSX(e *core.RequestEvent) error {
	d, err := loadSurveyData(e)
	if err != nil {
		return err
	}
	now := time.Now()
	var buf bytes.Buffer
	if err := reports.WriteWorkbook(&buf, survey.Sheets(d.rec.GetString("title"), d.questions, d.responses, d.targeted, now)...); err != nil {
		return e.InternalServerError("", err)
	}
	a := actorOf(e)
	err = auditlog.Append(e.App, audit.Entry{
		At: audit.Stamp(now), Actor: a.ID, ActorCollection: a.Collection, ActorRole: a.Role,
		Action: "export", Collection: collections.SurveyResponses, Record: d.rec.Id + ":" + strconv.Itoa(len(d.responses)),
		IP: a.IP, UserAgent: a.UserAgent,
	})
	if err != nil {
		return e.InternalServerError("", err)
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	e.Response.Header().Set("Content-Disposition", `attachment; filename="survey-`+d.rec.Id+`-`+civil.DateOf(now).String()+`.xlsx"`)
	return e.Blob(http.StatusOK, reports.XLSXContentType, buf.Bytes())
}
