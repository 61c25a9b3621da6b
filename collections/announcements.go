package collections

import "github.com/pocketbase/pocketbase/core"

// Targeted announcements and surveys (issue 8 item 4). Staff of 子育て write
// them; residents never read these collections directly but through
// /api/lifestage/me/announcements and /api/lifestage/me/surveys, which show
// only what was delivered to them.
const (
	Announcements          = "announcements"
	AnnouncementRecipients = "announcement_recipients"
	Surveys                = "surveys"
	SurveyResponses        = "survey_responses"
)

// Announcement states. Staff move draft ⇄ scheduled and to cancelled; the
// delivery job moves scheduled → sending → sent.
const (
	AnnouncementDraft     = "draft"
	AnnouncementScheduled = "scheduled"
	AnnouncementSending   = "sending"
	AnnouncementSent      = "sent"
	AnnouncementCancelled = "cancelled"
)

// Survey states. The job opens a scheduled survey at opensAt (announcing it)
// and closes it at closesAt.
const (
	SurveyDraft     = "draft"
	SurveyScheduled = "scheduled"
	SurveyOpen      = "open"
	SurveyClosed    = "closed"
)

// AnnouncementCategories are the values of announcements.category.
var AnnouncementCategories = []string{"general", "health", "checkup", "vaccination", "event", "nursery", "survey", "emergency"}

// Only 子育て staff write targeted announcements: one department speaks to
// parents, so a nursery-wide message goes through them and is not sent twice.
var noticeStaff = cityStaffIn(DeptChild)

// audienceField holds an audience.Audience as JSON. It is never filtered on.
func audienceField() core.Field {
	return &core.JSONField{Name: "audience", Required: true, MaxSize: 4000, Help: `対象（JSON）: {"all":true} または {"minAgeMonths":3,"maxAgeMonths":4,"areas":[地区ID],"nurseries":[保育所ID]}。項目の間は「かつ」、同じ項目の中は「または」`}
}

