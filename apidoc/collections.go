package apidoc

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/saijo-dx/lifestage/access"
	"github.com/saijo-dx/lifestage/collections"
)

// systemTags names the tag of each system's record API.
var systemTags = map[collections.System]string{
	collections.SystemPlatform:   "records-platform",
	collections.SystemOperations: "records-operations",
	collections.SystemChild:      "records-child",
	collections.SystemNursery:    "records-nursery",
	collections.SystemWatch:      "records-watch",
}

func recordTag(s collections.System) string {
	if t, ok := systemTags[s]; ok {
		return t
	}
	return "records-" + string(s)
}

// collectionSchema turns a collection's dictionary rows into the JSON Schema
// of its records: the same rows the data dictionary prints, so the two
// agree on every field.
func collectionSchema(spec collections.Spec, rows []collections.DictionaryRow) S {
	props := S{}
	var required []string
	for _, r := range rows {
		if r.Hidden || r.Field == "tokenKey" {
			continue
		}
		props[r.Field] = fieldSchema(r)
		if r.Required && !readOnlyField(r) && r.Type != "password" {
			required = append(required, r.Field)
		}
	}
	if spec.Auth {
		props["passwordConfirm"] = S{"type": "string", "writeOnly": true, "description": "パスワード（確認）。作成時と変更時のみ"}
	}
	desc := spec.Description
	var flags []string
	if spec.Personal {
		flags = append(flags, "個人情報")
	}
	if spec.Sensitive {
		flags = append(flags, "要配慮（職員の閲覧も監査）")
	}
	if len(flags) > 0 {
		desc += "（" + strings.Join(flags, "・") + "）"
	}
	out := S{"type": "object", "description": desc, "properties": props,
		"x-system": string(spec.System), "x-personal": spec.Personal, "x-sensitive": spec.Sensitive}
	if len(required) > 0 {
		out["required"] = required
	}
	return out
}

func readOnlyField(r collections.DictionaryRow) bool {
	return r.Field == "id" || r.Type == "autodate"
}

func fieldSchema(r collections.DictionaryRow) S {
	s := scalarSchema(r)
	if r.MaxSelect > 1 {
		s = S{"type": "array", "items": s, "maxItems": r.MaxSelect}
	}
	desc := r.Help
	if r.Type == "relation" {
		desc += "（" + r.Target + " の id）"
	}
	if r.Encrypted {
		desc += "（暗号化して保存）"
		s["x-encrypted"] = true
	}
	s["description"] = desc
	if readOnlyField(r) {
		s["readOnly"] = true
	}
	return s
}

// scalarSchema is one value of the field (an item, for multi-valued fields).
func scalarSchema(r collections.DictionaryRow) S {
	switch r.Type {
	case "number":
		s := S{"type": "number"}
		if r.OnlyInt {
			s["type"] = "integer"
		}
		if v, err := strconv.ParseFloat(r.Min, 64); err == nil {
			s["minimum"] = v
		}
		if v, err := strconv.ParseFloat(r.Max, 64); err == nil {
			s["maximum"] = v
		}
		return s
	case "bool":
		return S{"type": "boolean"}
	case "select":
		return S{"type": "string", "enum": r.Values}
	case "json":
		return S{}
	case "geoPoint":
		return object("", "lon", number("経度"), "lat", number("緯度"))
	case "email":
		return S{"type": "string", "format": "email"}
	case "url":
		return S{"type": "string", "format": "uri"}
	case "password":
		return S{"type": "string", "writeOnly": true}
	case "date", "autodate":
		// PocketBase writes "2006-01-02 15:04:05.000Z", not RFC 3339.
		return S{"type": "string", "examples": []string{"2026-04-01 09:00:00.000Z"}}
	case "file":
		return S{"type": "string", "x-file": true}
	case "text":
		s := S{"type": "string"}
		if r.MaxLength > 0 {
			s["maxLength"] = r.MaxLength
		}
		if r.MinLength > 0 {
			s["minLength"] = r.MinLength
		}
		if r.Pattern != "" {
			s["pattern"] = r.Pattern
		}
		return s
	}
	return S{"type": "string"}
}

// matrixOf finds a collection's access matrix.
func matrixOf(name string) *access.Collection {
	for i := range access.Matrix {
		if access.Matrix[i].Name == name {
			return &access.Matrix[i]
		}
	}
	return nil
}

// rolesFor says, from the access matrix the API tests prove, which demo
// roles get what for an action: {"all": [...], "some": [...]}.
func rolesFor(m *access.Collection, action string) S {
	out := S{}
	if m == nil {
		return out
	}
	for _, r := range m.Rows {
		switch o := r.Outcome(action); o {
		case access.All, access.Some, access.Yes:
			list, _ := out[string(o)].([]string)
			out[string(o)] = append(list, r.Role)
		}
	}
	return out
}

func anonymousAllowed(roles S) bool {
	for _, list := range roles {
		for _, r := range list.([]string) {
			if r == "anonymous" {
				return true
			}
		}
	}
	return false
}

