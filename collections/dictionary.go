package collections

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// DictionaryRow describes one column of one collection: what the data
// dictionary (データ項目定義書, the handover's 項目説明書) says about it.
// Rows come straight from the specs, so the documentation, the markdown in
// docs/ and the handover export cannot drift apart.
type DictionaryRow struct {
	Collection            string
	CollectionDescription string
	System                System
	Auth                  bool // an account collection
	Personal, Sensitive   bool // the collection's privacy flags

	Field string
	Type  string // PocketBase field type: text, number, bool, select, relation, date, autodate, ...
	Help  string // Japanese description
	// Builtin marks columns that PocketBase or Sync adds to every collection
	// (id, created, updated, and the account columns), not listed in the spec.
	Builtin   bool
	Required  bool
	MaxLength int    // text: most characters (0 = PocketBase's default of 5000)
	MinLength int    // text: fewest characters when set
	Pattern   string // text: regular expression the value must match
	Values    []string
	MaxSelect int    // select, relation, file: more than 1 means a list
	Target    string // relation: the target collection's name
	Min, Max  string // number or date bounds, when set
	OnlyInt   bool   // number: whole numbers only
	// Hidden columns never leave the system: PocketBase leaves them out of
	// API responses and the handover export leaves them out of its files.
	Hidden bool
	// Encrypted columns are stored encrypted (Spec.Encrypted); the API and
	// the handover export give their clear text.
	Encrypted bool
}

// Exported reports whether the handover export writes the column. Secrets
// (password hashes, token keys, invitation-code hashes, deduplication keys)
// are Hidden and stay in the system.
func (r DictionaryRow) Exported() bool {
	return !r.Hidden && r.Type != core.FieldTypePassword && r.Field != core.FieldNameTokenKey
}

// TypeLabel is the type as the markdown dictionary shows it: relations name
// their target and selects list their values.
func (r DictionaryRow) TypeLabel() string {
	switch r.Type {
	case core.FieldTypeRelation:
		if r.MaxSelect > 1 {
			return "relation[] → " + r.Target
		}
		return "relation → " + r.Target
	case core.FieldTypeSelect:
		kind := "select"
		if r.MaxSelect > 1 {
			kind = "select[]"
		}
		return kind + " (" + strings.Join(r.Values, ", ") + ")"
	}
	return r.Type
}

// Constraints lists, in Japanese, what the column accepts beyond its type.
func (r DictionaryRow) Constraints() []string {
	var out []string
	switch {
	case r.MinLength > 0 && r.MinLength == r.MaxLength:
		out = append(out, fmt.Sprintf("%d文字", r.MinLength))
	case r.MinLength > 0 && r.MaxLength > 0:
		out = append(out, fmt.Sprintf("%d〜%d文字", r.MinLength, r.MaxLength))
	case r.MinLength > 0:
		out = append(out, fmt.Sprintf("%d文字以上", r.MinLength))
	case r.MaxLength > 0:
		out = append(out, fmt.Sprintf("%d文字以内", r.MaxLength))
	}
	if r.Pattern != "" {
		out = append(out, "形式 `"+r.Pattern+"`")
	}
	if r.OnlyInt {
		out = append(out, "整数")
	}
	if r.Min != "" {
		out = append(out, "最小 "+r.Min)
	}
	if r.Max != "" {
		out = append(out, "最大 "+r.Max)
	}
	if r.MaxSelect > 1 {
		out = append(out, fmt.Sprintf("最大%d件", r.MaxSelect))
	}
	if r.Encrypted {
		out = append(out, "暗号化して保存")
	}
	if !r.Exported() {
		out = append(out, "非公開（APIにも引継ぎデータにも出力しない）")
	}
	return out
}

// builtinHelp describes the columns PocketBase adds, which have no Help.
var builtinHelp = map[string]string{
	core.FieldNameId:              "レコードID（15文字の英小文字・数字）。参照項目はこの値を持つ",
	core.FieldNamePassword:        "パスワードのハッシュ（秘密情報。出力しない）",
	core.FieldNameTokenKey:        "ログイントークンの署名鍵（秘密情報。出力しない）",
	core.FieldNameEmail:           "メールアドレス（ログインID）",
	core.FieldNameEmailVisibility: "メールアドレスを他の利用者に公開するか",
	core.FieldNameVerified:        "メールアドレスの確認が済んでいるか",
	"created":                     "作成日時",
	"updated":                     "更新日時",
}

// DictionaryRows returns one row per column of every collection, in the
// order of the database table: id, the account columns, the spec's fields,
// created and updated.
func DictionaryRows() []DictionaryRow {
	var rows []DictionaryRow
	for _, s := range All() {
		rows = append(rows, specRows(s)...)
	}
	return rows
}

func specRows(s Spec) []DictionaryRow {
	own := map[string]bool{}
	for _, f := range s.Fields {
		own[f.GetName()] = true
	}
	var rows []DictionaryRow
	for _, f := range modelOf(s).Fields {
		r := fieldRow(f)
		r.Collection, r.CollectionDescription, r.System = s.Name, s.Description, s.System
		r.Auth, r.Personal, r.Sensitive = s.Auth, s.Personal, s.Sensitive
		r.Builtin = !own[r.Field]
		r.Encrypted = slices.Contains(s.Encrypted, r.Field)
		if r.Help == "" {
			r.Help = builtinHelp[r.Field]
		}
		rows = append(rows, r)
	}
	return rows
}

