// Package watchtoken signs and checks the QR codes posted at the homes of
// the people the watch-over volunteers visit (見守りQRコード).
//
// A token is base64url(target "." version "." nonce) "." base64url(HMAC-SHA256).
// It names the watch target and nothing personal, so a lost sticker tells a
// finder nothing. The signature stops anyone from making a code for another
// person; the version and nonce, which the server keeps on the target record,
// let the city revoke a code (再発行) without changing the key.
//
// The key comes from LIFESTAGE_WATCH_KEY when set (base64, at least 32
// bytes); otherwise it is derived from the current field-encryption key
// (LIFESTAGE_FIELD_KEY) for the purpose "watch-qr". Rotating the field key
// then revokes every printed code, which is why a long-lived deployment sets
// its own watch key.
package watchtoken

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
)

// KeyEnv is the environment variable holding a dedicated signing key.
const KeyEnv = "LIFESTAGE_WATCH_KEY"

// MinKeyLen is the shortest signing key accepted, in bytes.
const MinKeyLen = 32

var (
	// ErrMalformed means the text is not a watch token at all.
	ErrMalformed = errors.New("watchtoken: malformed token")
	// ErrSignature means the token was not signed with this key (forged or altered).
	ErrSignature = errors.New("watchtoken: bad signature")
	// ErrRevoked means the token was valid once but its code has been reissued.
	ErrRevoked = errors.New("watchtoken: token revoked")
	// ErrShortKey refuses a key too short to sign with.
	ErrShortKey = errors.New("watchtoken: a signing key needs at least 32 bytes")
)

// Claims is what a token says: which target, and which issue of its code.
type Claims struct {
	Target  string
	Version int
	Nonce   string
}

// Signer signs and verifies tokens with one key.
type Signer struct{ key []byte }

// New makes a signer; the key must have at least MinKeyLen bytes.
func New(key []byte) (*Signer, error) {
	if len(key) < MinKeyLen {
		return nil, ErrShortKey
	}
	return &Signer{key: append([]byte(nil), key...)}, nil
}

// ParseKey reads a dedicated key (base64 standard or URL, at least 32 bytes).
func ParseKey(encoded string) ([]byte, error) {
	encoded = strings.TrimSpace(encoded)
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		raw, err = base64.RawURLEncoding.DecodeString(encoded)
	}
	if err != nil {
		return nil, errors.New("watchtoken: " + KeyEnv + " must be base64")
	}
	if len(raw) < MinKeyLen {
		return nil, ErrShortKey
	}
	return raw, nil
}

// NewNonce returns a fresh random nonce (128 bits, base64url).
func NewNonce() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

var enc = base64.RawURLEncoding

// Sign returns the token for the claims. Ids and nonces never hold a dot.
func (s *Signer) Sign(c Claims) string {
	payload := c.Target + "." + strconv.Itoa(c.Version) + "." + c.Nonce
	return enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(s.mac(payload))
}

// Verify checks the signature and returns the claims. It does not know
// whether the code was reissued: see Current.
func (s *Signer) Verify(token string) (Claims, error) {
	body, sig, ok := strings.Cut(strings.TrimSpace(token), ".")
	if !ok || body == "" || sig == "" {
		return Claims{}, ErrMalformed
	}
	rawBody, err := enc.DecodeString(body)
	if err != nil {
		return Claims{}, ErrMalformed
	}
	rawSig, err := enc.DecodeString(sig)
	if err != nil {
		return Claims{}, ErrMalformed
	}
	payload := string(rawBody)
	// Check the signature before reading the payload, so nothing a forger
	// wrote is parsed.
	if !hmac.Equal(rawSig, s.mac(payload)) {
		return Claims{}, ErrSignature
	}
	parts := strings.Split(payload, ".")
	if len(parts) != 3 || parts[0] == "" || parts[2] == "" {
		return Claims{}, ErrMalformed
	}
	v, err := strconv.Atoi(parts[1])
	if err != nil || v < 0 {
		return Claims{}, ErrMalformed
	}
	return Claims{Target: parts[0], Version: v, Nonce: parts[2]}, nil
}

// Current reports ErrRevoked unless the claims match the issue the server
// keeps for the target.
func (c Claims) Current(version int, nonce string) error {
	if nonce == "" || c.Version != version || subtle.ConstantTimeCompare([]byte(c.Nonce), []byte(nonce)) != 1 {
		return ErrRevoked
	}
	return nil
}

func (s *Signer) mac(payload string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("lifestage-watch-qr-v1\x00"))
	m.Write([]byte(payload))
	return m.Sum(nil)
}
