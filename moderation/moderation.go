// Package moderation screens what residents write in the nickname Q&A
// (子育て相談): a word list the city keeps (block or hold for review),
// personal data that would identify someone (phone numbers, email
// addresses), and nicknames. It is plain Go with no PocketBase, so the rules
// are table-tested and the hooks only load the word list and act on the
// verdict.
package moderation

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/saijo-dx/lifestage/kana"
)

// Actions a word (or a finding) asks for, weakest first.
const (
	Allow  = ""       // publish at once
	Review = "review" // save but keep from others until staff approve
	Block  = "block"  // refuse to save
)

// Word is one entry of the city's word list.
type Word struct {
	Word   string
	Action string // Block or Review
}

// Reasons explain a verdict to staff (never to the writer, who must not
// learn the word list).
const (
	ReasonWord  = "word"  // a listed word
	ReasonPhone = "phone" // looks like a phone number
	ReasonEmail = "email" // looks like an email address
)

// Verdict is the outcome of screening a text.
type Verdict struct {
	Action  string   // Allow, Review or Block
	Reasons []string // why, for the staff queue
}

// Normalize folds the ways one word can be written into one form, so the word
// list cannot be dodged by width, case, katakana or spaces: NFKC (full-width
// to half-width, compatibility forms), lower case, katakana to hiragana, and
// no white space.
func Normalize(s string) string {
	return kana.MatchKey(norm.NFKC.String(s))
}

// phone matches Japanese phone numbers written with or without separators
// (090-1234-5678, 0897(52)1211, ０９０１２３４５６７８ after NFKC). Ten or
// eleven digits starting with 0 is what a Japanese number looks like; shorter
// runs (dates, weights) are left alone.
var phone = regexp.MustCompile(`0\d{1,4}[-(（)）\s]{0,2}\d{1,4}[-(（)）\s]{0,2}\d{3,4}`)

var email = regexp.MustCompile(`[a-z0-9._%+\-]+@[a-z0-9.\-]+\.[a-z]{2,}`)

// Screen checks a text against the word list and for personal data. A block
// word wins over everything; otherwise any finding holds the text for review.
// Personal data is held, not refused: a parent may well quote a clinic's
// public number, and losing their question would be worse than a short wait
// for staff to look.
func Screen(text string, words []Word) Verdict {
	n := Normalize(text)
	v := Verdict{}
	for _, w := range words {
		key := Normalize(w.Word)
		if key == "" || !strings.Contains(n, key) {
			continue
		}
		if w.Action == Block {
			return Verdict{Action: Block, Reasons: []string{ReasonWord}}
		}
		v.Action = Review
		v.Reasons = appendOnce(v.Reasons, ReasonWord)
	}
	plain := norm.NFKC.String(strings.ToLower(text))
	if digitsOnly := countDigits(phone.FindString(plain)); digitsOnly >= 10 && digitsOnly <= 11 {
		v.Action = Review
		v.Reasons = appendOnce(v.Reasons, ReasonPhone)
	}
	if email.MatchString(plain) {
		v.Action = Review
		v.Reasons = appendOnce(v.Reasons, ReasonEmail)
	}
	return v
}

func countDigits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// Nickname limits, in characters after NFKC.
const (
	NicknameMin = 2
	NicknameMax = 20
)

// Nickname problems, as stable codes for the API.
const (
	NicknameLength   = "nickname_length"
	NicknameReserved = "nickname_reserved"
	NicknameChars    = "nickname_chars"
)

// reserved are nicknames that would pass for the city or its professionals,
// so nobody can pose as a 保健師 in the Q&A. They are matched anywhere in the
// normalised nickname.
var reserved = []string{
	"保健師", "助産師", "栄養士", "看護師", "医師", "保育士", "市役所", "西条市", "市職員", "職員",
	"公式", "管理者", "運営", "admin", "administrator", "official", "staff", "moderator", "lifestage",
}

// NicknameKey is the form two nicknames are compared in for uniqueness, so
// "ママ", "まま" and "ＭＡＭＡ"/"mama" pairs cannot pass for each other.
func NicknameKey(nickname string) string { return Normalize(nickname) }

// CheckNickname returns the cleaned nickname (NFKC, trimmed) and "" when it
// may be used, or a problem code.
func CheckNickname(nickname string) (string, string) {
	clean := strings.TrimSpace(norm.NFKC.String(nickname))
	if n := utf8.RuneCountInString(clean); n < NicknameMin || n > NicknameMax {
		return clean, NicknameLength
	}
	for _, r := range clean {
		if unicode.IsControl(r) || r == '@' || r == '<' || r == '>' {
			return clean, NicknameChars
		}
	}
	key := NicknameKey(clean)
	for _, w := range reserved {
		if strings.Contains(key, Normalize(w)) {
			return clean, NicknameReserved
		}
	}
	return clean, ""
}

// DefaultReportThreshold is how many distinct residents must report a post
// before it is hidden automatically until staff look at it.
const DefaultReportThreshold = 3

// AutoHide reports whether a visible post with this many distinct reports
// should be hidden pending review. A threshold below 1 means the default.
func AutoHide(distinctReports, threshold int) bool {
	if threshold < 1 {
		threshold = DefaultReportThreshold
	}
	return distinctReports >= threshold
}
