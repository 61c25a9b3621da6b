// Package sharing holds the rules of family sharing: a guardian invites a
// relative to a child's records with a scope, the relative accepts with a
// one-time code, and the guardian can revoke it at once.
package sharing

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"time"
)

// Scopes and states, mirrored in the family_shares collection.
const (
	ScopeView   = "view"
	ScopeManage = "manage"

	Pending = "pending"
	Active  = "active"
	Revoked = "revoked"
)

// InviteTTL is how long an invitation code stays valid.
const InviteTTL = 7 * 24 * time.Hour

// codeAlphabet leaves out characters that are easy to misread when a code is
// read aloud or typed from a screen (0/O, 1/I/L).
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// CodeLength gives about 59 bits of entropy; codes are single use and expire.
const CodeLength = 12

var (
	ErrNotPending = errors.New("sharing: invitation is no longer pending")
	ErrExpired    = errors.New("sharing: invitation has expired")
	ErrSelfInvite = errors.New("sharing: a guardian cannot accept their own invitation")
)

// NewCode returns a fresh invitation code, grouped for reading (XXXX-XXXX-XXXX).
func NewCode() (string, error) {
	buf := make([]byte, CodeLength)
	if _, err := rand.Read(buf); err != nil {
		return "", err
	}
	out := make([]byte, 0, CodeLength+2)
	for i, b := range buf {
		if i > 0 && i%4 == 0 {
			out = append(out, '-')
		}
		out = append(out, codeAlphabet[int(b)%len(codeAlphabet)])
	}
	return string(out), nil
}

// HashCode normalises a code as typed (case, spaces, hyphens) and returns the
// hex SHA-256 that is stored instead of the code.
func HashCode(code string) string {
	norm := strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == ' ' || r == '　':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, code)
	sum := sha256.Sum256([]byte(norm))
	return hex.EncodeToString(sum[:])
}

// ValidScope reports whether s is a known scope.
func ValidScope(s string) bool { return s == ScopeView || s == ScopeManage }

// Share is the part of a family_shares record the rules need.
type Share struct {
	Member    string
	GrantedBy string
	Scope     string
	Status    string
	ExpiresAt time.Time
}

// CheckAccept says whether the user may accept the invitation now.
func CheckAccept(s Share, userID string, now time.Time) error {
	switch {
	case s.Status != Pending:
		return ErrNotPending
	case !s.ExpiresAt.IsZero() && now.After(s.ExpiresAt):
		return ErrExpired
	case s.GrantedBy == userID:
		return ErrSelfInvite
	}
	return nil
}

// Access is who may read and who may manage a child through sharing.
type Access struct {
	Viewers  []string
	Managers []string
}

// AccessOf derives a child's sharing lists from its shares. Only active shares
// count, a member appears once, manage implies view only through Managers,
// and guardians are left out because they already have full access.
func AccessOf(shares []Share, guardians []string) Access {
	var a Access
	for _, s := range shares {
		if s.Status != Active || s.Member == "" || slices.Contains(guardians, s.Member) {
			continue
		}
		if s.Scope == ScopeManage {
			a.Managers = appendUnique(a.Managers, s.Member)
		}
	}
	for _, s := range shares {
		if s.Status != Active || s.Member == "" || slices.Contains(guardians, s.Member) {
			continue
		}
		if s.Scope == ScopeView && !slices.Contains(a.Managers, s.Member) {
			a.Viewers = appendUnique(a.Viewers, s.Member)
		}
	}
	slices.Sort(a.Viewers)
	slices.Sort(a.Managers)
	return a
}

func appendUnique(list []string, v string) []string {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}
