// Package seed writes a synthetic city (from package synth) and the demo
// accounts into a PocketBase data dir.
package seed

import (
	"crypto/sha256"
)

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// stableID derives a PocketBase record id from a collection and a natural key,
// so the same seed always yields the same ids.
func stableID(collection, key string) string {
	sum := sha256.Sum256([]byte(collection + "\x00" + key))
	out := make([]byte, 15)
	for i := range out {
		out[i] = idAlphabet[int(sum[i])%len(idAlphabet)]
	}
	return string(out)
}
