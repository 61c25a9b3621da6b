// Package mynumbertest runs a real OpenID Connect provider inside a test, in
// place of デジタル認証アプリ: zitadel/oidc's op package with its example
// in-memory storage, configured like the real one (authorization code,
// PKCE S256 and private_key_jwt required, 基本4情報 claims at userinfo). No
// government endpoint is ever called. Only tests import this package.
package mynumbertest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// Person is a card holder as the provider knows them.
type Person struct {
	Subject   string
	Name      string
	Address   string
	Birthdate string
	Gender    string
}

// Provider is the running test provider and the RP registration in it.
type Provider struct {
	Server   *httptest.Server
	Issuer   string
	ClientID string
	KeyID    string
	KeyFile  string // the RP's private key (PEM), as lifestage would load it

	mu           sync.Mutex
	person       Person
	tamperNonce  bool
	redirectURIs []string
	pub          *rsa.PublicKey
	store        *providerStorage
	assertions   int // token requests whose client assertion the provider verified
}

// Start runs a provider until the test ends. The person who logs in is set
// with LogInAs before each login.
func Start(t testing.TB) *Provider {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(t.TempDir(), "rp-key.pem")
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	p := &Provider{ClientID: "lifestage-saijo", KeyID: "lifestage-key-1", KeyFile: keyFile, pub: &key.PublicKey}
	var handler http.Handler
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/login" {
			p.login(w, r)
			return
		}
		if r.URL.Path == "/oauth/token" && r.Method == http.MethodPost {
			if r.ParseForm() == nil && r.PostForm.Get("client_assertion") != "" {
				p.mu.Lock()
				p.assertions++
				p.mu.Unlock()
			}
		}
		handler.ServeHTTP(w, r)
	}))
	t.Cleanup(p.Server.Close)
	p.Issuer = p.Server.URL

	p.store = &providerStorage{Storage: storage.NewStorageWithClients(users{p}, map[string]*storage.Client{}), p: p}
	cfg := &op.Config{
		CryptoKey:               [32]byte{1, 2, 3},
		CodeMethodS256:          true,
		AuthMethodPrivateKeyJWT: true,
		SupportedScopes:         []string{"openid", "name", "address", "birthdate", "gender"},
	}
	provider, err := op.NewProvider(cfg, p.store, op.StaticIssuer(p.Issuer), op.WithAllowInsecure())
	if err != nil {
		t.Fatal(err)
	}
	handler = provider
	return p
}

// AllowRedirect registers a redirect URI of the RP.
func (p *Provider) AllowRedirect(uri string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.redirectURIs = append(p.redirectURIs, uri)
}

// LogInAs sets the card holder of the next logins.
func (p *Provider) LogInAs(person Person) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.person = person
}

// TamperNonce makes the provider put a nonce other than the RP's in the
// next ID tokens, as a replayed or forged token would carry.
func (p *Provider) TamperNonce(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tamperNonce = on
}

// Assertions counts token requests that carried a client assertion.
func (p *Provider) Assertions() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.assertions
}

// login stands in for the card reading in the app: it authenticates the
// current person at once and returns to the provider's authorize callback.
func (p *Provider) login(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	req, err := p.store.AuthRequestByID(r.Context(), id)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	ar := req.(*storage.AuthRequest)
	ar.UserID = p.person.Subject
	if p.tamperNonce {
		ar.Nonce = "forged-nonce"
	}
	p.mu.Unlock()
	if err := p.store.AuthRequestDone(id); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, p.Issuer+"/authorize/callback?id="+id, http.StatusFound)
}

// providerStorage is the example storage with the RP registered for
// private_key_jwt and the 基本4情報 added to userinfo.
type providerStorage struct {
	*storage.Storage
	p *Provider
}

func (s *providerStorage) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	if id != s.p.ClientID {
		return nil, errors.New("client not found")
	}
	return client{s.p}, nil
}

// GetKeyByIDAndClientID gives the RP's registered public key: the provider
// verifies the client assertion's signature with it.
func (s *providerStorage) GetKeyByIDAndClientID(_ context.Context, keyID, clientID string) (*jose.JSONWebKey, error) {
	if clientID != s.p.ClientID || keyID != s.p.KeyID {
		return nil, errors.New("key not found")
	}
	return &jose.JSONWebKey{KeyID: keyID, Use: "sig", Algorithm: string(jose.RS256), Key: s.p.pub}, nil
}

func (s *providerStorage) SetUserinfoFromToken(ctx context.Context, info *oidc.UserInfo, tokenID, subject, origin string) error {
	if err := s.Storage.SetUserinfoFromToken(ctx, info, tokenID, subject, origin); err != nil {
		return err
	}
	s.p.mu.Lock()
	defer s.p.mu.Unlock()
	if s.p.person.Subject != subject {
		return errors.New("unknown subject")
	}
	info.Subject = subject
	info.Name = s.p.person.Name
	info.Birthdate = s.p.person.Birthdate
	info.Gender = oidc.Gender(s.p.person.Gender)
	info.Address = &oidc.UserInfoAddress{Formatted: s.p.person.Address}
	return nil
}

// users is the example storage's user store, holding the current person.
type users struct{ p *Provider }

func (u users) GetUserByID(id string) *storage.User {
	u.p.mu.Lock()
	defer u.p.mu.Unlock()
	if id == "" || id != u.p.person.Subject {
		return nil
	}
	return &storage.User{ID: id, Username: id}
}
func (u users) GetUserByUsername(name string) *storage.User { return u.GetUserByID(name) }
func (u users) ExampleClientID() string                     { return "" }

// client is lifestage's registration: a web app that must authenticate
// with private_key_jwt.
type client struct{ p *Provider }

func (c client) GetID() string { return c.p.ClientID }
func (c client) RedirectURIs() []string {
	c.p.mu.Lock()
	defer c.p.mu.Unlock()
	return slices.Clone(c.p.redirectURIs)
}
func (c client) PostLogoutRedirectURIs() []string    { return nil }
func (c client) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }
func (c client) AuthMethod() oidc.AuthMethod         { return oidc.AuthMethodPrivateKeyJWT }
func (c client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c client) GrantTypes() []oidc.GrantType        { return []oidc.GrantType{oidc.GrantTypeCode} }
func (c client) LoginURL(id string) string           { return c.p.Issuer + "/login?id=" + id }
func (c client) AccessTokenType() op.AccessTokenType { return op.AccessTokenTypeBearer }
func (c client) IDTokenLifetime() time.Duration      { return 5 * time.Minute }
func (c client) DevMode() bool                       { return true } // http redirect URIs of httptest
func (c client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c client) IsScopeAllowed(scope string) bool {
	return slices.Contains([]string{"name", "birthdate", "gender"}, scope)
}
func (c client) IDTokenUserinfoClaimsAssertion() bool { return false }
func (c client) ClockSkew() time.Duration             { return 0 }
