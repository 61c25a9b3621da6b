package seed

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/notify"
	"github.com/saijo-dx/lifestage/schedule"
	"github.com/saijo-dx/lifestage/sharing"
)

// DemoEmailDomain is reserved (RFC 2606), so demo mail goes nowhere.
const DemoEmailDomain = "demo.lifestage.example"

// AccountsFile is written into the data dir by `lifestage demo`.
const AccountsFile = "demo-accounts.json"

// Account is one demo login as written to demo-accounts.json.
type Account struct {
	Role       string `json:"role"`
	Collection string `json:"collection"`
	Email      string `json:"email"`
	Password   string `json:"password"`
	Name       string `json:"name"`
	Note       string `json:"note"`
}

// demoRole describes a demo account before it exists.
type demoRole struct {
	role, collection, name, note string
	fields                       map[string]any
}

// DemoRoles lists the demo roles in the order they are printed.
var DemoRoles = []string{
	"parent", "parent2", "grandparent", "family", "volunteer", "nursery_staff", "medical_staff",
	"city_child", "city_nursery", "city_elderly", "city_admin",
}

func demoEmail(role string) string { return role + "@" + DemoEmailDomain }

// CreateDemo adds the demo accounts and their demo data to a seeded city and
// marks the data dir as demo data. It picks real households of the synthetic
// city, so every account has something to look at.
func CreateDemo(app core.App, today civil.Date) ([]Account, error) {
	var accounts []Account
	err := app.RunInTransaction(func(tx core.App) error {
		d := &demo{tx: tx, today: today}
		roles, err := d.roles()
		if err != nil {
			return err
		}
		for _, r := range roles {
			acc, err := d.ensure(r)
			if err != nil {
				return fmt.Errorf("demo %s: %w", r.role, err)
			}
			accounts = append(accounts, acc)
		}
		if err := d.shareWithGrandparent(); err != nil {
			return err
		}
		if err := d.pregnancy(); err != nil {
			return err
		}
		if err := d.nurseryFamilies(); err != nil {
			return err
		}
		if err := d.welcome(); err != nil {
			return err
		}
		if err := relaxDemoMFA(tx); err != nil {
			return err
		}
		if err := Handbook(tx, d.today); err != nil {
			return err
		}
		if err := NurseryDays(tx, d.today, time.Now()); err != nil {
			return err
		}
		if err := DemoSearch(tx); err != nil {
			return err
		}
		if err := d.qa(); err != nil {
			return err
		}
		if err := d.pushDemo(); err != nil {
			return err
		}
		if err := DemoEvents(tx, d.today); err != nil {
			return err
		}
		if err := d.applications(); err != nil {
			return err
		}
		if err := d.notices(time.Now()); err != nil {
			return err
		}
		if err := DemoPartners(tx, time.Now()); err != nil {
			return err
		}
		if err := DemoNGSI(tx, time.Now()); err != nil {
			return err
		}
		if err := d.myNumber(); err != nil {
			return err
		}
		if err := d.questionnaires(); err != nil {
			return err
		}
		if err := NurseryCheckins(tx, d.today, time.Now()); err != nil {
			return err
		}
		if err := d.nurseryNotes(); err != nil {
			return err
		}
		if err := d.nurseryPlans(time.Now()); err != nil {
			return err
		}
		if err := d.photoSales(); err != nil {
			return err
		}
		if err := d.billing(); err != nil {
			return err
		}
		if err := d.watch(); err != nil {
			return err
		}
		if err := d.watchRegister(); err != nil {
			return err
		}
		if err := d.watchFrailty(); err != nil {
			return err
		}
		if err := d.watchFollowup(); err != nil {
			return err
		}
		if err := d.consents(); err != nil {
			return err
		}
		return setKind(tx, KindDemo)
	})
	return accounts, err
}

type demo struct {
	tx      core.App
	today   civil.Date
	records map[string]*core.Record // role -> account
}

