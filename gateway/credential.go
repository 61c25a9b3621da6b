package gateway

import (
	"slices"
	"time"
)

// Credential is what the gateway knows about a key: enough to admit or
// refuse a request without touching the database.
type Credential struct {
	KeyID         string
	Prefix        string
	Partner       string // partner record id
	PartnerName   string
	PartnerActive bool
	Scopes        []string
	ExpiresAt     time.Time // zero: never
	RevokedAt     time.Time // zero: not revoked
	RateLimit     int       // requests per minute; 0: no limit
	MonthlyQuota  int64     // requests per Tokyo month; 0: no quota
}

// Refusal is why the gateway refused a request. Code is stable for clients.
type Refusal struct {
	Status  int
	Code    string
	Message string // Japanese
}

func (r *Refusal) Error() string { return r.Code }

// The refusals of the key check. Rate and quota refusals come from Limiter
// and Quota with a Retry-After.
var (
	ErrMissingKey = &Refusal{401, "missing_key", "APIキーがありません。X-API-Key ヘッダーにAPIキーを指定してください。"}
	ErrInvalidKey = &Refusal{401, "invalid_key", "APIキーが正しくありません。"}
	ErrRevoked    = &Refusal{401, "revoked_key", "このAPIキーは失効しています。新しいキーを市の担当者に依頼してください。"}
	ErrExpired    = &Refusal{401, "expired_key", "このAPIキーは有効期限が切れています。"}
	ErrInactive   = &Refusal{401, "inactive_partner", "この事業者の利用は停止されています。"}
	ErrScope      = &Refusal{403, "scope_denied", "このAPIキーには、このデータを利用する権限（スコープ）がありません。"}
	ErrRate       = &Refusal{429, "rate_limited", "短時間のリクエストが多すぎます。Retry-After の秒数が経ってから再度お試しください。"}
	ErrQuota      = &Refusal{429, "quota_exceeded", "今月のリクエスト上限に達しました。来月1日（日本時間）に再開できます。"}
)

// Check admits a known key for a scope at an instant. An empty scope asks
// only for a valid key (the partner's own usage page needs no dataset).
// A key stops working at the instant of its expiry.
func (c *Credential) Check(scope string, now time.Time) *Refusal {
	switch {
	case !c.RevokedAt.IsZero() && !now.Before(c.RevokedAt):
		return ErrRevoked
	case !c.ExpiresAt.IsZero() && !now.Before(c.ExpiresAt):
		return ErrExpired
	case !c.PartnerActive:
		return ErrInactive
	case scope != "" && !slices.Contains(c.Scopes, scope):
		return ErrScope
	}
	return nil
}
