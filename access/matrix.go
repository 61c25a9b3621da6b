// Package access states who may do what with each collection: the access
// matrix. The API tests prove every cell against the running rules, and
// docs/access.md is rendered from the same table, so the two cannot drift.
package access

import "strings"

// Outcome is what a role gets for one action on one collection.
type Outcome string

const (
	All  Outcome = "all"  // every record
	Some Outcome = "some" // only the records tied to the caller (see Row.Some)
	None Outcome = "none" // nothing: empty lists, 404/403 on records
	Yes  Outcome = "yes"  // create allowed
	No   Outcome = "no"   // create refused
)

// Roles are the demo roles, plus the anonymous visitor.
var Roles = []string{
	"anonymous", "parent", "parent2", "grandparent", "family", "volunteer", "nursery_staff",
	"medical_staff", "city_child", "city_nursery", "city_elderly", "city_admin",
}

// RoleNotes explains each role for the rendered matrix.
var RoleNotes = map[string]string{
	"anonymous":     "ログインしていない訪問者",
	"parent":        "保護者（市民）",
	"parent2":       "別世帯の保護者（市民）",
	"grandparent":   "子の記録を閲覧共有された祖母（市民、世帯外）",
	"family":        "独居高齢者の家族（市民、世帯外）",
	"volunteer":     "見守りボランティア（民生委員）",
	"nursery_staff": "保育施設職員",
	"medical_staff": "医療機関職員",
	"city_child":    "市職員・子育て担当",
	"city_nursery":  "市職員・保育担当",
	"city_elderly":  "市職員・高齢福祉担当",
	"city_admin":    "市職員・運用管理",
}

// Actions in column order.
var Actions = []string{"list", "view", "create", "update", "delete"}

// Row is one collection × role cell set.
type Row struct {
	Collection string
	Role       string
	List, View Outcome
	Create     Outcome
	Update     Outcome
	Delete     Outcome
}

// Outcome returns the outcome for an action name.
func (r Row) Outcome(action string) Outcome {
	switch action {
	case "list":
		return r.List
	case "view":
		return r.View
	case "create":
		return r.Create
	case "update":
		return r.Update
	default:
		return r.Delete
	}
}

// Collection lists, per collection, what "some" means and the outcomes by role.
type Collection struct {
	Name string
	Some string // what "some" means for this collection, in Japanese
	Rows []Row
}

// rows builds rows from a compact spec: role -> "list view create update delete".
func rows(collection string, spec map[string]string) []Row {
	out := make([]Row, 0, len(Roles))
	for _, role := range Roles {
		s, ok := spec[role]
		if !ok {
			s = spec["*"]
		}
		f := strings.Fields(s)
		o := make([]Outcome, 5)
		for i := range min(len(f), 5) {
			o[i] = Outcome(f[i])
		}
		out = append(out, Row{Collection: collection, Role: role, List: o[0], View: o[1], Create: o[2], Update: o[3], Delete: o[4]})
	}
	return out
}

