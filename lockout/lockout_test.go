package lockout

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

func at(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }

func TestAccountLocksAfterFiveFailures(t *testing.T) {
	tr := New(Default)
	for i := range 4 {
		if locks := tr.Fail("users:a@example.com", "192.0.2.1", at(i)); len(locks) != 0 {
			t.Fatalf("locked after %d failures", i+1)
		}
	}
	locks := tr.Fail("users:a@example.com", "192.0.2.1", at(4))
	if len(locks) != 1 || !locks[0].Account || !locks[0].Until.Equal(at(19)) {
		t.Fatalf("fifth failure: %+v", locks)
	}
	cases := []struct {
		when   time.Time
		locked bool
	}{{at(5), true}, {at(18), true}, {at(19), false}, {at(30), false}}
	for _, c := range cases {
		if _, locked := tr.Check("users:a@example.com", "198.51.100.1", c.when); locked != c.locked {
			t.Errorf("at %s locked=%v, want %v", c.when.Format("15:04"), locked, c.locked)
		}
	}
	if _, locked := tr.Check("users:b@example.com", "192.0.2.1", at(5)); locked {
		t.Error("another account from the same address was locked")
	}
}

func TestOldFailuresDoNotCount(t *testing.T) {
	tr := New(Default)
	for i := range 4 {
		tr.Fail("acct", "ip", at(i))
	}
	// The window is 15 minutes: by minute 16 the first failures expired.
	if locks := tr.Fail("acct", "ip", at(16)); len(locks) != 0 {
		t.Fatalf("failures older than the window locked the account: %+v", locks)
	}
}

func TestAddressLocksAfterTwentyFailures(t *testing.T) {
	tr := New(Default)
	var locks []Lock
	for i := range 20 {
		// A spray over many accounts, none reaching five.
		locks = tr.Fail("acct"+string(rune('a'+i)), "203.0.113.5", at(0))
	}
	if len(locks) != 1 || locks[0].Account {
		t.Fatalf("twentieth failure from one address: %+v", locks)
	}
	if l, locked := tr.Check("fresh-account", "203.0.113.5", at(1)); !locked || l.Account {
		t.Fatal("a locked address may still try another account")
	}
}

func TestSuccessClearsTheAccountOnly(t *testing.T) {
	tr := New(Default)
	for i := range 4 {
		tr.Fail("acct", "ip", at(i))
	}
	tr.Succeed("acct")
	if locks := tr.Fail("acct", "ip", at(5)); len(locks) != 0 {
		t.Fatal("a good login must reset the account's count")
	}
}
