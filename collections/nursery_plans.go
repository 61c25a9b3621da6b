package collections

import "github.com/pocketbase/pocketbase/core"

// The nursery's own paperwork and safety records: daily journals (保育日誌)
// and guidance plans (指導計画) per class, the events schedule sent to
// families (行事予定), nap checks (午睡チェック). Journals and plans may
// name children and describe how they are doing, so they are personal and
// stay with the nursery and the city; families never read them.

// Document states of journals and plans: staff write drafts, the director
// (施設長) approves. An approved document is locked for staff; the director
// may reopen it by setting it back to draft.
const (
	DocDraft    = "draft"
	DocApproved = "approved"
)

// Event states: a draft is visible to the nursery only; publishing tells
// the families; a published event that is called off stays listed as
// cancelled.
const (
	EventDraft     = "draft"
	EventPublished = "published"
	EventCancelled = "cancelled"
)

// Event audiences: the whole nursery or one class.
const (
	AudienceAll   = "all"
	AudienceClass = "class"
)

// Weather on a journal day.
var Weathers = []string{"sunny", "cloudy", "rainy", "snowy"}

// NapPositions are the body positions a nap check records.
var NapPositions = []string{"supine", "side", "prone"}

// nurseryDocRules: the nursery's staff write drafts, its director approves
// and may reopen, 保育 staff of the city read. fixed are the fields no
// update may touch (who wrote or approved it, what it is about, and values
// the server computes).
func nurseryDocRules(fixed ...string) Rules {
	read := anyOf(nurseryStaffOf("nursery"), cityStaffIn(DeptNursery))
	draftOnly := `@request.body.status:isset = false || @request.body.status = "` + DocDraft + `"`
	serverSet := []string{"author", "approvedBy", "approvedAt"}
	return Rules{
		List: read, View: read,
		Create: rule(allOf(nurseryStaffOf("nursery"), bodyUnset(serverSet...), draftOnly)),
		Update: anyOf(
			allOf(nurseryStaffOf("nursery"), `status != "`+DocApproved+`"`, bodyUnset(append(serverSet, fixed...)...), draftOnly),
			allOf(nurseryDirectorOf("nursery"), bodyUnset(append(serverSet, fixed...)...)),
		),
	}
}

func classField(required bool, help string) core.Field {
	return &core.RelationField{Name: "class", Required: required, MaxSelect: 1, CollectionId: Id("nursery_classes"), Help: help}
}

func staffField(name, help string) core.Field {
	return &core.RelationField{Name: name, MaxSelect: 1, CollectionId: Id(NurseryStaff), Help: help}
}

func docFields() []core.Field {
	return []core.Field{
		staffField("author", "作成した職員（サーバーが記入）"),
		&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{DocDraft, DocApproved}, Help: "状態: draft=下書き, approved=施設長の承認済（職員は変更できない）"},
		staffField("approvedBy", "承認した施設長（サーバーが記入）"),
		&core.DateField{Name: "approvedAt", Help: "承認日時（サーバーが記入）"},
	}
}

// napChildRules: nap records are read like every nursery record about a
// child (the family as the child is shared, the nursery's staff, 保育 staff
// of the city) and written only through the nap routes, which check that
// the child sleeps in the caller's class and stamp the time themselves.
func napChildRules() Rules {
	r := nurseryChildRules(nurseryStaffOf("nursery"))
	r.Create, r.Update = nil, nil
	return r
}

