package seed

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"golang.org/x/crypto/bcrypt"

	"github.com/saijo-dx/lifestage/audit"
	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/synth"
)

// SyntheticEmailDomain is the domain of every generated citizen account; it
// is reserved (RFC 2606) so no mail ever leaves.
const SyntheticEmailDomain = "synthetic.lifestage.example"

// Stats counts what a seed wrote.
type Stats struct {
	Areas, Facilities, Organizations, Households, Residents, Users, Children, Enrolments int
}

func (s Stats) String() string {
	return fmt.Sprintf("areas=%d facilities=%d organizations=%d households=%d residents=%d users=%d children=%d enrolments=%d",
		s.Areas, s.Facilities, s.Organizations, s.Households, s.Residents, s.Users, s.Children, s.Enrolments)
}

// hasAccount decides, deterministically, which guardians have a citizen
// account: most parents of young children use the app, fewer parents of
// school children do.
func hasAccount(key string, youngestChildAge int) bool {
	h := stableID("account", key)
	bucket := strings.IndexByte(idAlphabet, h[0]) // 0..35
	if youngestChildAge < 6 {
		return bucket < 26 // about 72%
	}
	return bucket < 12 // about 33%
}

// writer inserts records inside one transaction.
type writer struct {
	tx    core.App
	cols  map[string]*core.Collection
	stats Stats
	// areaIDs maps area codes to record ids, whoever wrote the area.
	areaIDs map[string]string
	// householdArea maps household codes to their area codes.
	householdArea map[string]string
}

func (w *writer) col(name string) (*core.Collection, error) {
	if c, ok := w.cols[name]; ok {
		return c, nil
	}
	c, err := w.tx.FindCollectionByNameOrId(name)
	if err != nil {
		return nil, err
	}
	w.cols[name] = c
	return c, nil
}

func (w *writer) insert(collection, key string, fields map[string]any) (*core.Record, error) {
	c, err := w.col(collection)
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(c)
	r.Id = stableID(collection, key)
	for k, v := range fields {
		r.Set(k, v)
	}
	if err := w.tx.SaveWithContext(bulk, r); err != nil {
		return nil, fmt.Errorf("%s %s: %w", collection, key, err)
	}
	return r, nil
}

// City writes the generated city into an app whose schema is migrated. It
// runs in one transaction: either the whole city is there or none of it.
func City(app core.App, city *synth.City, today civil.Date) (Stats, error) {
	hash, err := unusablePasswordHash()
	if err != nil {
		return Stats{}, err
	}
	var stats Stats
	err = app.RunInTransaction(func(tx core.App) error {
		w := &writer{tx: tx, cols: map[string]*core.Collection{}, areaIDs: map[string]string{}, householdArea: map[string]string{}}
		for _, h := range city.Households {
			w.householdArea[h.Code] = h.AreaCode
		}
		steps := []func(*synth.City) error{
			w.areas, w.facilities, w.organizations, w.households,
			w.residents, func(c *synth.City) error { return w.children(c, today, hash) },
			func(c *synth.City) error { return w.nurseries(c, today) },
		}
		for _, step := range steps {
			if err := step(city); err != nil {
				return err
			}
		}
		stats = w.stats
		return logImports(tx, stats)
	})
	return stats, err
}

// bulk marks seed saves so the audit log gets one import entry per
// collection instead of one entry per synthetic record.
var bulk = audit.Bulk(context.Background())

func logImports(app core.App, s Stats) error {
	for _, c := range []struct {
		name string
		n    int
	}{{"areas", s.Areas}, {"facilities", s.Facilities}, {"organizations", s.Organizations}, {"households", s.Households},
		{"residents", s.Residents}, {"users", s.Users}, {"children", s.Children}, {"enrolments", s.Enrolments}} {
		if c.n == 0 {
			continue
		}
		if err := auditlog.LogImport(app, c.name, c.n); err != nil {
			return err
		}
	}
	return nil
}

// unusablePasswordHash hashes a random password nobody knows: generated
// citizens exist to be looked at, not logged in as. One hash for all keeps
// the seed fast (bcrypt is slow on purpose).
func unusablePasswordHash() (string, error) {
	buf := make([]byte, 24)
	if _, err := rand.Read(buf); err != nil {
		return "", err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(hex.EncodeToString(buf)), bcrypt.DefaultCost)
	return string(h), err
}

func geo(lat, lng float64) types.GeoPoint { return types.GeoPoint{Lat: lat, Lon: lng} }

func (w *writer) areas(c *synth.City) error {
	// Districts first so sub-areas can point at them; the migration may
	// already have loaded them as reference data.
	for pass := 0; pass < 2; pass++ {
		for _, a := range c.Areas {
			if (pass == 0) != (a.Parent == "") {
				continue
			}
			if existing, _ := w.tx.FindFirstRecordByData("areas", "code", a.Code); existing != nil {
				w.areaIDs[a.Code] = existing.Id
				continue
			}
			fields := map[string]any{"code": a.Code, "name": a.Name, "kana": a.Kana, "location": geo(a.Lat, a.Lng)}
			if a.Parent != "" {
				fields["parent"] = w.areaIDs[a.Parent]
			}
			rec, err := w.insert("areas", a.Code, fields)
			if err != nil {
				return err
			}
			w.areaIDs[a.Code] = rec.Id
			w.stats.Areas++
		}
	}
	return nil
}

