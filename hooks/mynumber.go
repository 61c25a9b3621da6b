package hooks

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"html"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/mynumber"
)

// My Number card login (公的個人認証 through デジタル認証アプリ).
//
//	GET  /api/lifestage/auth/mynumber/status    {enabled}: the login page shows the button only when on
//	GET  /api/lifestage/auth/mynumber/start     302 to the provider (state kept server-side, bound by a cookie)
//	POST /api/lifestage/auth/mynumber/link      a logged-in citizen links the card: {url} to go to
//	GET  /api/lifestage/auth/mynumber/callback  code exchange, account, 303 to /login/#mynumber=<ticket>
//	POST /api/lifestage/auth/mynumber/token     {ticket} → the PocketBase auth response, as a password login gives
const myNumberPath = "/api/lifestage/auth/mynumber"

const (
	myNumberCookie    = "lifestage_mynumber_state"
	myNumberFlowTTL   = 10 * time.Minute
	myNumberTicketTTL = 2 * time.Minute
	myNumberMaxFlows  = 10000
)

const myNumberOff = "マイナンバーカードでのログインは、現在ご利用いただけません。"

// myNumberState is the per-app state: the relying party (built on first
// use, rebuilt when the configuration changes) and the pending logins and
// tickets.
type myNumberState struct {
	mu      sync.Mutex
	cfg     mynumber.Config
	rp      *mynumber.RP
	flows   *mynumber.Store[mynumber.Flow]
	tickets *mynumber.Store[string]
}

func myNumber(app core.App) *myNumberState {
	return app.Store().GetOrSet("lifestage.mynumber", func() any {
		return &myNumberState{
			flows:   mynumber.NewStore[mynumber.Flow](myNumberFlowTTL, myNumberMaxFlows),
			tickets: mynumber.NewStore[string](myNumberTicketTTL, myNumberMaxFlows),
		}
	}).(*myNumberState)
}

// relyingParty returns the configured RP; errMyNumberOff when the login is
// off. A provider that cannot be reached is retried on the next request.
func (s *myNumberState) relyingParty(app core.App) (*mynumber.RP, mynumber.Config, error) {
	cfg, on := mynumber.FromEnv(os.Getenv)
	if !on {
		return nil, cfg, errMyNumberOff
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rp != nil && s.cfg == cfg {
		return s.rp, cfg, nil
	}
	rp, err := mynumber.New(cfg, nil)
	if err != nil {
		app.Logger().Error("My Number login: provider unavailable", "error", err)
		return nil, cfg, err
	}
	s.cfg, s.rp = cfg, rp
	return rp, cfg, nil
}

var errMyNumberOff = errors.New("my number login is off")

func bindMyNumber(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group(myNumberPath)
		g.Bind(apis.BodyLimit(bodyLimit))
		g.GET("/status", myNumberStatus)
		g.GET("/start", func(e *core.RequestEvent) error { return myNumberBegin(e, "") })
		g.POST("/link", func(e *core.RequestEvent) error { return myNumberBegin(e, e.Auth.Id) }).Bind(apis.RequireAuth(collections.Users))
		g.GET("/callback", myNumberCallback)
		g.POST("/token", myNumberToken)
		return se.Next()
	})
}

func myNumberStatus(e *core.RequestEvent) error {
	_, on := mynumber.FromEnv(os.Getenv)
	return e.JSON(http.StatusOK, map[string]any{"enabled": on})
}

// unavailable answers 503: off (the default) or a provider we cannot use.
func unavailable(err error) error {
	msg, code := myNumberOff, "mynumber_disabled"
	if !errors.Is(err, errMyNumberOff) {
		msg, code = "マイナンバーカードの認証サービスに接続できません。時間をおいてからお試しください。", "provider_unavailable"
	}
	return apis.NewApiError(http.StatusServiceUnavailable, msg, validation.Errors{"mynumber": validation.NewError(code, msg)})
}

