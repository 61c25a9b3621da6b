package collections

import (
	"github.com/pocketbase/pocketbase/core"
)

// The NGSI-v2 interface of the data-linkage platform keeps two things of
// its own: partners' subscriptions (change notifications) and the history
// of entity attributes, which Orion v2 lacks.

// NGSI collection names.
const (
	NGSISubscriptions = "ngsi_subscriptions"
	NGSIHistory       = "ngsi_history"
)

// Subscription states, as Orion's (failed: deactivated after too many
// consecutive failed deliveries).
const (
	SubActive   = "active"
	SubInactive = "inactive"
	SubFailed   = "failed"
	SubExpired  = "expired"
)

func init() {
	register(
		Spec{
			Name: NGSISubscriptions, System: SystemPlatform, Audited: true,
			Description: "NGSI-v2 のサブスクリプション（変更通知の購読）。パートナーが /ngsi/v2/subscriptions で作成し、自分のものだけを見る。通知は HMAC-SHA256 で署名する",
			Fields: []core.Field{
				&core.RelationField{Name: "partner", Required: true, MaxSelect: 1, CollectionId: Id(Partners), Help: "購読した事業者"},
				&core.RelationField{Name: "apiKey", MaxSelect: 1, CollectionId: Id(APIKeys), Help: "作成に使われたAPIキー"},
				&core.TextField{Name: "description", Max: 500, Presentable: true, Help: "説明"},
				&core.JSONField{Name: "entities", MaxSize: 20000, Help: "対象のエンティティ（subject.entities: id か idPattern と type の配列）"},
				&core.JSONField{Name: "conditionAttrs", MaxSize: 4000, Help: "この属性が変わったときだけ通知する（subject.condition.attrs、空はどの属性でも）"},
				&core.TextField{Name: "conditionQ", Max: 1000, Help: "通知する条件の q 式（subject.condition.expression.q）"},
				&core.URLField{Name: "url", Required: true, Help: "通知先の URL（notification.http.url、http/https のみ）"},
				&core.JSONField{Name: "attrs", MaxSize: 4000, Help: "通知に含める属性（notification.attrs、空はすべて）"},
				&core.SelectField{Name: "attrsFormat", MaxSelect: 1, Values: []string{"normalized", "keyValues"}, Help: "通知の形式（notification.attrsFormat）"},
				&core.TextField{Name: "secret", Required: true, Hidden: true, Max: 100, Help: "通知の署名鍵（作成時に一度だけ返す。API では読めない）"},
				&core.DateField{Name: "expires", Help: "有効期限（空は無期限）"},
				&core.NumberField{Name: "throttling", OnlyInt: true, Min: ptr(0.0), Help: "通知の最小間隔（秒、0は制限なし）"},
				&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{SubActive, SubInactive, SubFailed, SubExpired}, Help: "状態: active=有効, inactive=停止, failed=失敗が続いたため停止, expired=期限切れ"},
				&core.NumberField{Name: "maxFailsLimit", OnlyInt: true, Min: ptr(0.0), Help: "連続して失敗したらこの回数で停止する（0は既定値）"},
				&core.NumberField{Name: "timesSent", OnlyInt: true, Min: ptr(0.0), Help: "届いた通知の数"},
				&core.NumberField{Name: "failsCounter", OnlyInt: true, Min: ptr(0.0), Help: "連続して失敗した送信の数（成功で0に戻る）"},
				&core.DateField{Name: "lastNotification", Help: "最後に通知しようとした日時"},
				&core.DateField{Name: "lastSuccess", Help: "最後に届いた日時"},
				&core.NumberField{Name: "lastSuccessCode", OnlyInt: true, Help: "最後に届いたときの HTTP ステータス"},
				&core.DateField{Name: "lastFailure", Help: "最後に失敗した日時"},
				&core.TextField{Name: "lastFailureReason", Max: 300, Help: "最後の失敗の理由"},
			},
			Indexes: []Index{
				{Name: "idx_ngsi_subscriptions_partner", Columns: "partner, created"},
				{Name: "idx_ngsi_subscriptions_status", Columns: "status"},
				{Name: "idx_ngsi_subscriptions_apikey", Columns: "apiKey"},
			},
			// Partners use the /ngsi/v2/subscriptions routes with their key;
			// 運用 staff may look and stop one (status) here.
			Rules: Rules{
				List:   rule(opsOnly),
				View:   rule(opsOnly),
				Update: rule(allOf(opsOnly, bodyUnset("partner", "apiKey", "secret", "url", "entities", "timesSent", "failsCounter"))),
			},
		},
		Spec{
			Name: NGSIHistory, System: SystemPlatform,
			Description: "NGSI エンティティの属性の履歴。元のレコードが変わって属性の値が変わったときに1行ずつ記録する（公開データの集計値だけで、個人の情報は含まない）",
			Fields: []core.Field{
				&core.TextField{Name: "entityId", Required: true, Max: 200, Help: "エンティティの id"},
				&core.TextField{Name: "entityType", Required: true, Max: 100, Help: "エンティティの型"},
				&core.TextField{Name: "attr", Required: true, Max: 100, Help: "属性名"},
				&core.TextField{Name: "attrType", Max: 100, Help: "属性の型（消えた属性は空）"},
				&core.JSONField{Name: "value", MaxSize: 20000, Help: "変わった後の値（消えた属性は null）"},
				&core.TextField{Name: "observedAt", Required: true, Max: 30, Help: "変化を検出した日時（RFC 3339、UTC、ミリ秒まで）"},
			},
			Indexes: []Index{
				{Name: "idx_ngsi_history_entity", Columns: "entityId, attr, observedAt"},
				{Name: "idx_ngsi_history_type", Columns: "entityType, observedAt"},
				{Name: "idx_ngsi_history_observed", Columns: "observedAt"},
			},
			Rules: Rules{List: rule(opsOnly), View: rule(opsOnly)},
		},
	)
}
