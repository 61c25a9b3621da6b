package mynumber_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/saijo-dx/lifestage/mynumber"
	"github.com/saijo-dx/lifestage/mynumber/mynumbertest"
)

const redirect = "http://127.0.0.1:1/api/lifestage/auth/mynumber/callback"

var hanako = mynumbertest.Person{
	Subject: "pairwise-sub-0001", Name: "西条 花子", Address: "愛媛県西条市明屋敷164",
	Birthdate: "1990-04-01", Gender: "female",
}

func newRP(t *testing.T, p *mynumbertest.Provider, keyFile string) *mynumber.RP {
	t.Helper()
	rp, err := mynumber.New(mynumber.Config{
		Issuer: p.Issuer, ClientID: p.ClientID, KeyFile: keyFile, KeyID: p.KeyID, RedirectURL: redirect,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rp
}

// authorize plays the browser: it follows the provider's redirects until
// the provider sends it back to lifestage, and returns code and state.
func authorize(t *testing.T, authURL string) (code, state string) {
	t.Helper()
	var back *url.URL
	c := &http.Client{CheckRedirect: func(r *http.Request, _ []*http.Request) error {
		if r.URL.Host == "127.0.0.1:1" {
			back = r.URL
			return http.ErrUseLastResponse
		}
		return nil
	}}
	res, err := c.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if back == nil {
		t.Fatalf("provider did not redirect back (status %d)", res.StatusCode)
	}
	return back.Query().Get("code"), back.Query().Get("state")
}

func TestLoginEndToEnd(t *testing.T) {
	p := mynumbertest.Start(t)
	p.AllowRedirect(redirect)
	p.LogInAs(hanako)
	rp := newRP(t, p, p.KeyFile)

	authURL, flow := rp.Begin("")
	u, _ := url.Parse(authURL)
	q := u.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("nonce") != flow.Nonce ||
		q.Get("scope") != "openid name address birthdate gender" || q.Get("code_challenge") == flow.Verifier {
		t.Fatalf("authorization request lacks PKCE S256, nonce or scopes: %v", q)
	}
	code, state := authorize(t, authURL)
	if state != flow.State || code == "" {
		t.Fatalf("state %q code %q", state, code)
	}
	id, err := rp.Complete(context.Background(), flow, code)
	if err != nil {
		t.Fatal(err)
	}
	want := mynumber.Identity{
		SubjectHash: mynumber.SubjectHash(p.Issuer, hanako.Subject),
		Name:        hanako.Name, Address: hanako.Address, BirthDate: "1990-04-01", Sex: "female",
	}
	if id != want {
		t.Fatalf("identity %+v, want %+v", id, want)
	}
	if p.Assertions() != 1 {
		t.Fatalf("the token request carried %d client assertions, want 1", p.Assertions())
	}

	// The provider keeps no code after its first use.
	if _, err := rp.Complete(context.Background(), flow, code); !errors.Is(err, mynumber.ErrExchange) {
		t.Fatalf("replayed code: %v, want ErrExchange", err)
	}
}

func TestProviderChecksPKCEAndClientKey(t *testing.T) {
	p := mynumbertest.Start(t)
	p.AllowRedirect(redirect)
	p.LogInAs(hanako)
	rp := newRP(t, p, p.KeyFile)

	authURL, flow := rp.Begin("")
	code, _ := authorize(t, authURL)
	stolen := flow
	stolen.Verifier = "a-verifier-the-attacker-made-up-0123456789-abcdefghij"
	if _, err := rp.Complete(context.Background(), stolen, code); !errors.Is(err, mynumber.ErrExchange) {
		t.Fatalf("wrong PKCE verifier: %v, want ErrExchange", err)
	}

	// Another key than the registered one: the provider refuses the client.
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKCS8PrivateKey(other)
	file := filepath.Join(t.TempDir(), "other.pem")
	os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
	impostor := newRP(t, p, file)
	authURL, flow = impostor.Begin("")
	code, _ = authorize(t, authURL)
	if _, err := impostor.Complete(context.Background(), flow, code); !errors.Is(err, mynumber.ErrExchange) {
		t.Fatalf("unregistered client key: %v, want ErrExchange", err)
	}
}

func TestBadNonce(t *testing.T) {
	p := mynumbertest.Start(t)
	p.AllowRedirect(redirect)
	p.LogInAs(hanako)
	p.TamperNonce(true)
	rp := newRP(t, p, p.KeyFile)
	authURL, flow := rp.Begin("")
	code, _ := authorize(t, authURL)
	if _, err := rp.Complete(context.Background(), flow, code); !errors.Is(err, mynumber.ErrNonce) {
		t.Fatalf("forged nonce: %v, want ErrNonce", err)
	}
}

func TestUnreachableProvider(t *testing.T) {
	p := mynumbertest.Start(t)
	cfg := mynumber.Config{Issuer: p.Issuer + "/nowhere", ClientID: "x", KeyFile: p.KeyFile, RedirectURL: redirect}
	if _, err := mynumber.New(cfg, nil); !errors.Is(err, mynumber.ErrProvider) {
		t.Fatalf("bad issuer: %v, want ErrProvider", err)
	}
	cfg.Issuer, cfg.KeyFile = p.Issuer, ""
	if _, err := mynumber.New(cfg, nil); !errors.Is(err, mynumber.ErrProvider) {
		t.Fatalf("no key: %v, want ErrProvider", err)
	}
}

// BenchmarkLogin measures one whole card login against the in-test
// provider: authorization request, the provider's redirects, the code
// exchange with PKCE and a signed client assertion, ID token verification
// and userinfo. Everything runs on loopback, so it is our and the
// library's cost, not the network's.
func BenchmarkLogin(b *testing.B) {
	p := mynumbertest.Start(b)
	p.AllowRedirect(redirect)
	p.LogInAs(hanako)
	rp, err := mynumber.New(mynumber.Config{Issuer: p.Issuer, ClientID: p.ClientID, KeyFile: p.KeyFile, KeyID: p.KeyID, RedirectURL: redirect}, nil)
	if err != nil {
		b.Fatal(err)
	}
	client := &http.Client{CheckRedirect: func(r *http.Request, _ []*http.Request) error {
		if r.URL.Host == "127.0.0.1:1" {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	for b.Loop() {
		authURL, flow := rp.Begin("")
		res, err := client.Get(authURL)
		if err != nil {
			b.Fatal(err)
		}
		res.Body.Close()
		back, _ := url.Parse(res.Header.Get("Location"))
		if _, err := rp.Complete(context.Background(), flow, back.Query().Get("code")); err != nil {
			b.Fatal(err)
		}
	}
}
