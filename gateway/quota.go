package gateway

import (
	"sync"
	"time"

	"github.com/saijo-dx/lifestage/civil"
)

// Month is the quota period of an instant: the Tokyo calendar month,
// "YYYY-MM".
func Month(t time.Time) string { return civil.DateOf(t).String()[:7] }

// NextMonth returns the instant the next quota period starts (midnight of
// the 1st, Tokyo time).
func NextMonth(t time.Time) time.Time {
	d := civil.DateOf(t)
	return civil.Date{Year: d.Year, Month: d.Month, Day: 1}.AddMonthsClamped(1).Time()
}

// SecondsUntil rounds the wait until a later instant up to whole seconds,
// at least 1, for Retry-After.
func SecondsUntil(now, then time.Time) int {
	d := then.Sub(now)
	return max(1, int((d+time.Second-1)/time.Second))
}

// Quota counts each key's requests in the current month. Counts live in
// memory; the first request of a key in a month seeds its count from the
// metered usage in the database (another process, or before a restart).
type Quota struct {
	mu     sync.Mutex
	counts map[string]*monthCount
}

type monthCount struct {
	month string
	used  int64
}

// NewQuota returns an empty quota counter.
func NewQuota() *Quota { return &Quota{counts: map[string]*monthCount{}} }

// Take counts one request for the key if the month's limit allows it. seed
// returns the key's requests already counted in the month; it is called
// once per key and month, outside the lock. A limit of 0 or less means no
// quota (the request is still counted, so a quota set later is exact).
func (q *Quota) Take(key string, limit int64, now time.Time, seed func(month string) (int64, error)) (bool, error) {
	month := Month(now)
	q.mu.Lock()
	c := q.counts[key]
	q.mu.Unlock()
	if c == nil || c.month != month {
		used, err := seed(month)
		if err != nil {
			return false, err
		}
		q.mu.Lock()
		// Another request may have seeded meanwhile; keep the first.
		if cur := q.counts[key]; cur == nil || cur.month != month {
			q.counts[key] = &monthCount{month: month, used: used}
		}
		c = q.counts[key]
		q.mu.Unlock()
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if limit > 0 && c.used >= limit {
		return false, nil
	}
	c.used++
	return true, nil
}

// Used returns the key's count in the month of now, as far as this process
// knows it (0 before the key's first request of the month).
func (q *Quota) Used(key string, now time.Time) int64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	if c := q.counts[key]; c != nil && c.month == Month(now) {
		return c.used
	}
	return 0
}
