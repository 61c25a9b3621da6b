// Package fieldcrypt encrypts the most sensitive free-text fields at rest
// with AES-256-GCM (別紙1 3(3)). A stored value reads "enc:<key id>:<base64
// of nonce and ciphertext>", so the right key is found even while keys are
// being rotated, and a value is never encrypted twice.
package fieldcrypt

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

const prefix = "enc:"

// Key is one AES-256 key with its short id.
type Key struct {
	ID     string
	aead   cipher.AEAD
	secret []byte // for Derive only
}

// ParseKey reads a base64 (standard or URL) 32-byte key.
func ParseKey(encoded string) (Key, error) {
	encoded = strings.TrimSpace(encoded)
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		raw, err = base64.RawURLEncoding.DecodeString(encoded)
	}
	if err != nil || len(raw) != 32 {
		return Key{}, errors.New("fieldcrypt: a key is 32 random bytes in base64")
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return Key{}, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return Key{}, err
	}
	sum := sha256.Sum256(raw)
	return Key{ID: hex.EncodeToString(sum[:4]), aead: aead, secret: raw}, nil
}

// NewKeyString returns a fresh random key in base64, for `lifestage keys new`.
func NewKeyString() (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(raw), nil
}

// Keyring encrypts with the current key and decrypts with any it holds.
type Keyring struct {
	current Key
	byID    map[string]Key
}

// NewKeyring makes a keyring; older keys only decrypt.
func NewKeyring(current Key, older ...Key) *Keyring {
	k := &Keyring{current: current, byID: map[string]Key{current.ID: current}}
	for _, o := range older {
		k.byID[o.ID] = o
	}
	return k
}

// Derive returns a 32-byte key for another purpose (such as signing the
// watch-over QR codes), derived from the current key with HMAC-SHA256, so a
// deployment needs one secret and the purposes never share a key.
func (k *Keyring) Derive(purpose string) []byte {
	m := hmac.New(sha256.New, k.current.secret)
	m.Write([]byte("lifestage-derive\x00" + purpose))
	return m.Sum(nil)
}

// CurrentID is the id of the key new values are encrypted with.
func (k *Keyring) CurrentID() string { return k.current.ID }

// IsEncrypted reports whether a stored value is already ciphertext.
func IsEncrypted(s string) bool { return strings.HasPrefix(s, prefix) }

// KeyID returns the id of the key a stored value was encrypted with.
func KeyID(s string) string {
	if !IsEncrypted(s) {
		return ""
	}
	id, _, _ := strings.Cut(strings.TrimPrefix(s, prefix), ":")
	return id
}

// Encrypt seals plain text. Empty stays empty, and ciphertext is returned as is.
// The record id is bound in as additional data, so a value copied into
// another record does not decrypt.
func (k *Keyring) Encrypt(plain, recordID string) (string, error) {
	if plain == "" || IsEncrypted(plain) {
		return plain, nil
	}
	nonce := make([]byte, k.current.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	sealed := k.current.aead.Seal(nonce, nonce, []byte(plain), []byte(recordID))
	return prefix + k.current.ID + ":" + base64.RawStdEncoding.EncodeToString(sealed), nil
}

// ErrUnknownKey means the value was sealed with a key the ring lacks.
var ErrUnknownKey = errors.New("fieldcrypt: value was encrypted with a key that is not configured")

// Decrypt opens a stored value; plain text (from before encryption was on)
// is returned unchanged.
func (k *Keyring) Decrypt(stored, recordID string) (string, error) {
	if !IsEncrypted(stored) {
		return stored, nil
	}
	id, body, ok := strings.Cut(strings.TrimPrefix(stored, prefix), ":")
	key, found := k.byID[id]
	if !ok || !found {
		return "", fmt.Errorf("%w (%s)", ErrUnknownKey, id)
	}
	sealed, err := base64.RawStdEncoding.DecodeString(body)
	if err != nil || len(sealed) < key.aead.NonceSize() {
		return "", errors.New("fieldcrypt: damaged ciphertext")
	}
	n := key.aead.NonceSize()
	plain, err := key.aead.Open(nil, sealed[:n], sealed[n:], []byte(recordID))
	if err != nil {
		return "", errors.New("fieldcrypt: ciphertext does not open (wrong key, record or tampering)")
	}
	return string(plain), nil
}
