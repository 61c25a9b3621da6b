package mynumber

import (
	"sync"
	"time"
)

// Store keeps short-lived values (pending logins, one-time tickets) in
// memory. Take removes what it returns, so every value is used at most once:
// a replayed state or ticket finds nothing. lifestage runs as one process,
// so memory is enough; a restart only cancels logins in progress.
type Store[T any] struct {
	mu    sync.Mutex
	ttl   time.Duration
	max   int
	items map[string]entry[T]
}

type entry[T any] struct {
	value   T
	expires time.Time
}

// NewStore holds at most max values for ttl each. max bounds the memory an
// anonymous caller can fill by starting logins without end.
func NewStore[T any](ttl time.Duration, max int) *Store[T] {
	return &Store[T]{ttl: ttl, max: max, items: map[string]entry[T]{}}
}

// Put stores v under key. When the store is full it drops expired values
// first and, if still full, the value closest to expiry.
func (s *Store[T]) Put(key string, v T, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.items) >= s.max {
		s.sweep(now)
	}
	if len(s.items) >= s.max {
		var oldest string
		var at time.Time
		for k, e := range s.items {
			if oldest == "" || e.expires.Before(at) {
				oldest, at = k, e.expires
			}
		}
		delete(s.items, oldest)
	}
	s.items[key] = entry[T]{value: v, expires: now.Add(s.ttl)}
}

// Take returns and removes the value under key if it has not expired.
func (s *Store[T]) Take(key string, now time.Time) (T, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.items[key]
	delete(s.items, key)
	if !ok || !now.Before(e.expires) {
		var zero T
		return zero, false
	}
	return e.value, true
}

// Len counts the values held, expired ones included.
func (s *Store[T]) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.items)
}

func (s *Store[T]) sweep(now time.Time) {
	for k, e := range s.items {
		if !now.Before(e.expires) {
			delete(s.items, k)
		}
	}
}
