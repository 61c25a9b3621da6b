package collections

import "github.com/pocketbase/pocketbase/core"

// The operations layer (運用): the audit log and security events.

func init() {
	register(
		Spec{
			Name: "audit_log", System: SystemOperations,
			Description: "監査ログ。個人情報の作成・更新・削除と、職員による要配慮情報の閲覧を記録する。各行は前の行のハッシュを含むSHA-256で連鎖し、改ざんを検知できる。APIからは変更も削除もできない",
			Fields: []core.Field{
				&core.NumberField{Name: "seq", Required: true, OnlyInt: true, Min: ptr(1.0), Help: "連番（1から途切れない）"},
				&core.TextField{Name: "at", Required: true, Max: 24, Help: "日時（UTC、ミリ秒まで）"},
				&core.TextField{Name: "actor", Max: 15, Help: "操作した人のレコードID（システムの処理は空）"},
				&core.TextField{Name: "actorCollection", Max: 50, Help: "操作した人のアカウント種別"},
				&core.TextField{Name: "actorRole", Max: 50, Help: "操作した人の役割（例: ops:manager, citizen, system）"},
				&core.TextField{Name: "action", Required: true, Max: 20, Help: "操作: create, update, delete, view, import, lockout, rekey, export"},
				&core.TextField{Name: "collection", Max: 50, Help: "対象のコレクション"},
				&core.TextField{Name: "record", Max: 50, Help: "対象のレコードID"},
				&core.TextField{Name: "subject", Max: 15, Help: "その記録が誰の情報か（市民または子どものID）"},
				&core.JSONField{Name: "fields", MaxSize: 4000, Help: "変更された項目名（値は記録しない）"},
				&core.TextField{Name: "ip", Max: 64, Help: "IPアドレス"},
				&core.TextField{Name: "userAgent", Max: 300, Help: "ブラウザ等の識別文字列"},
				&core.TextField{Name: "prevHash", Required: true, Max: 64, Help: "前の行のハッシュ"},
				&core.TextField{Name: "hash", Required: true, Max: 64, Help: "この行の内容（前の行のハッシュを含む）のSHA-256"},
			},
			Indexes: []Index{
				{Name: "idx_audit_log_seq", Unique: true, Columns: "seq"},
				{Name: "idx_audit_log_record", Columns: "collection, record"},
				{Name: "idx_audit_log_subject", Columns: "subject, seq"},
				{Name: "idx_audit_log_actor", Columns: "actor, seq"},
				{Name: "idx_audit_log_at", Columns: "at"},
			},
			Rules: Rules{List: rule(opsOnly), View: rule(opsOnly)},
		},
		Spec{
			Name: "security_events", System: SystemOperations,
			Description: "セキュリティ事案（ログイン失敗の多発、アクセス拒否の急増、監査ログの破損、バックアップ失敗）。運用担当に即時通知する",
			Fields: []core.Field{
				&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: []string{"failed_logins", "lockout", "denied_burst", "audit_broken", "backup_failed"}, Help: "種類"},
				&core.SelectField{Name: "severity", Required: true, MaxSelect: 1, Values: []string{"warning", "critical"}, Help: "重大度"},
				&core.TextField{Name: "message", Required: true, Max: 500, Presentable: true, Help: "内容（日本語）"},
				&core.JSONField{Name: "details", MaxSize: 8000, Help: "詳細（IP、対象アカウント種別など。個人情報の値は入れない）"},
				&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{"open", "closed"}, Help: "対応状況"},
				&core.TextField{Name: "reason", Max: 200, Hidden: true, Help: "重複防止キー"},
			},
			Indexes: []Index{
				{Name: "idx_security_events_status", Columns: "status, created"},
				{Name: "idx_security_events_reason", Columns: "reason"},
			},
			Rules: Rules{
				List:   rule(opsOnly),
				View:   rule(opsOnly),
				Update: rule(allOf(opsOnly, bodyUnset("kind", "severity", "message", "details", "reason"))),
			},
		},
	)
}
