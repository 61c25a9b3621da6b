// Package lockout counts failed logins and locks an account or an address
// for a while (別紙1 2(2)イ: 入力回数制限). It keeps its state in memory:
// a lock only needs to outlive a burst of guesses, not a restart.
package lockout

import (
	"sync"
	"time"
)

// Policy says how many failures lock what, and for how long.
type Policy struct {
	AccountFailures int           // failures for one account within Window
	IPFailures      int           // failures from one address within Window
	Window          time.Duration // how far back failures count
	LockFor         time.Duration
}

// Default is the city's rule: 5 failures for an account or 20 from one
// address within 15 minutes lock it for 15 minutes.
var Default = Policy{AccountFailures: 5, IPFailures: 20, Window: 15 * time.Minute, LockFor: 15 * time.Minute}

// maxKeys bounds memory under a flood of distinct identities.
const maxKeys = 100_000

type state struct {
	failures []time.Time
	until    time.Time
}

// Tracker holds failures per account and per address.
type Tracker struct {
	policy   Policy
	mu       sync.Mutex
	accounts map[string]*state
	ips      map[string]*state
}

// New returns an empty tracker.
func New(p Policy) *Tracker {
	return &Tracker{policy: p, accounts: map[string]*state{}, ips: map[string]*state{}}
}

// Lock describes a lock in force.
type Lock struct {
	Until   time.Time
	Account bool // true: the account is locked; false: the address is
}

// Check reports the lock that applies to a login attempt, if any.
func (t *Tracker) Check(account, ip string, now time.Time) (Lock, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if s := t.accounts[account]; s != nil && now.Before(s.until) {
		return Lock{Until: s.until, Account: true}, true
	}
	if s := t.ips[ip]; s != nil && now.Before(s.until) {
		return Lock{Until: s.until}, true
	}
	return Lock{}, false
}

// Fail records a failed attempt and returns the locks it caused just now.
func (t *Tracker) Fail(account, ip string, now time.Time) []Lock {
	t.mu.Lock()
	defer t.mu.Unlock()
	var caused []Lock
	if until, locked := t.fail(t.accounts, account, t.policy.AccountFailures, now); locked {
		caused = append(caused, Lock{Until: until, Account: true})
	}
	if until, locked := t.fail(t.ips, ip, t.policy.IPFailures, now); locked {
		caused = append(caused, Lock{Until: until})
	}
	return caused
}

// Succeed clears an account's failures after a good login. Failures from the
// address stay: one right password does not excuse a spray of wrong ones.
func (t *Tracker) Succeed(account string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.accounts, account)
}

func (t *Tracker) fail(m map[string]*state, key string, limit int, now time.Time) (time.Time, bool) {
	if key == "" {
		return time.Time{}, false
	}
	s := m[key]
	if s == nil {
		if len(m) >= maxKeys {
			t.prune(m, now)
		}
		s = &state{}
		m[key] = s
	}
	cutoff := now.Add(-t.policy.Window)
	kept := s.failures[:0]
	for _, f := range s.failures {
		if f.After(cutoff) {
			kept = append(kept, f)
		}
	}
	s.failures = append(kept, now)
	if len(s.failures) >= limit && !now.Before(s.until) {
		s.until = now.Add(t.policy.LockFor)
		s.failures = nil
		return s.until, true
	}
	return time.Time{}, false
}

// prune drops keys with no recent failure and no lock.
func (t *Tracker) prune(m map[string]*state, now time.Time) {
	cutoff := now.Add(-t.policy.Window)
	for k, s := range m {
		recent := len(s.failures) > 0 && s.failures[len(s.failures)-1].After(cutoff)
		if !recent && !now.Before(s.until) {
			delete(m, k)
		}
	}
}
