package collections

import (
	"os"
	"path/filepath"
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

func helpOf(f core.Field) string { return fieldInfo(f).Help }

// TestDictionaryIsCurrent keeps docs/data-dictionary.md equal to the specs.
// Run with UPDATE_DOCS=1 to rewrite it.
func TestDictionaryIsCurrent(t *testing.T) {
	path := filepath.Join("..", "docs", "data-dictionary.md")
	want := Dictionary()
	if os.Getenv("UPDATE_DOCS") != "" {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != want {
		t.Fatal("docs/data-dictionary.md is out of date: run `UPDATE_DOCS=1 go test ./collections/`")
	}
}
