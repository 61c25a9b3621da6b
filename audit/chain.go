// Package audit holds the rules of lifestage's tamper-evident audit log: what
// an entry contains, how it is hashed, and how a chain of entries is checked.
// Each entry stores the SHA-256 of its own content, which includes the hash
// of the entry before it, so changing or removing any entry breaks the chain
// from that point on. Storage lives in hooks; this package is plain Go.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Actions recorded in the log.
const (
	ActionCreate  = "create"
	ActionUpdate  = "update"
	ActionDelete  = "delete"
	ActionView    = "view"    // a staff read of a sensitive record
	ActionImport  = "import"  // a bulk load (seed, register import), one entry per load
	ActionLockout = "lockout" // an account or address was locked after failed logins
	ActionRekey   = "rekey"   // encrypted fields re-sealed with a new key, one entry per collection
)

// Genesis is the previous hash of the first entry.
var Genesis = strings.Repeat("0", 64)

// TimeLayout is how an entry's time is written (and hashed): UTC, milliseconds.
const TimeLayout = "2006-01-02T15:04:05.000Z"

// Entry is one audit record. Field values of the audited record are never
// stored, only the names of the fields that changed.
type Entry struct {
	Seq             int64    `json:"seq"`
	At              string   `json:"at"`
	Actor           string   `json:"actor"`
	ActorCollection string   `json:"actorCollection"`
	ActorRole       string   `json:"actorRole"`
	Action          string   `json:"action"`
	Collection      string   `json:"collection"`
	Record          string   `json:"record"`
	Subject         string   `json:"subject"`
	Fields          []string `json:"fields"`
	IP              string   `json:"ip"`
	UserAgent       string   `json:"userAgent"`
	PrevHash        string   `json:"prevHash"`
	Hash            string   `json:"-"`
}

// Stamp formats an instant as an entry time.
func Stamp(t time.Time) string { return t.UTC().Format(TimeLayout) }

// ComputeHash returns the hex SHA-256 of the entry's content, previous hash
// included and its own hash excluded. The JSON form of a struct has a fixed
// field order, so the content is canonical.
func (e Entry) ComputeHash() string {
	if e.Fields == nil {
		e.Fields = []string{}
	}
	raw, err := json.Marshal(e)
	if err != nil {
		panic(err) // a struct of strings and ints always marshals
	}
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// Head is the newest entry's position in the chain.
type Head struct {
	Seq  int64
	Hash string
}

// EmptyHead is the head of an empty log.
var EmptyHead = Head{Seq: 0, Hash: Genesis}

// Link fills in an entry's place after head: its sequence number, previous
// hash and own hash. Field names are sorted so the same change always hashes
// the same.
func Link(e Entry, head Head) Entry {
	e.Fields = slices.Clone(e.Fields)
	slices.Sort(e.Fields)
	e.Seq = head.Seq + 1
	e.PrevHash = head.Hash
	e.Hash = e.ComputeHash()
	return e
}

// ErrBroken reports where a chain stops being intact.
var ErrBroken = errors.New("audit chain broken")

// Verifier checks entries one by one, in sequence order.
type Verifier struct {
	head Head
}

// NewVerifier starts at the beginning of the log.
func NewVerifier() *Verifier { return &Verifier{head: EmptyHead} }

// Head returns the last entry checked.
func (v *Verifier) Head() Head { return v.head }

// Check verifies the next entry: its sequence number follows, it points at
// the previous hash, and its stored hash matches its content.
func (v *Verifier) Check(e Entry) error {
	switch {
	case e.Seq != v.head.Seq+1:
		return fmt.Errorf("%w: expected sequence %d, found %d", ErrBroken, v.head.Seq+1, e.Seq)
	case e.PrevHash != v.head.Hash:
		return fmt.Errorf("%w: entry %d does not point at the previous entry", ErrBroken, e.Seq)
	case e.Hash != e.ComputeHash():
		return fmt.Errorf("%w: entry %d does not match its hash", ErrBroken, e.Seq)
	}
	v.head = Head{Seq: e.Seq, Hash: e.Hash}
	return nil
}

// ChangedFields lists the names whose values differ between before and after.
func ChangedFields(names []string, before, after func(name string) any) []string {
	var out []string
	for _, n := range names {
		if fmt.Sprint(before(n)) != fmt.Sprint(after(n)) {
			out = append(out, n)
		}
	}
	return out
}
