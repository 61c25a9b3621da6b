// Package gateway is the partner API gateway of the data-linkage platform
// (データ連携基盤): API keys, scopes, per-key rate limits, monthly quotas and
// usage metering. It holds no PocketBase code, so every rule here is a plain
// function with table tests; hooks/gateway.go binds it to the router.
package gateway

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// KeyTag starts every lifestage API key, so leaked keys are easy to spot
// (secret scanners match on it) and easy to tell from other tokens.
const KeyTag = "lsk_"

const (
	prefixLen = 8  // 40 bits: a public label, unique by index, not a secret
	secretLen = 52 // 260 bits of crypto/rand in base32
)

// NewKey returns a fresh key "lsk_<prefix>_<secret>" and its public prefix.
// The server generates keys; a partner never chooses one.
func NewKey() (key, prefix string) {
	// rand.Text is 26 base32 characters (130 bits) from crypto/rand.
	prefix = strings.ToLower(rand.Text()[:prefixLen])
	secret := strings.ToLower(rand.Text() + rand.Text())[:secretLen]
	return KeyTag + prefix + "_" + secret, prefix
}

// ParseKey returns the prefix of a well-formed key. ok is false for anything
// that cannot be a lifestage key, which is refused without a lookup.
func ParseKey(key string) (prefix string, ok bool) {
	rest, found := strings.CutPrefix(key, KeyTag)
	if !found || len(rest) != prefixLen+1+secretLen || rest[prefixLen] != '_' {
		return "", false
	}
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; i != prefixLen && !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return "", false
		}
	}
	return rest[:prefixLen], true
}

// Hash is what the database stores instead of the key. Keys carry 260 random
// bits, so a fast unsalted hash cannot be brute-forced and lets the gateway
// find a key by an indexed equality lookup; password hashing would only add
// latency to every request.
func Hash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}
