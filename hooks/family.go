package hooks

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/notify"
	"github.com/saijo-dx/lifestage/sharing"
)

const sharesCollection = "family_shares"

// maxOpenInvitations bounds the pending invitations of one child, so a
// guardian's account cannot be used to mint codes without end.
const maxOpenInvitations = 10

var errCodeUsed = errors.New("invitation code already used")

func bindFamilySharing(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/lifestage/family")
		g.Bind(apis.RequireAuth(collections.Users), apis.BodyLimit(bodyLimit))
		g.POST("/children/{id}/shares", inviteFamily)
		g.POST("/shares/accept", acceptShare)
		g.POST("/shares/{id}/revoke", revokeShare)
		return se.Next()
	})
}

// inviteFamily lets a guardian create a one-time invitation code for a child.
func inviteFamily(e *core.RequestEvent) error {
	body := struct {
		Scope string `json:"scope"`
		Label string `json:"label"`
	}{}
	if err := e.BindBody(&body); err != nil {
		return fieldError("scope", "invalid_body", "リクエストの形式が正しくありません。")
	}
	if !sharing.ValidScope(body.Scope) {
		return fieldError("scope", "invalid_scope", "共有の範囲は view（閲覧）か manage（管理）を選んでください。")
	}
	if len([]rune(body.Label)) > 50 {
		return fieldError("label", "too_long", "呼び名は50文字以内で入力してください。")
	}
	child, err := e.App.FindRecordById("children", e.Request.PathValue("id"))
	if err != nil || !canView(e, child) {
		return e.NotFoundError("お子さまが見つかりません。", nil)
	}
	if !slices.Contains(child.GetStringSlice("guardians"), e.Auth.Id) {
		return e.ForbiddenError("家族を招待できるのは保護者だけです。", nil)
	}
	open, err := e.App.CountRecords(sharesCollection, dbx.HashExp{"child": child.Id, "status": sharing.Pending})
	if err != nil {
		return e.InternalServerError("", err)
	}
	if open >= maxOpenInvitations {
		return fieldError("scope", "too_many_invitations", "未使用の招待が多すぎます。使われていない招待を取り消してから、もう一度お試しください。")
	}
	code, err := sharing.NewCode()
	if err != nil {
		return e.InternalServerError("", err)
	}
	col, err := e.App.FindCachedCollectionByNameOrId(sharesCollection)
	if err != nil {
		return e.InternalServerError("", err)
	}
	expires := time.Now().Add(sharing.InviteTTL)
	share := core.NewRecord(col)
	share.Set("child", child.Id)
	share.Set("grantedBy", e.Auth.Id)
	share.Set("scope", body.Scope)
	share.Set("label", body.Label)
	share.Set("status", sharing.Pending)
	share.Set("codeHash", sharing.HashCode(code))
	share.Set("expiresAt", expires)
	if err := e.App.SaveWithContext(actorContext(e), share); err != nil {
		return e.BadRequestError("招待を作成できませんでした。", err)
	}
	return e.JSON(http.StatusOK, map[string]any{
		"id":        share.Id,
		"code":      code,
		"scope":     body.Scope,
		"expiresAt": expires.UTC().Format(time.RFC3339),
		"inviteUrl": "/me/share/?code=" + code,
	})
}

