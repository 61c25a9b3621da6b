// Package collections is the single source of truth for lifestage's schema:
// fields, indexes, API rules, Japanese field descriptions and privacy flags.
// Migrations apply it with Sync; the audit, encryption and handover layers
// read the flags through All and Get.
package collections

import (
	"fmt"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// System names the lifestage system that owns a collection.
type System string

const (
	SystemPlatform   System = "platform"   // 共通基盤 (people, places, notifications)
	SystemOperations System = "operations" // 運用
)

// Rules holds a collection's API rules. nil locks the action to superusers,
// "" opens it to everyone, guests included.
type Rules struct {
	List, View, Create, Update, Delete *string
	// Manage applies to auth collections only (changing another account's
	// email or password without the old one).
	Manage *string
	// Auth applies to auth collections only: who may log in at all.
	Auth *string
}

// Index is a named index; Where makes it partial.
type Index struct {
	Name    string
	Unique  bool
	Columns string
	Where   string
}

// Spec describes one collection.
type Spec struct {
	Name        string
	Auth        bool
	System      System
	Description string // Japanese, for the data dictionary

	// Personal marks collections that hold personal data: every write is
	// audited and exports must pseudonymise them.
	Personal bool
	// Sensitive marks health, welfare or financial data: staff reads are
	// audited too.
	Sensitive bool
	// Audited asks for every write to be audited although the data is not
	// personal (API keys: who issued, rotated or revoked which key).
	Audited bool
	// Subject names the field that says whose data a record is: "id" when
	// the record is the person (users, children), or a relation to users or
	// children. The audit log files each entry under that person, so they
	// can see who accessed their data. "" when no single person owns it.
	Subject string
	// Encrypted lists free-text fields stored encrypted (AES-GCM). Never
	// list a field that rules, filters or sorts use: they need clear text.
	Encrypted []string

	Fields  []core.Field
	Indexes []Index
	Rules   Rules

	// Configure tunes auth options (token lifetimes, password policy).
	Configure func(c *core.Collection)
}

// Id is the collection id PocketBase derives from the name, so relations can
// point at a collection before it exists. The system users collection keeps
// its historical id.
func Id(name string) string {
	if name == "users" {
		return "_pb_users_auth_"
	}
	return core.NewBaseCollection(name).Id
}

var registry []Spec

func register(specs ...Spec) {
	for _, s := range specs {
		if Get(s.Name) != nil {
			panic("collections: duplicate spec " + s.Name)
		}
		registry = append(registry, s)
	}
}

// All returns every collection spec in dependency-free definition order.
func All() []Spec { return registry }

// Get returns the spec with the given name, or nil.
func Get(name string) *Spec {
	for i := range registry {
		if registry[i].Name == name {
			return &registry[i]
		}
	}
	return nil
}

// Sync creates or updates every registered collection so that the database
// matches the specs. It runs in three passes because relations and rules may
// point at collections defined later: first the bare collections, then fields
// and indexes, then rules.
func Sync(app core.App) error {
	cols := make([]*core.Collection, len(registry))
	for i, s := range registry {
		c, err := ensureCollection(app, s)
		if err != nil {
			return err
		}
		cols[i] = c
	}
	for i, s := range registry {
		applyFields(cols[i], s)
		if err := app.Save(cols[i]); err != nil {
			return fmt.Errorf("collection %s fields: %w", s.Name, err)
		}
	}
	for i, s := range registry {
		applyRules(cols[i], s)
		if s.Auth {
			resetMailToOurPage(cols[i])
		}
		if s.Configure != nil {
			s.Configure(cols[i])
		}
		if err := app.Save(cols[i]); err != nil {
			return fmt.Errorf("collection %s rules: %w", s.Name, err)
		}
	}
	return nil
}

func ensureCollection(app core.App, s Spec) (*core.Collection, error) {
	c, err := app.FindCollectionByNameOrId(s.Name)
	if err == nil {
		return c, nil
	}
	if s.Auth {
		c = core.NewAuthCollection(s.Name, Id(s.Name))
	} else {
		c = core.NewBaseCollection(s.Name, Id(s.Name))
	}
	// Locked until the rules pass opens what the spec allows.
	c.ListRule, c.ViewRule, c.CreateRule, c.UpdateRule, c.DeleteRule = nil, nil, nil, nil, nil
	if err := app.Save(c); err != nil {
		return nil, fmt.Errorf("collection %s create: %w", s.Name, err)
	}
	return c, nil
}

func applyFields(c *core.Collection, s Spec) {
	c.Fields.Add(s.Fields...)
	if c.Fields.GetByName("created") == nil {
		c.Fields.Add(&core.AutodateField{Name: "created", OnCreate: true})
	}
	if c.Fields.GetByName("updated") == nil {
		c.Fields.Add(&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true})
	}
	for _, idx := range s.Indexes {
		c.AddIndex(idx.Name, idx.Unique, idx.Columns, idx.Where)
	}
}

func applyRules(c *core.Collection, s Spec) {
	c.ListRule, c.ViewRule = s.Rules.List, s.Rules.View
	c.CreateRule, c.UpdateRule, c.DeleteRule = s.Rules.Create, s.Rules.Update, s.Rules.Delete
	if s.Auth {
		c.ManageRule = s.Rules.Manage
		if s.Rules.Auth != nil {
			c.AuthRule = s.Rules.Auth
		}
	}
}

// resetMailToOurPage sends password-reset links to lifestage's own Japanese
// page instead of the admin dashboard's.
func resetMailToOurPage(c *core.Collection) {
	c.ResetPasswordTemplate.Subject = "【lifestage 西条市】パスワードの再設定"
	c.ResetPasswordTemplate.Body = `<p>lifestage のパスワード再設定のご案内です。</p>
<p><a href="` + core.EmailPlaceholderAppURL + `/reset/confirm/?token=` + core.EmailPlaceholderToken + `">新しいパスワードを設定する</a>（30分間有効）</p>
<p>お心当たりがない場合は、このメールを破棄してください。パスワードは変わりません。</p>`
}

// anyOf joins conditions with || and returns a pointer suitable for Rules.
func anyOf(conds ...string) *string {
	parts := make([]string, 0, len(conds))
	for _, c := range conds {
		if c != "" {
			parts = append(parts, "("+c+")")
		}
	}
	s := strings.Join(parts, " || ")
	return &s
}

// allOf joins conditions with &&.
func allOf(conds ...string) string {
	parts := make([]string, 0, len(conds))
	for _, c := range conds {
		if c != "" {
			parts = append(parts, "("+c+")")
		}
	}
	return strings.Join(parts, " && ")
}

func public() *string { s := ""; return &s }
