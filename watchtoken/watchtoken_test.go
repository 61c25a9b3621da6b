package watchtoken

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

var (
	keyA = bytes.Repeat([]byte("a"), 32)
	keyB = bytes.Repeat([]byte("b"), 32)
)

func mustSigner(t *testing.T, key []byte) *Signer {
	t.Helper()
	s, err := New(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSignVerify(t *testing.T) {
	a, b := mustSigner(t, keyA), mustSigner(t, keyB)
	claims := Claims{Target: "abcdefghijklmno", Version: 3, Nonce: "n0nce-Value_1"}
	good := a.Sign(claims)
	body, sig, _ := strings.Cut(good, ".")
	// A token for another target, re-using the good signature.
	otherBody := base64.RawURLEncoding.EncodeToString([]byte("zzzzzzzzzzzzzzz.3.n0nce-Value_1"))
	flip := []byte(sig)
	if flip[0] == 'A' {
		flip[0] = 'B'
	} else {
		flip[0] = 'A'
	}
	for _, tc := range []struct {
		name  string
		token string
		want  error
	}{
		{"valid", good, nil},
		{"valid with spaces around", " " + good + "\n", nil},
		{"other key", b.Sign(claims), ErrSignature},
		{"payload swapped", otherBody + "." + sig, ErrSignature},
		{"signature altered", body + "." + string(flip), ErrSignature},
		{"signature cut", body + "." + sig[:10], ErrSignature},
		{"no signature", body, ErrMalformed},
		{"empty", "", ErrMalformed},
		{"not base64", "!!!.???", ErrMalformed},
		{"signed garbage", a.Sign(Claims{Target: "x", Version: 1, Nonce: ""}), ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := a.Verify(tc.token)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if err == nil && got != claims {
				t.Fatalf("claims = %+v, want %+v", got, claims)
			}
		})
	}
}

func TestCurrent(t *testing.T) {
	c := Claims{Target: "t", Version: 2, Nonce: "abc"}
	for _, tc := range []struct {
		name    string
		version int
		nonce   string
		want    error
	}{
		{"same issue", 2, "abc", nil},
		{"reissued: new version", 3, "abc", ErrRevoked},
		{"reissued: new nonce", 2, "abd", ErrRevoked},
		{"never issued", 0, "", ErrRevoked},
	} {
		if err := c.Current(tc.version, tc.nonce); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestKeys(t *testing.T) {
	if _, err := New(keyA[:31]); !errors.Is(err, ErrShortKey) {
		t.Fatalf("short key: %v", err)
	}
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{base64.StdEncoding.EncodeToString(keyA), true},
		{base64.RawURLEncoding.EncodeToString(append(keyA, 0xff)), true},
		{base64.StdEncoding.EncodeToString(keyA[:16]), false},
		{"not base64!", false},
	} {
		if _, err := ParseKey(tc.in); (err == nil) != tc.ok {
			t.Errorf("ParseKey(%q): %v", tc.in, err)
		}
	}
	n1, _ := NewNonce()
	n2, _ := NewNonce()
	if n1 == n2 || len(n1) != 22 || strings.Contains(n1, ".") {
		t.Fatalf("nonces %q %q", n1, n2)
	}
}
