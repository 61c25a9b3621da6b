package reports

import (
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
)

// The usage report (利用者数報告, spec §4(10)エ) counts registered accounts
// per system and role at the end of a month and of the month before. It
// holds counts only, never a person.

// UsageRow is one line of the usage report.
type UsageRow struct {
	Key      string `json:"key"`
	Label    string `json:"label"`
	Current  int    `json:"current"`
	Previous int    `json:"previous"`
	Change   int    `json:"change"`
}

// UsageCategory is one line's stable key and Japanese label.
type UsageCategory struct {
	Key, Label string
}

// UsageReport is the usage report of one month.
type UsageReport struct {
	Month       Month
	GeneratedAt time.Time
	Rows        []UsageRow
}

// UsagePayload is the report as JSON.
type UsagePayload struct {
	Month       string     `json:"month"`
	GeneratedAt string     `json:"generatedAt"`
	Rows        []UsageRow `json:"rows"`
}

// Payload returns the report as JSON.
func (r UsageReport) Payload() UsagePayload {
	rows := r.Rows
	if rows == nil {
		rows = []UsageRow{}
	}
	return UsagePayload{Month: r.Month.String(), GeneratedAt: r.GeneratedAt.In(civil.Tokyo).Format(time.RFC3339), Rows: rows}
}

// FileName is the report's download name, e.g. users-2026-03.xlsx.
func (r UsageReport) FileName() string { return UsersFileName(r.Month) }

// UsersFileName is the usage report's file name for a month.
func UsersFileName(m Month) string { return "users-" + m.String() + ".xlsx" }

// Keys of the citizen lines.
const (
	UsageUsers     = "users"
	UsageGuardians = "users.guardians"
	UsageFamily    = "users.family"
)

// staffGroups are the staff account collections and the select fields their
// lines are split by, in report order.
var staffGroups = []struct {
	collection, label string
	by                []string
}{
	{collections.CityStaff, "市職員", []string{"department", "role"}},
	{collections.NurseryStaff, "保育施設職員", []string{"role"}},
	{collections.MedicalStaff, "医療機関職員", []string{"role"}},
	{collections.Volunteers, "見守りボランティア", nil},
}

// UsageCategories lists the report's lines in order. Departments and roles
// come from the schema, with the Japanese labels of its descriptions, so a
// new role gets its line without touching the report.
func UsageCategories() []UsageCategory {
	cats := []UsageCategory{
		{UsageUsers, "市民（市民アカウント）全体"},
		{UsageGuardians, "　うち保護者（子どもの保護者として登録されている市民）"},
		{UsageFamily, "　うち家族共有を受けている市民（共有中）"},
	}
	for _, g := range staffGroups {
		if len(g.by) == 0 {
			cats = append(cats, UsageCategory{g.collection, g.label})
			continue
		}
		cats = append(cats, UsageCategory{g.collection, g.label + " 計"})
		for _, combo := range valueCombos(g.collection, g.by) {
			cats = append(cats, UsageCategory{g.collection + "." + combo.key, "　" + g.label + " " + combo.label})
		}
	}
	return cats
}

type combo struct{ key, label string }

// valueCombos lists every combination of the fields' values, e.g.
// child.viewer 子育て・閲覧のみ.
func valueCombos(collection string, fields []string) []combo {
	out := []combo{{}}
	for _, f := range fields {
		values, labels := collections.ValueLabels(collection, f)
		var next []combo
		for _, c := range out {
			for _, v := range values {
				n := combo{key: v, label: labels[v]}
				if c.key != "" {
					n = combo{key: c.key + "." + v, label: c.label + "・" + labels[v]}
				}
				next = append(next, n)
			}
		}
		out = next
	}
	return out
}

