// Package registerdb writes a parsed resident-register extract (package
// register) into the households and residents collections.
package registerdb

import (
	"context"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/register"
)

// Areas lists the areas a row may name.
func Areas(app core.App) ([]register.Area, error) {
	recs, err := app.FindAllRecords("areas")
	if err != nil {
		return nil, err
	}
	out := make([]register.Area, len(recs))
	for i, r := range recs {
		out[i] = register.Area{ID: r.Id, Code: r.GetString("code"), Name: r.GetString("name"), Leaf: r.GetString("parent") != ""}
	}
	return out, nil
}

// Stats counts an import's residents and households.
type Stats struct {
	Imported   int                 `json:"imported"`
	Updated    int                 `json:"updated"`
	Unchanged  int                 `json:"unchanged"`
	Households int                 `json:"households"`
	Failed     []register.RowError `json:"-"` // rows of households that could not be saved
}

// Write upserts the households and their members: households by 世帯番号,
// residents by key. Each household is one transaction, so a failure loses
// that household alone, reported on its rows. ctx carries the actor for
// the audit log (or marks a bulk load).
func Write(app core.App, ctx context.Context, res *register.Result) (Stats, error) {
	var out Stats
	members := map[string][]register.Person{}
	var keys []string
	for _, p := range res.People {
		members[p.HouseholdCode] = append(members[p.HouseholdCode], p)
		keys = append(keys, p.Key)
	}
	codes := make([]string, len(res.Households))
	for i, h := range res.Households {
		codes[i] = h.Code
	}
	homes, err := RecordsBy(app, "households", "code", codes)
	if err != nil {
		return out, err
	}
	people, err := RecordsBy(app, "residents", "key", keys)
	if err != nil {
		return out, err
	}
	for _, h := range res.Households {
		var n Stats
		err := app.RunInTransaction(func(tx core.App) error {
			n = Stats{}
			return upsertHousehold(tx, ctx, h, members[h.Code], homes, people, &n)
		})
		if err != nil {
			for _, p := range members[h.Code] {
				out.Failed = append(out.Failed, register.RowError{Row: p.Row, Code: "save_failed",
					Message: "この行の世帯を保存できませんでした（" + err.Error() + "）。"})
			}
			continue
		}
		out.Households++
		out.Imported += n.Imported
		out.Updated += n.Updated
		out.Unchanged += n.Unchanged
	}
	return out, nil
}

func upsertHousehold(tx core.App, ctx context.Context, h register.Household, members []register.Person,
	homes, people map[string]*core.Record, n *Stats) error {
	home, _, err := upsert(tx, ctx, homes, "households", h.Code, map[string]any{
		"code": h.Code, "address": h.Address, "area": h.AreaID, "memberCount": h.MemberCount,
		"livingAlone": h.LivingAlone, "elderlyOnly": h.ElderlyOnly,
	})
	if err != nil {
		return err
	}
	for _, p := range members {
		_, state, err := upsert(tx, ctx, people, "residents", p.Key, map[string]any{
			"key": p.Key, "household": home.Id, "familyName": p.FamilyName, "givenName": p.GivenName,
			"familyNameKana": p.FamilyNameKana, "givenNameKana": p.GivenNameKana, "birthDate": p.BirthDate.String(),
			"sex": p.Sex, "relationship": p.Relationship, "area": p.AreaID,
		})
		if err != nil {
			return fmt.Errorf("%d行目: %w", p.Row, err)
		}
		switch state {
		case upsertCreated:
			n.Imported++
		case upsertChanged:
			n.Updated++
		default:
			n.Unchanged++
		}
	}
	return nil
}

type upsertState int

const (
	upsertUnchanged upsertState = iota
	upsertCreated
	upsertChanged
)

// upsert creates the record or updates the fields that differ. An
// unchanged record is not saved, so a re-import writes (and audits)
// nothing.
func upsert(tx core.App, ctx context.Context, existing map[string]*core.Record, collection, key string, fields map[string]any) (*core.Record, upsertState, error) {
	r, ok := existing[key]
	state := upsertChanged
	if !ok {
		col, err := tx.FindCachedCollectionByNameOrId(collection)
		if err != nil {
			return nil, 0, err
		}
		r, state = core.NewRecord(col), upsertCreated
	} else {
		r = r.Fresh()
	}
	same := ok
	for k, v := range fields {
		if fmt.Sprint(r.Get(k)) != fmt.Sprint(v) {
			same = false
			r.Set(k, v)
		}
	}
	if same {
		return r, upsertUnchanged, nil
	}
	return r, state, tx.SaveWithContext(ctx, r)
}

// RecordsBy loads the records whose field is one of the values, keyed by
// that field, in chunks that stay under SQLite's variable limit.
func RecordsBy(app core.App, collection, field string, values []string) (map[string]*core.Record, error) {
	out := make(map[string]*core.Record, len(values))
	for start := 0; start < len(values); start += 500 {
		chunk := make([]any, 0, 500)
		for _, v := range values[start:min(start+500, len(values))] {
			chunk = append(chunk, v)
		}
		recs, err := app.FindAllRecords(collection, dbx.In(field, chunk...))
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			out[r.GetString(field)] = r
		}
	}
	return out, nil
}
