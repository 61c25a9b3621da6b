package gatewaydb

import (
	"fmt"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/saijo-dx/lifestage/gateway"
)

// batchRows keeps one upsert statement well under SQLite's variable limit.
const batchRows = 200

// FlushUsage adds a meter batch to api_usage with one upsert statement per
// 200 rows, in one transaction, and stamps lastUsedAt on the keys used.
// Raw SQL on purpose: the counts are the meter's, not a user's edit, and
// record hooks would clear the key cache on every flush.
func FlushUsage(app core.App, rows []gateway.Count, now time.Time) error {
	if len(rows) == 0 {
		return nil
	}
	at := stamp(now)
	return app.RunInTransaction(func(tx core.App) error {
		for start := 0; start < len(rows); start += batchRows {
			if err := upsertUsage(tx, rows[start:min(start+batchRows, len(rows))], at); err != nil {
				return err
			}
		}
		keys := map[string]bool{}
		var ids []any
		for _, r := range rows {
			if !keys[r.Key] {
				keys[r.Key] = true
				ids = append(ids, r.Key)
			}
		}
		_, err := tx.DB().Update("api_keys", dbx.Params{"lastUsedAt": at}, dbx.In("id", ids...)).Execute()
		return err
	})
}

func upsertUsage(tx core.App, rows []gateway.Count, at string) error {
	values := make([]string, len(rows))
	params := dbx.Params{"at": at}
	for i, r := range rows {
		p := func(name string, v any) string {
			k := fmt.Sprintf("%s%d", name, i)
			params[k] = v
			return "{:" + k + "}"
		}
		values[i] = "(" + strings.Join([]string{
			p("id", security.RandomStringWithAlphabet(15, "abcdefghijklmnopqrstuvwxyz0123456789")),
			p("k", r.Key), p("p", r.Partner), p("d", r.Day), p("e", r.Endpoint), p("s", r.Status), p("n", r.N),
			"{:at}", "{:at}",
		}, ",") + ")"
	}
	_, err := tx.DB().NewQuery(`INSERT INTO api_usage (id, apiKey, partner, day, endpoint, status, "count", created, updated) VALUES ` +
		strings.Join(values, ",") +
		` ON CONFLICT (apiKey, day, endpoint, status) DO UPDATE SET "count" = "count" + excluded."count", updated = excluded.updated`).
		Bind(params).Execute()
	return err
}

// refusedStatuses are the gateway's own refusals, which the monthly quota
// does not count.
const refusedStatuses = "401, 403, 429"

// MonthUsage is the key's requests in a Tokyo month ("YYYY-MM") that the
// quota counts: everything the gateway let through.
func MonthUsage(app core.App, keyID, month string) (int64, error) {
	var n int64
	err := app.DB().NewQuery(`SELECT COALESCE(SUM("count"), 0) FROM api_usage
		WHERE apiKey = {:k} AND day >= {:from} AND day <= {:to} AND status NOT IN (` + refusedStatuses + `)`).
		Bind(dbx.Params{"k": keyID, "from": month + "-01", "to": month + "-31"}).Row(&n)
	return n, err
}

// UsageFilter narrows a usage report. Partner "" means every partner.
type UsageFilter struct {
	From, To string // YYYY-MM-DD, inclusive
	Partner  string
}

// UsageRow is one line of a usage report.
type UsageRow struct {
	Day         string `db:"day" json:"day"`
	Partner     string `db:"partner" json:"partner"`
	PartnerName string `db:"partnerName" json:"partnerName"`
	Key         string `db:"apiKey" json:"key"`
	Prefix      string `db:"prefix" json:"prefix"`
	Label       string `db:"label" json:"label"`
	Endpoint    string `db:"endpoint" json:"endpoint"`
	Status      int    `db:"status" json:"status"`
	Count       int64  `db:"count" json:"count"`
}

// maxUsageRows bounds a report; a year of one busy partner fits.
const maxUsageRows = 20000

// Usage lists metered usage per day, key, endpoint and status, newest day
// first.
func Usage(app core.App, f UsageFilter) ([]UsageRow, error) {
	where, params := "u.day BETWEEN {:from} AND {:to}", dbx.Params{"from": f.From, "to": f.To, "limit": maxUsageRows}
	if f.Partner != "" {
		where += " AND u.partner = {:partner}"
		params["partner"] = f.Partner
	}
	rows := []UsageRow{}
	err := app.DB().NewQuery(`SELECT u.day, u.partner, p.name AS partnerName, u.apiKey, k.prefix, k.label, u.endpoint, u.status, u."count" AS "count"
		FROM api_usage u JOIN api_keys k ON k.id = u.apiKey JOIN partners p ON p.id = u.partner
		WHERE ` + where + `
		ORDER BY u.day DESC, p.name, k.prefix, u.endpoint, u.status LIMIT {:limit}`).Bind(params).All(&rows)
	return rows, err
}

// stamp is PocketBase's stored date format.
func stamp(t time.Time) string {
	dt, _ := types.ParseDateTime(t)
	return dt.String()
}
