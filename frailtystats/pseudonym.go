package frailtystats

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Pseudonym is a stable, non-reversible code for a person in a report that
// leaves the system: an HMAC of the record id under a server key, so the
// same person has the same code in every export (while the key stays) and
// nobody without the key can link a code to a record.
func Pseudonym(key []byte, id string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id))
	return "T-" + strings.ToUpper(hex.EncodeToString(m.Sum(nil))[:10])
}
