package mynumber

import (
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Why a login failed. The hooks map each to a stable error code.
var (
	ErrProvider = errors.New("mynumber: provider unavailable or misconfigured")
	ErrExchange = errors.New("mynumber: the provider refused the authorization code")
	ErrIDToken  = errors.New("mynumber: invalid ID token")
	ErrNonce    = errors.New("mynumber: ID token nonce does not match the login")
	ErrUserinfo = errors.New("mynumber: userinfo missing or for another subject")
)

// Flow is one login in progress: what the callback needs to finish it.
type Flow struct {
	State    string
	Nonce    string
	Verifier string // PKCE code_verifier; only its S256 hash left the server
	// LinkUser is the id of the logged-in account that asked to link its
	// card; empty for a plain login.
	LinkUser string
}

// Identity is what the provider asserted about the card holder.
type Identity struct {
	// SubjectHash identifies the card holder at this issuer. Only the hash
	// of the provider's (already pairwise) subject is kept; the My Number
	// itself is never sent to us.
	SubjectHash string
	Name        string
	Address     string
	BirthDate   string // YYYY-MM-DD, "" when not given or malformed
	Sex         string // male | female | ""
}

// RP is a configured relying party.
type RP struct {
	cfg      Config
	key      crypto.Signer
	client   *http.Client
	provider *oidc.Provider
	verifier *oidc.IDTokenVerifier
	oauth    oauth2.Config
	audience []string
}

// New loads the signing key and reads the provider's discovery document.
// client is the HTTP client for every call to the provider (nil: a client
// with a 10 s timeout).
func New(cfg Config, client *http.Client) (*RP, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrProvider, err)
	}
	key, err := LoadKey(cfg.KeyFile)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrProvider, err)
	}
	if _, err := algorithmOf(key); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrProvider, err)
	}
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	// The provider keeps this context to fetch signing keys later, so it
	// must outlive any one request.
	provider, err := oidc.NewProvider(oidc.ClientContext(context.Background(), client), cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrProvider, err)
	}
	var meta struct {
		AuthMethods     []string `json:"token_endpoint_auth_methods_supported"`
		ChallengeMethod []string `json:"code_challenge_methods_supported"`
	}
	if err := provider.Claims(&meta); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrProvider, err)
	}
	if len(meta.AuthMethods) > 0 && !slices.Contains(meta.AuthMethods, "private_key_jwt") {
		return nil, fmt.Errorf("%w: provider does not accept private_key_jwt", ErrProvider)
	}
	if len(meta.ChallengeMethod) > 0 && !slices.Contains(meta.ChallengeMethod, "S256") {
		return nil, fmt.Errorf("%w: provider does not accept PKCE S256", ErrProvider)
	}
	endpoint := provider.Endpoint()
	// client_id travels in the form; the assertion authenticates it.
	endpoint.AuthStyle = oauth2.AuthStyleInParams
	return &RP{
		cfg: cfg, key: key, client: client, provider: provider,
		verifier: provider.Verifier(&oidc.Config{ClientID: cfg.ClientID}),
		oauth: oauth2.Config{
			ClientID: cfg.ClientID, Endpoint: endpoint, RedirectURL: cfg.RedirectURL, Scopes: Scopes,
		},
		audience: []string{cfg.Issuer, endpoint.TokenURL},
	}, nil
}

// Begin starts a login: fresh state, nonce and PKCE verifier, and the
// provider's authorization URL to send the browser to.
func (rp *RP) Begin(linkUser string) (authURL string, f Flow) {
	f = Flow{State: randomToken(24), Nonce: randomToken(24), Verifier: oauth2.GenerateVerifier(), LinkUser: linkUser}
	authURL = rp.oauth.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier))
	return authURL, f
}

// Complete exchanges the code (with the PKCE verifier and a signed client
// assertion), verifies the ID token (signature, issuer, audience, expiry,
// nonce), and reads the 基本4情報 from the userinfo endpoint. The caller
// has already matched the state.
func (rp *RP) Complete(ctx context.Context, f Flow, code string) (Identity, error) {
	ctx = oidc.ClientContext(ctx, rp.client)
	assertion, err := ClientAssertion(rp.key, rp.cfg.KeyID, rp.cfg.ClientID, rp.audience, time.Now())
	if err != nil {
		return Identity{}, fmt.Errorf("%w: %v", ErrProvider, err)
	}
	tok, err := rp.oauth.Exchange(ctx, code,
		oauth2.VerifierOption(f.Verifier),
		oauth2.SetAuthURLParam("client_assertion_type", ClientAssertionType),
		oauth2.SetAuthURLParam("client_assertion", assertion),
	)
	if err != nil {
		return Identity{}, fmt.Errorf("%w: %v", ErrExchange, err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Identity{}, fmt.Errorf("%w: no id_token in the token response", ErrIDToken)
	}
	idt, err := rp.verifier.Verify(ctx, raw)
	if err != nil {
		return Identity{}, fmt.Errorf("%w: %v", ErrIDToken, err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		return Identity{}, ErrNonce
	}
	if idt.AccessTokenHash != "" {
		if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
			return Identity{}, fmt.Errorf("%w: %v", ErrIDToken, err)
		}
	}
	info, err := rp.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		return Identity{}, fmt.Errorf("%w: %v", ErrUserinfo, err)
	}
	// OpenID Connect Core §5.3.2: the userinfo sub must be the ID token's.
	if info.Subject != idt.Subject {
		return Identity{}, fmt.Errorf("%w: subject differs from the ID token", ErrUserinfo)
	}
	var c Claims
	if err := info.Claims(&c); err != nil {
		return Identity{}, fmt.Errorf("%w: %v", ErrUserinfo, err)
	}
	id := c.Identity()
	id.SubjectHash = SubjectHash(rp.cfg.Issuer, idt.Subject)
	return id, nil
}

// SubjectHash is the stored link between a card holder and an account:
// SHA-256 of issuer and subject, so a leaked table gives no identifier
// usable at the provider.
func SubjectHash(issuer, subject string) string {
	sum := sha256.Sum256([]byte(issuer + "\x00" + subject))
	return hex.EncodeToString(sum[:])
}

// ErrCardInUse means the card is already linked to another account.
var ErrCardInUse = errors.New("mynumber: the card is linked to another account")

// Target decides which account a verified login lands on. linkUser is the
// logged-in account that asked to link its card ("" for a plain login);
// linkedID is the account the card is already linked to ("" for none).
// create is true when a new account must be made.
func Target(linkUser, linkedID string) (accountID string, create bool, err error) {
	switch {
	case linkUser != "" && linkedID != "" && linkedID != linkUser:
		return "", false, ErrCardInUse
	case linkUser != "":
		return linkUser, false, nil
	case linkedID != "":
		return linkedID, false, nil
	}
	return "", true, nil
}
