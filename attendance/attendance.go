// Package attendance holds the rules of nursery check-in (登降園): the codes
// a child carries (a QR token and a PIN with a check digit), and what a scan
// does to the day's record. It knows nothing of PocketBase, so the kiosk
// route, staff check-in and the demo share one set of rules.
package attendance

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/saijo-dx/lifestage/civil"
)

// Direction is which way a child (or staff member) goes through the door.
type Direction string

const (
	In  Direction = "in"  // 登園・出勤
	Out Direction = "out" // 降園・退勤
)

// ParseDirection accepts "in" and "out" only.
func ParseDirection(s string) (Direction, bool) {
	switch Direction(s) {
	case In, Out:
		return Direction(s), true
	}
	return "", false
}

// RepeatWindow is how long a second scan the same way is taken as the same
// event (a parent who scans twice, a camera that reads the card again).
const RepeatWindow = 2 * time.Minute

// Day is what is recorded so far; a zero time means not yet.
type Day struct {
	CheckIn, CheckOut time.Time
}

// Outcome is what a scan does.
type Outcome int

const (
	Record     Outcome = iota // write the time
	Duplicate                 // the same scan again within RepeatWindow: ignore
	AlreadyIn                 // checked in earlier today
	AlreadyOut                // checked out earlier today
	TooSoon                   // out right after in: almost surely the wrong button
)

// Decision is the outcome and the time to show: now when recording,
// otherwise the time already on record.
type Decision struct {
	Outcome Outcome
	At      time.Time
	// MissingCheckIn marks a check-out recorded without a check-in: the
	// child is leaving, so it is recorded, and staff are asked to fill the
	// morning in.
	MissingCheckIn bool
}

// Decide applies a scan to the day. Only the same direction within
// RepeatWindow counts as a repeat; anything else that would overwrite a
// recorded time is refused, because only staff correct times (with a reason).
func Decide(d Day, dir Direction, now time.Time) Decision {
	within := func(t time.Time) bool { return !t.IsZero() && now.Sub(t) < RepeatWindow }
	switch dir {
	case In:
		switch {
		case within(d.CheckIn):
			return Decision{Outcome: Duplicate, At: d.CheckIn}
		case !d.CheckOut.IsZero():
			return Decision{Outcome: AlreadyOut, At: d.CheckOut}
		case !d.CheckIn.IsZero():
			return Decision{Outcome: AlreadyIn, At: d.CheckIn}
		}
		return Decision{Outcome: Record, At: now}
	default:
		switch {
		case within(d.CheckOut):
			return Decision{Outcome: Duplicate, At: d.CheckOut}
		case !d.CheckOut.IsZero():
			return Decision{Outcome: AlreadyOut, At: d.CheckOut}
		case within(d.CheckIn):
			return Decision{Outcome: TooSoon, At: d.CheckIn}
		}
		return Decision{Outcome: Record, At: now, MissingCheckIn: d.CheckIn.IsZero()}
	}
}

// Clock is a time of day in Tokyo as a kiosk shows it: "7:32".
func Clock(t time.Time) string {
	t = t.In(civil.Tokyo)
	return fmt.Sprintf("%d:%02d", t.Hour(), t.Minute())
}

// ---- codes ------------------------------------------------------------------

// PINLength is the length of a child's PIN: four random digits and a Damm
// check digit, so a mistyped digit or two swapped neighbours never reach
// another child.
const PINLength = 5

// QRPrefix starts every QR payload; the rest is a random token that says
// nothing about the child.
const QRPrefix = "LSN1:"

const tokenBytes = 16

// Kind says how a code was given.
type Kind string

const (
	KindQR  Kind = "qr"
	KindPIN Kind = "pin"
)

// Code errors, each with its own message at the edge.
var (
	ErrEmpty      = errors.New("attendance: no code")
	ErrFormat     = errors.New("attendance: not a check-in code")
	ErrCheckDigit = errors.New("attendance: PIN check digit does not match")
)

// ParseCode reads what a kiosk sends: a scanned QR payload (or its bare
// token) or a typed PIN. The value returned is the token or the PIN.
func ParseCode(s string) (Kind, string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "", ErrEmpty
	}
	if isDigits(s) {
		if len(s) != PINLength {
			return "", "", ErrFormat
		}
		if !ValidPIN(s) {
			return KindPIN, "", ErrCheckDigit
		}
		return KindPIN, s, nil
	}
	token := strings.TrimPrefix(s, QRPrefix)
	if raw, err := base64.RawURLEncoding.DecodeString(token); err != nil || len(raw) != tokenBytes {
		return "", "", ErrFormat
	}
	return KindQR, token, nil
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// NewToken is a fresh random QR token (128 bits).
func NewToken() (string, error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// QRPayload is what the QR code holds.
func QRPayload(token string) string { return QRPrefix + token }

// NewPIN is four random digits and their check digit. Uniqueness within a
// nursery is the caller's to ensure (PINHash is unique in the database).
func NewPIN() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(10000))
	if err != nil {
		return "", err
	}
	body := fmt.Sprintf("%04d", n.Int64())
	return body + string(rune('0'+DammDigit(body))), nil
}

// ValidPIN checks a PIN's length and check digit.
func ValidPIN(pin string) bool {
	return len(pin) == PINLength && isDigits(pin) && DammDigit(pin) == 0
}

// dammTable is the quasigroup of order 10 from Damm's thesis (2004).
var dammTable = [10][10]int{
	{0, 3, 1, 7, 5, 9, 8, 6, 4, 2},
	{7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
	{4, 2, 0, 6, 8, 7, 1, 3, 5, 9},
	{1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
	{6, 1, 2, 3, 0, 4, 5, 9, 7, 8},
	{3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
	{5, 8, 6, 9, 7, 2, 0, 1, 3, 4},
	{8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
	{9, 4, 3, 8, 6, 1, 7, 2, 0, 5},
	{2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
}

// DammDigit is the Damm check digit of a string of digits; a number that
// ends in its check digit gives 0.
func DammDigit(digits string) int {
	interim := 0
	for _, r := range digits {
		interim = dammTable[interim][r-'0']
	}
	return interim
}

// TokenHash is how a QR token is looked up; the token itself is stored
// only encrypted. 128 random bits need no key.
func TokenHash(token string) string { return digest("token\x00" + token) }

// PINHash is how a PIN is looked up: unique per nursery, so the same PIN may
// serve a child in another nursery. A PIN has too few digits for a hash to
// hide it from someone holding the database; what protects it is that it
// only works on a signed-in kiosk of that nursery, which stops after a run
// of unknown codes.
func PINHash(nursery, pin string) string { return digest("pin\x00" + nursery + "\x00" + pin) }

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