// myNumberBegin starts a login (linkUser "") or a link of the card to the
// logged-in account. The state is the key of the pending login and is also
// set in a cookie scoped to these routes, so the callback only completes a
// login the same browser started (no login CSRF).
func myNumberBegin(e *core.RequestEvent, linkUser string) error {
	s := myNumber(e.App)
	rp, cfg, err := s.relyingParty(e.App)
	if err != nil {
		return unavailable(err)
	}
	authURL, flow := rp.Begin(linkUser)
	s.flows.Put(flow.State, flow, time.Now())
	e.SetCookie(&http.Cookie{
		Name: myNumberCookie, Value: flow.State, Path: myNumberPath + "/", MaxAge: int(myNumberFlowTTL.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: strings.HasPrefix(cfg.RedirectURL, "https://"),
	})
	if linkUser != "" {
		return e.JSON(http.StatusOK, map[string]any{"url": authURL})
	}
	return e.Redirect(http.StatusFound, authURL)
}

// myNumberCallback finishes a login at the redirect URI.
func myNumberCallback(e *core.RequestEvent) error {
	s := myNumber(e.App)
	rp, _, err := s.relyingParty(e.App)
	if err != nil {
		return unavailable(err)
	}
	q := e.Request.URL.Query()
	state := q.Get("state")
	cookie, _ := e.Request.Cookie(myNumberCookie)
	if state == "" || cookie == nil || subtle.ConstantTimeCompare([]byte(cookie.Value), []byte(state)) != 1 {
		// The browser's own login, if any, stays pending: a forged link
		// must not cancel it.
		return callbackError(e, http.StatusBadRequest, "invalid_state", "ログインの手続きが確認できませんでした。最初からやり直してください。")
	}
	e.SetCookie(&http.Cookie{Name: myNumberCookie, Value: "", Path: myNumberPath + "/", MaxAge: -1, HttpOnly: true})
	flow, ok := s.flows.Take(state, time.Now())
	if !ok {
		return callbackError(e, http.StatusBadRequest, "invalid_state", "ログインの手続きの有効期限が切れたか、すでに使われています。最初からやり直してください。")
	}
	if q.Get("error") != "" {
		return callbackError(e, http.StatusBadRequest, "mynumber_cancelled", "マイナンバーカードでの認証が中止されました。")
	}
	id, err := rp.Complete(e.Request.Context(), flow, q.Get("code"))
	switch {
	case errors.Is(err, mynumber.ErrProvider):
		return unavailable(err)
	case err != nil:
		e.App.Logger().Warn("My Number login refused", "error", err)
		return callbackError(e, http.StatusBadRequest, loginErrorCode(err), "マイナンバーカードでの認証結果を確認できませんでした。最初からやり直してください。")
	}
	user, err := linkCard(e, flow, id)
	if errors.Is(err, mynumber.ErrCardInUse) {
		return callbackError(e, http.StatusConflict, "card_in_use", "このマイナンバーカードは別のアカウントに登録されています。そのアカウントでログインしてください。")
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	if flow.LinkUser != "" {
		return e.Redirect(http.StatusSeeOther, "/me/?verified=1")
	}
	ticket := security.RandomString(40)
	s.tickets.Put(ticket, user.Id, time.Now())
	// The ticket rides in the fragment, which browsers never send to a
	// server or put in a Referer; the page trades it once for the token.
	return e.Redirect(http.StatusSeeOther, "/login/#mynumber="+ticket)
}

func loginErrorCode(err error) string {
	switch {
	case errors.Is(err, mynumber.ErrExchange):
		return "code_rejected"
	case errors.Is(err, mynumber.ErrNonce):
		return "invalid_nonce"
	case errors.Is(err, mynumber.ErrUserinfo):
		return "invalid_userinfo"
	}
	return "invalid_id_token"
}

// callbackError answers the browser with a short Japanese page (the
// callback is a top-level navigation) and API clients with the usual JSON.
func callbackError(e *core.RequestEvent, status int, code, msg string) error {
	if strings.Contains(e.Request.Header.Get("Accept"), "text/html") {
		return e.HTML(status, fmt.Sprintf(`<!doctype html><html lang="ja"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`+
			`<title>ログインできませんでした</title><link rel="stylesheet" href="/assets/app.css"><main class="container"><h1>ログインできませんでした</h1>`+
			`<p>%s</p><p>（エラーコード: %s）</p><p><a class="button" href="/login/">ログイン画面へ戻る</a></p></main></html>`, html.EscapeString(msg), html.EscapeString(code)))
	}
	return apis.NewApiError(status, msg, validation.Errors{"mynumber": validation.NewError(code, msg)})
}

// linkCard finds or creates the account of the card holder and writes the
// verified 基本4情報 into it.
func linkCard(e *core.RequestEvent, flow mynumber.Flow, id mynumber.Identity) (*core.Record, error) {
	var user *core.Record
	err := e.App.RunInTransaction(func(tx core.App) error {
		linked := ""
		if r, err := tx.FindFirstRecordByData(collections.Users, "jpkiSubject", id.SubjectHash); err == nil {
			linked = r.Id
		}
		target, create, err := mynumber.Target(flow.LinkUser, linked)
		if err != nil {
			return err
		}
		if create {
			col, err := tx.FindCachedCollectionByNameOrId(collections.Users)
			if err != nil {
				return err
			}
			user = core.NewRecord(col)
			// A card-only account has no mailbox yet: a reserved, never
			// delivered address keeps the unique email field satisfied
			// until the resident sets a real one.
			user.SetEmail("jpki-" + id.SubjectHash[:24] + "@mynumber.invalid")
			user.SetPassword(security.RandomString(40))
		} else if user, err = tx.FindRecordById(collections.Users, target); err != nil {
			return err
		}
		if id.Name != "" {
			user.Set("name", id.Name)
		}
		user.Set("address", id.Address)
		user.Set("birthDate", id.BirthDate)
		user.Set("sex", id.Sex)
		user.Set("identityVerifiedMethod", collections.IdentityMethodJPKI)
		user.Set("identityLevel", collections.IdentityLevelCard)
		user.Set("identityVerifiedAt", time.Now())
		user.Set("jpkiSubject", id.SubjectHash)
		ctx := actorContext(e)
		if !create {
			// The card holder is the actor of changes to their own account.
			e.Auth = user
			ctx = actorContext(e)
		}
		return tx.SaveWithContext(ctx, user)
	})
	return user, err
}

// myNumberToken trades a one-time ticket for the auth response.
func myNumberToken(e *core.RequestEvent) error {
	if _, on := mynumber.FromEnv(os.Getenv); !on {
		return unavailable(errMyNumberOff)
	}
	body := struct {
		Ticket string `json:"ticket"`
	}{}
	if err := e.BindBody(&body); err != nil || body.Ticket == "" {
		return fieldError("ticket", "required", "ログインの確認情報がありません。最初からやり直してください。")
	}
	userID, ok := myNumber(e.App).tickets.Take(body.Ticket, time.Now())
	if !ok {
		return fieldError("ticket", "invalid_ticket", "ログインの確認情報の有効期限が切れたか、すでに使われています。最初からやり直してください。")
	}
	user, err := e.App.FindRecordById(collections.Users, userID)
	if err != nil {
		return fieldError("ticket", "invalid_ticket", "アカウントが見つかりません。")
	}
	return apis.RecordAuthResponse(e, user, "mynumber", nil)
}