func (w *writer) facilities(c *synth.City) error {
	for _, f := range c.Facilities {
		_, err := w.insert("facilities", f.Code, map[string]any{
			"code": f.Code, "name": f.Name, "kana": f.Kana, "type": f.Type, "services": f.Services,
			"area": w.areaIDs[f.AreaCode], "address": f.Address, "location": geo(f.Lat, f.Lng),
			"phone": f.Phone, "hours": f.Hours, "capacity": f.Capacity, "public": true,
		})
		if err != nil {
			return err
		}
		w.stats.Facilities++
	}
	return nil
}

func (w *writer) organizations(c *synth.City) error {
	for _, o := range c.Organizations {
		if _, err := w.insert("organizations", o.Code, map[string]any{
			"code": o.Code, "name": o.Name, "kind": o.Kind, "area": w.areaIDs[o.AreaCode],
		}); err != nil {
			return err
		}
		w.stats.Organizations++
	}
	return nil
}

func (w *writer) households(c *synth.City) error {
	for _, h := range c.Households {
		if _, err := w.insert("households", h.Code, map[string]any{
			"code": h.Code, "area": w.areaIDs[h.AreaCode], "address": h.Address,
			"memberCount": len(h.Members), "livingAlone": h.LivingAlone, "elderlyOnly": h.ElderlyOnly,
		}); err != nil {
			return err
		}
		w.stats.Households++
	}
	return nil
}

func (w *writer) residents(c *synth.City) error {
	for _, r := range c.Residents {
		if _, err := w.insert("residents", r.Key, map[string]any{
			"key": r.Key, "household": stableID("households", r.HouseholdCode),
			"familyName": r.FamilyName, "givenName": r.GivenName,
			"familyNameKana": r.FamilyNameKana, "givenNameKana": r.GivenNameKana,
			"birthDate": r.BirthDate, "sex": r.Sex, "relationship": r.Relationship,
			"area": w.areaIDs[w.householdArea[r.HouseholdCode]],
		}); err != nil {
			return err
		}
		w.stats.Residents++
	}
	return nil
}

// children writes a child record for every resident under 18, and a citizen
// account for the guardians who use the app.
func (w *writer) children(c *synth.City, today civil.Date, hash string) error {
	byKey := make(map[string]*synth.Resident, len(c.Residents))
	for i := range c.Residents {
		byKey[c.Residents[i].Key] = &c.Residents[i]
	}
	youngest := map[string]int{} // guardian key -> age of youngest child
	var minors []*synth.Resident
	for i := range c.Residents {
		r := &c.Residents[i]
		age := ageOf(r, today)
		if age >= 18 {
			continue
		}
		minors = append(minors, r)
		for _, g := range r.GuardianKeys {
			if prev, ok := youngest[g]; !ok || age < prev {
				youngest[g] = age
			}
		}
	}
	accounts := map[string]string{} // guardian key -> users id
	for _, m := range minors {
		for _, g := range m.GuardianKeys {
			if _, done := accounts[g]; done || !hasAccount(g, youngest[g]) {
				continue
			}
			id, err := w.account(byKey[g], hash)
			if err != nil {
				return err
			}
			accounts[g] = id
		}
	}
	for _, m := range minors {
		guardians := []string{}
		for _, g := range m.GuardianKeys {
			if id, ok := accounts[g]; ok {
				guardians = append(guardians, id)
			}
		}
		if _, err := w.insert("children", m.Key, map[string]any{
			"household": stableID("households", m.HouseholdCode), "resident": stableID("residents", m.Key),
			"familyName": m.FamilyName, "givenName": m.GivenName,
			"familyNameKana": m.FamilyNameKana, "givenNameKana": m.GivenNameKana,
			"birthDate": m.BirthDate, "sex": m.Sex, "area": w.areaIDs[w.householdArea[m.HouseholdCode]],
			"guardians": guardians,
		}); err != nil {
			return err
		}
		w.stats.Children++
	}
	return nil
}

func (w *writer) account(r *synth.Resident, hash string) (string, error) {
	c, err := w.col("users")
	if err != nil {
		return "", err
	}
	u := core.NewRecord(c)
	u.Id = stableID("users", r.Key)
	u.SetEmail(strings.ToLower(r.Key) + "@" + SyntheticEmailDomain)
	u.SetRaw("password", &core.PasswordFieldValue{Hash: hash})
	u.SetVerified(true)
	u.Set("name", r.FamilyName+" "+r.GivenName)
	u.Set("nameKana", r.FamilyNameKana+" "+r.GivenNameKana)
	u.Set("household", stableID("households", r.HouseholdCode))
	u.Set("area", w.areaIDs[w.householdArea[r.HouseholdCode]])
	if err := w.tx.SaveWithContext(bulk, u); err != nil {
		return "", fmt.Errorf("users %s: %w", r.Key, err)
	}
	resident, err := w.tx.FindRecordById("residents", stableID("residents", r.Key))
	if err != nil {
		return "", err
	}
	resident.Set("user", u.Id)
	if err := w.tx.SaveWithContext(bulk, resident); err != nil {
		return "", err
	}
	w.stats.Users++
	return u.Id, nil
}

func ageOf(r *synth.Resident, today civil.Date) int {
	b, err := civil.Parse(r.BirthDate)
	if err != nil {
		return 0
	}
	return civil.AgeOn(b, today)
}