// Matrix is the access matrix of the foundation collections. Later systems
// append their collections here.
var Matrix = []Collection{
	{Name: "users", Some: "本人のアカウントのみ", Rows: rows("users", map[string]string{
		"*":           "none none no none none",
		"anonymous":   "none none yes none none",
		"parent":      "some some no some none",
		"parent2":     "some some no some none",
		"grandparent": "some some no some none",
		"family":      "some some no some none",
		"city_admin":  "all all yes all none",
	})},
	{Name: "city_staff", Some: "本人のアカウントのみ", Rows: rows("city_staff", map[string]string{
		"*":            "none none no none none",
		"city_child":   "some some no some none",
		"city_nursery": "some some no some none",
		"city_elderly": "some some no some none",
		"city_admin":   "all all yes all none",
	})},
	{Name: "nursery_staff", Some: "nursery_staff は同じ施設の職員、更新は本人のみ", Rows: rows("nursery_staff", map[string]string{
		"*":             "none none no none none",
		"nursery_staff": "some some no some none",
		"city_nursery":  "all all no none none",
		"city_admin":    "all all yes all none",
	})},
	{Name: "medical_staff", Some: "本人のアカウントのみ", Rows: rows("medical_staff", map[string]string{
		"*":             "none none no none none",
		"medical_staff": "some some no some none",
		"city_child":    "all all no none none",
		"city_admin":    "all all yes all none",
	})},
	{Name: "volunteers", Some: "本人のアカウントのみ", Rows: rows("volunteers", map[string]string{
		"*":            "none none no none none",
		"volunteer":    "some some no some none",
		"city_elderly": "all all no none none",
		"city_admin":   "all all yes all none",
	})},
	{Name: "areas", Some: "", Rows: rows("areas", map[string]string{
		"*":          "all all no none none",
		"city_admin": "all all yes all none",
	})},
	{Name: "facilities", Some: "公開中の施設のみ", Rows: rows("facilities", map[string]string{
		"*":            "some some no none none",
		"city_child":   "all all yes all none",
		"city_nursery": "all all yes all none",
		"city_elderly": "all all no none none",
		"city_admin":   "all all yes all none",
	})},
	{Name: "organizations", Some: "自分の所属団体のみ", Rows: rows("organizations", map[string]string{
		"*":            "none none no none none",
		"volunteer":    "some some no none none",
		"city_child":   "all all no none none",
		"city_nursery": "all all no none none",
		"city_elderly": "all all yes all none",
		"city_admin":   "all all yes all none",
	})},
	{Name: "households", Some: "自分の世帯のみ", Rows: rows("households", map[string]string{
		"*":            "none none no none none",
		"parent":       "some some no none none",
		"parent2":      "some some no none none",
		"city_child":   "all all no none none",
		"city_nursery": "all all no none none",
		"city_elderly": "all all no none none",
	})},
	{Name: "residents", Some: "本人の住民記録のみ", Rows: rows("residents", map[string]string{
		"*":            "none none no none none",
		"parent":       "some some no none none",
		"parent2":      "some some no none none",
		"city_child":   "all all no none none",
		"city_nursery": "all all no none none",
		"city_elderly": "all all no none none",
	})},
	{Name: "children", Some: "保護者である子、または共有された子のみ（更新は保護者と管理共有のみ）", Rows: rows("children", map[string]string{
		"*":            "none none no none none",
		"parent":       "some some yes some none",
		"parent2":      "some some yes some none",
		"grandparent":  "some some yes none none",
		"family":       "none none yes none none",
		"city_child":   "all all yes all none",
		"city_nursery": "all all no none none",
	})},
	{Name: "family_shares", Some: "自分が共有した、または共有された記録のみ（作成・取消は専用API）", Rows: rows("family_shares", map[string]string{
		"*":           "none none no none none",
		"parent":      "some some no none none",
		"parent2":     "some some no none none",
		"grandparent": "some some no none none",
	})},
	{Name: "notifications", Some: "自分宛ての通知のみ（更新は既読のみ）", Rows: rows("notifications", map[string]string{
		"*":         "some some no some some",
		"anonymous": "none none no none none",
	})},
	{Name: "audit_log", Some: "", Rows: rows("audit_log", map[string]string{
		"*":          "none none no none none",
		"city_admin": "all all no none none",
	})},
	{Name: "security_events", Some: "", Rows: rows("security_events", map[string]string{
		"*":          "none none no none none",
		"city_admin": "all all no all none",
	})},
	childRecord("growth_measurements"),
	childRecord("immunizations"),
	childRecord("infant_checkups"),
	childRecord("allergies"),
	childRecord("weaning_logs"),
	childRecord("birth_records"),
	{Name: "vaccination_questionnaires", Some: "保護者である子・共有された子の予診票、医療機関職員は自院に提出された予診票のみ（作成・回答・確認・接種記録は専用API）", Rows: rows("vaccination_questionnaires", map[string]string{
		"*":             "none none no none none",
		"parent":        "some some no none none",
		"parent2":       "some some no none none",
		"grandparent":   "some some no none none",
		"medical_staff": "some some no none none",
		"city_child":    "all all no none none",
	})},
	pregnancyRecord("pregnancies", "yes"),
	pregnancyRecord("prenatal_checkups", "no"),
	{Name: "nurseries", Some: "自施設の設定のみ（変更は施設長と市）", Rows: rows("nurseries", map[string]string{
		"*":             "none none no none none",
		"nursery_staff": "some some no none none",
		"city_nursery":  "all all yes all none",
	})},
	{Name: "nursery_classes", Some: "", Rows: rows("nursery_classes", map[string]string{
		"*":            "all all no none none",
		"anonymous":    "none none no none none",
		"city_nursery": "all all yes all none",
	})},
	nurseryChildRecord("enrolments", "no"),
	{Name: "fee_assessments", Some: "自分の世帯の算定基礎のみ", Rows: rows("fee_assessments", map[string]string{
		"*":            "none none no none none",
		"parent":       "some some no none none",
		"parent2":      "some some no none none",
		"city_nursery": "all all yes all none",
	})},
	nurseryChildRecord("attendance", "yes"),
	// The fee table is public information; only 保育担当 staff correct it.
	{Name: "fee_tables", Some: "", Rows: rows("fee_tables", map[string]string{
		"*":            "all all no none none",
		"city_nursery": "all all yes all none",
	})},
	{Name: "absence_notices", Some: "保護者である子・共有された子の連絡（作成と、園が確認するまでの訂正・取消は保護者と管理共有のみ）、保育施設職員は自施設の子の連絡のみ（確認は専用API）。市は名前の付いた連絡を見ず、人数の集計（/api/lifestage/nursery/infections）だけを見る", Rows: rows("absence_notices", map[string]string{
		"*":             "none none no none none",
		"parent":        "some some yes some none",
		"parent2":       "some some yes some none",
		"grandparent":   "some some no none none",
		"nursery_staff": "some some no none none",
	})},
	{Name: "infection_notices", Some: "保護者・共有家族は公開時に子が在籍していた園（クラス）のお知らせのみ、保育施設職員は自施設のお知らせのみ（作成・訂正・取下げ）", Rows: rows("infection_notices", map[string]string{
		"*":             "none none no none none",
		"parent":        "some some no none none",
		"parent2":       "some some no none none",
		"grandparent":   "some some no none none",
		"nursery_staff": "some some yes some some",
		"city_nursery":  "all all no none none",
	})},
	{Name: "notebook_home", Some: "保護者である子・共有された子の連絡帳（書くのは保護者と管理共有のみ）、保育施設職員は自施設の子の連絡帳を読むだけ", Rows: rows("notebook_home", map[string]string{
		"*":             "none none no none none",
		"parent":        "some some yes some none",
		"parent2":       "some some yes some none",
		"grandparent":   "some some no none none",
		"nursery_staff": "some some no none none",
	})},
	{Name: "notebook_nursery", Some: "保護者・共有家族は子の公開済みの記入のみ（下書きは見えない）、保育施設職員は自施設の子の記入（下書きを含む）", Rows: rows("notebook_nursery", map[string]string{
		"*":             "none none no none none",
		"parent":        "some some no none none",
		"parent2":       "some some no none none",
		"grandparent":   "some some no none none",
		"nursery_staff": "some some yes some none",
	})},
	nurseryDoc("nursery_journals"),
	nurseryDoc("guidance_plans"),
	{Name: "nursery_events", Some: "自施設の行事のみ（中止した行事は変更できない）。保護者は行事予定のAPIで、子が在籍する園・クラスの公開済みの行事を見る", Rows: rows("nursery_events", map[string]string{
		"*":             "none none no none none",
		"nursery_staff": "some some yes some none",
		"city_nursery":  "all all no none none",
	})},
	napRecord("nap_sessions"),
	napRecord("nap_checks"),
	// Invoices are written by the billing run only; people move the status.
	{Name: "invoices", Some: "自分の世帯の発行済み・入金済みの請求書（下書きは見えない）、保育施設職員は自施設の請求書（入金済みにするのは施設長のみ）", Rows: rows("invoices", map[string]string{
		"*":             "none none no none none",
		"parent":        "some some no none none",
		"nursery_staff": "some some no none none",
		"city_nursery":  "all all no all none",
	})},
	{Name: "photo_prices", Some: "", Rows: rows("photo_prices", map[string]string{
		"*":         "all all no none none",
		"anonymous": "none none no none none",
	})},
	{Name: "nursery_photos", Some: "市民は公開中の写真のうち、わが子・共有された子が写った写真と、その子のクラス全体の写真。保育施設職員は自施設の写真（削除は専用API）", Rows: rows("nursery_photos", map[string]string{
		"*":             "none none no none none",
		"parent":        "some some no none none",
		"parent2":       "some some no none none",
		"grandparent":   "some some no none none",
		"nursery_staff": "some some yes some none",
	})},
	{Name: "photo_orders", Some: "自分の注文と、保護者である子の注文。保育施設職員は自施設への注文（注文・取消は専用API）", Rows: rows("photo_orders", map[string]string{
		"*":             "none none no none none",
		"parent":        "some some no none none",
		"parent2":       "some some no none none",
		"nursery_staff": "some some no none none",
	})},
	// The codes themselves are hidden fields: the records only say that a
	// child has a code; the check-in routes show and write the codes.
	{Name: "checkin_codes", Some: "保護者である子・共有された子のコード、保育施設職員は自施設の子のコードのみ（コード自体は非表示）", Rows: rows("checkin_codes", map[string]string{
		"*":             "none none no none none",
		"parent":        "some some no none none",
		"parent2":       "some some no none none",
		"grandparent":   "some some no none none",
		"nursery_staff": "some some no none none",
		"city_nursery":  "all all no none none",
	})},
	// Staff check themselves in through the route; the director corrects.
	{Name: "staff_attendance", Some: "自施設の職員の出退勤のみ", Rows: rows("staff_attendance", map[string]string{
		"*":             "none none no none none",
		"nursery_staff": "some some no none none",
		"city_nursery":  "all all no none none",
	})},
	// 見守り: 高齢福祉担当 registers the people watched over and assigns
	// volunteers; a volunteer sees only the people assigned to them.
	{Name: "watch_targets", Some: "自分が担当する見守り対象者のみ（QRコードの版と乱数は非表示）", Rows: rows("watch_targets", map[string]string{
		"*":            "none none no none none",
		"volunteer":    "some some no none none",
		"city_elderly": "all all yes all none",
	})},
	// Visits are recorded by the check-in route only; the city corrects.
	// A volunteer follows up the whole history of the people assigned to
	// them now, whoever recorded each visit.
	{Name: "watch_visits", Some: "いま担当している見守り対象者の訪問のみ（前任者・代理の協力員が記録したものも含む。記録はQRコードの読み取りから）", Rows: rows("watch_visits", map[string]string{
		"*":            "none none no none none",
		"volunteer":    "some some no none none",
		"city_elderly": "all all no all none",
	})},
	// The rules that propose watch candidates name no one; 高齢福祉担当
	// alone keep them.
	{Name: "watch_candidate_rules", Some: "", Rows: rows("watch_candidate_rules", map[string]string{
		"*":            "none none no none none",
		"city_elderly": "all all yes all all",
	})},
	// Frailty screenings are written by the assessment route only, which
	// scores the answers itself; the target's volunteer reads them.
	{Name: "frailty_assessments", Some: "自分が担当する見守り対象者の調査結果のみ（記録は調査の画面から。判定はサーバーが計算）", Rows: rows("frailty_assessments", map[string]string{
		"*":            "none none no none none",
		"volunteer":    "some some no none none",
		"city_elderly": "all all no none none",
	})},
	// The escalation chain of missed visits is the city's setting; a step
	// is switched off, never deleted.
	{Name: "watch_escalation_steps", Rows: rows("watch_escalation_steps", map[string]string{
		"*":            "none none no none none",
		"city_elderly": "all all yes all none",
	})},
	// Escalations are written by the daily job and resolved by visits.
	{Name: "watch_escalations", Rows: rows("watch_escalations", map[string]string{
		"*":            "none none no none none",
		"city_elderly": "all all no none none",
	})},
	// The city records and revokes a family consent (revoking sets the
	// time; nothing is deleted); the family member sees their own, and the
	// visits only through the audited /api/lifestage/me/watch.
	{Name: "watch_family_consents", Some: "自分（家族）あての同意のみ", Rows: rows("watch_family_consents", map[string]string{
		"*":            "none none no none none",
		"family":       "some some no none none",
		"city_elderly": "all all yes all none",
	})},
	{Name: "partners", Some: "", Rows: rows("partners", map[string]string{
		"*":          "none none no none none",
		"city_admin": "all all yes all none",
	})},
	{Name: "api_keys", Some: "", Rows: rows("api_keys", map[string]string{
		"*":          "none none no none none",
		"city_admin": "all all no all none",
	})},
	{Name: "api_usage", Some: "", Rows: rows("api_usage", map[string]string{
		"*":          "none none no none none",
		"city_admin": "all all no none none",
	})},
	// Consents are given and revoked through the マイナポータル routes only
	// (a verified identity is needed to give one).
	{Name: "mynaportal_consents", Some: "本人（同意した保護者）の同意のみ（同意・取消はマイナポータル連携の画面・APIから）", Rows: rows("mynaportal_consents", map[string]string{
		"*":          "none none no none none",
		"parent":     "some some no none none",
		"parent2":    "some some no none none",
		"city_child": "all all no none none",
	})},
	// Grants to partners (consent broker) are made and revoked through the
	// consent routes only; 運用 staff read them to answer partners.
	{Name: "partner_consents", Some: "本人が与えた同意のみ（同意・取消は「データ提供の同意」の画面・APIから）", Rows: rows("partner_consents", map[string]string{
		"*":          "none none no none none",
		"parent":     "some some no none none",
		"parent2":    "some some no none none",
		"city_admin": "all all no none none",
	})},
	// Partners manage their subscriptions through /ngsi/v2/subscriptions
	// with their key; 運用 staff look and may stop one.
	{Name: "ngsi_subscriptions", Some: "", Rows: rows("ngsi_subscriptions", map[string]string{
		"*":          "none none no none none",
		"city_admin": "all all no all none",
	})},
	// History is written by the NGSI change detector; partners read it
	// through /ngsi/v2/entities/{id}/attrs/{attr}/history.
	{Name: "ngsi_history", Some: "", Rows: rows("ngsi_history", map[string]string{
		"*":          "none none no none none",
		"city_admin": "all all no none none",
	})},
	// Push subscriptions and delivery preferences are written through the
	// push routes only (they validate endpoints, keys and quiet hours).
	{Name: "push_subscriptions", Some: "自分の購読（ブラウザ・端末）のみ（登録・解除は /api/lifestage/push/subscriptions から）", Rows: rows("push_subscriptions", map[string]string{
		"*":         "some some no none none",
		"anonymous": "none none no none none",
	})},
	{Name: "notification_preferences", Some: "自分の通知設定のみ（変更は /api/lifestage/push/preferences から）", Rows: rows("notification_preferences", map[string]string{
		"*":         "some some no none none",
		"anonymous": "none none no none none",
	})},
	// Public events: everyone sees the published public ones; 子育て staff
	// keep the drafts and run them.
	{Name: "events", Some: "公開かつ掲載済みのイベントのみ", Rows: rows("events", map[string]string{
		"*":          "some some no none none",
		"city_child": "all all yes all all",
	})},
	// Applications: the applicant and 子育て staff read them; every write
	// goes through the apply and cancel routes.
	{Name: "event_applications", Some: "自分の申込のみ（申込・取消は /api/lifestage/events/{id}/apply と /api/lifestage/applications/{id}/cancel から）", Rows: rows("event_applications", map[string]string{
		"*":          "none none no none none",
		"parent":     "some some no none none",
		"parent2":    "some some no none none",
		"city_child": "all all no none none",
	})},
	// Targeted announcements and surveys: 子育て staff write them; residents
	// read what was delivered to them through /api/lifestage/me/… routes.
	{Name: "announcements", Some: "配信前（下書き・配信予約）のもののみ変更・削除できる", Rows: rows("announcements", map[string]string{
		"*":          "none none no none none",
		"city_child": "all all yes some some",
	})},
	{Name: "announcement_recipients", Some: "自分あてのお知らせの配信記録のみ（既読は /api/lifestage/me/announcements/{id}/read から）", Rows: rows("announcement_recipients", map[string]string{
		"*":       "none none no none none",
		"parent":  "some some no none none",
		"parent2": "some some no none none",
	})},
	{Name: "surveys", Some: "公開前（下書き・公開予約）のもののみ変更・削除できる（受付中は締切にだけ変えられる）", Rows: rows("surveys", map[string]string{
		"*":          "none none no none none",
		"city_child": "all all yes some some",
	})},
	{Name: "survey_responses", Some: "自分の回答のみ（回答は /api/lifestage/surveys/{id}/responses から1人1回）", Rows: rows("survey_responses", map[string]string{
		"*":      "none none no none none",
		"parent": "some some no none none",
	})},
	// Nickname Q&A: profiles are looked up by anyone (the nickname only),
	// listed by their owner; threads and posts are read as published, by
	// their author, and by 子育て staff; every write goes through the Q&A
	// routes, so the record API only reads.
	{Name: "qa_profiles", Some: "自分のニックネームのみ（一覧）。閲覧はだれでもニックネームだけ", Rows: rows("qa_profiles", map[string]string{
		"*":           "none all no none none",
		"parent":      "some all no none none",
		"parent2":     "some all no none none",
		"grandparent": "some all no none none",
		"family":      "some all no none none",
		"city_child":  "all all no none none",
	})},
	{Name: "qa_threads", Some: "公開中の公開相談と、自分の相談（非公開相談・確認待ちを含む）", Rows: rows("qa_threads", map[string]string{
		"*":          "some some no none none",
		"city_child": "all all no none none",
	})},
	{Name: "qa_posts", Some: "公開中の公開相談の公開中の回答、自分の回答、自分の相談への公開中の回答", Rows: rows("qa_posts", map[string]string{
		"*":          "some some no none none",
		"city_child": "all all no none none",
	})},
	{Name: "qa_reports", Some: "", Rows: rows("qa_reports", map[string]string{
		"*":          "none none no none none",
		"city_child": "all all no none none",
	})},
	{Name: "qa_words", Some: "", Rows: rows("qa_words", map[string]string{
		"*":          "none none no none none",
		"city_child": "all all yes all all",
	})},
	{Name: "faqs", Some: "公開中のFAQのみ", Rows: rows("faqs", map[string]string{
		"*":          "some some no none none",
		"city_child": "all all yes all all",
	})},
}

