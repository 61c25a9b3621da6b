package seed

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/announcedb"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/survey"
)

// demoSurveyQuestions shows all four question types.
var demoSurveyQuestions = []survey.Question{
	{ID: "satisfaction", Type: survey.Single, Label: "西条市は子育てしやすいまちだと思いますか", Options: []string{"そう思う", "ややそう思う", "あまり思わない", "思わない"}, Required: true},
	{ID: "facilities", Type: survey.Multi, Label: "よく利用する施設を選んでください（いくつでも）", Options: []string{"子育て支援センター", "公園", "図書館", "保健センター", "児童館"}},
	{ID: "ease", Type: survey.Scale, Label: "市の子育て情報の探しやすさ（1=探しにくい、5=探しやすい）", Min: 1, Max: 5, Required: true},
	{ID: "comment", Type: survey.Text, Label: "市へのご意見・ご要望があればお書きください"},
}

// demoSurveyComments are synthetic free-text answers.
var demoSurveyComments = []string{"雨の日に遊べる場所が増えるとうれしいです。", "健診の予約がスマホでできて助かっています。", "", "一時預かりの枠を増やしてほしい。", ""}

// DemoNotices adds targeted announcements and a survey (issue 8 item 4):
// a sent announcement to parents of 3–4-month-olds, one to the demo
// parent's area (read by the parent), one scheduled for tomorrow, a draft,
// a survey of all four question types open to parents of children under 6
// with synthetic responses (the demo parent answered, parent2 has not), and
// a draft survey. Delivery runs through the same code as the cron job.
func (d *demo) notices(now time.Time) error {
	parent, staff := d.records["parent"], d.records["city_child"]
	kid, err := d.tx.FindFirstRecordByFilter("children", "guardians ~ {:p}", dbx.Params{"p": parent.Id})
	if err != nil {
		return err
	}
	area := kid.GetString("area")
	if area == "" {
		area = parent.GetString("area")
	}
	areaName := "お住まいの"
	if a, err := d.tx.FindRecordById("areas", area); err == nil {
		areaName = a.GetString("name")
	}
	checkup, _ := d.tx.FindFirstRecordByFilter(collections.Events, "code = 'EV-0003'")
	tomorrow := d.today.AddDays(1).Time().Add(9 * time.Hour)
	anns := []map[string]any{
		{"title": "4か月児健康診査のご案内", "body": "生後3〜4か月のお子さんの保護者の方へ。4か月児健康診査を保健センターで行います。母子健康手帳とバスタオルをお持ちください。日程はイベント一覧からご確認いただけます。",
			"category": "checkup", "audience": map[string]any{"minAgeMonths": 3, "maxAgeMonths": 4}, "scheduledAt": now.Add(-2 * time.Hour), "status": collections.AnnouncementScheduled},
		{"title": areaName + "地区 子育てサロンのお知らせ", "body": "地区の公民館で、親子で自由に遊べる子育てサロンを開きます。予約は不要です。保育士と保健師もいますので、気軽にご相談ください。",
			"category": "event", "audience": map[string]any{"areas": []string{area}}, "scheduledAt": now.Add(-time.Hour), "status": collections.AnnouncementScheduled},
		{"title": "インフルエンザ予防接種の費用助成について", "body": "生後6か月から小学校入学前のお子さんのインフルエンザ予防接種費用の一部を助成します。対象の医療機関で接種してください。",
			"category": "vaccination", "audience": map[string]any{"minAgeMonths": 6, "maxAgeMonths": 83}, "scheduledAt": tomorrow, "status": collections.AnnouncementScheduled},
		{"title": "（下書き）年末年始の窓口について", "body": "12月29日から1月3日まで、子育て支援課の窓口は休みます。",
			"category": "general", "audience": map[string]any{"all": true}, "status": collections.AnnouncementDraft},
	}
	if checkup != nil {
		anns[0]["event"] = checkup.Id
	}
	annCol, err := d.tx.FindCachedCollectionByNameOrId(collections.Announcements)
	if err != nil {
		return err
	}
	var saved []*core.Record
	for _, fields := range anns {
		r := core.NewRecord(annCol)
		r.Load(fields)
		r.Set("createdBy", staff.Id)
		if err := d.tx.Save(r); err != nil {
			return fmt.Errorf("demo announcement: %w", err)
		}
		saved = append(saved, r)
	}
	srvCol, err := d.tx.FindCachedCollectionByNameOrId(collections.Surveys)
	if err != nil {
		return err
	}
	open := core.NewRecord(srvCol)
	open.Load(map[string]any{
		"title": "子育て支援に関するアンケート", "description": "今後の子育て支援を考えるためのアンケートです。5分ほどで答えられます。回答はだれが答えたか分からない形で集計します。",
		"questions": demoSurveyQuestions, "audience": map[string]any{"minAgeMonths": 0, "maxAgeMonths": 71},
		"opensAt": now.Add(-3 * time.Hour), "closesAt": now.AddDate(0, 0, 14), "status": collections.SurveyScheduled, "createdBy": staff.Id,
	})
	draft := core.NewRecord(srvCol)
	draft.Load(map[string]any{
		"title": "（下書き）子育てサロンの満足度調査", "questions": demoSurveyQuestions[:1], "audience": map[string]any{"areas": []string{area}},
		"opensAt": now.AddDate(0, 1, 0), "closesAt": now.AddDate(0, 1, 14), "status": collections.SurveyDraft, "createdBy": staff.Id,
	})
	for _, s := range []*core.Record{open, draft} {
		if err := d.tx.Save(s); err != nil {
			return fmt.Errorf("demo survey: %w", err)
		}
	}
	if _, err := announcedb.RunDue(d.tx, now); err != nil {
		return err
	}
	if err := d.readSome(saved[:2], parent.Id); err != nil {
		return err
	}
	return d.answerSurvey(open.Id, parent.Id, d.records["parent2"].Id)
}

