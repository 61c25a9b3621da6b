package gateway

import (
	"math"
	"sync"
	"time"
)

// Limiter is a token bucket per key: a key may send its per-minute limit at
// once, and then one request each 60/limit seconds. It lives in memory, so
// a restart forgives; the monthly quota is the durable limit.
type Limiter struct {
	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// NewLimiter returns an empty limiter.
func NewLimiter() *Limiter { return &Limiter{buckets: map[string]*bucket{}} }

// Allow takes one token from the key's bucket. When none is left it returns
// false and the whole seconds until one is (for Retry-After, at least 1).
// A limit of 0 or less means no limit.
func (l *Limiter) Allow(key string, perMinute int, now time.Time) (ok bool, retryAfter int) {
	if perMinute <= 0 {
		return true, 0
	}
	capacity := float64(perMinute)
	perSecond := capacity / 60
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: capacity, last: now}
		l.buckets[key] = b
	}
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = math.Min(capacity, b.tokens+elapsed*perSecond)
		b.last = now
	}
	// A lowered limit takes effect at once.
	b.tokens = math.Min(b.tokens, capacity)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	// The epsilon keeps float error from adding a second to an exact wait.
	return false, max(1, int(math.Ceil((1-b.tokens)/perSecond-1e-9)))
}
