// Package auditlog stores lifestage's audit chain (package audit holds its
// rules) in the audit_log collection, and verifies it.
package auditlog

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"

	"github.com/saijo-dx/lifestage/audit"
)

// Collection holds the chain.
const Collection = "audit_log"

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// Append links the entry to the newest one and stores it. Reading the head
// and inserting happen in one transaction; SQLite serialises writers, so two
// appends can never fork the chain. The row is written directly: no API or
// record hook can touch it on the way.
func Append(app core.App, e audit.Entry) error {
	return app.RunInTransaction(func(tx core.App) error {
		head, err := Head(tx)
		if err != nil {
			return err
		}
		linked := audit.Link(e, head)
		fields, err := json.Marshal(linked.Fields)
		if err != nil {
			return err
		}
		now := time.Now().UTC().Format("2006-01-02 15:04:05.000Z")
		_, err = tx.DB().Insert(Collection, dbx.Params{
			"id":  security.RandomStringWithAlphabet(15, idAlphabet),
			"seq": linked.Seq, "at": linked.At, "actor": linked.Actor, "actorCollection": linked.ActorCollection,
			"actorRole": linked.ActorRole, "action": linked.Action, "collection": linked.Collection,
			"record": linked.Record, "subject": linked.Subject, "fields": string(fields), "ip": linked.IP,
			"userAgent": linked.UserAgent, "prevHash": linked.PrevHash, "hash": linked.Hash,
			"created": now, "updated": now,
		}).Execute()
		return err
	})
}

// Head returns the newest entry's position, or the empty head.
func Head(app core.App) (audit.Head, error) {
	var row struct {
		Seq  int64  `db:"seq"`
		Hash string `db:"hash"`
	}
	err := app.DB().NewQuery("SELECT seq, hash FROM " + Collection + " ORDER BY seq DESC LIMIT 1").One(&row)
	if errors.Is(err, sql.ErrNoRows) {
		return audit.EmptyHead, nil
	}
	return audit.Head{Seq: row.Seq, Hash: row.Hash}, err
}

// LogImport writes one entry for a bulk load instead of one per record.
func LogImport(app core.App, collection string, count int) error {
	return Append(app, audit.Entry{
		At: audit.Stamp(time.Now()), ActorRole: audit.System.Role, Action: audit.ActionImport,
		Collection: collection, Record: fmt.Sprintf("%d", count),
	})
}

// Result is the outcome of a verification.
type Result struct {
	OK       bool
	Entries  int64
	Head     audit.Head
	BrokenID string // id of the first entry that does not verify
	Reason   string
}

type row struct {
	ID              string `db:"id"`
	Seq             int64  `db:"seq"`
	At              string `db:"at"`
	Actor           string `db:"actor"`
	ActorCollection string `db:"actorCollection"`
	ActorRole       string `db:"actorRole"`
	Action          string `db:"action"`
	Collection      string `db:"collection"`
	Record          string `db:"record"`
	Subject         string `db:"subject"`
	Fields          string `db:"fields"`
	IP              string `db:"ip"`
	UserAgent       string `db:"userAgent"`
	PrevHash        string `db:"prevHash"`
	Hash            string `db:"hash"`
}

func (r row) entry() audit.Entry {
	var fields []string
	_ = json.Unmarshal([]byte(r.Fields), &fields)
	return audit.Entry{Seq: r.Seq, At: r.At, Actor: r.Actor, ActorCollection: r.ActorCollection, ActorRole: r.ActorRole,
		Action: r.Action, Collection: r.Collection, Record: r.Record, Subject: r.Subject, Fields: fields,
		IP: r.IP, UserAgent: r.UserAgent, PrevHash: r.PrevHash, Hash: r.Hash}
}

// Verify walks the whole chain in sequence order, a page at a time.
func Verify(app core.App) (Result, error) {
	v := audit.NewVerifier()
	var n int64
	const page = 1000
	for {
		var rows []row
		err := app.DB().Select("*").From(Collection).
			Where(dbx.NewExp("seq > {:after}", dbx.Params{"after": v.Head().Seq})).
			OrderBy("seq ASC").Limit(page).All(&rows)
		if err != nil {
			return Result{}, err
		}
		for _, r := range rows {
			if err := v.Check(r.entry()); err != nil {
				return Result{Entries: n, Head: v.Head(), BrokenID: r.ID, Reason: err.Error()}, nil
			}
			n++
		}
		if len(rows) < page {
			break
		}
	}
	// Rows whose seq jumps backwards or repeats would be skipped by the
	// paging above; the count catches them.
	total, err := app.CountRecords(Collection)
	if err != nil {
		return Result{}, err
	}
	if total != n {
		var id string
		_ = app.DB().NewQuery("SELECT id FROM " + Collection + " WHERE seq <= 0 OR seq > {:h} ORDER BY seq LIMIT 1").
			Bind(dbx.Params{"h": v.Head().Seq}).Row(&id)
		return Result{Entries: n, Head: v.Head(), BrokenID: id, Reason: fmt.Sprintf("%d rows are outside the chain", total-n)}, nil
	}
	return Result{OK: true, Entries: n, Head: v.Head()}, nil
}
