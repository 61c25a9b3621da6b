package collections

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/consent"
)

// PartnerConsents is the consent broker of the data-linkage platform: a
// resident's grant to a partner to read their own or a child's personal
// data for a stated purpose, scopes and period. (The マイナポータル import
// consent is a different thing: mynaportal_consents.)
const PartnerConsents = "partner_consents"

func init() {
	register(Spec{
		Name: PartnerConsents, System: SystemPlatform, Personal: true, Subject: "user",
		Description: "事業者（パートナー）へのデータ提供への本人の同意。本人が自分またはお子さまのデータについて、提供先・目的・データ・期間を決めて同意し、いつでも取り消せる。同意ごとに同意記録（コンセントレシート）を持つ",
		Fields: []core.Field{
			&core.RelationField{Name: "user", Required: true, MaxSelect: 1, CollectionId: Id(Users), CascadeDelete: true, Help: "同意した本人（市民アカウント）"},
			&core.RelationField{Name: "child", MaxSelect: 1, CollectionId: Id("children"), CascadeDelete: true, Help: "データを提供するお子さま（空欄は本人のデータ）"},
			&core.RelationField{Name: "partner", Required: true, MaxSelect: 1, CollectionId: Id(Partners), Help: "提供先の事業者"},
			&core.TextField{Name: "purpose", Required: true, Max: consent.MaxPurpose, Help: "利用目的（本人が同意した文言のとおり）"},
			&core.SelectField{Name: "scopes", Required: true, MaxSelect: len(consent.Scopes()), Values: consent.Scopes(),
				Help: "提供するデータ: immunizations:read=予防接種, growth:read=成長の記録, checkups:read=乳幼児健診, prenatal_checkups:read=妊婦健診"},
			civilDate("validFrom", "同意の開始日（YYYY-MM-DD、日本時間）", true),
			civilDate("validUntil", "同意の終了日（YYYY-MM-DD、日本時間。この日まで提供する）", true),
			&core.DateField{Name: "grantedAt", Required: true, Help: "同意した日時"},
			&core.DateField{Name: "revokedAt", Help: "取り消した日時（空欄は取り消していない）"},
			&core.JSONField{Name: "receipt", MaxSize: 20000, Help: "同意記録（ISO/IEC 27560・Kantara Consent Receipt 形式のJSON。同意時と取消時に作る）"},
		},
		Indexes: []Index{
			{Name: "idx_partner_consents_user", Columns: "user, created"},
			{Name: "idx_partner_consents_partner", Columns: "partner, validUntil"},
			{Name: "idx_partner_consents_child", Columns: "child"},
			{Name: "idx_partner_consents_created", Columns: "created"},
		},
		// Grants are made and revoked only through the consent routes, which
		// check the verified identity, the child and the partner and write
		// the receipt. 運用 staff read them to answer partners and residents.
		Rules: Rules{
			List: anyOf(allOf(citizen, `user = @request.auth.id`), opsOnly),
			View: anyOf(allOf(citizen, `user = @request.auth.id`), opsOnly),
		},
	})
}