// modelOf builds the collection the way Sync builds it, in memory, from
// copies of the spec's fields: adding a field to a collection gives it an
// id, and the specs must stay untouched for Sync.
func modelOf(s Spec) *core.Collection {
	var c *core.Collection
	if s.Auth {
		c = core.NewAuthCollection(s.Name, Id(s.Name))
	} else {
		c = core.NewBaseCollection(s.Name, Id(s.Name))
	}
	fields, err := core.FieldsList(s.Fields).Clone()
	if err != nil {
		panic(fmt.Sprintf("collections: cannot copy the fields of %s: %v", s.Name, err))
	}
	copied := s
	copied.Fields = fields
	applyFields(c, copied)
	return c
}

func fieldRow(f core.Field) DictionaryRow {
	info := fieldInfo(f)
	r := DictionaryRow{Field: f.GetName(), Type: f.Type(), Help: info.Help, Required: info.Required, Hidden: f.GetHidden()}
	switch v := f.(type) {
	case *core.TextField:
		r.MinLength, r.MaxLength, r.Pattern = v.Min, v.Max, v.Pattern
	case *core.NumberField:
		r.OnlyInt = v.OnlyInt
		if v.Min != nil {
			r.Min = strconv.FormatFloat(*v.Min, 'f', -1, 64)
		}
		if v.Max != nil {
			r.Max = strconv.FormatFloat(*v.Max, 'f', -1, 64)
		}
	case *core.DateField:
		if !v.Min.IsZero() {
			r.Min = v.Min.String()
		}
		if !v.Max.IsZero() {
			r.Max = v.Max.String()
		}
	case *core.SelectField:
		r.Values, r.MaxSelect = slices.Clone(v.Values), v.MaxSelect
	case *core.RelationField:
		r.MaxSelect, r.Target = v.MaxSelect, collectionName(v.CollectionId)
	case *core.FileField:
		r.MaxSelect = v.MaxSelect
	}
	return r
}

// collectionName maps a relation's collection id back to the spec's name.
func collectionName(id string) string {
	for _, s := range All() {
		if Id(s.Name) == id {
			return s.Name
		}
	}
	return id
}

// ValueLabels reads the Japanese labels of a select field's values from its
// description, written as "役割: viewer=閲覧のみ, staff=担当者". Values without
// a label map to themselves, so reports never lose a row.
func ValueLabels(collection, field string) (values []string, labels map[string]string) {
	labels = map[string]string{}
	s := Get(collection)
	if s == nil {
		return nil, labels
	}
	for _, f := range s.Fields {
		sel, ok := f.(*core.SelectField)
		if !ok || sel.Name != field {
			continue
		}
		help := sel.Help
		if i := strings.Index(help, ":"); i >= 0 {
			help = help[i+1:]
		}
		for _, part := range strings.Split(help, ",") {
			k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
			if ok {
				labels[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
		}
		for _, v := range sel.Values {
			if labels[v] == "" {
				labels[v] = v
			}
		}
		return slices.Clone(sel.Values), labels
	}
	return nil, labels
}

// Dictionary renders the data dictionary (データ項目定義書) the city receives
// at handover, from the same rows as the handover export.
func Dictionary() string {
	var b strings.Builder
	b.WriteString("# Data dictionary / データ項目定義書\n\n")
	b.WriteString("<!-- Generated from collections/ by `UPDATE_DOCS=1 go test ./collections/`. Do not edit by hand. -->\n\n")
	b.WriteString("個人 = 個人情報を含む（書き込みは監査ログに記録、外部提供時は仮名化）。要配慮 = 健康・福祉・金銭に関する情報（職員の閲覧も記録）。\n")
	b.WriteString("`id`・`created`・`updated` と、アカウントの `email` などは全コレクション共通の項目です。")
	b.WriteString("「非公開」の項目（パスワードのハッシュなどの秘密情報）は API にも引継ぎデータ（`lifestage export`）にも出力しません。")
	b.WriteString("「暗号化して保存」の項目はデータベースには暗号文で保存し、API と引継ぎデータには復号した値を出します。\n")
	rows := DictionaryRows()
	for i, r := range rows {
		if i == 0 || rows[i-1].Collection != r.Collection {
			flags := []string{string(r.System)}
			if r.Auth {
				flags = append(flags, "アカウント")
			}
			if r.Personal {
				flags = append(flags, "個人")
			}
			if r.Sensitive {
				flags = append(flags, "要配慮")
			}
			fmt.Fprintf(&b, "\n## `%s`\n\n%s（%s）\n\n", r.Collection, r.CollectionDescription, strings.Join(flags, "・"))
			b.WriteString("| field | type | 必須 | 制約 | 説明 |\n|---|---|:-:|---|---|\n")
		}
		req := ""
		if r.Required {
			req = "✓"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", r.Field, cell(r.TypeLabel()), req,
			cell(strings.Join(r.Constraints(), "、")), cell(r.Help))
	}
	return b.String()
}

// cell keeps a value from breaking a markdown table.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
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