func (d *demo) roles() ([]demoRole, error) {
	parent, err := d.guardianOfYoungFamily("")
	if err != nil {
		return nil, err
	}
	parent2, err := d.guardianOfYoungFamily(parent.GetString("household"))
	if err != nil {
		return nil, err
	}
	elder, err := d.elderLivingAlone()
	if err != nil {
		return nil, err
	}
	nursery, err := d.facility(`type = "nursery"`)
	if err != nil {
		return nil, err
	}
	clinic, err := d.facility(`type = "clinic" && services:each ?= "vaccination"`)
	if err != nil {
		return nil, err
	}
	org, err := d.tx.FindFirstRecordByFilter("organizations", `kind = "minsei"`)
	if err != nil {
		return nil, fmt.Errorf("no minsei organization: %w", err)
	}
	elderName := elder.GetString("familyName") + " " + elder.GetString("givenName")
	staff := func(role, dept, name, note string) demoRole {
		return demoRole{role, collections.CityStaff, name, note, map[string]any{"department": dept, "role": "staff", "active": true}}
	}
	return []demoRole{
		{"parent", collections.Users, parent.GetString("name"), "乳幼児のいる世帯の保護者", map[string]any{"id": parent.Id}},
		{"parent2", collections.Users, parent2.GetString("name"), "別の世帯の保護者（parentの子は見えない）", map[string]any{"id": parent2.Id}},
		{"grandparent", collections.Users, "西条 ふみ", "parentの子の記録を閲覧共有されている祖母", nil},
		{"family", collections.Users, elder.GetString("familyName") + " 由美", "独居高齢者 " + elderName + " さんの家族（市外在住）", map[string]any{"area": elder.GetString("area")}},
		{"volunteer", collections.Volunteers, "見守り 協力員", "民生委員（" + org.GetString("name") + "）", map[string]any{"organization": org.Id, "areas": []string{elder.GetString("area")}, "active": true}},
		{"nursery_staff", collections.NurseryStaff, "保育 先生", nursery.GetString("name") + "の保育士（登降園端末 /nursery/kiosk/ にもこのアカウントでログインできます）", map[string]any{"nursery": nursery.Id, "role": "staff", "active": true}},
		{"medical_staff", collections.MedicalStaff, "医療 看護師", clinic.GetString("name") + "の看護師", map[string]any{"institution": clinic.Id, "role": "nurse", "active": true}},
		staff("city_child", collections.DeptChild, "子育て 担当", "こども家庭課（子育て担当）"),
		staff("city_nursery", collections.DeptNursery, "保育 担当", "保育幼稚園課（保育担当）"),
		staff("city_elderly", collections.DeptElderly, "高齢 担当", "長寿介護課（高齢福祉担当）"),
		{"city_admin", collections.CityStaff, "運用 管理者", "情報政策課（運用管理）", map[string]any{"department": collections.DeptOps, "role": "manager", "active": true}},
	}, nil
}

// relaxDemoMFA lets the demo's operations account log in without an email
// code (a demo has no mail server); every other 運用 account still needs one.
// It changes only this data dir, which is marked as demo data.
func relaxDemoMFA(tx core.App) error {
	col, err := tx.FindCollectionByNameOrId(collections.CityStaff)
	if err != nil {
		return err
	}
	col.MFA.Rule = collections.OpsMFARule + ` && email !~ "@` + DemoEmailDomain + `"`
	return tx.Save(col)
}

// guardianOfYoungFamily returns a citizen account that is guardian of a child
// under 6, preferring households with two such children.
func (d *demo) guardianOfYoungFamily(skipHousehold string) (*core.Record, error) {
	cut := d.today.AddDays(-6 * 365).String()
	var rows []struct {
		Household string `db:"household"`
		N         int    `db:"n"`
	}
	err := d.tx.DB().NewQuery(`SELECT household, COUNT(*) AS n FROM children
		WHERE birthDate > {:cut} AND guardians != '[]' AND household != {:skip}
		GROUP BY household ORDER BY (COUNT(*) >= 2) DESC, household LIMIT 1`).
		Bind(dbx.Params{"cut": cut, "skip": skipHousehold}).All(&rows)
	if err != nil || len(rows) == 0 {
		return nil, errors.New("the city has no young family with an account")
	}
	child, err := d.tx.FindFirstRecordByFilter("children", "household = {:h} && guardians != '[]'", dbx.Params{"h": rows[0].Household})
	if err != nil {
		return nil, err
	}
	return d.tx.FindRecordById(collections.Users, child.GetStringSlice("guardians")[0])
}