// acceptShare activates an invitation for the logged-in citizen.
func acceptShare(e *core.RequestEvent) error {
	body := struct {
		Code string `json:"code"`
	}{}
	if err := e.BindBody(&body); err != nil || body.Code == "" {
		return fieldError("code", "required", "招待コードを入力してください。")
	}
	hash := sharing.HashCode(body.Code)
	share, err := e.App.FindFirstRecordByData(sharesCollection, "codeHash", hash)
	if err != nil {
		return fieldError("code", "invalid_code", "招待コードが正しくないか、すでに使われています。")
	}
	check := sharing.CheckAccept(shareOf(share), e.Auth.Id, time.Now())
	switch {
	case errors.Is(check, sharing.ErrExpired):
		return fieldError("code", "expired", "招待コードの有効期限が切れています。保護者にもう一度招待してもらってください。")
	case errors.Is(check, sharing.ErrSelfInvite):
		return fieldError("code", "own_invitation", "ご自分が作成した招待コードは使えません。")
	case check != nil:
		return fieldError("code", "invalid_code", "招待コードが正しくないか、すでに使われています。")
	}

	var child *core.Record
	ctx := actorContext(e)
	err = e.App.RunInTransaction(func(tx core.App) error {
		// Writes are serialised, so re-reading inside the transaction makes
		// the code single use even when two people race with it.
		share, err = tx.FindRecordById(sharesCollection, share.Id)
		if err != nil || share.GetString("codeHash") != hash {
			return errCodeUsed
		}
		share.Set("member", e.Auth.Id)
		share.Set("memberName", e.Auth.GetString("name"))
		share.Set("status", sharing.Active)
		share.Set("acceptedAt", time.Now())
		share.Set("codeHash", "")
		if err := tx.SaveWithContext(ctx, share); err != nil {
			return err
		}
		child, err = syncChildAccess(ctx, tx, share.GetString("child"))
		if err != nil {
			return err
		}
		if guardian, err := tx.FindRecordById(collections.Users, share.GetString("grantedBy")); err == nil {
			_, err = notify.Send(tx, notify.Message{
				Recipient: guardian,
				Kind:      "family.share_accepted",
				Key:       "notify.family.share_accepted",
				Vars:      map[string]string{"member": displayName(e.Auth), "child": child.GetString("givenName")},
				Link:      "/me/",
				Reason:    share.Id,
			})
			return err
		}
		return nil
	})
	if errors.Is(err, errCodeUsed) {
		return fieldError("code", "invalid_code", "招待コードが正しくないか、すでに使われています。")
	}
	if err != nil {
		return e.BadRequestError("共有を開始できませんでした。", err)
	}
	return e.JSON(http.StatusOK, map[string]any{
		"id":    share.Id,
		"scope": share.GetString("scope"),
		"child": map[string]any{"id": child.Id, "givenName": child.GetString("givenName")},
	})
}

// revokeShare ends a share (or withdraws an invitation) at once. Guardians
// can revoke any share of their child; a member can leave.
func revokeShare(e *core.RequestEvent) error {
	share, err := e.App.FindRecordById(sharesCollection, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("共有が見つかりません。", nil)
	}
	child, err := e.App.FindRecordById("children", share.GetString("child"))
	if err != nil {
		return e.NotFoundError("共有が見つかりません。", nil)
	}
	isGuardian := slices.Contains(child.GetStringSlice("guardians"), e.Auth.Id)
	if !isGuardian && share.GetString("member") != e.Auth.Id && share.GetString("grantedBy") != e.Auth.Id {
		return e.NotFoundError("共有が見つかりません。", nil)
	}
	if share.GetString("status") == sharing.Revoked {
		return fieldError("status", "already_revoked", "この共有はすでに取り消されています。")
	}
	ctx := actorContext(e)
	err = e.App.RunInTransaction(func(tx core.App) error {
		share.Set("status", sharing.Revoked)
		share.Set("revokedAt", time.Now())
		share.Set("codeHash", "")
		if err := tx.SaveWithContext(ctx, share); err != nil {
			return err
		}
		_, err := syncChildAccess(ctx, tx, child.Id)
		return err
	})
	if err != nil {
		return e.BadRequestError("共有を取り消せませんでした。", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"id": share.Id, "status": sharing.Revoked})
}

// syncChildAccess recomputes the child's denormalised sharing lists from its
// shares, inside the caller's transaction, so the API rules see the change
// with the next request.
func syncChildAccess(ctx context.Context, tx core.App, childID string) (*core.Record, error) {
	child, err := tx.FindRecordById("children", childID)
	if err != nil {
		return nil, err
	}
	records, err := tx.FindAllRecords(sharesCollection, dbx.HashExp{"child": childID})
	if err != nil {
		return nil, err
	}
	shares := make([]sharing.Share, len(records))
	for i, r := range records {
		shares[i] = shareOf(r)
	}
	access := sharing.AccessOf(shares, child.GetStringSlice("guardians"))
	child.Set("familyViewers", access.Viewers)
	child.Set("familyManagers", access.Managers)
	return child, tx.SaveWithContext(ctx, child)
}

func shareOf(r *core.Record) sharing.Share {
	return sharing.Share{
		Member:    r.GetString("member"),
		GrantedBy: r.GetString("grantedBy"),
		Scope:     r.GetString("scope"),
		Status:    r.GetString("status"),
		ExpiresAt: r.GetDateTime("expiresAt").Time(),
	}
}

// canView applies the record's own view rule, so routes never restate it.
func canView(e *core.RequestEvent, rec *core.Record) bool {
	info, err := e.RequestInfo()
	if err != nil {
		return false
	}
	ok, _ := e.App.CanAccessRecord(rec, info, rec.Collection().ViewRule)
	return ok
}

func displayName(r *core.Record) string {
	if n := r.GetString("name"); n != "" {
		return n
	}
	return "ご家族"
}
