package apidoc

import (
	"fmt"
	"sort"
	"strings"
)

// Markdown renders the interface specification (インターフェース仕様書,
// docs/platform/interface-spec.md) from a generated document, so the
// document and the specification cannot disagree.
func Markdown(d *Document) string {
	var b strings.Builder
	doc := d.Doc
	info := doc["info"].(S)
	b.WriteString("# インターフェース仕様書（lifestage API）\n\n")
	b.WriteString("<!-- Generated from the OpenAPI document by `UPDATE_DOCS=1 go test ./apidoc/`. Do not edit by hand. -->\n\n")
	fmt.Fprintf(&b, "%s\n\n", info["description"])
	fmt.Fprintf(&b, "- OpenAPI %s の文書: `GET /api/lifestage/openapi.json`（この仕様書と同じ内容。ETag 付き）\n", doc["openapi"])
	b.WriteString("- 開発者ポータル: `/developers/`（データセット、スコープ、リクエスト例、試行コンソール）\n")
	b.WriteString("- データ連携基盤の全体像は [data-platform-spec.md](data-platform-spec.md)、項目の定義は [../data-dictionary.md](../data-dictionary.md)、権限は [../access.md](../access.md) を参照。\n")
	fmt.Fprintf(&b, "- 操作の数: %d\n\n", d.Operations)

	b.WriteString("## 1. 認証\n\n| 方式 | 送り方 | 説明 |\n|---|---|---|\n")
	schemes := doc["components"].(S)["securitySchemes"].(S)
	for _, name := range sortedKeys(schemes) {
		s := schemes[name].(S)
		how := "`Authorization: Bearer <token>`"
		if s["type"] == "apiKey" {
			how = fmt.Sprintf("`%s: <key>`（ヘッダー）", s["name"])
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", name, how, cell(s["description"]))
	}
	b.WriteString("\nログイン不要の API は、IP アドレスごとの回数制限（/api/lifestage/ は1分60回）とボディの大きさの上限を持つ。\n\n")

	b.WriteString("## 2. エラー\n\nすべてのエラーは次の形で返る。`data` の各項目に安定したコード（プログラム用）と日本語のメッセージ（人向け）が入る。\n\n")
	b.WriteString("```json\n{\"status\": 400, \"message\": \"CSV に誤りが2件あります。何も保存していません。\", \"data\": {\"row3.緯度\": {\"code\": \"invalid_lat\", \"message\": \"緯度は…\"}}}\n```\n\n")
	b.WriteString("| ステータス | 意味 |\n|---|---|\n")
	resp := doc["components"].(S)["responses"].(S)
	for _, c := range []struct{ code, name string }{{"400", "BadRequest"}, {"401", "Unauthorized"}, {"403", "Forbidden"}, {"404", "NotFound"}, {"429", "TooManyRequests"}} {
		fmt.Fprintf(&b, "| %s | %s |\n", c.code, cell(resp[c.name].(S)["description"]))
	}

	b.WriteString("\n## 3. データセットとスコープ\n\n連携事業者の API キーには「データセット:read|write」のスコープを付与する。\n\n")
	b.WriteString("| データセット | 内容 | スコープ | 個人 | 入手方法 |\n|---|---|---|:-:|---|\n")
	for _, ds := range doc["x-datasets"].([]S) {
		var how []string
		if c, ok := ds["collection"]; ok {
			how = append(how, fmt.Sprintf("記録 API `%s`", c))
		}
		if files, ok := ds["openData"].([]string); ok {
			for _, f := range files {
				how = append(how, "オープンデータ `"+f+"`")
			}
		}
		if types, ok := ds["ngsiTypes"].([]string); ok {
			how = append(how, "NGSI `"+strings.Join(types, "`, `")+"`")
		}
		if st, ok := ds["status"]; ok {
			how = append(how, fmt.Sprint(st))
		}
		if len(how) == 0 {
			how = []string{"NGSI-v2 インターフェース（構築中）"}
		}
		personal := ""
		if ds["personal"] == true {
			personal = "✓"
		}
		fmt.Fprintf(&b, "| `%s` | %s | `%s` | %s | %s |\n", ds["name"], ds["label"], strings.Join(ds["scopes"].([]string), "`, `"), personal, cell(strings.Join(how, "、")))
	}
	if types := doc["x-ngsi-types"].([]S); len(types) > 0 {
		b.WriteString("\n### NGSI エンティティ型\n\n| 型 | データセット | Smart Data Model | 説明 |\n|---|---|---|---|\n")
		for _, t := range types {
			fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s |\n", t["type"], t["dataset"], t["smartDataModel"], cell(t["description"]))
		}
	}

	paths := doc["paths"].(S)
	b.WriteString("\n## 4. API 一覧\n")
	for _, tag := range doc["tags"].([]S) {
		name := tag["name"].(string)
		if strings.HasPrefix(name, "records-") {
			continue
		}
		fmt.Fprintf(&b, "\n### %s — %s\n\n", name, tag["description"])
		for _, op := range opsTagged(paths, name) {
			renderOp(&b, op)
		}
	}

	b.WriteString("\n## 5. 記録 API（コレクション）\n\n")
	b.WriteString("PocketBase の標準の記録 API。一覧は `page`・`perPage`・`sort`・`filter`・`expand`・`fields`・`skipTotal` を受け付ける。")
	b.WriteString("項目の定義は [データ項目定義書](../data-dictionary.md)、各ロールの権限の詳細は [権限表](../access.md) にある。管理者（スーパーユーザー）にしか開いていない操作は載せない。\n")
	for _, tag := range doc["tags"].([]S) {
		name := tag["name"].(string)
		if !strings.HasPrefix(name, "records-") {
			continue
		}
		fmt.Fprintf(&b, "\n### %s\n\n| メソッド | パス | 概要 | 使えるロール |\n|---|---|---|---|\n", tag["description"])
		for _, op := range opsTagged(paths, name) {
			roles := "ログイン不要"
			if r, ok := op.op["x-roles"].(S); ok && len(op.op["security"].([]S)) > 0 {
				roles = rolesText(r, "")
			}
			fmt.Fprintf(&b, "| %s | `%s` | %s | %s |\n", op.method, op.path, cell(op.op["summary"]), cell(roles))
		}
	}
	return b.String()
}

type pathOp struct {
	method, path string
	op           S
}

var methodOrder = map[string]int{"get": 0, "post": 1, "put": 2, "patch": 3, "delete": 4}

func opsTagged(paths S, tag string) []pathOp {
	var out []pathOp
	for p, item := range paths {
		for m, op := range item.(S) {
			if op.(S)["tags"].([]string)[0] == tag {
				out = append(out, pathOp{strings.ToUpper(m), p, op.(S)})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].path != out[j].path {
			return out[i].path < out[j].path
		}
		return methodOrder[strings.ToLower(out[i].method)] < methodOrder[strings.ToLower(out[j].method)]
	})
	return out
}

func renderOp(b *strings.Builder, p pathOp) {
	op := p.op
	fmt.Fprintf(b, "#### `%s %s`\n\n%s\n\n", p.method, p.path, op["summary"])
	if d, ok := op["description"]; ok {
		fmt.Fprintf(b, "%s\n\n", d)
	}
	auth := "ログイン不要"
	if sec := op["security"].([]S); len(sec) > 0 {
		for k := range sec[0] {
			auth = map[string]string{"bearerAuth": "認証トークン（Authorization）", "apiKey": "API キー（X-API-Key）"}[k]
		}
	}
	if sc, ok := op["x-scope"]; ok {
		auth += fmt.Sprintf("、スコープ `%s`", sc)
	}
	fmt.Fprintf(b, "- 認証: %s\n", auth)
	if params, ok := op["parameters"].([]any); ok {
		b.WriteString("- パラメーター:\n")
		for _, pa := range params {
			pm := pa.(S)
			req := ""
			if pm["required"] == true {
				req = "（必須）"
			}
			fmt.Fprintf(b, "  - `%s`（%s）%s: %s\n", pm["name"], pm["in"], req, pm["description"])
		}
	}
	if body, ok := op["requestBody"].(S); ok {
		content := body["content"].(S)
		for _, ct := range sortedKeys(content) {
			fmt.Fprintf(b, "- リクエスト（`%s`）:\n", ct)
			renderFields(b, content[ct].(S)["schema"].(S), "  ")
		}
	}
	codes := sortedKeys(op["responses"].(S))
	ok := op["responses"].(S)["200"].(S)
	for _, ct := range sortedKeys(ok["content"].(S)) {
		fmt.Fprintf(b, "- 応答: `%s`（%s）\n", ct, strings.Join(codes, ", "))
	}
	b.WriteString("\n")
}

// renderFields lists an object schema's properties, nested one level per
// indent.
func renderFields(b *strings.Builder, s S, indent string) {
	props, ok := s["properties"].(S)
	if !ok {
		return
	}
	required := map[string]bool{}
	if r, ok := s["required"].([]string); ok {
		for _, n := range r {
			required[n] = true
		}
	}
	for _, name := range sortedKeys(props) {
		ps := props[name].(S)
		typ := fmt.Sprint(ps["type"])
		if e, ok := ps["enum"].([]string); ok {
			typ += " (" + strings.Join(e, "|") + ")"
		}
		req := ""
		if required[name] {
			req = "（必須）"
		}
		fmt.Fprintf(b, "%s- `%s` %s%s: %v\n", indent, name, typ, req, ps["description"])
		if items, ok := ps["items"].(S); ok {
			renderFields(b, items, indent+"  ")
		}
		renderFields(b, ps, indent+"  ")
	}
}

func sortedKeys(m S) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func cell(v any) string {
	s := fmt.Sprint(v)
	s = strings.ReplaceAll(s, "|", "\\|")
	return strings.ReplaceAll(s, "\n", " ")
}