// nurseryDoc is the matrix of a nursery document that may name children
// (journals, plans): the nursery's staff and 保育 staff of the city, never
// families.
func nurseryDoc(name string) Collection {
	return Collection{Name: name, Some: "自施設の記録のみ（職員が変更できるのは承認前のもの。承認と承認済みの変更は施設長）", Rows: rows(name, map[string]string{
		"*":             "none none no none none",
		"nursery_staff": "some some yes some none",
		"city_nursery":  "all all no none none",
	})}
}

// napRecord is the matrix of a nap record: read like every nursery record
// about a child, written only through the nap routes.
func napRecord(name string) Collection {
	return Collection{Name: name, Some: "保護者である子・共有された子の記録、保育施設職員は自施設の子の記録のみ（記録は午睡の画面・APIから）", Rows: rows(name, map[string]string{
		"*":             "none none no none none",
		"parent":        "some some no none none",
		"parent2":       "some some no none none",
		"grandparent":   "some some no none none",
		"nursery_staff": "some some no none none",
		"city_nursery":  "all all no none none",
	})}
}

// nurseryChildRecord is the matrix of a nursery record about a child: the
// family as the child is shared, the nursery's staff, and 保育 staff of the
// city. staffWrite says whether the nursery's staff may write it.
func nurseryChildRecord(name, staffWrite string) Collection {
	staff := "some some no none none"
	if staffWrite == "yes" {
		staff = "some some yes some none"
	}
	return Collection{Name: name, Some: "保護者である子・共有された子の記録、保育施設職員は自施設の子の記録のみ", Rows: rows(name, map[string]string{
		"*":             "none none no none none",
		"parent":        "some some no none none",
		"parent2":       "some some no none none",
		"grandparent":   "some some no none none",
		"nursery_staff": staff,
		"city_nursery":  "all all yes all none",
	})}
}

