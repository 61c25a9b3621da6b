package collections

import "github.com/pocketbase/pocketbase/core"

// マイナポータル connector (PMH情報連携API): a guardian's consent to import
// a child's immunization and checkup records into the handbook.

// MynaportalConsents is the consent collection.
const MynaportalConsents = "mynaportal_consents"

// Consent scopes (what may be imported) and states.
const (
	MynaScopeImmunizations = "immunizations"
	MynaScopeCheckups      = "infant_checkups"

	MynaConsentActive  = "active"
	MynaConsentRevoked = "revoked"
)

// MynaportalPurpose is the stated purpose recorded with every consent.
const MynaportalPurpose = "マイナポータル（PMH）にある予防接種と乳幼児健診の記録を電子母子手帳に取り込み、記録の閲覧と接種・健診の予定づくりに使うため"

func init() {
	register(Spec{
		Name: MynaportalConsents, System: SystemPlatform, Personal: true, Subject: "child",
		Description: "マイナポータル（PMH情報連携API）から子どもの予防接種・乳幼児健診の記録を電子母子手帳へ取り込むことへの保護者の同意。期間と範囲を決めて同意し、いつでも取り消せる",
		Fields: []core.Field{
			&core.RelationField{Name: "user", Required: true, MaxSelect: 1, CollectionId: Id(Users), CascadeDelete: true, Help: "同意した保護者"},
			childField(),
			&core.SelectField{Name: "scopes", Required: true, MaxSelect: 2, Values: []string{MynaScopeImmunizations, MynaScopeCheckups},
				Help: "取り込む記録: immunizations=予防接種, infant_checkups=乳幼児健診"},
			&core.TextField{Name: "purpose", Max: 200, Help: "利用目的（画面に示した文言のとおりに記録する）"},
			civilDate("validFrom", "同意の開始日（YYYY-MM-DD）", true),
			civilDate("validUntil", "同意の終了日（YYYY-MM-DD。この日まで取り込める）", true),
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{MynaConsentActive, MynaConsentRevoked}, Help: "状態: active=有効, revoked=取消済み"},
			&core.DateField{Name: "grantedAt", Help: "同意した日時"},
			&core.DateField{Name: "revokedAt", Help: "取り消した日時"},
			&core.DateField{Name: "lastImportAt", Help: "最後に取り込んだ日時"},
			&core.NumberField{Name: "lastImportCount", OnlyInt: true, Min: ptr(0.0), Help: "最後の取り込みで新たに追加した記録の数"},
		},
		Indexes: []Index{
			{Name: "idx_mynaportal_consents_user_child", Columns: "user, child"},
			{Name: "idx_mynaportal_consents_child", Columns: "child, status"},
		},
		// Consents are given and revoked through the routes, which check the
		// verified identity and guardianship; the guardian and 子育て staff
		// read them.
		Rules: Rules{
			List: anyOf(allOf(citizen, `user = @request.auth.id`), cityStaffIn(DeptChild)),
			View: anyOf(allOf(citizen, `user = @request.auth.id`), cityStaffIn(DeptChild)),
		},
	})
}
