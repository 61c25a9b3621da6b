package gateway

import (
	"sync"
	"time"
)

// Cache maps key hashes to credentials so the steady state needs no
// database lookup. Entries expire so that a key issued, revoked or changed
// by another process (the CLI on the same data dir) is seen within the TTL:
// record hooks fire only in the process that wrote. Unknown hashes are
// cached too, briefly, so a flood of bad keys cannot hammer the database.
type Cache struct {
	mu          sync.RWMutex
	entries     map[string]cacheEntry
	TTL, NegTTL time.Duration
}

type cacheEntry struct {
	cred    *Credential // nil: no such key
	expires time.Time
}

// maxNegative bounds the unknown-key entries a flood can create.
const maxNegative = 10000

// NewCache returns a cache with the given lifetimes for known and unknown
// keys.
func NewCache(ttl, negTTL time.Duration) *Cache {
	return &Cache{entries: map[string]cacheEntry{}, TTL: ttl, NegTTL: negTTL}
}

// Get returns the cached credential (nil for a cached unknown key) and
// whether the cache knew the hash at that instant.
func (c *Cache) Get(hash string, now time.Time) (*Credential, bool) {
	c.mu.RLock()
	e, ok := c.entries[hash]
	c.mu.RUnlock()
	if !ok || !now.Before(e.expires) {
		return nil, false
	}
	return e.cred, true
}

// Put remembers a lookup result; cred nil records an unknown key.
func (c *Cache) Put(hash string, cred *Credential, now time.Time) {
	ttl := c.TTL
	c.mu.Lock()
	defer c.mu.Unlock()
	if cred == nil {
		ttl = c.NegTTL
		if len(c.entries) >= maxNegative {
			c.sweep(now)
		}
	}
	c.entries[hash] = cacheEntry{cred: cred, expires: now.Add(ttl)}
}

// sweep drops expired entries; if the flood is current, all negatives.
func (c *Cache) sweep(now time.Time) {
	for h, e := range c.entries {
		if !now.Before(e.expires) {
			delete(c.entries, h)
		}
	}
	if len(c.entries) >= maxNegative {
		for h, e := range c.entries {
			if e.cred == nil {
				delete(c.entries, h)
			}
		}
	}
}

// Clear forgets everything: a key or partner changed in this process.
func (c *Cache) Clear() {
	c.mu.Lock()
	c.entries = map[string]cacheEntry{}
	c.mu.Unlock()
}
