package mynumber

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

func TestFromEnv(t *testing.T) {
	env := map[string]string{}
	if _, on := FromEnv(func(k string) string { return env[k] }); on {
		t.Fatal("login must be off when no issuer is set")
	}
	env[EnvIssuer] = "https://idp.example"
	cfg, on := FromEnv(func(k string) string { return env[k] })
	if !on || cfg.Validate() == nil {
		t.Fatalf("issuer alone: enabled=%v, validate=%v; want enabled and a validation error", on, cfg.Validate())
	}
	env[EnvClientID], env[EnvKeyFile], env[EnvRedirectURL] = "c", "/k.pem", "https://lifestage.example/cb"
	cfg, _ = FromEnv(func(k string) string { return env[k] })
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestClaimsIdentity(t *testing.T) {
	cases := []struct {
		name string
		json string
		want Identity
	}{
		{"standard object", `{"name":"西条 太郎","address":{"formatted":"愛媛県西条市明屋敷164"},"birthdate":"1985-12-31","gender":"male"}`,
			Identity{Name: "西条 太郎", Address: "愛媛県西条市明屋敷164", BirthDate: "1985-12-31", Sex: "male"}},
		{"plain text address and resident-register code", `{"name":" 西条 花子 ","address":"愛媛県西条市丹原町池田1","birthdate":"1990-02-01","gender":"2"}`,
			Identity{Name: "西条 花子", Address: "愛媛県西条市丹原町池田1", BirthDate: "1990-02-01", Sex: "female"}},
		{"structured address parts", `{"address":{"region":"愛媛県","locality":"西条市","street_address":"周布1"}}`,
			Identity{Address: "愛媛県西条市周布1"}},
		{"malformed birthdate and unknown gender are dropped", `{"birthdate":"1990-02-30","gender":"other"}`, Identity{}},
		{"partial birthdate is dropped", `{"birthdate":"0000-02-01"}`, Identity{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var cl Claims
			if err := json.Unmarshal([]byte(c.json), &cl); err != nil {
				t.Fatal(err)
			}
			if got := cl.Identity(); got != c.want {
				t.Fatalf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestClientAssertion(t *testing.T) {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	now := time.Now()
	raw, err := ClientAssertion(key, "kid-1", "client-1", []string{"https://idp.example", "https://idp.example/token"}, now)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	if tok.Headers[0].KeyID != "kid-1" {
		t.Fatalf("kid %q", tok.Headers[0].KeyID)
	}
	var c jwt.Claims
	if err := tok.Claims(&key.PublicKey, &c); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(jwt.Expected{Issuer: "client-1", Subject: "client-1", AnyAudience: jwt.Audience{"https://idp.example"}, Time: now}); err != nil {
		t.Fatal(err)
	}
	if c.ID == "" || c.Expiry.Time().Sub(now) > time.Minute+time.Second {
		t.Fatalf("assertion needs a jti and a short life: %+v", c)
	}
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	if _, err := ClientAssertion(small, "", "c", []string{"a"}, now); err == nil {
		t.Fatal("a 1024-bit RSA key must be refused")
	}
}

func TestStoreSingleUseAndExpiry(t *testing.T) {
	now := time.Now()
	s := NewStore[string](time.Minute, 2)
	s.Put("a", "1", now)
	if v, ok := s.Take("a", now); !ok || v != "1" {
		t.Fatal("first take must succeed")
	}
	if _, ok := s.Take("a", now); ok {
		t.Fatal("second take must find nothing")
	}
	s.Put("b", "2", now)
	if _, ok := s.Take("b", now.Add(time.Minute)); ok {
		t.Fatal("expired value returned")
	}
	s.Put("c", "3", now)
	s.Put("d", "4", now.Add(time.Second))
	s.Put("e", "5", now.Add(2*time.Second))
	if s.Len() != 2 {
		t.Fatalf("store holds %d, want its max 2", s.Len())
	}
	if _, ok := s.Take("c", now); ok {
		t.Fatal("the oldest value should have made room")
	}
}

func TestTarget(t *testing.T) {
	cases := []struct {
		link, linked, want string
		create             bool
		err                error
	}{
		{"", "", "", true, nil},               // first login with this card: a new account
		{"", "u1", "u1", false, nil},          // the card's account
		{"u1", "", "u1", false, nil},          // linking the card to the logged-in account
		{"u1", "u1", "u1", false, nil},        // linking again
		{"u1", "u2", "", false, ErrCardInUse}, // the card belongs to someone else's account
	}
	for _, c := range cases {
		got, create, err := Target(c.link, c.linked)
		if got != c.want || create != c.create || err != c.err {
			t.Errorf("Target(%q, %q) = %q, %v, %v; want %q, %v, %v", c.link, c.linked, got, create, err, c.want, c.create, c.err)
		}
	}
}
