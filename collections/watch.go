package collections

import "github.com/pocketbase/pocketbase/core"

// SystemWatch is the elderly watch-over system (高齢者見守り).
const SystemWatch System = "watch"

// Consent, frequency, visit status and method values of the watch-over
// collections.
const (
	ConsentPending    = "pending"
	ConsentGiven      = "consented"
	ConsentDeclined   = "declined"
	VisitFine         = "fine"
	VisitAbsent       = "absent"
	VisitConcern      = "concern"
	VisitEmergency    = "emergency"
	VisitMethodQR     = "qr"
	VisitMethodManual = "manual"
)

// VisitStatuses lists every visit status in display order.
var VisitStatuses = []string{VisitFine, VisitAbsent, VisitConcern, VisitEmergency}

// VisitChecklist is the short checklist a volunteer may fill in at a visit
// (the keys of watch_visits.answers): 体調, 食事, 睡眠, 外出, 困りごと. Each
// answer is VisitAnswerOK or VisitAnswerConcern; a fixed list keeps the
// visits comparable across volunteers and over time.
var VisitChecklist = []string{"health", "meals", "sleep", "outings", "worries"}

// The answers of the visit checklist.
const (
	VisitAnswerOK      = "ok"
	VisitAnswerConcern = "concern"
)

// assignedVolunteer is true for the volunteer a watch record is assigned to.
var assignedVolunteer = allOf(authIs(Volunteers), `volunteer = @request.auth.id`)

// visitOfAssignedTarget is true for the volunteer the visited person is
// currently assigned to, whoever recorded the visit.
var visitOfAssignedTarget = allOf(authIs(Volunteers), `target.volunteer = @request.auth.id`)

func init() {
	register(
		Spec{
			Name: "watch_targets", System: SystemWatch, Personal: true, Sensitive: true, Subject: "resident", Encrypted: []string{"note"},
			Description: "見守り対象者。住民ごとに1件で、同意の状況・訪問の頻度・担当の見守り協力員とQRコードの版を持つ",
			Fields: []core.Field{
				&core.RelationField{Name: "resident", Required: true, MaxSelect: 1, CollectionId: Id("residents"), CascadeDelete: true, Help: "見守り対象の住民"},
				&core.RelationField{Name: "area", MaxSelect: 1, CollectionId: Id("areas"), Help: "地区（住民記録から設定。担当の割り振りに使う）"},
				&core.SelectField{Name: "consentStatus", Required: true, MaxSelect: 1, Values: []string{ConsentPending, ConsentGiven, ConsentDeclined}, Help: "本人の同意: pending=確認中, consented=同意済, declined=辞退"},
				&core.SelectField{Name: "frequency", MaxSelect: 1, Values: []string{"weekly", "biweekly", "monthly"}, Help: "訪問の頻度: weekly=毎週, biweekly=隔週, monthly=毎月"},
				&core.RelationField{Name: "volunteer", MaxSelect: 1, CollectionId: Id(Volunteers), Help: "担当の見守り協力員（民生委員など）"},
				&core.RelationField{Name: "organization", MaxSelect: 1, CollectionId: Id("organizations"), Help: "担当の団体"},
				&core.BoolField{Name: "active", Help: "見守りを実施中か"},
				&core.TextField{Name: "note", Max: 2000, Help: "申し送り（持病・緊急連絡先・訪問時の注意など。暗号化して保存）"},
				&core.NumberField{Name: "tokenVersion", Hidden: true, OnlyInt: true, Min: ptr(0.0), Help: "QRコードの版（再発行のたびに1増える）"},
				&core.TextField{Name: "tokenNonce", Hidden: true, Max: 64, Help: "QRコードの乱数（再発行で変わり、古いQRコードは使えなくなる）"},
			},
			Indexes: []Index{
				{Name: "idx_watch_targets_resident", Unique: true, Columns: "resident"},
				{Name: "idx_watch_targets_volunteer", Columns: "volunteer"},
				{Name: "idx_watch_targets_area", Columns: "area"},
				{Name: "idx_watch_targets_organization", Columns: "organization"},
				{Name: "idx_watch_targets_active", Columns: "active, consentStatus"},
			},
			// 高齢福祉担当 registers and assigns; a volunteer sees only the
			// people assigned to them. The QR code's version and nonce are
			// written by the rotate route alone.
			Rules: Rules{
				List:   anyOf(cityStaffIn(DeptElderly), assignedVolunteer),
				View:   anyOf(cityStaffIn(DeptElderly), assignedVolunteer),
				Create: rule(allOf(cityStaffIn(DeptElderly), bodyUnset("tokenVersion", "tokenNonce"))),
				Update: rule(allOf(cityStaffIn(DeptElderly), bodyUnset("tokenVersion", "tokenNonce"))),
			},
		},
		Spec{
			Name: "watch_visits", System: SystemWatch, Personal: true, Sensitive: true, Subject: "resident", Encrypted: []string{"note"},
			Description: "見守り訪問の記録。協力員がQRコードを読み取って登録し、時刻はサーバーが記録する",
			Fields: []core.Field{
				&core.RelationField{Name: "target", Required: true, MaxSelect: 1, CollectionId: Id("watch_targets"), CascadeDelete: true, Help: "見守り対象者"},
				&core.RelationField{Name: "resident", MaxSelect: 1, CollectionId: Id("residents"), Help: "対象の住民（見守り対象者から自動設定。監査記録の本人）"},
				&core.RelationField{Name: "volunteer", MaxSelect: 1, CollectionId: Id(Volunteers), Help: "訪問した見守り協力員"},
				&core.DateField{Name: "at", Required: true, Help: "訪問日時（サーバーの時刻）"},
				&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: VisitStatuses, Help: "様子: fine=元気, absent=不在, concern=気になる, emergency=緊急"},
				&core.JSONField{Name: "answers", MaxSize: 4096, Help: "聞き取りの回答: health=体調, meals=食事, sleep=睡眠, outings=外出, worries=困りごと の各項目に ok=良い / concern=気になる（任意）"},
				&core.TextField{Name: "note", Max: 2000, Help: "訪問メモ（暗号化して保存）"},
				&core.NumberField{Name: "lat", Min: ptr(-90.0), Max: ptr(90.0), Help: "訪問時の緯度（任意）"},
				&core.NumberField{Name: "lng", Min: ptr(-180.0), Max: ptr(180.0), Help: "訪問時の経度（任意）"},
				&core.SelectField{Name: "method", Required: true, MaxSelect: 1, Values: []string{VisitMethodQR, VisitMethodManual}, Help: "記録方法: qr=QRコード, manual=市職員の手入力・訂正"},
			},
			Indexes: []Index{
				{Name: "idx_watch_visits_target_at", Columns: "target, at"},
				{Name: "idx_watch_visits_volunteer_at", Columns: "volunteer, at"},
				{Name: "idx_watch_visits_resident", Columns: "resident"},
				{Name: "idx_watch_visits_status_at", Columns: "status, at"},
				{Name: "idx_watch_visits_at", Columns: "at"},
			},
			// Visits are written by the check-in route only; 高齢福祉担当
			// corrects them (never moving one to another person). The
			// volunteer now assigned sees the person's whole history, a
			// predecessor's or a stand-in's visits included, to follow up.
			Rules: Rules{
				List:   anyOf(cityStaffIn(DeptElderly), visitOfAssignedTarget),
				View:   anyOf(cityStaffIn(DeptElderly), visitOfAssignedTarget),
				Update: rule(allOf(cityStaffIn(DeptElderly), bodyUnset("target", "resident", "volunteer", "at"))),
			},
		},
	)
}