func (d *demo) elderLivingAlone() (*core.Record, error) {
	h, err := d.tx.FindFirstRecordByFilter("households", "livingAlone = true")
	if err != nil {
		return nil, errors.New("the city has no elderly person living alone")
	}
	return d.tx.FindFirstRecordByFilter("residents", "household = {:h}", dbx.Params{"h": h.Id})
}

func (d *demo) facility(filter string) (*core.Record, error) {
	recs, err := d.tx.FindRecordsByFilter("facilities", filter, "code", 1, 0)
	if err != nil || len(recs) == 0 {
		return nil, fmt.Errorf("no facility matches %s: %v", filter, err)
	}
	return recs[0], nil
}

// ensure creates the demo account, or turns the chosen synthetic citizen into
// it, with a fresh random password.
func (d *demo) ensure(r demoRole) (Account, error) {
	col, err := d.tx.FindCollectionByNameOrId(r.collection)
	if err != nil {
		return Account{}, err
	}
	var rec *core.Record
	if id, ok := r.fields["id"].(string); ok {
		if rec, err = d.tx.FindRecordById(col, id); err != nil {
			return Account{}, err
		}
	} else {
		rec = core.NewRecord(col)
		for k, v := range r.fields {
			rec.Set(k, v)
		}
		rec.Set("name", r.name)
	}
	password, err := newPassword()
	if err != nil {
		return Account{}, err
	}
	rec.SetEmail(demoEmail(r.role))
	rec.SetPassword(password)
	rec.SetVerified(true)
	if err := d.tx.Save(rec); err != nil {
		return Account{}, err
	}
	if d.records == nil {
		d.records = map[string]*core.Record{}
	}
	d.records[r.role] = rec
	return Account{Role: r.role, Collection: r.collection, Email: demoEmail(r.role), Password: password, Name: r.name, Note: r.note}, nil
}

// shareWithGrandparent gives the grandparent an active view share of the
// parent's youngest child, as if the invitation had been accepted.
func (d *demo) shareWithGrandparent() error {
	parent, grandma := d.records["parent"], d.records["grandparent"]
	kids, err := d.tx.FindRecordsByFilter("children", "guardians:each ?= {:p}", "-birthDate", 1, 0, dbx.Params{"p": parent.Id})
	if err != nil || len(kids) == 0 {
		return errors.New("demo parent has no child")
	}
	col, err := d.tx.FindCollectionByNameOrId("family_shares")
	if err != nil {
		return err
	}
	share := core.NewRecord(col)
	share.Set("child", kids[0].Id)
	share.Set("grantedBy", parent.Id)
	share.Set("member", grandma.Id)
	share.Set("memberName", grandma.GetString("name"))
	share.Set("label", "祖母")
	share.Set("scope", sharing.ScopeView)
	share.Set("status", sharing.Active)
	share.Set("acceptedAt", time.Now())
	if err := d.tx.Save(share); err != nil {
		return err
	}
	kids[0].Set("familyViewers", []string{grandma.Id})
	return d.tx.Save(kids[0])
}

