package collections

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/gateway"
)

// The partner API gateway of the data-linkage platform (データ連携基盤):
// partner organisations, their API keys and the metered usage.

// Gateway collection names.
const (
	Partners = "partners"
	APIKeys  = "api_keys"
	APIUsage = "api_usage"
)

func init() {
	register(
		Spec{
			Name: Partners, System: SystemPlatform, Personal: true,
			Description: "データ連携基盤のAPIを利用する事業者（パートナー）。運用担当が登録し、APIキーを発行する",
			Fields: []core.Field{
				&core.TextField{Name: "name", Required: true, Max: 200, Presentable: true, Help: "事業者名"},
				&core.TextField{Name: "contactName", Max: 100, Help: "担当者名"},
				&core.EmailField{Name: "contactEmail", Help: "担当者の連絡先メールアドレス"},
				&core.BoolField{Name: "active", Help: "利用中か（外すと、この事業者のすべてのAPIキーが使えなくなる）"},
				&core.TextField{Name: "note", Max: 2000, Help: "備考（契約・利用目的など）"},
			},
			Indexes: []Index{
				{Name: "idx_partners_name", Unique: true, Columns: "name"},
				{Name: "idx_partners_active", Columns: "active"},
			},
			// Partners are deactivated, never deleted: their keys and usage
			// stay on record.
			Rules: Rules{List: rule(opsOnly), View: rule(opsOnly), Create: rule(opsOnly), Update: rule(opsOnly)},
		},
		Spec{
			Name: APIKeys, System: SystemPlatform, Audited: true,
			Description: "パートナーのAPIキー。キーそのものは発行時に一度だけ表示し、SHA-256のハッシュだけを保存する。スコープ・有効期限・流量制限・月間上限を持ち、更新（ローテーション）と失効ができる",
			Fields: []core.Field{
				&core.RelationField{Name: "partner", Required: true, MaxSelect: 1, CollectionId: Id(Partners), Help: "キーを持つ事業者"},
				&core.TextField{Name: "label", Max: 100, Presentable: true, Help: "用途の名前（例: 本番サーバー）"},
				&core.TextField{Name: "prefix", Required: true, Max: 20, Help: "キーの識別子（公開してよい部分。一覧や問い合わせで使う）"},
				&core.TextField{Name: "hash", Required: true, Hidden: true, Max: 64, Help: "キーのSHA-256ハッシュ（キーそのものは保存しない）"},
				&core.SelectField{Name: "scopes", Required: true, MaxSelect: len(gateway.Scopes()), Values: gateway.Scopes(), Help: "利用できるデータと操作（データセット:read/write）"},
				&core.DateField{Name: "expiresAt", Help: "有効期限（この時刻から使えない。空欄は無期限）"},
				&core.NumberField{Name: "rateLimit", OnlyInt: true, Min: ptr(0.0), Help: "1分あたりのリクエスト上限（0は無制限）"},
				&core.NumberField{Name: "monthlyQuota", OnlyInt: true, Min: ptr(0.0), Help: "1か月（日本時間）あたりのリクエスト上限（0は無制限）"},
				&core.DateField{Name: "revokedAt", Help: "失効した日時（空欄は有効）"},
				&core.RelationField{Name: "replaces", MaxSelect: 1, CollectionId: Id(APIKeys), Help: "更新（ローテーション）で置き換えた前のキー"},
				&core.DateField{Name: "lastUsedAt", Help: "最後に使われた日時（数秒おきにまとめて記録）"},
			},
			Indexes: []Index{
				{Name: "idx_api_keys_prefix", Unique: true, Columns: "prefix"},
				{Name: "idx_api_keys_hash", Unique: true, Columns: "hash"},
				{Name: "idx_api_keys_partner", Columns: "partner, created"},
				{Name: "idx_api_keys_created", Columns: "created"},
				{Name: "idx_api_keys_replaces", Columns: "replaces"},
			},
			// Keys are issued, rotated and revoked only by the gateway
			// routes and the CLI, which generate the secret; through the
			// collection API 運用 staff may only relabel and retune a key.
			Rules: Rules{
				List:   rule(opsOnly),
				View:   rule(opsOnly),
				Update: rule(allOf(opsOnly, bodyUnset("partner", "prefix", "hash", "revokedAt", "replaces", "lastUsedAt"))),
			},
		},
		Spec{
			Name: APIUsage, System: SystemPlatform,
			Description: "APIの利用実績。キー・エンドポイント・日（日本時間）・応答ステータスごとの件数で、数秒おきにまとめて加算する",
			Fields: []core.Field{
				&core.RelationField{Name: "apiKey", Required: true, MaxSelect: 1, CollectionId: Id(APIKeys), Help: "使われたAPIキー"},
				&core.RelationField{Name: "partner", Required: true, MaxSelect: 1, CollectionId: Id(Partners), Help: "キーを持つ事業者"},
				&core.TextField{Name: "day", Required: true, Max: 10, Pattern: `^\d{4}-\d{2}-\d{2}$`, Help: "日付（YYYY-MM-DD、日本時間）"},
				&core.TextField{Name: "endpoint", Required: true, Max: 200, Help: "メソッドとルート（例: GET /ngsi/v2/entities）"},
				&core.NumberField{Name: "status", Required: true, OnlyInt: true, Help: "応答のHTTPステータス"},
				&core.NumberField{Name: "count", OnlyInt: true, Min: ptr(0.0), Help: "件数"},
			},
			Indexes: []Index{
				{Name: "idx_api_usage_unique", Unique: true, Columns: "apiKey, day, endpoint, status"},
				{Name: "idx_api_usage_partner_day", Columns: "partner, day"},
				{Name: "idx_api_usage_day", Columns: "day"},
			},
			Rules: Rules{List: rule(opsOnly), View: rule(opsOnly)},
		},
	)
}
