package gateway

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/saijo-dx/lifestage/civil"
)

func TestNewKeyParsesAndHashes(t *testing.T) {
	key, prefix := NewKey()
	got, ok := ParseKey(key)
	if !ok || got != prefix {
		t.Fatalf("ParseKey(%q) = %q, %v; want %q", key, got, ok, prefix)
	}
	if !strings.HasPrefix(key, "lsk_"+prefix+"_") || len(key) != 4+8+1+52 {
		t.Fatalf("key shape %q", key)
	}
	other, _ := NewKey()
	if other == key || Hash(key) == Hash(other) || len(Hash(key)) != 64 {
		t.Fatal("keys or hashes collide")
	}
	if strings.Contains(Hash(key), prefix+"_") {
		t.Fatal("hash must not reveal the key")
	}
}

func TestParseKey(t *testing.T) {
	good := "lsk_abcd2345_" + strings.Repeat("a", 52)
	for _, c := range []struct {
		key string
		ok  bool
	}{
		{good, true},
		{"", false},
		{"Bearer " + good, false},
		{strings.Replace(good, "lsk_", "lsx_", 1), false},
		{good + "a", false},
		{good[:len(good)-1], false},
		{strings.Replace(good, "abcd", "ABCD", 1), false}, // keys are lower case
		{strings.Replace(good, "2345_", "2345-", 1), false},
		{strings.Replace(good, "abcd", "ab1d", 1), false}, // 1 is not base32
	} {
		if _, ok := ParseKey(c.key); ok != c.ok {
			t.Errorf("ParseKey(%q) ok = %v, want %v", c.key, ok, c.ok)
		}
	}
}

func TestParseScopes(t *testing.T) {
	for _, c := range []struct {
		in      []string
		want    []string
		wantErr string
	}{
		{[]string{"facilities:read"}, []string{"facilities:read"}, ""},
		{[]string{"events:read, facilities:read", "facilities:read"}, []string{"facilities:read", "events:read"}, ""},
		{[]string{"subscriptions:write,subscriptions:read"}, []string{"subscriptions:read", "subscriptions:write"}, ""},
		{[]string{"facilities:write"}, nil, "unknown scope facilities:write"},
		{[]string{"facilities:read", "bogus", "x:y"}, nil, "unknown scope bogus, x:y"},
		{[]string{" , "}, nil, "no scope"},
		{nil, nil, "no scope"},
	} {
		got, err := ParseScopes(c.in)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("ParseScopes(%q) err = %v, want %q", c.in, err, c.wantErr)
			}
			continue
		}
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("ParseScopes(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	if s := Scopes(); !slices.Contains(s, "personal:read") || !slices.Contains(s, "nursery_vacancies:read") || slices.Contains(s, "events:write") {
		t.Errorf("Scopes() = %v", s)
	}
}

