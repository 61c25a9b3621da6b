package hooks

import (
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/saijo-dx/lifestage/collections"
)

// identityVerified reports whether a citizen proved who they are with the
// My Number card (公的個人認証).
func identityVerified(auth *core.Record) bool {
	return auth != nil && auth.Collection().Name == collections.Users &&
		auth.GetString("identityVerifiedMethod") == collections.IdentityMethodJPKI &&
		auth.GetInt("identityLevel") >= collections.IdentityLevelCard
}

// requireVerifiedIdentity guards operations that act on a resident's
// official records or hand them to someone else: only a citizen whose
// identity was verified with the My Number card passes. 401 for guests,
// 403 with the stable code identity_not_verified for everyone else, so the
// page can offer the card login.
func requireVerifiedIdentity() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id: "lifestageRequireVerifiedIdentity",
		Func: func(e *core.RequestEvent) error {
			if e.Auth == nil {
				return e.UnauthorizedError("ログインしてください。", nil)
			}
			if !identityVerified(e.Auth) {
				const msg = "この操作にはマイナンバーカードによる本人確認が必要です。マイページの「マイナンバーカードで本人確認」から確認してください。"
				return apis.NewForbiddenError(msg, validation.Errors{"identity": validation.NewError("identity_not_verified", msg)})
			}
			return e.Next()
		},
	}
}
