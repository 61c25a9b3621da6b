package ngsi

import (
	"fmt"
	"strings"
)

// Markdown is docs/platform/ngsi-types.md: the interface's reference,
// with the entity types taken from Types so the page cannot drift.
func Markdown() string {
	var b strings.Builder
	b.WriteString(docIntro)
	b.WriteString("\n## エンティティの型\n\n| 型 | データセット（必要なスコープ） | モデル |\n|---|---|---|\n")
	for _, t := range Types {
		model := t.Model
		if model == "" {
			model = "lifestage 独自"
		}
		fmt.Fprintf(&b, "| `%s` | `%s`（`%s:read`） | %s |\n", t.Name, t.Dataset, t.Dataset, model)
	}
	for _, t := range Types {
		fmt.Fprintf(&b, "\n### %s\n\n%s\n\n- 元データ: %s\n- id の形: `urn:ngsi-ld:%s:saijo:…`\n\n| 属性 | 型 | 内容 |\n|---|---|---|\n", t.Name, t.Description, t.Source, t.Name)
		for _, a := range t.Attrs {
			fmt.Fprintf(&b, "| `%s` | `%s` | %s |\n", a.Name, a.Type, a.Description)
		}
	}
	b.WriteString("\n### NGSI で公開しないデータセット\n\n")
	for _, n := range NotPublished {
		fmt.Fprintf(&b, "- `%s`: %s\n", n.Dataset, n.Reason)
	}
	b.WriteString(docRest)
	return b.String()
}

const docIntro = "# NGSI-v2 インターフェース（データ連携基盤）\n\n" +
	"> このファイルは `ngsi/doc.go` と `ngsi.Types` から生成しています。直接編集せず、`UPDATE_DOCS=1 go test ./ngsi/` で更新してください。\n\n" +
	"FIWARE Orion（NGSI-v2）のクライアントが使う範囲を、標準のパス `/ngsi/v2/…` で提供します。" +
	"すべての要求に APIキー（`X-API-Key` ヘッダー）が必要です。キーがない・正しくないときは 401、" +
	"型のデータセットの read スコープがないときは 403（ゲートウェイの応答形式）です。" +
	"それ以外のエラーは Orion と同じ `{\"error\":\"BadRequest\",\"description\":\"…\"}` の形で、description は日本語です。\n\n" +
	"| メソッドとパス | 内容 |\n|---|---|\n" +
	"| `GET /ngsi/v2/entities` | エンティティの検索（下の表の引数） |\n" +
	"| `GET /ngsi/v2/entities/{id}` | 1件（`type`・`attrs`・`options=keyValues`）。ないときは 404 `NotFound` |\n" +
	"| `GET /ngsi/v2/types`、`/ngsi/v2/types/{type}` | キーで読める型と、その属性・件数 |\n" +
	"| `POST /ngsi/v2/op/query` | `{entities:[{id\\|idPattern,type}], attrs:[…], expression:{q,georel,geometry,coords}}`。`limit`・`offset`・`options`・`orderBy` は URL に付ける |\n" +
	"| `GET /ngsi/v2/entities/{id}/attrs/{attr}/history` | 属性の履歴（Orion にない機能、下記） |\n" +
	"| `GET /ngsi/v2/aggregate` | 集計（Orion にない機能、下記） |\n" +
	"| `POST`・`GET /ngsi/v2/subscriptions`、`GET`・`DELETE /ngsi/v2/subscriptions/{id}` | 変更通知の購読（`subscriptions:write` / `subscriptions:read`） |\n\n" +
	"## 検索の引数\n\n| 引数 | 内容 |\n|---|---|\n" +
	"| `type` | 型（カンマ区切りで複数）。省略するとキーで読めるすべての型。知らない型は空の結果 |\n" +
	"| `id` / `idPattern` | id（カンマ区切り）か、id の正規表現。同時には指定できない |\n" +
	"| `q` | Simple Query Language: `;` で AND。`attr==v`、`!=`、`>`、`<`、`>=`、`<=`、範囲 `a..b`、一覧 `a,b`、引用 `'x'`、存在 `attr`、不在 `!attr`、パターン `attr~=正規表現`、構造化値の中 `address.addressLocality==西条市`。配列の属性（`category` など）はどれかの要素が合えば一致 |\n" +
	"| `attrs` | 返す属性（カンマ区切り） |\n" +
	"| `limit` / `offset` | 既定 20、最大 1000（Orion と同じ）。範囲外は 400 |\n" +
	"| `options` | `keyValues`（値だけの形）、`count`（総件数を `Fiware-Total-Count` ヘッダーで返す） |\n" +
	"| `orderBy` | 属性名（カンマ区切り、`!` で降順）。`geo:distance` は near と組み合わせて近い順 |\n" +
	"| `georel` / `geometry` / `coords` | `near;maxDistance:M`・`near;minDistance:M`（`geometry=point`）、`coveredBy`（`geometry=polygon`）、`intersects`・`disjoint`・`equals`。coords は「緯度,経度」を `;` でつなぐ（多角形は最初と最後を同じ点に）。距離は haversine（メートル） |\n\n" +
	"`;` は URL の中でそのまま書いてかまいません（`%3B` でも可）。\n\n" +
	"例:\n\n```sh\ncurl -H \"X-API-Key: $KEY\" \\\n  'https://<host>/ngsi/v2/entities?type=NurseryVacancy&q=ageClass==1;vacancies>0&georel=near;maxDistance:2000&geometry=point&coords=33.9196,133.1812&options=keyValues,count'\n```\n"