// pregnancy gives the parent an ongoing second pregnancy, due in about
// three months (妊娠27週), with the checkups of weeks 20 and 24 on file.
func (d *demo) pregnancy() error {
	parent := d.records["parent"]
	due := d.today.AddDays(91)
	lmp := due.AddDays(-280)
	col, err := d.tx.FindCollectionByNameOrId("pregnancies")
	if err != nil {
		return err
	}
	p := core.NewRecord(col)
	p.Set("mother", parent.Id)
	p.Set("lmpDate", lmp.String())
	p.Set("dueDate", schedule.DueDateFromLMP(lmp).String())
	p.Set("status", "ongoing")
	p.Set("note", "第2子。つわりは落ち着いた")
	if err := d.tx.Save(p); err != nil {
		return fmt.Errorf("demo pregnancy: %w", err)
	}
	checkups, err := d.tx.FindCollectionByNameOrId("prenatal_checkups")
	if err != nil {
		return err
	}
	for _, v := range schedule.PrenatalCheckups(due) {
		if v.Week != 20 && v.Week != 24 {
			continue
		}
		c := core.NewRecord(checkups)
		for k, x := range map[string]any{
			"pregnancy": p.Id, "mother": parent.Id, "date": v.Date.AddDays(1).String(), "week": v.Week,
			"weightKg": 54.0 + float64(v.Week-20)/4, "bloodPressureSys": 112, "bloodPressureDia": 68,
			"urineProtein": "-", "urineSugar": "-", "fundalHeightCm": float64(v.Week - 3),
			"findings": "経過良好", "source": "clinic", "status": "completed",
		} {
			c.Set(k, x)
		}
		if err := d.tx.Save(c); err != nil {
			return fmt.Errorf("demo prenatal checkup: %w", err)
		}
	}
	return nil
}

func (d *demo) welcome() error {
	for _, role := range DemoRoles {
		if _, err := notify.Send(d.tx, notify.Message{
			Recipient: d.records[role], Kind: "platform.welcome",
			Key:  "notify.platform.welcome",
			Link: "/me/",
		}); err != nil {
			return err
		}
	}
	return nil
}

const passwordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

func newPassword() (string, error) {
	buf := make([]byte, 16)
	if _, err := rand.Read(buf); err != nil {
		return "", err
	}
	for i, b := range buf {
		buf[i] = passwordAlphabet[int(b)%len(passwordAlphabet)]
	}
	return string(buf), nil
}

// WriteAccounts writes demo-accounts.json (readable by the owner only).
func WriteAccounts(dataDir string, accounts []Account) error {
	raw, err := json.MarshalIndent(accounts, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dataDir, AccountsFile), append(raw, '\n'), 0o600)
}

// ReadAccounts reads demo-accounts.json.
func ReadAccounts(dataDir string) ([]Account, error) {
	raw, err := os.ReadFile(filepath.Join(dataDir, AccountsFile))
	if err != nil {
		return nil, err
	}
	var accounts []Account
	return accounts, json.Unmarshal(raw, &accounts)
}

// roleCollections says where each demo role's account lives.
var roleCollections = map[string]string{
	"parent": collections.Users, "parent2": collections.Users, "grandparent": collections.Users, "family": collections.Users,
	"volunteer": collections.Volunteers, "nursery_staff": collections.NurseryStaff, "medical_staff": collections.MedicalStaff,
	"city_child": collections.CityStaff, "city_nursery": collections.CityStaff, "city_elderly": collections.CityStaff, "city_admin": collections.CityStaff,
}

// ResetPasswords gives every demo account a new password, for a demo data dir
// whose accounts file was lost.
func ResetPasswords(app core.App) ([]Account, error) {
	var out []Account
	err := app.RunInTransaction(func(tx core.App) error {
		for _, role := range DemoRoles {
			a := Account{Role: role, Collection: roleCollections[role], Email: demoEmail(role)}
			rec, err := tx.FindAuthRecordByEmail(a.Collection, a.Email)
			if err != nil {
				return fmt.Errorf("demo account %s: %w", role, err)
			}
			if a.Password, err = newPassword(); err != nil {
				return err
			}
			a.Name = rec.GetString("name")
			rec.SetPassword(a.Password)
			if err := tx.Save(rec); err != nil {
				return err
			}
			out = append(out, a)
		}
		return nil
	})
	return out, err
}
