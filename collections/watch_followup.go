package collections

import "github.com/pocketbase/pocketbase/core"

// Who an escalation step tells, consent scopes and the evidence of a
// family consent (見守りの督促と家族への開示).
const (
	NotifyVolunteer    = "volunteer"
	NotifyOrganization = "organization"
	NotifyCity         = "city"

	ConsentScopeVisits        = "visits"
	ConsentScopeVisitsFrailty = "visits_frailty"

	EvidencePaper    = "paper"
	EvidenceInPerson = "in_person"
	EvidenceOther    = "other"
)

// EscalationNotify lists whom a step may notify, in escalation order.
var EscalationNotify = []string{NotifyVolunteer, NotifyOrganization, NotifyCity}

// familyConsentHolder is true for the family member a consent names.
var familyConsentHolder = allOf(authIs(Users), `user = @request.auth.id`)

func init() {
	register(
		Spec{
			Name: "watch_escalation_steps", System: SystemWatch,
			Description: "訪問が滞ったときの督促の段階。予定日を何日過ぎたら誰に知らせるかを市が設定する",
			Fields: []core.Field{
				&core.NumberField{Name: "level", Required: true, OnlyInt: true, Min: ptr(1.0), Max: ptr(99.0), Help: "段階の順番（1から。小さいほど先）"},
				&core.NumberField{Name: "daysOverdue", Required: true, OnlyInt: true, Min: ptr(1.0), Max: ptr(365.0), Help: "訪問予定日を何日過ぎたら知らせるか"},
				&core.SelectField{Name: "notify", Required: true, MaxSelect: 1, Values: EscalationNotify, Help: "知らせる相手: volunteer=担当の協力員, organization=団体のとりまとめ役, city=市の高齢福祉担当"},
				&core.BoolField{Name: "active", Help: "この段階を使うか（使わない段階は督促しない）"},
			},
			Indexes: []Index{
				{Name: "idx_watch_escalation_steps_level", Unique: true, Columns: "level"},
				{Name: "idx_watch_escalation_steps_active", Columns: "active"},
			},
			// 高齢福祉担当 tunes the chain; a step is switched off, never
			// deleted, because past escalations point at it.
			Rules: Rules{
				List:   rule(cityStaffIn(DeptElderly)),
				View:   rule(cityStaffIn(DeptElderly)),
				Create: rule(cityStaffIn(DeptElderly)),
				Update: rule(cityStaffIn(DeptElderly)),
			},
		},
		Spec{
			Name: "watch_escalations", System: SystemWatch, Personal: true, Subject: "resident",
			Description: "訪問の督促の記録。対象者ごと・予定日ごと・段階ごとに1件で、知らせた日時と、次の訪問で解消した日時を持つ",
			Fields: []core.Field{
				&core.RelationField{Name: "target", Required: true, MaxSelect: 1, CollectionId: Id("watch_targets"), CascadeDelete: true, Help: "訪問が滞っている見守り対象者"},
				&core.RelationField{Name: "resident", MaxSelect: 1, CollectionId: Id("residents"), Help: "対象の住民（監査記録の本人）"},
				&core.RelationField{Name: "step", Required: true, MaxSelect: 1, CollectionId: Id("watch_escalation_steps"), Help: "督促の段階"},
				civilDate("dueOn", "訪問予定日（前回の訪問日＋頻度の日数。訪問がなければ登録日から。YYYY-MM-DD）", true),
				&core.NumberField{Name: "daysOverdue", OnlyInt: true, Min: ptr(0.0), Help: "知らせた日に予定日を何日過ぎていたか"},
				&core.DateField{Name: "notifiedAt", Help: "知らせた日時"},
				&core.DateField{Name: "resolvedAt", Help: "訪問があって解消した日時（空欄は未解消）"},
				&core.RelationField{Name: "resolvedBy", MaxSelect: 1, CollectionId: Id("watch_visits"), Help: "解消させた訪問"},
			},
			Indexes: []Index{
				{Name: "idx_watch_escalations_once", Unique: true, Columns: "target, step, dueOn"},
				{Name: "idx_watch_escalations_open", Columns: "resolvedAt, dueOn"},
			},
			// Written by the daily job and resolved by visits; the city
			// reads them on /watch/.
			Rules: Rules{
				List: rule(cityStaffIn(DeptElderly)),
				View: rule(cityStaffIn(DeptElderly)),
			},
		},
		Spec{
			Name: "watch_family_consents", System: SystemWatch, Personal: true, Sensitive: true, Subject: "resident",
			Description: "見守り結果を家族に見せることへの本人の同意。家族のアカウント・範囲・同意日・確認方法を持ち、撤回は日時を入れて即時に効く（削除しない）",
			Fields: []core.Field{
				&core.RelationField{Name: "target", Required: true, MaxSelect: 1, CollectionId: Id("watch_targets"), CascadeDelete: true, Help: "見守り対象者（同意した本人）"},
				&core.RelationField{Name: "resident", MaxSelect: 1, CollectionId: Id("residents"), Help: "本人の住民記録（見守り対象者から自動設定。監査記録の本人）"},
				&core.RelationField{Name: "user", Required: true, MaxSelect: 1, CollectionId: Id(Users), Help: "結果を見てよい家族の市民アカウント"},
				&core.SelectField{Name: "scope", Required: true, MaxSelect: 1, Values: []string{ConsentScopeVisits, ConsentScopeVisitsFrailty}, Help: "見せる範囲: visits=訪問の記録, visits_frailty=訪問の記録とフレイル判定"},
				civilDate("grantedOn", "本人が同意した日（YYYY-MM-DD）", true),
				&core.SelectField{Name: "evidence", Required: true, MaxSelect: 1, Values: []string{EvidencePaper, EvidenceInPerson, EvidenceOther}, Help: "同意の確認方法: paper=同意書, in_person=対面で確認, other=その他"},
				&core.TextField{Name: "evidenceNote", Max: 500, Help: "確認の補足（同意書の保管場所、立会人など）"},
				&core.RelationField{Name: "grantedBy", MaxSelect: 1, CollectionId: Id(CityStaff), Help: "同意を登録した市職員（サーバーが設定）"},
				&core.DateField{Name: "revokedAt", Help: "撤回した日時（空欄は有効。サーバーの時刻）"},
				&core.RelationField{Name: "revokedBy", MaxSelect: 1, CollectionId: Id(CityStaff), Help: "撤回を登録した市職員（サーバーが設定）"},
			},
			Indexes: []Index{
				{Name: "idx_watch_family_consents_user", Columns: "user, revokedAt"},
				{Name: "idx_watch_family_consents_target", Columns: "target"},
				{Name: "idx_watch_family_consents_resident", Columns: "resident"},
			},
			// 高齢福祉担当 records and revokes; a revoked consent stays as
			// evidence and cannot be revived (a new consent is a new record).
			// The family member sees their own consents; the visits
			// themselves only through /api/lifestage/me/watch, which audits.
			Rules: Rules{
				List:   anyOf(cityStaffIn(DeptElderly), familyConsentHolder),
				View:   anyOf(cityStaffIn(DeptElderly), familyConsentHolder),
				Create: rule(allOf(cityStaffIn(DeptElderly), bodyUnset("resident", "grantedBy", "revokedAt", "revokedBy"))),
				Update: rule(allOf(cityStaffIn(DeptElderly), `revokedAt = ""`, bodyUnset("target", "resident", "user", "scope", "grantedOn", "grantedBy", "revokedBy"))),
			},
		},
	)
}