const docRest = "\n## 属性の履歴（Orion にない機能）\n\n" +
	"元のレコード（施設・クラス・在籍・欠席連絡）が変わると、エンティティを作り直して前回と比べ、値の変わった属性を1行ずつ `ngsi_history` に記録します" +
	"（`dateObserved` だけの変化は記録しません）。サーバーの起動後に最初に作ったときは比べる相手がないので記録しません。" +
	"消えたエンティティの履歴は残りますが、エンティティがないと履歴の API は 404 を返します。\n\n" +
	"`GET /ngsi/v2/entities/{id}/attrs/{attr}/history?fromDate=&toDate=&lastN=` は QuantumLeap と同じ形で答えます。" +
	"`fromDate`・`toDate` は `YYYY-MM-DD`（日本時間、toDate はその日を含む）か RFC 3339、`lastN` は新しい方から N 件（最大 1000）。\n\n" +
	"```json\n{\"entityId\":\"urn:ngsi-ld:NurseryVacancy:saijo:F0001:1\",\"entityType\":\"NurseryVacancy\",\"attrName\":\"vacancies\",\n \"index\":[\"2026-11-24T02:00:00.000Z\",\"2026-11-25T02:00:00.000Z\"],\"values\":[2,1]}\n```\n\n" +
	"## 集計（Orion にない機能）\n\n" +
	"`GET /ngsi/v2/aggregate?type=<型>&op=count|sum|avg&attr=<数値の属性>&groupBy=<属性>&bucket=day|week|month&timeAttr=<日付の属性>`。" +
	"`q`・`id`・`idPattern`・`georel` などの絞り込みも使えます。week は月曜始まりで、bucket はその月曜の日付、month は `YYYY-MM` です。" +
	"sum と avg は数値でない値を数えません。\n\n" +
	"```json\n{\"type\":\"InfectionCount\",\"op\":\"sum\",\"attr\":\"count\",\"groupBy\":\"infection\",\"bucket\":\"week\",\"timeAttr\":\"dateObserved\",\n \"groups\":[{\"group\":\"influenza\",\"bucket\":\"2026-11-23\",\"value\":7,\"count\":3}]}\n```\n\n" +
	"## サブスクリプション（変更通知）\n\n" +
	"Orion と同じ形で作ります。`subject.entities` の各項目には `type` が必要で、その型を読めるキーでだけ作れます。" +
	"事業者は自分のサブスクリプションだけを見て削除でき、他の事業者のものは 404 です。\n\n" +
	"```sh\ncurl -X POST -H \"X-API-Key: $KEY\" -H 'Content-Type: application/json' https://<host>/ngsi/v2/subscriptions -d '{\n  \"description\": \"空きが変わったら通知\",\n  \"subject\": {\"entities\": [{\"idPattern\": \".*\", \"type\": \"NurseryVacancy\"}],\n              \"condition\": {\"attrs\": [\"vacancies\"], \"expression\": {\"q\": \"ageClass<=2\"}}},\n  \"notification\": {\"http\": {\"url\": \"https://example.jp/notify\"}, \"attrs\": [\"name\", \"ageClass\", \"vacancies\"],\n                   \"attrsFormat\": \"keyValues\", \"maxFailsLimit\": 3},\n  \"expires\": \"2027-03-31T23:59:59+09:00\", \"throttling\": 60\n}'\n# 201 Location: /ngsi/v2/subscriptions/<id>\n# {\"id\":\"<id>\",\"secret\":\"<64桁の16進>\", …}  ← secret はこのときだけ返ります。保管してください\n```\n\n" +
	"通知は `POST <url>` で、本文は `{\"subscriptionId\":\"<id>\",\"data\":[エンティティ…]}`（`attrs`・`attrsFormat` に従う）です。" +
	"`X-Lifestage-Signature: t=<UNIX秒>,v1=<16進>` ヘッダーが付き、v1 は secret を鍵にした HMAC-SHA256（`<UNIX秒>.<本文のバイト列>`）です。受け手は次のように確かめます。\n\n" +
	"```go\nparts := map[string]string{}\nfor _, p := range strings.Split(r.Header.Get(\"X-Lifestage-Signature\"), \",\") {\n\tk, v, _ := strings.Cut(p, \"=\")\n\tparts[k] = v\n}\nmac := hmac.New(sha256.New, []byte(secret))\nmac.Write([]byte(parts[\"t\"] + \".\"))\nmac.Write(body) // 受け取った本文そのまま\nok := hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(parts[\"v1\"]))\n// さらに t が現在から5分以内であることを確かめ、再送の悪用を防ぐ\n```\n\n" +
	"- 2xx 以外の応答や接続の失敗は失敗です。再試行は 2 秒・4 秒・8 秒…（指数的に延び、64 倍で頭打ち）で、1 回の通知につき既定 3 回まで試します。\n" +
	"- `failsCounter` は連続した失敗の回数で、成功すると 0 に戻ります。`maxFailsLimit`（既定 3）に達すると `status` が `failed` になり、以後は通知しません。" +
	"`timesSent`・`lastNotification`・`lastSuccess`・`lastSuccessCode`・`lastFailure`・`lastFailureReason` を GET で確かめられます。\n" +
	"- `throttling` 秒以内の次の通知は送りません。`expires` を過ぎると `status` は `expired` になります。\n" +
	"- 通知先は http/https の公開アドレスだけです。プライベート・ループバック・リンクローカルのアドレスは、名前解決の後でも拒否し、リダイレクトには従いません" +
	"（閉じた網の中に受け手がある場合は、サーバーの環境変数 `LIFESTAGE_NGSI_ALLOW_PRIVATE=1` で許可します）。\n" +
	"- 通知は記録を変えた要求とは別に、背景で送ります。変化の検出は書き込みの約 0.5 秒後か、次の読み出しのときです。\n" +
	"- 1 事業者のサブスクリプションは 100 件までです。削除されたエンティティの通知はしません。\n"
