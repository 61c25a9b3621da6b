package collections

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
)

// fieldInRule finds a collection field compared in a rule: `household =`,
// `child.guardians.id ?=` (the first segment is the field), `services:each ?=`.
var fieldInRule = regexp.MustCompile(`(?:^|[\s(|&])([a-zA-Z_][a-zA-Z0-9_]*)(?:[.:][a-zA-Z0-9_.:]*)?\s*\??(?:=|!=|~|!~|>=|<=|>|<)`)

func isMultiValued(f core.Field) bool {
	switch v := f.(type) {
	case *core.RelationField:
		return v.MaxSelect > 1
	case *core.SelectField:
		return v.MaxSelect > 1
	}
	return false
}

// TestRuleFieldsAreIndexed keeps the conventions' promise that every field
// an API rule filters on is indexed. Multi-valued fields are JSON arrays that
// SQLite cannot index; they are listed and must stay on small tables.
func TestRuleFieldsAreIndexed(t *testing.T) {
	for _, s := range All() {
		indexed := map[string]bool{"id": true}
		for _, idx := range s.Indexes {
			for _, col := range strings.Split(idx.Columns, ",") {
				indexed[strings.TrimSpace(col)] = true
			}
		}
		if s.Auth {
			indexed["email"] = true // PocketBase adds a unique email index
		}
		fields := map[string]core.Field{}
		for _, f := range s.Fields {
			fields[f.GetName()] = f
		}
		for _, r := range []*string{s.Rules.List, s.Rules.View, s.Rules.Update, s.Rules.Delete, s.Rules.Manage} {
			if r == nil {
				continue
			}
			for _, m := range fieldInRule.FindAllStringSubmatch(*r, -1) {
				name := m[1]
				f, ok := fields[name]
				if !ok || indexed[name] || isMultiValued(f) {
					continue
				}
				t.Errorf("%s: rule field %q has no index", s.Name, name)
			}
		}
	}
}

func TestSpecsAreDocumented(t *testing.T) {
	for _, s := range All() {
		if s.Description == "" {
			t.Errorf("%s has no description", s.Name)
		}
		for _, f := range s.Fields {
			if help := helpOf(f); help == "" {
				t.Errorf("%s.%s has no Japanese description", s.Name, f.GetName())
			}
		}
	}
}

// helpOf reads a field's Help through its JSON form: every PocketBase field
// has it, but no interface exposes it.
func helpOf(f core.Field) string {
	raw, err := json.Marshal(f)
	if err != nil {
		return ""
	}
	var v struct {
		Help string `json:"help"`
	}
	_ = json.Unmarshal(raw, &v)
	return v.Help
}