func TestCheck(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, civil.Tokyo)
	base := Credential{PartnerActive: true, Scopes: []string{"facilities:read", "events:read"}}
	with := func(f func(c *Credential)) *Credential { c := base; f(&c); return &c }
	for _, c := range []struct {
		name  string
		cred  *Credential
		scope string
		want  *Refusal
	}{
		{"granted", &base, "facilities:read", nil},
		{"no scope needed", &base, "", nil},
		{"scope not granted", &base, "infections:read", ErrScope},
		{"expires later", with(func(c *Credential) { c.ExpiresAt = now.Add(time.Nanosecond) }), "events:read", nil},
		{"expires at the instant", with(func(c *Credential) { c.ExpiresAt = now }), "events:read", ErrExpired},
		{"expired", with(func(c *Credential) { c.ExpiresAt = now.Add(-time.Hour) }), "events:read", ErrExpired},
		{"revoked", with(func(c *Credential) { c.RevokedAt = now.Add(-time.Second) }), "events:read", ErrRevoked},
		{"revoked beats expired", with(func(c *Credential) { c.RevokedAt, c.ExpiresAt = now, now }), "", ErrRevoked},
		{"inactive partner", with(func(c *Credential) { c.PartnerActive = false }), "events:read", ErrInactive},
		{"inactive before scope", with(func(c *Credential) { c.PartnerActive = false }), "infections:read", ErrInactive},
	} {
		if got := c.cred.Check(c.scope, now); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func TestLimiter(t *testing.T) {
	t0 := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	l := NewLimiter()
	type step struct {
		at    time.Duration
		key   string
		limit int
		ok    bool
		retry int
	}
	for i, s := range []step{
		// 3 per minute: three at once, then one each 20 s.
		{0, "a", 3, true, 0},
		{0, "a", 3, true, 0},
		{0, "a", 3, true, 0},
		{0, "a", 3, false, 20},
		{0, "b", 3, true, 0}, // buckets are per key
		{19 * time.Second, "a", 3, false, 1},
		{19*time.Second + 500*time.Millisecond, "a", 3, false, 1},
		{20 * time.Second, "a", 3, true, 0}, // exactly one token refilled
		{20 * time.Second, "a", 3, false, 20},
		{10 * time.Minute, "a", 3, true, 0}, // refills to the limit, not beyond
		{10 * time.Minute, "a", 3, true, 0},
		{10 * time.Minute, "a", 3, true, 0},
		{10 * time.Minute, "a", 3, false, 20},
		{10 * time.Minute, "a", 0, true, 0}, // 0: unlimited
		{10 * time.Minute, "c", 1, true, 0},
		{10 * time.Minute, "c", 1, false, 60},
		{10*time.Minute + 59*time.Second, "c", 1, false, 1},
		{11 * time.Minute, "c", 1, true, 0},
	} {
		ok, retry := l.Allow(s.key, s.limit, t0.Add(s.at))
		if ok != s.ok || retry != s.retry {
			t.Errorf("step %d (%v %s): got %v retry %d, want %v retry %d", i, s.at, s.key, ok, retry, s.ok, s.retry)
		}
	}
}

func TestMonthAndNextMonth(t *testing.T) {
	for _, c := range []struct {
		at        time.Time
		month     string
		next      time.Time
		retryWant int
	}{
		// 2026-11-30 23:59:59 Tokyo is 14:59:59 UTC: still November.
		{time.Date(2026, 11, 30, 14, 59, 59, 0, time.UTC), "2026-11", time.Date(2026, 12, 1, 0, 0, 0, 0, civil.Tokyo), 1},
		// 15:00 UTC is midnight in Tokyo: December already, though UTC says 30th.
		{time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC), "2026-12", time.Date(2027, 1, 1, 0, 0, 0, 0, civil.Tokyo), 31 * 86400},
		{time.Date(2026, 12, 31, 15, 0, 0, 0, time.UTC), "2027-01", time.Date(2027, 2, 1, 0, 0, 0, 0, civil.Tokyo), 31 * 86400},
		{time.Date(2028, 2, 10, 0, 0, 0, 0, civil.Tokyo), "2028-02", time.Date(2028, 3, 1, 0, 0, 0, 0, civil.Tokyo), 20 * 86400},
	} {
		if got := Month(c.at); got != c.month {
			t.Errorf("Month(%v) = %s, want %s", c.at, got, c.month)
		}
		if got := NextMonth(c.at); !got.Equal(c.next) {
			t.Errorf("NextMonth(%v) = %v, want %v", c.at, got, c.next)
		}
		if got := SecondsUntil(c.at, NextMonth(c.at)); got != c.retryWant {
			t.Errorf("SecondsUntil next month from %v = %d, want %d", c.at, got, c.retryWant)
		}
	}
	if got := SecondsUntil(time.Unix(0, 0), time.Unix(0, 1)); got != 1 {
		t.Errorf("a nanosecond rounds up to %d, want 1", got)
	}
}

