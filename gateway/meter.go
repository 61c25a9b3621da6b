package gateway

import (
	"sync"
	"time"

	"github.com/saijo-dx/lifestage/civil"
)

// Use is one metered request: whose key, which endpoint, which Tokyo day,
// which status.
type Use struct {
	Key      string
	Partner  string
	Day      string // YYYY-MM-DD, Tokyo
	Endpoint string // "GET /ngsi/v2/entities": method and route pattern
	Status   int
}

// Count is a batch row: how many times the same use happened.
type Count struct {
	Use
	N int64
}

// Meter aggregates uses in memory and hands them to a flush function in
// batches, so a request costs a map increment, not a database write.
type Meter struct {
	mu      sync.Mutex
	pending map[Use]int64
	flush   func([]Count) error
}

// NewMeter returns a meter that writes batches with flush.
func NewMeter(flush func([]Count) error) *Meter {
	return &Meter{pending: map[Use]int64{}, flush: flush}
}

// DayOf is the metering day of an instant (Tokyo).
func DayOf(t time.Time) string { return civil.DateOf(t).String() }

// Add counts one use.
func (m *Meter) Add(u Use) {
	m.mu.Lock()
	m.pending[u]++
	m.mu.Unlock()
}

// Pending returns how many distinct uses wait for the next flush.
func (m *Meter) Pending() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.pending)
}

// Flush hands everything counted so far to the flush function. If it
// fails, the counts go back into the meter for the next try, so no request
// is lost or counted twice.
func (m *Meter) Flush() error {
	m.mu.Lock()
	batch := m.pending
	m.pending = map[Use]int64{}
	m.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	rows := make([]Count, 0, len(batch))
	for u, n := range batch {
		rows = append(rows, Count{Use: u, N: n})
	}
	err := m.flush(rows)
	if err != nil {
		m.mu.Lock()
		for u, n := range batch {
			m.pending[u] += n
		}
		m.mu.Unlock()
	}
	return err
}
