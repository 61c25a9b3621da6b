package collections

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// Dictionary renders the data dictionary (データ項目定義書) the city receives
// at handover, straight from the specs.
func Dictionary() string {
	var b strings.Builder
	b.WriteString("# Data dictionary / データ項目定義書\n\n")
	b.WriteString("<!-- Generated from collections/ by `UPDATE_DOCS=1 go test ./collections/`. Do not edit by hand. -->\n\n")
	b.WriteString("個人 = 個人情報を含む（書き込みは監査ログに記録、外部提供時は仮名化）。要配慮 = 健康・福祉・金銭に関する情報（職員の閲覧も記録）。\n")
	for _, s := range All() {
		flags := []string{string(s.System)}
		if s.Auth {
			flags = append(flags, "アカウント")
		}
		if s.Personal {
			flags = append(flags, "個人")
		}
		if s.Sensitive {
			flags = append(flags, "要配慮")
		}
		fmt.Fprintf(&b, "\n## `%s`\n\n%s（%s）\n\n", s.Name, s.Description, strings.Join(flags, "・"))
		b.WriteString("| field | type | 必須 | 説明 |\n|---|---|:-:|---|\n")
		for _, f := range s.Fields {
			info := fieldInfo(f)
			req := ""
			if info.Required {
				req = "✓"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", f.GetName(), typeLabel(f), req, info.Help)
		}
	}
	return b.String()
}

type fieldMeta struct {
	Help     string `json:"help"`
	Required bool   `json:"required"`
}

// fieldInfo reads the settings every PocketBase field serialises but no
// interface exposes.
func fieldInfo(f core.Field) fieldMeta {
	var m fieldMeta
	if raw, err := json.Marshal(f); err == nil {
		_ = json.Unmarshal(raw, &m)
	}
	return m
}

func typeLabel(f core.Field) string {
	switch v := f.(type) {
	case *core.RelationField:
		target := v.CollectionId
		for _, s := range All() {
			if Id(s.Name) == v.CollectionId {
				target = s.Name
			}
		}
		if v.MaxSelect > 1 {
			return "relation[] → " + target
		}
		return "relation → " + target
	case *core.SelectField:
		kind := "select"
		if v.MaxSelect > 1 {
			kind = "select[]"
		}
		return kind + " (" + strings.Join(v.Values, ", ") + ")"
	}
	return f.Type()
}