// pregnancyRecord is the matrix of a pregnancy record: the mother and 子育て
// staff. citizenCreate says whether any citizen may create one (a pregnancy
// is always created as the caller's own; a checkup needs her pregnancy).
func pregnancyRecord(name, citizenCreate string) Collection {
	return Collection{Name: name, Some: "本人（妊婦）の記録のみ（削除はせず誤入力・状態で残す）", Rows: rows(name, map[string]string{
		"*":           "none none no none none",
		"parent":      "some some yes some none",
		"parent2":     "some some yes some none",
		"grandparent": "none none " + citizenCreate + " none none",
		"family":      "none none " + citizenCreate + " none none",
		"city_child":  "all all yes all none",
	})}
}

// childRecord is the matrix of a handbook record about a child: the family
// as the child is shared, and 子育て staff.
func childRecord(name string) Collection {
	return Collection{Name: name, Some: "保護者である子・共有された子の記録のみ（作成・更新は保護者と管理共有のみで、記録を別の子に移すことはできない。削除はせず誤入力として残すか、出生の記録は修正する）", Rows: rows(name, map[string]string{
		"*":           "none none no none none",
		"parent":      "some some yes some none",
		"parent2":     "some some yes some none",
		"grandparent": "some some no none none",
		"city_child":  "all all yes all none",
	})}
}
