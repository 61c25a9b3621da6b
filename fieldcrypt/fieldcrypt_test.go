package fieldcrypt

import (
	"errors"
	"strings"
	"testing"
)

func mustKey(t *testing.T) Key {
	s, err := NewKeyString()
	if err != nil {
		t.Fatal(err)
	}
	k, err := ParseKey(s)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestRoundTripAndBinding(t *testing.T) {
	ring := NewKeyring(mustKey(t))
	plain := "訪問時、ふらつきあり。家族に連絡済み。"
	enc, err := ring.Encrypt(plain, "rec1")
	if err != nil {
		t.Fatal(err)
	}
	if !IsEncrypted(enc) || strings.Contains(enc, "ふらつき") || KeyID(enc) != ring.CurrentID() {
		t.Fatalf("not sealed: %q", enc)
	}
	again, _ := ring.Encrypt(plain, "rec1")
	if again == enc {
		t.Fatal("the same text must not encrypt the same twice (nonce)")
	}
	if got, err := ring.Decrypt(enc, "rec1"); err != nil || got != plain {
		t.Fatalf("decrypt: %q %v", got, err)
	}
	if _, err := ring.Decrypt(enc, "rec2"); err == nil {
		t.Fatal("a value moved to another record must not open")
	}
	if twice, _ := ring.Encrypt(enc, "rec1"); twice != enc {
		t.Fatal("ciphertext must not be encrypted again")
	}
	if got, _ := ring.Decrypt("平文のまま", "rec1"); got != "平文のまま" {
		t.Fatal("plain text from before encryption must read as is")
	}
	tampered := enc[:len(enc)-2] + "AA"
	if _, err := ring.Decrypt(tampered, "rec1"); err == nil {
		t.Fatal("tampered ciphertext opened")
	}
}

func TestRotationKeepsOldValuesReadable(t *testing.T) {
	old, next := mustKey(t), mustKey(t)
	before, _ := NewKeyring(old).Encrypt("メモ", "r")
	ring := NewKeyring(next, old)
	if got, err := ring.Decrypt(before, "r"); err != nil || got != "メモ" {
		t.Fatalf("old value: %q %v", got, err)
	}
	if _, err := NewKeyring(next).Decrypt(before, "r"); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("without the old key: %v", err)
	}
}

func TestParseKeyRejectsBadKeys(t *testing.T) {
	for _, s := range []string{"", "short", "dG9vIHNob3J0"} {
		if _, err := ParseKey(s); err == nil {
			t.Errorf("ParseKey(%q) accepted", s)
		}
	}
}

func TestDerive(t *testing.T) {
	k1, _ := NewKeyString()
	k2, _ := NewKeyString()
	a, _ := ParseKey(k1)
	b, _ := ParseKey(k2)
	ra, rb := NewKeyring(a), NewKeyring(b, a)
	if got := ra.Derive("watch-qr"); len(got) != 32 || string(got) != string(NewKeyring(a).Derive("watch-qr")) {
		t.Fatal("derivation must be 32 bytes and stable")
	}
	if string(ra.Derive("watch-qr")) == string(ra.Derive("other")) {
		t.Fatal("purposes must get different keys")
	}
	if string(ra.Derive("watch-qr")) == string(rb.Derive("watch-qr")) {
		t.Fatal("a new current key must derive a new key")
	}
}
