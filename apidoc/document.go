// Package apidoc generates lifestage's OpenAPI 3.1 document and the
// interface specification (インターフェース仕様書) rendered from it. Nothing
// in the document is written by hand twice: record APIs come from
// collections/ (fields, Japanese help, rules) and the access matrix, custom
// routes from the router (method and path) merged with Ops (summary, who,
// bodies). It reads plain Go values and never calls PocketBase.
package apidoc

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"sort"
	"strings"
)

// Version is the OpenAPI version emitted. kin-openapi validates 3.1
// documents (JSON Schema 2020-12 keywords, "type" arrays, webhooks).
const Version = "3.1.0"

// Document is a generated OpenAPI document.
type Document struct {
	Doc  S      // the document as maps, for the markdown renderer
	JSON []byte // compact JSON, served as is
	Gzip []byte // JSON gzipped once, for clients that accept it
	ETag string // strong validator of JSON
	// Missing lists routes with no Op (they are still documented, marked
	// x-undocumented); Stale lists Ops whose route is gone.
	Missing []Route
	Stale   []Op
	// Operations counts the operations in the document.
	Operations int
}

// Build generates the document from the router's routes. Routes outside
// the documented prefixes (PocketBase's own, static pages) are ignored:
// the record APIs they serve are described from collections/ instead.
func Build(routes []Route) (*Document, error) {
	paths, schemas := S{}, S{}
	collectionPaths(paths, schemas)
	schemas["ApiError"] = object("PocketBase 形式のエラー。data の各項目に安定したコードと日本語のメッセージ",
		"status!", integer("HTTP ステータス"), "message!", str("日本語のメッセージ"),
		"data!", S{"type": "object", "additionalProperties": object("", "code!", str("安定したエラーコード"), "message!", str("日本語のメッセージ"))})

	d := &Document{}
	byKey := map[string]Op{}
	for _, o := range Ops {
		byKey[o.Key()] = o
	}
	seen := map[string]bool{}
	for _, r := range routes {
		if r.Method == "" {
			// A route for any method (router.Any) is documented as its GET.
			r.Method = "GET"
		}
		if !Documented(r.Path) || seen[r.Key()] {
			continue
		}
		seen[r.Key()] = true
		o, ok := byKey[r.Key()]
		if !ok {
			d.Missing = append(d.Missing, r)
			o = Op{Method: r.Method, Path: r.Path, Summary: "（説明未登録）"}
			if IsPartnerRoute(r.Path) {
				o.Auth = APIKey
			}
		}
		addOp(paths, openAPIPath(r.Path), r.Method, customOp(o, !ok))
	}
	for _, o := range Ops {
		if !seen[o.Key()] {
			d.Stale = append(d.Stale, o)
		}
	}

	d.Doc = S{
		"openapi":           Version,
		"jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
		"info": S{
			"title":   "lifestage API（西条市 ライフステージ支援システム）",
			"version": "1.0.0",
			"description": "西条市のライフステージ支援システムの API。コレクションの定義（collections/）と登録されたルートから自動生成している。" +
				"市民・職員は PocketBase の認証トークン（Authorization ヘッダー）、連携事業者は API キー（X-API-Key ヘッダー）で呼び出す。" +
				"エラーは {status, message, data} の形で、data の各項目に安定したコードと日本語のメッセージが入る。",
		},
		"servers":      []S{{"url": "/", "description": "この lifestage サーバー"}},
		"tags":         tags(paths),
		"paths":        paths,
		"components":   S{"schemas": schemas, "securitySchemes": securitySchemes(), "responses": errorResponses()},
		"x-datasets":   datasetsJSON(),
		"x-ngsi-types": ngsiTypesJSON(),
	}
	raw, err := json.Marshal(d.Doc)
	if err != nil {
		return nil, err
	}
	d.JSON = raw
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if _, err := zw.Write(raw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	d.Gzip = gz.Bytes()
	sum := sha256.Sum256(raw)
	d.ETag = `"` + hex.EncodeToString(sum[:16]) + `"`
	for _, item := range paths {
		d.Operations += len(item.(S))
	}
	return d, nil
}

func addOp(paths S, path, method string, op S) {
	item, _ := paths[path].(S)
	if item == nil {
		item = S{}
		paths[path] = item
	}
	item[strings.ToLower(method)] = op
}

var wildcard = regexp.MustCompile(`\{([A-Za-z0-9_]+)(\.\.\.)?\}`)

// openAPIPath turns a ServeMux pattern into an OpenAPI path template.
func openAPIPath(p string) string { return wildcard.ReplaceAllString(p, "{$1}") }

var nonWord = regexp.MustCompile(`[^A-Za-z0-9]+`)

func operationID(method, path string) string {
	return strings.ToLower(method) + "_" + strings.Trim(nonWord.ReplaceAllString(strings.TrimPrefix(path, "/api/lifestage/"), "_"), "_")
}

func customOp(o Op, undocumented bool) S {
	path := openAPIPath(o.Path)
	out := S{
		"operationId": operationID(o.Method, path),
		"summary":     o.Summary,
		"tags":        []string{tagFor(o.Path)},
	}
	desc := o.Description
	if o.Auth == Login && o.Who != "" {
		desc = strings.TrimSpace(desc + "\n\n呼び出せる利用者: " + o.Who)
	}
	if desc != "" {
		out["description"] = desc
	}
	if undocumented {
		out["x-undocumented"] = true
	}
	switch o.Auth {
	case Public:
		out["security"] = []S{}
	case APIKey:
		out["security"] = []S{{"apiKey": []string{}}}
		if o.Scope != "" {
			out["x-scope"] = o.Scope
		}
	default:
		out["security"] = []S{{"bearerAuth": []string{}}}
	}
	var params []any
	for _, m := range wildcard.FindAllStringSubmatch(o.Path, -1) {
		params = append(params, param(m[1], "path", pathParamDesc(m[1]), true, S{"type": "string"}))
	}
	for _, p := range o.Query {
		schema := p.Schema
		if schema == nil {
			schema = S{"type": "string"}
		}
		params = append(params, param(p.Name, "query", p.Description, p.Required, schema))
	}
	if len(params) > 0 {
		out["parameters"] = params
	}
	switch {
	case o.Body != nil:
		out["requestBody"] = S{"required": true, "content": S{"application/json": S{"schema": o.Body}}}
	case o.BodyType == "multipart/form-data":
		out["requestBody"] = S{"required": true, "content": S{o.BodyType: S{"schema": object("",
			"file!", S{"type": "string", "contentMediaType": "text/csv", "description": "CSV ファイル"})}}}
	}
	hasInput := o.Body != nil || o.BodyType != "" || len(o.Query) > 0
	out["responses"] = responsesFor(o.Response, o.Produces, o.Auth != Public, strings.Contains(o.Path, "{"), o.Auth != Login || hasInput)
	if hasInput {
		out["responses"].(S)["400"] = S{"$ref": "#/components/responses/BadRequest"}
	}
	return out
}

func pathParamDesc(name string) string {
	switch name {
	case "id":
		return "対象の id"
	case "month":
		return "対象月（YYYY-MM）"
	case "dataset":
		return "データセット: child-facilities（子育て施設一覧）または medical-institutions（医療機関一覧）"
	case "file":
		return "ファイル名: child-facilities.csv または medical-institutions.csv"
	case "system":
		return "分野: child・nursery・watch・platform"
	case "kind":
		return "種類: user・admin・faq"
	}
	return name
}

// responsesFor lists the answers of an operation: success, then the
// errors its kind of caller can meet.
func responsesFor(schema S, produces string, auth, notFound, rateLimited bool) S {
	if produces == "" {
		produces = "application/json"
	}
	ok := S{"description": "成功"}
	switch {
	case schema != nil:
		ok["content"] = S{produces: S{"schema": schema}}
	case produces == "application/json" || strings.HasSuffix(produces, "+json"):
		ok["content"] = S{produces: S{"schema": S{"type": "object"}}}
	default:
		ok["content"] = S{produces: S{"schema": S{"type": "string", "contentMediaType": produces}}}
	}
	out := S{"200": ok}
	if auth {
		out["401"] = S{"$ref": "#/components/responses/Unauthorized"}
		out["403"] = S{"$ref": "#/components/responses/Forbidden"}
	}
	if notFound {
		out["404"] = S{"$ref": "#/components/responses/NotFound"}
	}
	if rateLimited {
		out["429"] = S{"$ref": "#/components/responses/TooManyRequests"}
	}
	return out
}

func errorResponses() S {
	e := func(desc string) S {
		return S{"description": desc, "content": S{"application/json": S{"schema": ref("ApiError")}}}
	}
	tooMany := e("回数制限を超えた（ログインしていない利用者は IP ごと、連携事業者はキーごと）。API キーの場合は Retry-After ヘッダーで待つ秒数を返す")
	tooMany["headers"] = S{"Retry-After": S{"description": "再試行まで待つ秒数", "schema": S{"type": "integer"}}}
	return S{
		"BadRequest":      e("入力の誤り。data に項目ごとのコードとメッセージ"),
		"Unauthorized":    e("ログインしていない、またはトークンや API キーが無効"),
		"Forbidden":       e("権限がない（API キーではスコープが付与されていない）"),
		"NotFound":        e("見つからない、または閲覧の権限がない"),
		"TooManyRequests": tooMany,
	}
}

func securitySchemes() S {
	return S{
		"bearerAuth": S{"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
			"description": "PocketBase の認証トークン。/api/collections/{アカウントの種類}/auth-with-password で得る。Authorization ヘッダーにそのまま、または Bearer を付けて送る"},
		"apiKey": S{"type": "apiKey", "in": "header", "name": "X-API-Key",
			"description": "連携事業者の API キー。市（運用管理）が発行し、データセット×読み書きのスコープ・有効期限・回数制限・月間上限を持つ。キーが無い・無効なら 401、スコープが無ければ 403、回数制限・月間上限を超えると 429。/ngsi/v2 と /api/lifestage/partner/ の全ルートに必要"},
	}
}

// tagInfo groups custom routes by system; the first path segment after
// /api/lifestage/ picks the tag.
var tagInfo = []struct{ name, desc string }{
	{"platform", "共通基盤（アカウント・通知・家族共有・閲覧履歴・マニュアル）"},
	{"child", "子育て（予防接種・健診・発育・予診票・妊婦健診）"},
	{"nursery", "保育（登降園・午睡・連絡帳・行事・写真・保育料・請求）"},
	{"elderly", "高齢福祉・見守り（基本チェックリスト・見守り訪問）"},
	{"operations", "運用（運用状況・利用者数報告）"},
	{"data-platform", "データ連携基盤（OpenAPI・オープンデータ）"},
	{"partner", "連携事業者向け（API キーが必要）"},
	{"ngsi", "NGSI-v2 標準インターフェース（API キーが必要）"},
	{"records-platform", "記録 API: 共通基盤のコレクション"},
	{"records-operations", "記録 API: 運用のコレクション"},
	{"records-child", "記録 API: 子育てのコレクション"},
	{"records-nursery", "記録 API: 保育のコレクション"},
	{"records-watch", "記録 API: 見守りのコレクション"},
}

var segmentTags = map[string]string{
	"me": "platform", "notifications": "platform", "family": "platform", "meta": "platform", "manuals": "platform",
	"children": "child", "child": "child", "schedule": "child", "growth": "child", "questionnaires": "child",
	"clinic": "child", "pregnancies": "child",
	"nursery": "nursery",
	"frailty": "elderly", "watch": "elderly",
	"ops":      "operations",
	"opendata": "data-platform", "openapi.json": "data-platform",
	"partner": "partner",
}

func tagFor(path string) string {
	if strings.HasPrefix(path, "/ngsi/") {
		return "ngsi"
	}
	seg, _, _ := strings.Cut(strings.TrimPrefix(path, "/api/lifestage/"), "/")
	if t, ok := segmentTags[seg]; ok {
		return t
	}
	return seg
}

// tags lists the tags in use: the known ones in order, then any other.
func tags(paths S) []S {
	used := map[string]bool{}
	for _, item := range paths {
		for _, op := range item.(S) {
			for _, t := range op.(S)["tags"].([]string) {
				used[t] = true
			}
		}
	}
	var out []S
	for _, t := range tagInfo {
		if used[t.name] {
			out = append(out, S{"name": t.name, "description": t.desc})
			delete(used, t.name)
		}
	}
	var rest []string
	for t := range used {
		rest = append(rest, t)
	}
	sort.Strings(rest)
	for _, t := range rest {
		out = append(out, S{"name": t})
	}
	return out
}