// CompareUsage builds the report's lines from the counts at the end of the
// month and of the month before; a missing count is zero.
func CompareUsage(cats []UsageCategory, current, previous map[string]int) []UsageRow {
	rows := make([]UsageRow, len(cats))
	for i, c := range cats {
		cur, prev := current[c.Key], previous[c.Key]
		rows[i] = UsageRow{Key: c.Key, Label: c.Label, Current: cur, Previous: prev, Change: cur - prev}
	}
	return rows
}

// UsersReport counts the accounts for the month and the month before.
func UsersReport(app core.App, m Month, now time.Time) (UsageReport, error) {
	current, err := CountAccounts(app, m.Cutoff())
	if err != nil {
		return UsageReport{}, err
	}
	previous, err := CountAccounts(app, m.Prev().Cutoff())
	if err != nil {
		return UsageReport{}, err
	}
	return UsageReport{Month: m, GeneratedAt: now, Rows: CompareUsage(UsageCategories(), current, previous)}, nil
}

// CountAccounts counts, by category key, the accounts created before the
// cutoff. Staff and volunteers count only while their account is active: a
// disabled account is a person who left. Guardianship and family sharing are
// read from today's records, limited to those that existed (or, for a
// share, were accepted and not yet revoked) before the cutoff; the schema
// keeps no history of earlier guardians.
func CountAccounts(app core.App, cutoff time.Time) (map[string]int, error) {
	cut := dbx.Params{"cut": cutoff.UTC().Format(types.DefaultDateLayout)}
	counts := map[string]int{}
	one := func(key, sql string) error {
		var n int
		if err := app.DB().NewQuery(sql).Bind(cut).Row(&n); err != nil {
			return fmt.Errorf("reports: count %s: %w", key, err)
		}
		counts[key] = n
		return nil
	}
	if err := one(UsageUsers, `SELECT COUNT(*) FROM users WHERE created < {:cut}`); err != nil {
		return nil, err
	}
	if err := one(UsageGuardians, `
		SELECT COUNT(DISTINCT u.id)
		FROM children c, json_each(CASE WHEN json_valid(c.guardians) THEN c.guardians ELSE '[]' END) g
		JOIN users u ON u.id = g.value
		WHERE c.created < {:cut} AND u.created < {:cut}`); err != nil {
		return nil, err
	}
	if err := one(UsageFamily, `
		SELECT COUNT(DISTINCT u.id)
		FROM family_shares s JOIN users u ON u.id = s.member
		WHERE u.created < {:cut}
		  AND COALESCE(NULLIF(s.acceptedAt, ''), s.created) < {:cut}
		  AND (s.status = 'active' OR (s.status = 'revoked' AND s.revokedAt != '' AND s.revokedAt >= {:cut}))`); err != nil {
		return nil, err
	}
	for _, g := range staffGroups {
		if err := countStaff(app, g.collection, g.by, cut, counts); err != nil {
			return nil, err
		}
	}
	return counts, nil
}

// countStaff counts the active accounts of a staff collection, in total and
// grouped by the fields.
func countStaff(app core.App, collection string, by []string, cut dbx.Params, counts map[string]int) error {
	cols := ""
	for _, f := range by {
		cols += "COALESCE([[" + f + "]], ''), "
	}
	sql := "SELECT " + cols + "COUNT(*) FROM {{" + collection + "}} WHERE created < {:cut} AND active = TRUE"
	if len(by) > 0 {
		sql += " GROUP BY " + cols[:len(cols)-2]
	}
	rows, err := app.DB().NewQuery(sql).Bind(cut).Rows()
	if err != nil {
		return fmt.Errorf("reports: count %s: %w", collection, err)
	}
	defer rows.Close()
	total := 0
	for rows.Next() {
		vals := make([]string, len(by))
		var n int
		dest := make([]any, 0, len(by)+1)
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		dest = append(dest, &n)
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("reports: count %s: %w", collection, err)
		}
		total += n
		if len(by) > 0 {
			key := collection
			for _, v := range vals {
				key += "." + v
			}
			counts[key] += n
		}
	}
	counts[collection] = total
	return rows.Err()
}
