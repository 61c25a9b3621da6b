// Package mynumber is the relying party for My Number card login
// (公的個人認証 through デジタル認証アプリ, an OpenID Connect provider):
// authorization code flow with PKCE (S256), state and nonce, and
// private_key_jwt client authentication. It knows nothing of PocketBase:
// the hooks keep the pending logins and turn an Identity into an account.
package mynumber

import (
	"errors"
	"net/url"
	"strings"
)

// Environment variables of the login. Login is off unless the issuer is set.
const (
	EnvIssuer      = "LIFESTAGE_MYNUMBER_ISSUER"       // e.g. https://<provider>/ (from デジタル庁's onboarding)
	EnvClientID    = "LIFESTAGE_MYNUMBER_CLIENT_ID"    // client_id given at registration
	EnvKeyFile     = "LIFESTAGE_MYNUMBER_KEY_FILE"     // PEM private key (RSA or EC) that signs the client assertion
	EnvKeyID       = "LIFESTAGE_MYNUMBER_KEY_ID"       // kid of the registered public key
	EnvRedirectURL = "LIFESTAGE_MYNUMBER_REDIRECT_URL" // https://<our host>/api/lifestage/auth/mynumber/callback
)

// Scopes asks for the 基本4情報 (name, address, birth date, gender).
var Scopes = []string{"openid", "name", "address", "birthdate", "gender"}

// Config is the registration of lifestage at the provider.
type Config struct {
	Issuer      string
	ClientID    string
	KeyFile     string
	KeyID       string
	RedirectURL string
}

// FromEnv reads the configuration. enabled is false when no issuer is set:
// the login is off by default.
func FromEnv(getenv func(string) string) (cfg Config, enabled bool) {
	cfg = Config{
		Issuer:      strings.TrimSpace(getenv(EnvIssuer)),
		ClientID:    strings.TrimSpace(getenv(EnvClientID)),
		KeyFile:     strings.TrimSpace(getenv(EnvKeyFile)),
		KeyID:       strings.TrimSpace(getenv(EnvKeyID)),
		RedirectURL: strings.TrimSpace(getenv(EnvRedirectURL)),
	}
	return cfg, cfg.Issuer != ""
}

// Validate names the first missing or malformed setting.
func (c Config) Validate() error {
	switch {
	case c.ClientID == "":
		return errors.New(EnvClientID + " is not set")
	case c.KeyFile == "":
		return errors.New(EnvKeyFile + " is not set")
	case c.RedirectURL == "":
		return errors.New(EnvRedirectURL + " is not set")
	}
	for _, u := range []string{c.Issuer, c.RedirectURL} {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
			return errors.New("not an absolute URL: " + u)
		}
	}
	return nil
}
