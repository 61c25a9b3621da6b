package attendance

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/saijo-dx/lifestage/civil"
)

func TestDammDigit(t *testing.T) {
	// The worked example of the Damm algorithm (Damm 2004; also the one
	// Wikipedia uses): 572 gets check digit 4, and 5724 checks to 0.
	cases := []struct {
		digits string
		want   int
	}{
		{"572", 4}, {"5724", 0}, {"", 0}, {"0", 0}, {"1", 3}, {"12", 5}, {"123", 4},
	}
	for _, c := range cases {
		if got := DammDigit(c.digits); got != c.want {
			t.Errorf("DammDigit(%q) = %d, want %d", c.digits, got, c.want)
		}
	}
}

// TestPINCatchesTypos proves what the check digit is for: no PIN is one
// mistyped digit or one swap of neighbours away from another valid PIN.
func TestPINCatchesTypos(t *testing.T) {
	for n := 0; n < 10000; n++ {
		body := fmt.Sprintf("%04d", n)
		pin := body + string(rune('0'+DammDigit(body)))
		if !ValidPIN(pin) {
			t.Fatalf("%s does not validate", pin)
		}
		for i := range PINLength {
			for d := byte('0'); d <= '9'; d++ {
				if d == pin[i] {
					continue
				}
				typo := pin[:i] + string(d) + pin[i+1:]
				if ValidPIN(typo) {
					t.Fatalf("%s -> %s still validates", pin, typo)
				}
			}
			if i+1 < PINLength && pin[i] != pin[i+1] {
				swapped := pin[:i] + string(pin[i+1]) + string(pin[i]) + pin[i+2:]
				if ValidPIN(swapped) {
					t.Fatalf("%s -> %s still validates", pin, swapped)
				}
			}
		}
	}
}

func TestNewCodes(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		pin, err := NewPIN()
		if err != nil || !ValidPIN(pin) {
			t.Fatalf("NewPIN() = %q, %v", pin, err)
		}
		tok, err := NewToken()
		if err != nil || seen[tok] {
			t.Fatalf("NewToken() = %q, %v (repeat %v)", tok, err, seen[tok])
		}
		seen[tok] = true
		kind, v, err := ParseCode(QRPayload(tok))
		if err != nil || kind != KindQR || v != tok {
			t.Fatalf("ParseCode(QRPayload(%q)) = %s %q %v", tok, kind, v, err)
		}
	}
}

func TestParseCode(t *testing.T) {
	tok := "AAECAwQFBgcICQoLDA0ODw" // 16 bytes, base64url
	cases := []struct {
		in       string
		kind     Kind
		value    string
		err      error
		describe string
	}{
		{"572400", "", "", ErrFormat, "too long for a PIN"},
		{"5724", "", "", ErrFormat, "too short for a PIN"},
		{" 12344 ", "", "", ErrCheckDigit, "check digit off"},
		{"12341", KindPIN, "", ErrCheckDigit, "check digit off"},
		{"01234", KindPIN, "01234", nil, "a PIN; leading zero kept"},
		{"", "", "", ErrEmpty, "nothing"},
		{"   ", "", "", ErrEmpty, "blanks"},
		{QRPrefix + tok, KindQR, tok, nil, "a scanned QR payload"},
		{tok, KindQR, tok, nil, "a bare token"},
		{QRPrefix + tok + "A", "", "", ErrFormat, "token of the wrong length"},
		{"https://example.com/", "", "", ErrFormat, "some other QR code"},
		{QRPrefix + strings.Repeat("!", 22), "", "", ErrFormat, "not base64url"},
	}
	for _, c := range cases {
		kind, v, err := ParseCode(c.in)
		if c.err == nil && (err != nil || kind != c.kind || v != c.value) {
			t.Errorf("%s: ParseCode(%q) = %s %q %v", c.describe, c.in, kind, v, err)
		}
		if c.err != nil && !errors.Is(err, c.err) {
			t.Errorf("%s: ParseCode(%q) error %v, want %v", c.describe, c.in, err, c.err)
		}
	}
	// 01234 must really be valid for the case above to mean anything.
	if !ValidPIN("01234") {
		t.Fatal("01234 is not a valid PIN; fix the test case")
	}
}

func TestHashes(t *testing.T) {
	if PINHash("nurseryA", "01234") == PINHash("nurseryB", "01234") {
		t.Error("the same PIN must hash apart in two nurseries")
	}
	if TokenHash("x") == PINHash("", "x") || len(TokenHash("x")) != 64 {
		t.Error("token and PIN hashes must be distinct 64-hex strings")
	}
}

func TestDecide(t *testing.T) {
	base := time.Date(2026, 4, 6, 7, 30, 0, 0, civil.Tokyo)
	at := func(min int) time.Time { return base.Add(time.Duration(min) * time.Minute) }
	var zero time.Time
	cases := []struct {
		name    string
		day     Day
		dir     Direction
		now     time.Time
		want    Outcome
		at      time.Time
		missing bool
	}{
		{"first check-in", Day{}, In, at(0), Record, at(0), false},
		{"repeat in within 2 min", Day{CheckIn: at(0)}, In, at(1), Duplicate, at(0), false},
		{"repeat in at exactly 2 min is not a repeat", Day{CheckIn: at(0)}, In, at(2), AlreadyIn, at(0), false},
		{"second check-in later", Day{CheckIn: at(0)}, In, at(30), AlreadyIn, at(0), false},
		{"check-out", Day{CheckIn: at(0)}, Out, at(540), Record, at(540), false},
		{"out right after in", Day{CheckIn: at(0)}, Out, at(1), TooSoon, at(0), false},
		{"repeat out within 2 min", Day{CheckIn: at(0), CheckOut: at(540)}, Out, at(541), Duplicate, at(540), false},
		{"second check-out later", Day{CheckIn: at(0), CheckOut: at(540)}, Out, at(600), AlreadyOut, at(540), false},
		{"in after out", Day{CheckIn: at(0), CheckOut: at(540)}, In, at(600), AlreadyOut, at(540), false},
		{"out without in is recorded", Day{}, Out, at(540), Record, at(540), true},
		{"in after an out without in", Day{CheckOut: at(540)}, In, at(541), AlreadyOut, at(540), false},
		{"clock skew: a check-in stamped ahead counts as a repeat", Day{CheckIn: at(1)}, In, at(0), Duplicate, at(1), false},
		{"zero day, out", Day{CheckIn: zero}, Out, at(3), Record, at(3), true},
	}
	for _, c := range cases {
		got := Decide(c.day, c.dir, c.now)
		if got.Outcome != c.want || !got.At.Equal(c.at) || got.MissingCheckIn != c.missing {
			t.Errorf("%s: got %+v, want outcome %d at %s missing %v", c.name, got, c.want, c.at, c.missing)
		}
	}
}

func TestClockAndDirection(t *testing.T) {
	if got := Clock(time.Date(2026, 4, 5, 22, 32, 0, 0, time.UTC)); got != "7:32" {
		t.Errorf("Clock = %q, want 7:32 (Tokyo)", got)
	}
	if got := Clock(time.Date(2026, 4, 6, 9, 5, 0, 0, time.UTC)); got != "18:05" {
		t.Errorf("Clock = %q, want 18:05", got)
	}
	for in, ok := range map[string]bool{"in": true, "out": true, "IN": false, "": false, "inout": false} {
		if _, got := ParseDirection(in); got != ok {
			t.Errorf("ParseDirection(%q) ok = %v", in, got)
		}
	}
}