func init() {
	register(
		Spec{
			Name: "nursery_journals", System: SystemNursery, Personal: true, Encrypted: []string{"childNotes"},
			Description: "保育日誌（クラスごとに1日1件）。出欠の人数は保存時に登降園の記録から集計する。施設長が承認する",
			Fields: append([]core.Field{
				nurseryField(),
				classField(true, "クラス"),
				civilDate("date", "日付（YYYY-MM-DD、今日まで）", true),
				&core.SelectField{Name: "weather", MaxSelect: 1, Values: Weathers, Help: "天気: sunny=晴れ, cloudy=くもり, rainy=雨, snowy=雪"},
				&core.NumberField{Name: "present", OnlyInt: true, Min: ptr(0.0), Help: "出席の人数（保存時に登降園の記録から集計）"},
				&core.NumberField{Name: "absent", OnlyInt: true, Min: ptr(0.0), Help: "欠席の人数（その日に在籍していて登園の記録がない子。保存時に集計）"},
				&core.TextField{Name: "activities", Max: 4000, Help: "主な活動（ねらいと内容）"},
				&core.TextField{Name: "childNotes", Max: 4000, Help: "子どもの様子・健康状態（子どもの名前を含むため暗号化して保存）"},
				&core.TextField{Name: "reflection", Max: 4000, Help: "評価・反省"},
			}, docFields()...),
			Indexes: []Index{
				{Name: "idx_nursery_journals_class_date", Unique: true, Columns: "class, date"},
				{Name: "idx_nursery_journals_nursery", Columns: "nursery, date"},
				{Name: "idx_nursery_journals_status", Columns: "nursery, status"},
			},
			Rules: nurseryDocRules("nursery", "class", "date", "present", "absent"),
		},
		Spec{
			Name: "guidance_plans", System: SystemNursery, Personal: true,
			Description: "指導計画（クラスごとの年間計画・月間計画）。施設長が承認する",
			Fields: append([]core.Field{
				nurseryField(),
				classField(true, "クラス"),
				&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: []string{"annual", "monthly"}, Help: "種類: annual=年間指導計画, monthly=月間指導計画"},
				&core.NumberField{Name: "fiscalYear", Required: true, OnlyInt: true, Min: ptr(2000.0), Max: ptr(2100.0), Help: "年度"},
				&core.NumberField{Name: "month", OnlyInt: true, Min: ptr(0.0), Max: ptr(12.0), Help: "月（月間計画は1〜12。1〜3月は翌年の1〜3月。年間計画は0）"},
				&core.TextField{Name: "aims", Max: 4000, Help: "ねらい"},
				&core.TextField{Name: "content", Max: 4000, Help: "内容（養護・教育）"},
				&core.TextField{Name: "environment", Max: 4000, Help: "環境構成"},
				&core.TextField{Name: "support", Max: 4000, Help: "保育者の援助・配慮（個別の配慮を含む）"},
				&core.TextField{Name: "evaluation", Max: 4000, Help: "評価・反省"},
			}, docFields()...),
			Indexes: []Index{
				{Name: "idx_guidance_plans_class", Unique: true, Columns: "class, kind, fiscalYear, month"},
				{Name: "idx_guidance_plans_nursery", Columns: "nursery, fiscalYear"},
				{Name: "idx_guidance_plans_status", Columns: "nursery, status"},
			},
			Rules: nurseryDocRules("nursery", "class", "kind", "fiscalYear", "month"),
		},
		Spec{
			Name: "nursery_events", System: SystemNursery,
			Description: "行事予定。公開すると在籍児の保護者に通知する。保護者は /api/lifestage/nursery/events で自分の子の園・クラスの行事を見る",
			Fields: []core.Field{
				nurseryField(),
				&core.TextField{Name: "title", Required: true, Max: 100, Presentable: true, Help: "行事名（例: 運動会）"},
				civilDate("date", "日付（YYYY-MM-DD）", true),
				hhmm("startTime", "開始時刻（例: 09:30、空は終日）"),
				hhmm("endTime", "終了時刻（例: 11:30）"),
				&core.TextField{Name: "place", Max: 100, Help: "場所"},
				&core.TextField{Name: "description", Max: 2000, Help: "内容・持ち物など"},
				&core.SelectField{Name: "audience", Required: true, MaxSelect: 1, Values: []string{AudienceAll, AudienceClass}, Help: "対象: all=園全体, class=クラス"},
				classField(false, "対象のクラス（対象がクラスのとき）"),
				&core.SelectField{Name: "status", MaxSelect: 1, Values: []string{EventDraft, EventPublished, EventCancelled}, Help: "状態: draft=下書き, published=公開（保護者に通知済）, cancelled=中止。公開と中止は専用の操作で行う"},
				&core.DateField{Name: "publishedAt", Help: "公開日時"},
				staffField("author", "作成した職員（サーバーが記入）"),
			},
			Indexes: []Index{
				{Name: "idx_nursery_events_nursery", Columns: "nursery, date"},
				{Name: "idx_nursery_events_status", Columns: "status, date"},
			},
			// Families read published events through the events route: a
			// rule would need a join from each event through enrolments to
			// the children's guardians, and could not tell a current
			// enrolment (its end date is a Tokyo calendar date) from a past
			// one. Status changes go through the publish and cancel routes,
			// which notify.
			Rules: Rules{
				List:   anyOf(nurseryStaffOf("nursery"), cityStaffIn(DeptNursery)),
				View:   anyOf(nurseryStaffOf("nursery"), cityStaffIn(DeptNursery)),
				Create: rule(allOf(nurseryStaffOf("nursery"), bodyUnset("status", "publishedAt", "author"))),
				Update: rule(allOf(nurseryStaffOf("nursery"), `status != "`+EventCancelled+`"`, bodyUnset("nursery", "status", "publishedAt", "author"))),
			},
		},
		Spec{
			Name: "nap_sessions", System: SystemNursery, Personal: true, Subject: "child",
			Description: "午睡（子ども1人の1回の午睡。入眠から起床まで）",
			Fields: []core.Field{
				&core.RelationField{Name: "child", Required: true, MaxSelect: 1, CollectionId: Id("children"), CascadeDelete: true, Help: "子ども"},
				nurseryField(),
				classField(true, "クラス"),
				civilDate("date", "日付（YYYY-MM-DD、東京時間）", true),
				&core.DateField{Name: "startedAt", Required: true, Help: "入眠の時刻（サーバーが記入）"},
				&core.DateField{Name: "endedAt", Help: "起床の時刻（眠っている間は空）"},
				staffField("startedBy", "入眠を記録した職員"),
				staffField("endedBy", "起床を記録した職員"),
			},
			Indexes: []Index{
				{Name: "idx_nap_sessions_nursery", Columns: "nursery, date, class"},
				{Name: "idx_nap_sessions_child", Columns: "child, date"},
				{Name: "idx_nap_sessions_open", Columns: "date, endedAt"},
			},
			Rules: napChildRules(),
		},
		Spec{
			Name: "nap_checks", System: SystemNursery, Personal: true, Subject: "child", Encrypted: []string{"note"},
			Description: "午睡チェック（体の向き・呼吸の確認）。0〜1歳児は5分、2歳児以上は10分ごと（施設の設定）",
			Fields: []core.Field{
				&core.RelationField{Name: "session", Required: true, MaxSelect: 1, CollectionId: Id("nap_sessions"), CascadeDelete: true, Help: "午睡"},
				&core.RelationField{Name: "child", Required: true, MaxSelect: 1, CollectionId: Id("children"), CascadeDelete: true, Help: "子ども"},
				nurseryField(),
				classField(true, "クラス"),
				&core.DateField{Name: "at", Required: true, Help: "確認した時刻（サーバーが記入）"},
				&core.SelectField{Name: "position", Required: true, MaxSelect: 1, Values: NapPositions, Help: "体の向き: supine=あおむけ, side=横向き, prone=うつぶせ（0〜1歳児は警告）"},
				&core.BoolField{Name: "breathingOk", Help: "呼吸・顔色に異常がない"},
				&core.TextField{Name: "note", Max: 500, Help: "気づいたこと（暗号化して保存）"},
				staffField("checkedBy", "確認した職員"),
			},
			Indexes: []Index{
				{Name: "idx_nap_checks_session", Columns: "session, at"},
				{Name: "idx_nap_checks_child", Columns: "child, at"},
				{Name: "idx_nap_checks_nursery", Columns: "nursery, at"},
			},
			Rules: napChildRules(),
		},
	)
}