// readSome marks the parent's copies and every other recipient of the
// delivered announcements read, and recounts.
func (d *demo) readSome(anns []*core.Record, parent string) error {
	for _, a := range anns {
		rows, err := d.tx.FindRecordsByFilter(collections.AnnouncementRecipients, "announcement = {:a}", "id", 0, 0, dbx.Params{"a": a.Id})
		if err != nil {
			return err
		}
		for i, r := range rows {
			if i%2 == 1 && r.GetString("user") != parent {
				continue
			}
			r.Set("readAt", time.Now())
			if err := d.tx.Save(r); err != nil {
				return err
			}
		}
		if _, err := d.tx.DB().NewQuery(`UPDATE announcements SET readCount =
			(SELECT COUNT(*) FROM announcement_recipients WHERE announcement = {:a} AND readAt != '') WHERE id = {:a}`).
			Bind(dbx.Params{"a": a.Id}).Execute(); err != nil {
			return err
		}
	}
	return nil
}

// answerSurvey stores synthetic responses from the parent and from other
// recipients, but not parent2, who can try answering in the demo.
func (d *demo) answerSurvey(surveyID, parent, parent2 string) error {
	s, err := d.tx.FindRecordById(collections.Surveys, surveyID)
	if err != nil {
		return err
	}
	var users []string
	if err := d.tx.DB().Select("user").From(collections.AnnouncementRecipients).
		Where(dbx.HashExp{"announcement": s.GetString("announcement")}).OrderBy("user").Column(&users); err != nil {
		return err
	}
	col, err := d.tx.FindCachedCollectionByNameOrId(collections.SurveyResponses)
	if err != nil {
		return err
	}
	n := 0
	for i, u := range users {
		if u == parent2 || (u != parent && i%3 == 2) {
			continue
		}
		answers := survey.Answers{
			"satisfaction": {Choice: ptrInt(i % 4)},
			"ease":         {Value: ptrInt(1 + (i*7)%5)},
		}
		if i%2 == 0 {
			answers["facilities"] = survey.Answer{Choices: []int{0, 1 + i%4}}
		}
		if c := demoSurveyComments[i%len(demoSurveyComments)]; c != "" {
			answers["comment"] = survey.Answer{Text: c}
		}
		raw, err := json.Marshal(answers)
		if err != nil {
			return err
		}
		r := core.NewRecord(col)
		r.Load(map[string]any{"survey": surveyID, "user": u, "answers": string(raw)})
		if err := d.tx.Save(r); err != nil {
			return err
		}
		n++
	}
	s.Set("responseCount", n)
	return d.tx.Save(s)
}