func rolesText(roles S, some string) string {
	var parts []string
	for _, k := range []string{"all", "yes", "some"} {
		list, _ := roles[k].([]string)
		if len(list) == 0 {
			continue
		}
		label := map[string]string{"all": "全件", "yes": "可", "some": "一部"}[k]
		if k == "some" && some != "" {
			label += "（" + some + "）"
		}
		parts = append(parts, fmt.Sprintf("%s: %s", label, strings.Join(list, ", ")))
	}
	if len(parts) == 0 {
		return "デモのロールでは誰も使えない（管理者のみ）"
	}
	return strings.Join(parts, " ／ ")
}

var listParams = []any{
	param("page", "query", "ページ番号（1から）", false, S{"type": "integer", "minimum": 1}),
	param("perPage", "query", "1ページの件数（最大500）", false, S{"type": "integer", "minimum": 1, "maximum": 500}),
	param("sort", "query", "並び順（例: -created,name）。並べ替えに使える項目には索引がある", false, S{"type": "string"}),
	param("filter", "query", "PocketBase のフィルタ式（例: type = \"nursery\"）", false, S{"type": "string"}),
	param("expand", "query", "展開する関連項目", false, S{"type": "string"}),
	param("fields", "query", "返す項目（カンマ区切り）", false, S{"type": "string"}),
	param("skipTotal", "query", "true で総件数を数えない（速い）", false, S{"type": "boolean"}),
}

func param(name, in, desc string, required bool, schema S) S {
	return S{"name": name, "in": in, "description": desc, "required": required, "schema": schema}
}

// collectionPaths adds the record API of every collection whose rules open
// at least one action. Actions locked to superusers are left out.
func collectionPaths(paths S, schemas S) {
	rows := map[string][]collections.DictionaryRow{}
	for _, r := range collections.DictionaryRows() {
		rows[r.Collection] = append(rows[r.Collection], r)
	}
	for _, spec := range collections.All() {
		schemas[spec.Name] = collectionSchema(spec, rows[spec.Name])
		m := matrixOf(spec.Name)
		some := ""
		if m != nil {
			some = m.Some
		}
		tag := recordTag(spec.System)
		base := "/api/collections/" + spec.Name + "/records"
		op := func(action, method, summary string, rule *string, body bool, resp S, params ...any) {
			if rule == nil {
				return
			}
			roles := rolesFor(m, action)
			o := S{
				"operationId": action + "_" + spec.Name,
				"summary":     spec.Name + ": " + summary,
				"description": spec.Description + "\n\n許可されるロール（アクセス権限表より）: " + rolesText(roles, some),
				"tags":        []string{tag},
				"x-rule":      *rule,
				"x-roles":     roles,
				"responses":   responsesFor(resp, "", *rule != "", true, false),
			}
			switch {
			case *rule == "":
				o["security"] = []S{}
			case anonymousAllowed(roles):
				// Guests see part (public facilities, say); a token shows more.
				o["security"] = []S{{}, {"bearerAuth": []string{}}}
			default:
				o["security"] = []S{{"bearerAuth": []string{}}}
			}
			if len(params) > 0 {
				o["parameters"] = params
			}
			if body {
				content := S{"application/json": S{"schema": ref(spec.Name)}}
				if hasFile(rows[spec.Name]) {
					content["multipart/form-data"] = S{"schema": ref(spec.Name)}
				}
				o["requestBody"] = S{"required": true, "content": content}
			}
			addOp(paths, baseOrID(base, action), method, o)
		}
		listResp := object("", "page", integer("ページ番号"), "perPage", integer("1ページの件数"),
			"totalItems", integer("総件数（skipTotal では -1）"), "totalPages", integer("総ページ数"),
			"items!", array("", ref(spec.Name)))
		op("list", "GET", "一覧", spec.Rules.List, false, listResp, listParams...)
		op("view", "GET", "1件", spec.Rules.View, false, ref(spec.Name), idParam())
		op("create", "POST", "作成", spec.Rules.Create, true, ref(spec.Name))
		op("update", "PATCH", "更新", spec.Rules.Update, true, ref(spec.Name), idParam())
		op("delete", "DELETE", "削除", spec.Rules.Delete, false, nil, idParam())
		if spec.Auth {
			addAuthWithPassword(paths, spec, tag)
		}
	}
}

func baseOrID(base, action string) string {
	if action == "list" || action == "create" {
		return base
	}
	return base + "/{id}"
}

func idParam() S { return param("id", "path", "レコードの id", true, S{"type": "string"}) }

func hasFile(rows []collections.DictionaryRow) bool {
	for _, r := range rows {
		if r.Type == "file" {
			return true
		}
	}
	return false
}

func addAuthWithPassword(paths S, spec collections.Spec, tag string) {
	o := S{
		"operationId": "authWithPassword_" + spec.Name,
		"summary":     spec.Name + ": パスワードでログインしトークンを得る",
		"description": "得たトークンを Authorization ヘッダーに付けて他の API を呼ぶ。失敗が続くとアカウントは一時的にロックされる。",
		"tags":        []string{tag},
		"security":    []S{},
		"requestBody": S{"required": true, "content": S{"application/json": S{"schema": object("",
			"identity!", str("メールアドレス"), "password!", str("パスワード"))}}},
		"responses": responsesFor(object("", "token!", str("認証トークン"), "record!", ref(spec.Name)), "", false, false, true),
	}
	addOp(paths, "/api/collections/"+spec.Name+"/auth-with-password", "POST", o)
}
