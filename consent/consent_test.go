package consent

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/saijo-dx/lifestage/civil"
)

func day(s string) civil.Date {
	d, err := civil.Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

func childGrant() Grant {
	return Grant{
		ID: "consent00000001", Partner: "partner00000001", PartnerName: "テスト事業者", User: "user00000000001", Child: "child0000000001",
		Purpose: "予防接種の予定をアプリで通知するため", Scopes: []string{"immunizations:read", "growth:read"},
		Period:    Period{From: day("2026-11-01"), Until: day("2027-10-31")},
		GrantedAt: time.Date(2026, 11, 1, 1, 0, 0, 0, time.UTC),
	}
}

func TestCheck(t *testing.T) {
	revoked := childGrant()
	revoked.RevokedAt = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	self := childGrant()
	self.Child = ""
	self.Scopes = []string{"prenatal_checkups:read"}
	cases := []struct {
		name    string
		g       Grant
		partner string
		dataset string
		today   string
		want    *Refusal
	}{
		{"active, consented dataset", childGrant(), "partner00000001", "immunizations", "2026-11-26", nil},
		{"first day", childGrant(), "partner00000001", "growth", "2026-11-01", nil},
		{"last day", childGrant(), "partner00000001", "growth", "2027-10-31", nil},
		{"day after the period", childGrant(), "partner00000001", "growth", "2027-11-01", ErrExpired},
		{"before the period", childGrant(), "partner00000001", "growth", "2026-10-31", ErrNotStarted},
		{"revoked", revoked, "partner00000001", "immunizations", "2026-11-26", ErrRevoked},
		{"revoked and expired reads revoked", revoked, "partner00000001", "immunizations", "2028-01-01", ErrRevoked},
		{"another partner", childGrant(), "partner00000002", "immunizations", "2026-11-26", ErrNoConsent},
		{"no grant", Grant{}, "", "immunizations", "2026-11-26", ErrNoConsent},
		{"dataset not consented", childGrant(), "partner00000001", "checkups", "2026-11-26", ErrNotConsent},
		{"unknown dataset", childGrant(), "partner00000001", "allergies", "2026-11-26", ErrUnknownData},
		{"own data", self, "partner00000001", "prenatal_checkups", "2026-11-26", nil},
		{"child dataset on own-data grant", self, "partner00000001", "immunizations", "2026-11-26", ErrNotConsent},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Check(c.g, c.partner, c.dataset, day(c.today)); got != c.want {
				t.Fatalf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	today := day("2026-11-26")
	cases := []struct {
		name     string
		r        Request
		scopes   string
		from, to string
		code     string
	}{
		{"defaults to a year from today", Request{Scopes: []string{"growth:read", "immunizations:read"}, Purpose: "目的", Child: true},
			"immunizations:read,growth:read", "2026-11-26", "2027-11-25", ""},
		{"given period", Request{Scopes: []string{"checkups:read"}, Purpose: "目的", ValidFrom: "2026-12-01", ValidUntil: "2027-03-31", Child: true},
			"checkups:read", "2026-12-01", "2027-03-31", ""},
		{"own data", Request{Scopes: []string{"prenatal_checkups:read"}, Purpose: "目的"}, "prenatal_checkups:read", "2026-11-26", "2027-11-25", ""},
		{"no purpose", Request{Scopes: []string{"growth:read"}, Purpose: "  ", Child: true}, "", "", "", "required"},
		{"purpose too long", Request{Scopes: []string{"growth:read"}, Purpose: strings.Repeat("あ", 501), Child: true}, "", "", "", "too_long"},
		{"no scope", Request{Purpose: "目的", Child: true}, "", "", "", "required"},
		{"public scope", Request{Scopes: []string{"facilities:read"}, Purpose: "目的", Child: true}, "", "", "", "invalid_scope"},
		{"key scope is not a dataset", Request{Scopes: []string{"personal:read"}, Purpose: "目的", Child: true}, "", "", "", "invalid_scope"},
		{"child data without a child", Request{Scopes: []string{"growth:read"}, Purpose: "目的"}, "", "", "", "scope_needs_child"},
		{"own data with a child", Request{Scopes: []string{"prenatal_checkups:read"}, Purpose: "目的", Child: true}, "", "", "", "scope_not_for_child"},
		{"starts in the past", Request{Scopes: []string{"growth:read"}, Purpose: "目的", ValidFrom: "2026-11-25", Child: true}, "", "", "", "invalid_period"},
		{"longer than a year", Request{Scopes: []string{"growth:read"}, Purpose: "目的", ValidUntil: "2027-11-26", Child: true}, "", "", "", "invalid_period"},
		{"ends before it starts", Request{Scopes: []string{"growth:read"}, Purpose: "目的", ValidFrom: "2026-12-01", ValidUntil: "2026-11-30", Child: true}, "", "", "", "invalid_period"},
		{"not a date", Request{Scopes: []string{"growth:read"}, Purpose: "目的", ValidUntil: "2027/01/01", Child: true}, "", "", "", "invalid_period"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			scopes, p, ferr := Validate(c.r, today)
			if c.code != "" {
				if ferr == nil || ferr.Code != c.code {
					t.Fatalf("got %v, want code %s", ferr, c.code)
				}
				return
			}
			if ferr != nil {
				t.Fatal(ferr)
			}
			if strings.Join(scopes, ",") != c.scopes || p.From.String() != c.from || p.Until.String() != c.to {
				t.Fatalf("got %v %s..%s", scopes, p.From, p.Until)
			}
		})
	}
}

func TestPseudonym(t *testing.T) {
	key := []byte("k")
	a := Pseudonym(key, "partnerA", "child1")
	if a != Pseudonym(key, "partnerA", "child1") {
		t.Fatal("not stable")
	}
	for _, other := range []string{Pseudonym(key, "partnerB", "child1"), Pseudonym(key, "partnerA", "child2"), Pseudonym([]byte("k2"), "partnerA", "child1"),
		Pseudonym(key, "partnerAc", "hild1")} {
		if other == a {
			t.Fatal("pseudonyms collide")
		}
	}
	if !strings.HasPrefix(a, "ps-") || len(a) != 35 || strings.Contains(a, "child1") {
		t.Fatalf("pseudonym %q", a)
	}
}

func TestReceipt(t *testing.T) {
	g := childGrant()
	g.RevokedAt = time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	in := ReceiptInput{PrincipalID: "ps-principal", SubjectID: "ps-subject", PolicyURL: "https://example.org/policy", Today: day("2026-11-26")}
	b, err := json.Marshal(BuildReceipt(g, in))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	// The Kantara CR v1.1 required fields, and the ISO/IEC 27560 record.
	for _, k := range []string{"version", "jurisdiction", "consentTimestamp", "collectionMethod", "consentReceiptID", "language",
		"piiPrincipalId", "piiControllers", "policyUrl", "services", "sensitive", "spiCat", "consentRecord"} {
		if _, ok := got[k]; !ok {
			t.Errorf("receipt lacks %s", k)
		}
	}
	want := []string{
		`"version":"KI-CR-v1.1.0"`, `"jurisdiction":"JP"`, `"consentTimestamp":1793494800`, `"consentReceiptID":"consent00000001"`,
		`"piiPrincipalId":"ps-principal"`, `"piiController":"西条市"`, `"policyUrl":"https://example.org/policy"`,
		`"purpose":"予防接種の予定をアプリで通知するため"`, `"consentType":"EXPLICIT"`, `"thirdPartyDisclosure":true`, `"thirdPartyName":"テスト事業者"`,
		`"piiCategory":["健康情報（予防接種歴）","健康情報（身体計測）"]`, `"sensitive":true`,
		`"state":"revoked"`, `"dataSubject":"child"`, `"subjectId":"ps-subject"`, `"validFrom":"2026-11-01"`, `"validUntil":"2027-10-31"`,
		`{"type":"given","at":"2026-11-01T10:00:00+09:00"}`, `{"type":"withdrawn","at":"2026-11-20T12:00:00+09:00"}`,
		`"termination":"2027-10-31 の終了時、または本人がマイページで取り消した時点で終了"`,
	}
	for _, w := range want {
		if !strings.Contains(string(b), w) {
			t.Errorf("receipt lacks %s\n%s", w, b)
		}
	}
	for _, leak := range []string{"user00000000001", "child0000000001", "partner00000001"} {
		if strings.Contains(string(b), leak) {
			t.Errorf("receipt names the record id %s", leak)
		}
	}
}
