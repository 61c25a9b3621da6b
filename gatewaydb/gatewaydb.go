// Package gatewaydb is the database side of the partner API gateway: it
// issues, rotates and revokes API keys, looks keys up, and writes and reads
// metered usage. The routes (hooks), the CLI (commands) and the demo (seed)
// share it, so a key is made the same way everywhere. The rules themselves
// live in the pure package gateway.
package gatewaydb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/gateway"
)

// Defaults of a new key when the caller does not say.
const (
	DefaultRateLimit    = 60     // per minute
	DefaultMonthlyQuota = 100000 // per Tokyo month
)

// KeySpec is what a new key allows.
type KeySpec struct {
	Label        string
	Scopes       []string  // validated with gateway.ParseScopes
	ExpiresAt    time.Time // zero: never
	RateLimit    int
	MonthlyQuota int64
}

// ErrRevoked is returned when rotating or revoking a key already revoked.
var ErrRevoked = errors.New("gatewaydb: the key is already revoked")

// Issue creates a key for the partner and returns its record and the key
// itself, which exists nowhere else: the record holds only its hash.
func Issue(ctx context.Context, app core.App, partnerID string, spec KeySpec) (*core.Record, string, error) {
	return issue(ctx, app, partnerID, spec, "")
}

func issue(ctx context.Context, app core.App, partnerID string, spec KeySpec, replaces string) (*core.Record, string, error) {
	scopes, err := gateway.ParseScopes(spec.Scopes)
	if err != nil {
		return nil, "", err
	}
	col, err := app.FindCachedCollectionByNameOrId(collections.APIKeys)
	if err != nil {
		return nil, "", err
	}
	key, prefix := gateway.NewKey()
	rec := core.NewRecord(col)
	rec.Set("partner", partnerID)
	rec.Set("label", spec.Label)
	rec.Set("prefix", prefix)
	rec.Set("hash", gateway.Hash(key))
	rec.Set("scopes", scopes)
	if !spec.ExpiresAt.IsZero() {
		rec.Set("expiresAt", spec.ExpiresAt)
	}
	rec.Set("rateLimit", spec.RateLimit)
	rec.Set("monthlyQuota", spec.MonthlyQuota)
	rec.Set("replaces", replaces)
	if err := app.SaveWithContext(ctx, rec); err != nil {
		return nil, "", err
	}
	return rec, key, nil
}

// Rotate issues a new key with the old key's settings and revokes the old
// one, in one transaction, and returns the new record and key.
func Rotate(ctx context.Context, app core.App, keyID string, now time.Time) (*core.Record, string, error) {
	var rec *core.Record
	var key string
	err := app.RunInTransaction(func(tx core.App) error {
		old, err := tx.FindRecordById(collections.APIKeys, keyID)
		if err != nil {
			return err
		}
		if !old.GetDateTime("revokedAt").IsZero() {
			return ErrRevoked
		}
		rec, key, err = issue(ctx, tx, old.GetString("partner"), specOf(old), old.Id)
		if err != nil {
			return err
		}
		old.Set("revokedAt", now)
		return tx.SaveWithContext(ctx, old)
	})
	return rec, key, err
}

// specOf is a key's settings, for its successor.
func specOf(r *core.Record) KeySpec {
	return KeySpec{
		Label: r.GetString("label"), Scopes: r.GetStringSlice("scopes"), ExpiresAt: r.GetDateTime("expiresAt").Time(),
		RateLimit: r.GetInt("rateLimit"), MonthlyQuota: r.GetInt64("monthlyQuota"),
	}
}

// Revoke stops a key at once.
func Revoke(ctx context.Context, app core.App, keyID string, now time.Time) (*core.Record, error) {
	rec, err := app.FindRecordById(collections.APIKeys, keyID)
	if err != nil {
		return nil, err
	}
	if !rec.GetDateTime("revokedAt").IsZero() {
		return rec, ErrRevoked
	}
	rec.Set("revokedAt", now)
	return rec, app.SaveWithContext(ctx, rec)
}

// ResetSecret gives an existing key a new secret (and prefix) in place and
// returns it. The demo uses it to print a working key at each start without
// ever storing one.
func ResetSecret(ctx context.Context, app core.App, keyID string) (string, error) {
	rec, err := app.FindRecordById(collections.APIKeys, keyID)
	if err != nil {
		return "", err
	}
	key, prefix := gateway.NewKey()
	rec.Set("prefix", prefix)
	rec.Set("hash", gateway.Hash(key))
	return key, app.SaveWithContext(ctx, rec)
}

// FindByPrefix finds a key by its public prefix.
func FindByPrefix(app core.App, prefix string) (*core.Record, error) {
	return app.FindFirstRecordByData(collections.APIKeys, "prefix", prefix)
}

// EnsurePartner finds the partner by name or creates it, active.
func EnsurePartner(ctx context.Context, app core.App, name string) (rec *core.Record, created bool, err error) {
	rec, err = app.FindFirstRecordByData(collections.Partners, "name", name)
	if err == nil {
		return rec, false, nil
	}
	col, err := app.FindCachedCollectionByNameOrId(collections.Partners)
	if err != nil {
		return nil, false, err
	}
	rec = core.NewRecord(col)
	rec.Set("name", name)
	rec.Set("active", true)
	return rec, true, app.SaveWithContext(ctx, rec)
}

// Lookup finds the credential of a key hash; nil, nil when there is none.
func Lookup(app core.App, hash string) (*gateway.Credential, error) {
	key, err := app.FindFirstRecordByData(collections.APIKeys, "hash", hash)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		return nil, err
	}
	partner, err := app.FindRecordById(collections.Partners, key.GetString("partner"))
	if err != nil {
		return nil, fmt.Errorf("key %s: partner: %w", key.Id, err)
	}
	return Credential(key, partner), nil
}

// Credential is what the gateway needs to know of a key and its partner.
func Credential(key, partner *core.Record) *gateway.Credential {
	return &gateway.Credential{
		KeyID: key.Id, Prefix: key.GetString("prefix"),
		Partner: partner.Id, PartnerName: partner.GetString("name"), PartnerActive: partner.GetBool("active"),
		Scopes:    key.GetStringSlice("scopes"),
		ExpiresAt: key.GetDateTime("expiresAt").Time(), RevokedAt: key.GetDateTime("revokedAt").Time(),
		RateLimit: key.GetInt("rateLimit"), MonthlyQuota: key.GetInt64("monthlyQuota"),
	}
}