func init() {
	register(
		Spec{
			Name: Announcements, System: SystemChild,
			Description: "対象を絞ったお知らせ（子どもの月齢・地区・保育所・全員）。予約した日時に配信し、既読を数える",
			Fields: []core.Field{
				&core.TextField{Name: "title", Required: true, Max: 100, Presentable: true, Help: "件名"},
				&core.TextField{Name: "body", Required: true, Max: 4000, Help: "本文（書式なしの文章）"},
				&core.SelectField{Name: "category", Required: true, MaxSelect: 1, Values: AnnouncementCategories, Help: "分類: general=一般, health=健康, checkup=健診, vaccination=予防接種, event=イベント, nursery=保育, survey=アンケート, emergency=緊急"},
				&core.RelationField{Name: "event", MaxSelect: 1, CollectionId: Id(Events), Help: "案内するイベント（任意）"},
				&core.RelationField{Name: "survey", MaxSelect: 1, CollectionId: Id(Surveys), Help: "案内するアンケート（アンケートの公開時に自動作成）"},
				audienceField(),
				&core.DateField{Name: "scheduledAt", Help: "配信日時（予約。今の時刻なら次の1分以内に配信）"},
				&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{AnnouncementDraft, AnnouncementScheduled, AnnouncementSending, AnnouncementSent, AnnouncementCancelled}, Help: "状態: draft=下書き, scheduled=配信予約, sending=配信中, sent=配信済み, cancelled=取消"},
				&core.DateField{Name: "sentAt", Help: "配信を終えた日時"},
				&core.NumberField{Name: "recipientCount", OnlyInt: true, Min: ptr(0.0), Help: "配信した人数"},
				&core.NumberField{Name: "readCount", OnlyInt: true, Min: ptr(0.0), Help: "既読の人数"},
				&core.RelationField{Name: "createdBy", MaxSelect: 1, CollectionId: Id(CityStaff), Help: "作成した職員"},
			},
			Indexes: []Index{
				{Name: "idx_announcements_status_scheduled", Columns: "status, scheduledAt"},
				{Name: "idx_announcements_created", Columns: "created"},
				{Name: "idx_announcements_survey", Columns: "survey"},
				{Name: "idx_announcements_event", Columns: "event"},
			},
			Rules: Rules{
				List: rule(noticeStaff),
				View: rule(noticeStaff),
				// Staff write drafts and schedules; the job owns delivery.
				Create: rule(allOf(noticeStaff, `@request.body.status = "draft" || @request.body.status = "scheduled"`,
					bodyUnset("sentAt", "recipientCount", "readCount", "createdBy", "survey"))),
				Update: rule(allOf(noticeStaff, `status = "draft" || status = "scheduled"`,
					`@request.body.status:isset = false || @request.body.status = "draft" || @request.body.status = "scheduled" || @request.body.status = "cancelled"`,
					bodyUnset("sentAt", "recipientCount", "readCount", "createdBy", "survey"))),
				// Nothing has gone out before sending, so it can still go.
				Delete: rule(allOf(noticeStaff, `status = "draft" || status = "scheduled"`)),
			},
		},
		Spec{
			Name: AnnouncementRecipients, System: SystemChild, Personal: true, Subject: "user",
			Description: "お知らせの配信先（1人1行）。配信日時と既読日時を持つ。だれが読んだかの一覧は職員に出さず、人数だけを集計する",
			Fields: []core.Field{
				&core.RelationField{Name: "announcement", Required: true, MaxSelect: 1, CollectionId: Id(Announcements), CascadeDelete: true, Help: "お知らせ"},
				&core.RelationField{Name: "user", Required: true, MaxSelect: 1, CollectionId: Id(Users), CascadeDelete: true, Help: "受け取った市民"},
				&core.DateField{Name: "deliveredAt", Help: "通知した日時（空は配信待ち）"},
				&core.DateField{Name: "readAt", Help: "開いた日時（空は未読）"},
			},
			Indexes: []Index{
				{Name: "idx_announcement_recipients_unique", Unique: true, Columns: "announcement, user"},
				{Name: "idx_announcement_recipients_user", Columns: "user, created"},
				{Name: "idx_announcement_recipients_read", Columns: "announcement, readAt"},
			},
			// Residents see their own rows (an unread badge can subscribe to
			// them); writes go through the read route only.
			Rules: Rules{
				List: rule(allOf(citizen, `user = @request.auth.id`)),
				View: rule(allOf(citizen, `user = @request.auth.id`)),
			},
		},
		Spec{
			Name: Surveys, System: SystemChild,
			Description: "対象を絞ったアンケート（単一選択・複数選択・自由記述・段階評価）。公開時にお知らせで案内する",
			Fields: []core.Field{
				&core.TextField{Name: "title", Required: true, Max: 100, Presentable: true, Help: "アンケート名"},
				&core.TextField{Name: "description", Max: 2000, Help: "説明（回答者に見せる文章）"},
				&core.JSONField{Name: "questions", Required: true, MaxSize: 100000, Help: `質問（JSON の配列）: [{"id","type":"single|multi|text|scale","label","options":[],"min","max","required"}]`},
				audienceField(),
				&core.DateField{Name: "opensAt", Required: true, Help: "回答の受付開始日時（この時刻に対象者へ案内を配信）"},
				&core.DateField{Name: "closesAt", Required: true, Help: "回答の締切日時"},
				&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{SurveyDraft, SurveyScheduled, SurveyOpen, SurveyClosed}, Help: "状態: draft=下書き, scheduled=公開予約, open=受付中, closed=締切"},
				&core.RelationField{Name: "announcement", MaxSelect: 1, CollectionId: Id(Announcements), Help: "案内のお知らせ（公開時に自動作成。配信先が回答できる人）"},
				&core.NumberField{Name: "responseCount", OnlyInt: true, Min: ptr(0.0), Help: "回答数"},
				&core.RelationField{Name: "createdBy", MaxSelect: 1, CollectionId: Id(CityStaff), Help: "作成した職員"},
			},
			Indexes: []Index{
				{Name: "idx_surveys_status_opens", Columns: "status, opensAt"},
				{Name: "idx_surveys_created", Columns: "created"},
				{Name: "idx_surveys_announcement", Columns: "announcement"},
			},
			Rules: Rules{
				List: rule(noticeStaff),
				View: rule(noticeStaff),
				Create: rule(allOf(noticeStaff, `@request.body.status = "draft" || @request.body.status = "scheduled"`,
					bodyUnset("announcement", "responseCount", "createdBy"))),
				// Questions are frozen once the survey opens: answers index them.
				Update: rule(allOf(noticeStaff,
					`((status = "draft" || status = "scheduled") && (@request.body.status:isset = false || @request.body.status = "draft" || @request.body.status = "scheduled")) || (status = "open" && @request.body.status = "closed" && @request.body.questions:isset = false && @request.body.audience:isset = false)`,
					bodyUnset("announcement", "responseCount", "createdBy"))),
				Delete: rule(allOf(noticeStaff, `status = "draft" || status = "scheduled"`)),
			},
		},
		Spec{
			Name: SurveyResponses, System: SystemChild, Personal: true, Subject: "user",
			// Free-text answers can describe a family's situation. A text field, not
			// JSON, because sealed values are opaque strings.
			Encrypted:   []string{"answers"},
			Description: "アンケートの回答（1人1件）。集計と出力では回答者を示さない",
			Fields: []core.Field{
				&core.RelationField{Name: "survey", Required: true, MaxSelect: 1, CollectionId: Id(Surveys), CascadeDelete: true, Help: "アンケート"},
				&core.RelationField{Name: "user", Required: true, MaxSelect: 1, CollectionId: Id(Users), CascadeDelete: true, Help: "回答した市民"},
				&core.TextField{Name: "answers", Required: true, Max: 200000, Help: `回答（JSON の文字列。暗号化して保存）: {質問ID: {"choice"|"choices"|"text"|"value"}}`},
			},
			Indexes: []Index{
				{Name: "idx_survey_responses_unique", Unique: true, Columns: "survey, user"},
				{Name: "idx_survey_responses_user", Columns: "user"},
			},
			// Written only through the response route; a resident sees their own.
			Rules: Rules{
				List: rule(allOf(citizen, `user = @request.auth.id`)),
				View: rule(allOf(citizen, `user = @request.auth.id`)),
			},
		},
	)
}