func TestQuota(t *testing.T) {
	q := NewQuota()
	seeds := map[string]int64{"k/2026-11": 8}
	var seeded []string
	seed := func(key string) func(string) (int64, error) {
		return func(month string) (int64, error) {
			seeded = append(seeded, key+"/"+month)
			return seeds[key+"/"+month], nil
		}
	}
	nov := time.Date(2026, 11, 30, 14, 59, 0, 0, time.UTC) // 23:59 Tokyo
	dec := nov.Add(time.Minute)                            // 00:00 Tokyo, Dec 1st
	for i, s := range []struct {
		at    time.Time
		limit int64
		ok    bool
	}{
		{nov, 10, true},  // 9th
		{nov, 10, true},  // 10th: exactly the limit
		{nov, 10, false}, // 11th refused
		{nov, 11, true},  // a raised quota applies at once
		{dec, 10, true},  // new month, fresh count
		{nov, 0, true},   // no quota
	} {
		ok, err := q.Take("k", s.limit, s.at, seed("k"))
		if err != nil || ok != s.ok {
			t.Errorf("step %d: got %v %v, want %v", i, ok, err, s.ok)
		}
	}
	// The last step went back to November: seeded again (8), one taken.
	if got := q.Used("k", nov); got != 9 {
		t.Errorf("Used in November = %d, want 9", got)
	}
	if got := q.Used("k", dec); got != 0 {
		t.Errorf("Used in December = %d, want 0 (November is counted now)", got)
	}
	if want := []string{"k/2026-11", "k/2026-12", "k/2026-11"}; !slices.Equal(seeded, want) {
		t.Errorf("seeded %v, want %v (once per key and month)", seeded, want)
	}
	boom := errors.New("db down")
	if _, err := q.Take("other", 1, nov, func(string) (int64, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Errorf("seed error not returned: %v", err)
	}
}

func TestMeter(t *testing.T) {
	var got []Count
	fail := true
	m := NewMeter(func(rows []Count) error {
		if fail {
			return errors.New("locked")
		}
		got = append(got, rows...)
		return nil
	})
	at := time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC) // Dec 1st in Tokyo
	u := Use{Key: "k", Partner: "p", Day: DayOf(at), Endpoint: "GET /x", Status: 200}
	m.Add(u)
	m.Add(u)
	m.Add(Use{Key: "k", Partner: "p", Day: DayOf(at), Endpoint: "GET /x", Status: 429})
	if err := m.Flush(); err == nil || m.Pending() != 2 {
		t.Fatalf("a failed flush must keep the counts: err %v, pending %d", err, m.Pending())
	}
	m.Add(u)
	fail = false
	if err := m.Flush(); err != nil || m.Pending() != 0 {
		t.Fatal(err)
	}
	if u.Day != "2026-12-01" {
		t.Errorf("day %s, want the Tokyo date 2026-12-01", u.Day)
	}
	counts := map[int]int64{}
	for _, c := range got {
		counts[c.Status] += c.N
	}
	if len(got) != 2 || counts[200] != 3 || counts[429] != 1 {
		t.Errorf("flushed %v", got)
	}
	if err := m.Flush(); err != nil {
		t.Errorf("empty flush: %v", err)
	}
}

func TestCache(t *testing.T) {
	now := time.Now()
	c := NewCache(time.Minute, 5*time.Second)
	cred := &Credential{KeyID: "k"}
	c.Put("h1", cred, now)
	c.Put("bad", nil, now)
	if got, ok := c.Get("h1", now.Add(59*time.Second)); !ok || got != cred {
		t.Error("known key not cached")
	}
	if _, ok := c.Get("h1", now.Add(time.Minute)); ok {
		t.Error("known key cached past its TTL")
	}
	if got, ok := c.Get("bad", now.Add(4*time.Second)); !ok || got != nil {
		t.Error("unknown key not cached as unknown")
	}
	if _, ok := c.Get("bad", now.Add(5*time.Second)); ok {
		t.Error("unknown key cached past the negative TTL")
	}
	c.Clear()
	if _, ok := c.Get("h1", now); ok {
		t.Error("Clear kept an entry")
	}
	for i := range maxNegative + 10 {
		c.Put(string(rune(i)), nil, now)
	}
	if len(c.entries) > maxNegative {
		t.Errorf("negative entries grew to %d", len(c.entries))
	}
}
