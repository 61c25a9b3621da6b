package sharing

import (
	"errors"
	"reflect"
	"regexp"
	"testing"
	"time"
)

func TestNewCodeFormatAndUniqueness(t *testing.T) {
	re := regexp.MustCompile(`^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$`)
	seen := map[string]bool{}
	for range 200 {
		c, err := NewCode()
		if err != nil {
			t.Fatal(err)
		}
		if !re.MatchString(c) {
			t.Fatalf("code %q has the wrong format", c)
		}
		if seen[c] {
			t.Fatalf("duplicate code %q", c)
		}
		seen[c] = true
	}
}

func TestHashCodeNormalises(t *testing.T) {
	want := HashCode("ABCD-EFGH-JKMN")
	for _, typed := range []string{"abcd-efgh-jkmn", "ABCD EFGH JKMN", "abcdefghjkmn", " ABCD-EFGH-JKMN　"} {
		if got := HashCode(typed); got != want {
			t.Errorf("HashCode(%q) differs", typed)
		}
	}
	if HashCode("ABCD-EFGH-JKMP") == want {
		t.Error("different codes hash alike")
	}
}

func TestCheckAccept(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	base := Share{GrantedBy: "g1", Scope: ScopeView, Status: Pending, ExpiresAt: now.Add(time.Hour)}
	cases := []struct {
		name string
		edit func(s *Share)
		user string
		want error
	}{
		{"pending and fresh", func(*Share) {}, "u2", nil},
		{"expired", func(s *Share) { s.ExpiresAt = now.Add(-time.Second) }, "u2", ErrExpired},
		{"already active", func(s *Share) { s.Status = Active }, "u2", ErrNotPending},
		{"revoked", func(s *Share) { s.Status = Revoked }, "u2", ErrNotPending},
		{"own invitation", func(*Share) {}, "g1", ErrSelfInvite},
	}
	for _, c := range cases {
		s := base
		c.edit(&s)
		if err := CheckAccept(s, c.user, now); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
}

func TestAccessOf(t *testing.T) {
	cases := []struct {
		name      string
		shares    []Share
		guardians []string
		want      Access
	}{
		{"none", nil, []string{"g"}, Access{}},
		{"active view and manage", []Share{
			{Member: "b", Scope: ScopeView, Status: Active},
			{Member: "a", Scope: ScopeManage, Status: Active},
		}, nil, Access{Viewers: []string{"b"}, Managers: []string{"a"}}},
		{"pending and revoked do not count", []Share{
			{Member: "a", Scope: ScopeView, Status: Pending},
			{Member: "b", Scope: ScopeManage, Status: Revoked},
		}, nil, Access{}},
		{"manage wins over view for the same member", []Share{
			{Member: "a", Scope: ScopeView, Status: Active},
			{Member: "a", Scope: ScopeManage, Status: Active},
		}, nil, Access{Managers: []string{"a"}}},
		{"duplicates collapse", []Share{
			{Member: "a", Scope: ScopeView, Status: Active},
			{Member: "a", Scope: ScopeView, Status: Active},
		}, nil, Access{Viewers: []string{"a"}}},
		{"guardians are not listed", []Share{
			{Member: "g", Scope: ScopeView, Status: Active},
		}, []string{"g"}, Access{}},
	}
	for _, c := range cases {
		if got := AccessOf(c.shares, c.guardians); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
	}
}
