package hooks

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/register"
)

const (
	candidatesPerPage    = 50
	candidatesMaxPerPage = 200
	// confirmMax caps one confirmation: a page of candidates.
	confirmMax = candidatesMaxPerPage
)

type ruleRef struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	MinAge    int    `json:"minAge"`
	Household string `json:"household"`
}

type candidate struct {
	Resident      string    `json:"resident"`
	Key           string    `json:"key"`
	Name          string    `json:"name"`
	Kana          string    `json:"kana"`
	BirthDate     string    `json:"birthDate"`
	Age           int       `json:"age"`
	Sex           string    `json:"sex"`
	Area          string    `json:"area"`
	AreaName      string    `json:"areaName"`
	Address       string    `json:"address"`
	HouseholdCode string    `json:"householdCode"`
	HouseholdKind string    `json:"householdKind"`
	Rules         []ruleRef `json:"rules"`
}

// activeRules loads the rules that propose candidates.
func activeRules(app core.App) ([]register.Rule, error) {
	recs, err := app.FindRecordsByFilter(collections.WatchCandidateRules, "active = true", "name", 0, 0)
	if err != nil {
		return nil, err
	}
	out := make([]register.Rule, len(recs))
	for i, r := range recs {
		out[i] = register.Rule{ID: r.Id, Name: r.GetString("name"), MinAge: r.GetInt("minAge"),
			Household: r.GetString("household"), Areas: r.GetStringSlice("areas")}
	}
	return out, nil
}

// unwatched is a resident with no watch target, as the rules see them.
type unwatched struct {
	ID          string `db:"id"`
	BirthDate   string `db:"birthDate"`
	Area        string `db:"area"`
	LivingAlone bool   `db:"livingAlone"`
	ElderlyOnly bool   `db:"elderlyOnly"`
}

// unwatchedResidents narrows, in one indexed query, to the residents that
// could match any of the rules and have no watch target; the rules then
// decide in Go (package register), where age follows civil.AgeOn exactly.
func unwatchedResidents(app core.App, rules []register.Rule, area string, on civil.Date) ([]unwatched, error) {
	minAge, anyHousehold := register.Loosest(rules)
	q := app.DB().Select("r.id", "r.birthDate", "r.area", "h.livingAlone", "h.elderlyOnly").
		From("residents r").
		InnerJoin("households h", dbx.NewExp("h.id = r.household")).
		LeftJoin("watch_targets w", dbx.NewExp("w.resident = r.id")).
		Where(dbx.NewExp("w.id IS NULL AND r.birthDate != '' AND r.birthDate <= {:latest}",
			dbx.Params{"latest": register.LatestBirth(minAge, on).String()})).
		OrderBy("r.birthDate", "r.id")
	if !anyHousehold {
		q.AndWhere(dbx.NewExp("(h.livingAlone = TRUE OR h.elderlyOnly = TRUE)"))
	}
	if area != "" {
		q.AndWhere(dbx.HashExp{"r.area": area})
	}
	var rows []unwatched
	return rows, q.All(&rows)
}

// watchCandidates lists, oldest first, the residents an active rule
// proposes who are not watched yet, with the rules that matched.
// ?rule=ID keeps one rule's candidates, ?area=ID one area's.
func watchCandidates(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	page, perPage := pageParams(q.Get("page"), q.Get("perPage"))
	rules, err := activeRules(e.App)
	if err != nil {
		return e.InternalServerError("", err)
	}
	refs := make([]ruleRef, len(rules))
	for i, r := range rules {
		refs[i] = ruleRef{r.ID, r.Name, r.MinAge, r.Household}
	}
	if only := q.Get("rule"); only != "" {
		i := slices.IndexFunc(rules, func(r register.Rule) bool { return r.ID == only })
		if i < 0 {
			return fieldError("rule", "unknown_rule", "有効な抽出条件ではありません。")
		}
		rules = rules[i : i+1]
	}
	today := civil.Today()
	var matched []candidate
	if len(rules) > 0 {
		rows, err := unwatchedResidents(e.App, rules, q.Get("area"), today)
		if err != nil {
			return e.InternalServerError("", err)
		}
		matched = matchCandidates(rules, rows, today)
	}
	start := min((page-1)*perPage, len(matched))
	items := matched[start:min(start+perPage, len(matched))]
	if err := describeCandidates(e.App, items); err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{
		"asOf": today.String(), "page": page, "perPage": perPage, "totalItems": len(matched),
		"totalPages": (len(matched) + perPage - 1) / perPage, "rules": refs, "items": items,
	})
}

func matchCandidates(rules []register.Rule, rows []unwatched, on civil.Date) []candidate {
	var out []candidate
	for _, row := range rows {
		birth, err := civil.Parse(row.BirthDate)
		if err != nil {
			continue
		}
		hits := register.Matching(rules, register.Resident{BirthDate: birth, AreaID: row.Area, LivingAlone: row.LivingAlone, ElderlyOnly: row.ElderlyOnly}, on)
		if len(hits) == 0 {
			continue
		}
		c := candidate{Resident: row.ID, BirthDate: row.BirthDate, Age: civil.AgeOn(birth, on), Area: row.Area,
			HouseholdKind: register.HouseholdKind(row.LivingAlone, row.ElderlyOnly)}
		for _, h := range hits {
			c.Rules = append(c.Rules, ruleRef{h.ID, h.Name, h.MinAge, h.Household})
		}
		out = append(out, c)
	}
	return out
}

// describeCandidates fills names, area names and addresses of one page in
// a single query.
func describeCandidates(app core.App, items []candidate) error {
	if len(items) == 0 {
		return nil
	}
	ids := make([]any, len(items))
	for i, c := range items {
		ids[i] = c.Resident
	}
	var rows []struct {
		ID             string `db:"id"`
		Key            string `db:"key"`
		FamilyName     string `db:"familyName"`
		GivenName      string `db:"givenName"`
		FamilyNameKana string `db:"familyNameKana"`
		GivenNameKana  string `db:"givenNameKana"`
		Sex            string `db:"sex"`
		AreaName       string `db:"areaName"`
		Address        string `db:"address"`
		Code           string `db:"code"`
	}
	err := app.DB().Select("r.id", "r.key", "r.familyName", "r.givenName", "r.familyNameKana", "r.givenNameKana", "r.sex",
		"COALESCE(a.name, '') AS areaName", "h.address", "h.code").
		From("residents r").
		InnerJoin("households h", dbx.NewExp("h.id = r.household")).
		LeftJoin("areas a", dbx.NewExp("a.id = r.area")).
		Where(dbx.In("r.id", ids...)).All(&rows)
	if err != nil {
		return err
	}
	for _, row := range rows {
		i := slices.IndexFunc(items, func(c candidate) bool { return c.Resident == row.ID })
		c := &items[i]
		c.Key, c.Sex, c.AreaName, c.Address, c.HouseholdCode = row.Key, row.Sex, row.AreaName, row.Address, row.Code
		c.Name = row.FamilyName + " " + row.GivenName
		if row.FamilyNameKana != "" || row.GivenNameKana != "" {
			c.Kana = row.FamilyNameKana + " " + row.GivenNameKana
		}
	}
	return nil
}

// pageParams reads ?page and ?perPage, clamped to sane values.
func pageParams(p, pp string) (int, int) {
	page, err := strconv.Atoi(p)
	if err != nil || page < 1 {
		page = 1
	}
	perPage, err := strconv.Atoi(pp)
	if err != nil || perPage < 1 {
		perPage = candidatesPerPage
	}
	return page, min(perPage, candidatesMaxPerPage)
}
