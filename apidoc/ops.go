package apidoc

// Ops describes lifestage's custom routes. The router supplies the method
// and path of every route; an entry here adds what the code cannot say.
// TestOpenAPICoversEveryRoute (hooks) fails when a route under
// /api/lifestage/ or /ngsi/v2 has no entry, or an entry has no route, and
// prints the missing lines ready to paste. Keep entries grouped by system,
// one block per hooks file, so parallel work merges cleanly.
var Ops = concat(
	platformOps, childOps, nurseryOps, elderlyOps, watchRegisterOps, opsOps, dataPlatformOps,
	gatewayOps, myNumberOps, consentOps, ngsiOps, pushOps, i18nOps,
	searchOps, applicationOps, noticeOps, qaOps,
)

func concat(lists ...[]Op) []Op {
	var out []Op
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

const (
	whoCitizen     = "市民（保護者）"
	whoStaffOrKin  = "保護者・共有された家族・権限のある職員（閲覧は監査記録）"
	whoNursery     = "保育施設職員（自施設のみ）"
	whoNurseryCity = "保育施設職員（自施設）・市の保育担当"
	whoCityNursery = "市職員・保育担当"
	whoCityOps     = "市職員・運用管理"
	whoMedical     = "医療機関職員"
	whoVolunteer   = "見守りボランティア"
	whoCityElderly = "市職員・高齢福祉担当"
	whoAnyLogin    = "ログインしている利用者（内容は権限による）"
)

var monthQ = q("month", "対象月（YYYY-MM）")

var platformOps = []Op{
	{Method: "GET", Path: "/api/lifestage/meta", Summary: "アプリの基本情報（デモ環境かどうか）", Auth: Public,
		Response: object("", "app", str("アプリ名"), "city", str("自治体名"), "demo", boolean("デモデータで動いているか"), "dataset", str("データの種類"))},
	{Method: "GET", Path: "/api/lifestage/manuals", Summary: "閲覧できるマニュアルの一覧", Auth: Public,
		Description: "ログインしていない場合は市民向けのマニュアルのみ。"},
	{Method: "GET", Path: "/api/lifestage/manuals/{system}/{kind}", Summary: "マニュアル本文（HTML）", Auth: Public,
		Description: "職員向けのマニュアルは職員としてログインしている場合のみ。"},
	{Method: "GET", Path: "/api/lifestage/me/access-log", Summary: "自分の情報の閲覧履歴（誰がいつ見たか）", Auth: Login, Who: whoCitizen,
		Query: []Param{q("page", "ページ番号（1から）")}},
	{Method: "GET", Path: "/api/lifestage/me/history", Summary: "自分と子どもの記録の時系列（カーソル方式）", Auth: Login, Who: whoCitizen,
		Query: []Param{q("cursor", "前回の応答の nextCursor"), q("perPage", "1ページの件数")}},
	{Method: "POST", Path: "/api/lifestage/notifications/read-all", Summary: "自分宛ての通知をすべて既読にする", Auth: Login, Who: whoAnyLogin},
	{Method: "POST", Path: "/api/lifestage/family/children/{id}/shares", Summary: "子どもの記録を家族と共有する招待コードを発行する", Auth: Login, Who: "子の保護者",
		Body: object("", "scope!", enum("共有の範囲: view=閲覧, manage=管理", "view", "manage"), "label", str("招待する相手の呼び名（例: 祖母）"))},
	{Method: "POST", Path: "/api/lifestage/family/shares/accept", Summary: "招待コードを受け取り共有を有効にする", Auth: Login, Who: whoCitizen,
		Body: object("", "code!", str("招待コード"))},
	{Method: "POST", Path: "/api/lifestage/family/shares/{id}/revoke", Summary: "家族共有を取り消す（保護者）・共有から抜ける（家族）", Auth: Login, Who: "子の保護者・共有された本人"},
}

var childOps = []Op{
	{Method: "POST", Path: "/api/lifestage/schedule/preview", Summary: "予防接種・健診スケジュールの試算（ログイン不要）", Auth: Public,
		Body: object("", "birthDate!", date("生年月日"), "sex", enum("性別", "male", "female"), "asOf", date("基準日"),
			"doses", array("接種済みの記録", object("", "vaccine!", str("ワクチンのコード"), "date!", date("接種日"))))},
	{Method: "GET", Path: "/api/lifestage/growth/assess", Summary: "身長・体重・頭囲の発育評価（ログイン不要）", Auth: Public,
		Query: []Param{qreq("birthDate", "生年月日（YYYY-MM-DD）"), qreq("sex", "性別 male|female"), q("date", "測定日（YYYY-MM-DD、省略時は今日）"),
			q("weightKg", "体重（kg）"), q("heightCm", "身長（cm）"), q("headCm", "頭囲（cm）")}},
	{Method: "GET", Path: "/api/lifestage/children/{id}/schedule", Summary: "子どもの予防接種・健診スケジュール", Auth: Login, Who: whoStaffOrKin,
		Query: []Param{q("asOf", "基準日（YYYY-MM-DD）")}},
	{Method: "GET", Path: "/api/lifestage/children/{id}/growth", Summary: "子どもの成長記録と発育評価", Auth: Login, Who: whoStaffOrKin},
	{Method: "GET", Path: "/api/lifestage/children/{id}/growth.svg", Summary: "成長曲線（SVG）", Auth: Login, Who: whoStaffOrKin, Produces: "image/svg+xml"},
	{Method: "GET", Path: "/api/lifestage/children/{id}/fhir", Summary: "予防接種記録の FHIR R4 Bundle（JP Core）", Auth: Login, Who: whoStaffOrKin, Produces: "application/fhir+json"},
	{Method: "GET", Path: "/api/lifestage/child/followups", Summary: "健診・接種の未受診者一覧（子育て担当）", Auth: Login, Who: "市職員・子育て担当",
		Query: []Param{q("area", "地区の id"), q("minAgeMonths", "月齢の下限"), q("maxAgeMonths", "月齢の上限"), q("format", "csv を指定すると CSV")}},
	{Method: "GET", Path: "/api/lifestage/pregnancies/{id}/schedule", Summary: "妊婦健診のスケジュール", Auth: Login, Who: "本人・市職員・子育て担当",
		Query: []Param{q("asOf", "基準日（YYYY-MM-DD）")}},
	{Method: "POST", Path: "/api/lifestage/children/{id}/questionnaires", Summary: "予防接種の予診票を作成する", Auth: Login, Who: "子の保護者",
		Body: object("", "vaccine!", str("ワクチンのコード"), "dose!", integer("何回目か"), "plannedDate!", date("接種予定日"), "institution!", str("接種する医療機関の id"))},
	{Method: "PATCH", Path: "/api/lifestage/questionnaires/{id}/answers", Summary: "予診票の回答を途中保存する", Auth: Login, Who: "子の保護者",
		Body: object("", "answers!", S{"type": "object", "description": "質問コード → 回答"})},
	{Method: "POST", Path: "/api/lifestage/questionnaires/{id}/submit", Summary: "予診票を提出し受付用の QR コードを発行する", Auth: Login, Who: "子の保護者"},
	{Method: "POST", Path: "/api/lifestage/questionnaires/{id}/cancel", Summary: "予診票を取り下げる", Auth: Login, Who: "子の保護者"},
	{Method: "GET", Path: "/api/lifestage/questionnaires/{id}/qr.png", Summary: "予診票の受付 QR コード（PNG）", Auth: Login, Who: "子の保護者", Produces: "image/png"},
	{Method: "GET", Path: "/api/lifestage/clinic/questionnaires", Summary: "QR コードから予診票を開く（医療機関）", Auth: Login, Who: whoMedical,
		Query: []Param{qreq("t", "QR コードの受付トークン")}},
	{Method: "GET", Path: "/api/lifestage/clinic/questionnaires/{id}", Summary: "受付済みの予診票を開く（医療機関）", Auth: Login, Who: whoMedical},
	{Method: "POST", Path: "/api/lifestage/questionnaires/{id}/review", Summary: "医師の診察結果（接種可否・保護者の同意）を記録する", Auth: Login, Who: "医療機関の医師",
		Body: object("", "temperature", number("体温（℃）"), "judgement!", str("接種の可否"), "consent", boolean("保護者が接種に同意したか"))},
	{Method: "POST", Path: "/api/lifestage/questionnaires/{id}/administer", Summary: "接種を記録し保護者に知らせる", Auth: Login, Who: "医療機関の医師・看護師",
		Body: object("", "product!", str("製品名"), "lot!", str("ロット番号"), "site", str("接種部位"), "date", date("接種日"))},
}

var nurseryOps = []Op{
	{Method: "POST", Path: "/api/lifestage/nursery/fee-estimate", Summary: "保育料の試算（ログイン不要）", Auth: Public,
		Body: object("", "birthDate!", date("子の生年月日"), "month!", str("対象月（YYYY-MM）"), "hours", enum("保育必要量", "standard", "short"),
			"welfare", boolean("生活保護世帯"), "taxExempt", boolean("市町村民税非課税世帯"), "incomeTax", integer("市町村民税所得割額（円）"),
			"protectedHousehold", boolean("ひとり親等の世帯"), "siblingOrder", integer("きょうだいの中で何番目か"))},
	{Method: "GET", Path: "/api/lifestage/nursery/overview", Summary: "保育施設の月次概況（市の保育担当）", Auth: Login, Who: whoCityNursery,
		Query: []Param{monthQ, q("format", "xlsx を指定すると Excel")}},
	{Method: "GET", Path: "/api/lifestage/nursery/codes", Summary: "保育で使うコード表（感染症・欠席理由など）", Auth: Login, Who: whoAnyLogin},
	{Method: "GET", Path: "/api/lifestage/nursery/infections", Summary: "感染症の発生状況（人数のみ）", Auth: Login, Who: whoNurseryCity + "・保護者",
		Query: []Param{q("nursery", "施設の id"), q("class", "クラスの id"), q("infection", "感染症のコード"), q("from", "開始日"), q("to", "終了日")}},
	{Method: "GET", Path: "/api/lifestage/nursery/infections/draft", Summary: "感染症の報告の下書き（欠席連絡から集計）", Auth: Login, Who: whoNursery},
	{Method: "POST", Path: "/api/lifestage/nursery/absences/{id}/acknowledge", Summary: "欠席連絡を確認済みにする", Auth: Login, Who: whoNursery},
	{Method: "GET", Path: "/api/lifestage/nursery/notebook/day", Summary: "クラスの一日の連絡帳", Auth: Login, Who: whoNursery,
		Query: []Param{qreq("class", "クラスの id"), q("date", "日付（YYYY-MM-DD）")}},
	{Method: "POST", Path: "/api/lifestage/nursery/events/{id}/publish", Summary: "園の行事を公開し保護者に知らせる", Auth: Login, Who: whoNursery},
	{Method: "POST", Path: "/api/lifestage/nursery/events/{id}/cancel", Summary: "園の行事を中止する", Auth: Login, Who: whoNursery},
	{Method: "GET", Path: "/api/lifestage/nursery/events", Summary: "自分の子どもが通う園の行事", Auth: Login, Who: whoCitizen,
		Query: []Param{q("from", "この日以降（YYYY-MM-DD）")}},
	{Method: "GET", Path: "/api/lifestage/nursery/classes/{id}/naps", Summary: "午睡の状況（次の確認時刻）", Auth: Login, Who: whoNursery},
	{Method: "POST", Path: "/api/lifestage/nursery/classes/{id}/naps/start", Summary: "午睡を開始する", Auth: Login, Who: whoNursery,
		Body: object("", "children!", array("子どもの id", str("")))},
	{Method: "POST", Path: "/api/lifestage/nursery/classes/{id}/naps/end", Summary: "午睡を終了する", Auth: Login, Who: whoNursery,
		Body: object("", "children!", array("子どもの id", str("")))},
	{Method: "POST", Path: "/api/lifestage/nursery/nap-checks", Summary: "午睡チェック（体位・呼吸）を記録する", Auth: Login, Who: whoNursery,
		Body: object("", "class!", str("クラスの id"), "checks!", array("", object("", "child!", str("子どもの id"), "position!", str("体位"),
			"breathingOk!", boolean("呼吸・顔色に異常がないか"), "note", str("メモ"))))},
	{Method: "GET", Path: "/api/lifestage/nursery/ratios", Summary: "職員配置基準の充足状況", Auth: Login, Who: whoNurseryCity,
		Query: []Param{q("nursery", "施設の id（市職員）")}},
	{Method: "POST", Path: "/api/lifestage/nursery/billing/run", Summary: "月の保育料・延長保育料を計算する", Auth: Login, Who: whoCityNursery,
		Body: object("", "month!", str("対象月（YYYY-MM）"), "nursery", str("施設の id（省略時は全施設）"))},
	{Method: "POST", Path: "/api/lifestage/nursery/billing/issue", Summary: "確認不要の請求書を発行する", Auth: Login, Who: whoCityNursery,
		Body: object("", "month!", str("対象月（YYYY-MM）"), "nursery", str("施設の id"))},
	{Method: "GET", Path: "/api/lifestage/nursery/billing/{month}/invoices.xlsx", Summary: "請求書一覧（Excel）", Auth: Login, Who: whoCityNursery,
		Query: []Param{q("nursery", "施設の id")}, Produces: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	{Method: "GET", Path: "/api/lifestage/nursery/photos/roster", Summary: "写真に写った子どもを選ぶための名簿", Auth: Login, Who: whoNursery,
		Query: []Param{q("class", "クラスの id"), q("on", "撮影日")}},
	{Method: "DELETE", Path: "/api/lifestage/nursery/photos/{id}", Summary: "写真を削除する（注文済みなら公開停止）", Auth: Login, Who: whoNursery},
	{Method: "POST", Path: "/api/lifestage/nursery/photo-orders", Summary: "写真を注文する", Auth: Login, Who: whoCitizen,
		Body: object("", "child!", str("子どもの id"), "items!", array("", object("", "photo!", str("写真の id"), "size!", str("サイズ"), "quantity!", integer("枚数"))))},
	{Method: "POST", Path: "/api/lifestage/nursery/photo-orders/{id}/cancel", Summary: "写真の注文を取り消す", Auth: Login, Who: "注文した保護者・保育施設職員"},
	{Method: "POST", Path: "/api/lifestage/nursery/checkin", Summary: "子どもの登降園を打刻する（QR コード）", Auth: Login, Who: whoNursery + "・登降園端末",
		Body: object("", "code!", str("子どもの登降園コード"), "direction", enum("in=登園, out=降園（省略時は自動）", "in", "out"))},
	{Method: "POST", Path: "/api/lifestage/nursery/staff-checkin", Summary: "職員の出退勤を打刻する", Auth: Login, Who: whoNursery,
		Body: object("", "direction!", enum("in=出勤, out=退勤", "in", "out"), "class", str("今日担当するクラスの id"))},
	{Method: "GET", Path: "/api/lifestage/nursery/attendance", Summary: "その日の登降園の一覧", Auth: Login, Who: whoNursery,
		Query: []Param{q("date", "日付（YYYY-MM-DD）")}},
	{Method: "GET", Path: "/api/lifestage/nursery/children/{id}/checkin-code", Summary: "子どもの登降園コード（保護者のアプリ用）", Auth: Login, Who: "子の保護者"},
	{Method: "GET", Path: "/api/lifestage/nursery/children/{id}/checkin-code/qr.png", Summary: "登降園コードの QR（PNG）", Auth: Login, Who: "子の保護者", Produces: "image/png"},
	{Method: "POST", Path: "/api/lifestage/nursery/children/{id}/checkin-code/rotate", Summary: "登降園コードを再発行する（紛失時）", Auth: Login, Who: whoNursery},
	{Method: "GET", Path: "/api/lifestage/nursery/checkin-cards", Summary: "印刷用の登降園カード（今日在籍の子ども）", Auth: Login, Who: whoNursery},
}

var elderlyOps = []Op{
	{Method: "POST", Path: "/api/lifestage/frailty/kihon", Summary: "基本チェックリスト（25項目）の判定（ログイン不要）", Auth: Public,
		Body: object("", "answers!", array("25問の回答（はい=true）", boolean("")), "heightCm", number("身長（cm）"), "weightKg", number("体重（kg）"))},
	{Method: "GET", Path: "/api/lifestage/watch/targets/{id}/qr.json", Summary: "見守りカードの QR の内容", Auth: Login, Who: whoCityElderly},
	{Method: "GET", Path: "/api/lifestage/watch/targets/{id}/qr.png", Summary: "見守りカードの QR（PNG）", Auth: Login, Who: whoCityElderly, Produces: "image/png"},
	{Method: "POST", Path: "/api/lifestage/watch/targets/{id}/rotate", Summary: "見守りカードを再発行する（旧カードは無効）", Auth: Login, Who: whoCityElderly},
	{Method: "POST", Path: "/api/lifestage/watch/checkin", Summary: "見守り訪問を記録する（カードの QR を読み取って）", Auth: Login, Who: whoVolunteer,
		Body: object("", "token!", str("カードの QR の内容"), "status!", str("様子"), "answers", S{"type": "object", "description": "確認項目 → ok|concern"},
			"note", str("メモ"), "lat", number("緯度（任意）"), "lng", number("経度（任意）"))},
	{Method: "GET", Path: "/api/lifestage/watch/my", Summary: "担当する見守り対象者と最後の訪問", Auth: Login, Who: whoVolunteer,
		Query: []Param{q("target", "1人だけ取得するときの対象者 id")}},
}

// watchRegisterOps: register import, rule candidates, frailty recording and
// analysis, family consent and the city's live view.
var watchRegisterOps = []Op{
	{Method: "POST", Path: "/api/lifestage/watch/import", Summary: "住民記録の抽出（CSV）を取り込む", Auth: Login, Who: whoCityElderly,
		BodyType: "multipart/form-data"},
	{Method: "GET", Path: "/api/lifestage/watch/import/sample.csv", Summary: "取込用 CSV の見本（架空のデータ）", Auth: Login, Who: whoCityElderly, Produces: "text/csv"},
	{Method: "GET", Path: "/api/lifestage/watch/candidates", Summary: "見守りの候補者（規則に当てはまり、まだ見守り対象でない住民）", Auth: Login, Who: whoCityElderly,
		Query: []Param{q("rule", "規則のコード"), q("area", "地区の id"), q("page", "ページ番号"), q("perPage", "1ページの件数")}},
	{Method: "POST", Path: "/api/lifestage/watch/candidates/confirm", Summary: "候補者を見守り対象者として登録する", Auth: Login, Who: whoCityElderly,
		Body: object("", "residents!", array("住民の id", str("")), "consentStatus!", str("本人の同意の状況"), "frequency!", str("訪問の頻度"),
			"volunteer", str("担当ボランティアの id"), "organization", str("担当団体の id"))},
	{Method: "GET", Path: "/api/lifestage/frailty/instruments", Summary: "基本チェックリスト・後期高齢者の質問票の設問", Auth: Public},
	{Method: "POST", Path: "/api/lifestage/watch/targets/{id}/assessments", Summary: "見守り対象者のフレイル判定を記録する", Auth: Login, Who: "担当の見守りボランティア・" + whoCityElderly,
		Body: object("", "instrument!", enum("質問票", "kihon", "kouki"), "answers!", array("回答", anyJSON("")), "heightCm", number("身長（cm）"),
			"weightKg", number("体重（kg）"), "visitId", str("同時に行った訪問の id"), "assessedOn", date("実施日"))},
	{Method: "GET", Path: "/api/lifestage/watch/frailty/analysis", Summary: "フレイル判定の集計（地区・期間別、仮名化）", Auth: Login, Who: whoCityElderly,
		Query: []Param{q("from", "開始日"), q("to", "終了日"), q("area", "地区の id"), q("period", "集計の単位")}},
	{Method: "GET", Path: "/api/lifestage/watch/frailty/analysis.xlsx", Summary: "フレイル判定の集計（Excel）", Auth: Login, Who: whoCityElderly,
		Query:    []Param{q("from", "開始日"), q("to", "終了日"), q("area", "地区の id"), q("period", "集計の単位")},
		Produces: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	{Method: "GET", Path: "/api/lifestage/me/watch", Summary: "家族として同意を得た見守りの訪問履歴", Auth: Login, Who: whoCitizen},
	{Method: "GET", Path: "/api/lifestage/watch/targets/{id}/family-views", Summary: "対象者の家族の同意と閲覧の記録", Auth: Login, Who: whoCityElderly},
	{Method: "POST", Path: "/api/lifestage/watch/targets/{id}/family-consents", Summary: "家族が見守りの記録を見ることへの本人の同意を記録する", Auth: Login, Who: whoCityElderly,
		Body: object("", "email!", str("家族の市民アカウントのメールアドレス"), "scope!", str("見せる範囲"), "grantedOn!", date("同意日"),
			"evidence!", str("同意の確認方法"), "evidenceNote", str("確認方法の補足"))},
	{Method: "GET", Path: "/api/lifestage/watch/activity", Summary: "見守りの実施状況（今日と最近の訪問、未訪問）", Auth: Login, Who: whoCityElderly,
		Query: []Param{q("limit", "最近の訪問の件数")}},
}

var opsOps = []Op{
	{Method: "GET", Path: "/api/lifestage/ops/status", Summary: "運用状況（バックアップ・監査ログの連鎖・DB サイズ・セキュリティイベント）", Auth: Login, Who: whoCityOps,
		Query: []Param{q("verify", "1 で監査ログの連鎖を検証する")}},
	{Method: "GET", Path: "/api/lifestage/ops/reports/users", Summary: "利用者数報告（Excel または JSON）", Auth: Login, Who: whoCityOps,
		Query: []Param{monthQ, q("format", "json または xlsx")}},
}

// dataPlatformOps are the データ連携基盤 routes: this document and open data.
var dataPlatformOps = []Op{
	{Method: "GET", Path: "/api/lifestage/openapi.json", Summary: "この OpenAPI 文書", Auth: Public,
		Description: "collections/ の定義と登録されたルートから生成。ETag 付きで、If-None-Match には 304 を返す。"},
	{Method: "GET", Path: "/api/lifestage/opendata", Summary: "オープンデータの一覧（自治体標準オープンデータセット）", Auth: Public},
	{Method: "GET", Path: "/api/lifestage/opendata/{file}", Summary: "オープンデータの CSV（UTF-8 BOM 付き）", Auth: Public,
		Description: "file は child-facilities.csv（子育て施設一覧）、medical-institutions.csv（医療機関一覧）または events.csv（イベント一覧、公開かつ掲載済みのイベントを開始日時順）。API キー不要。",
		Produces:    "text/csv"},
	{Method: "POST", Path: "/api/lifestage/opendata/{dataset}/import", Summary: "オープンデータ形式の CSV から施設・イベントを取り込む", Auth: Login,
		Who:         "市職員（子育て・保育・運用管理）",
		Description: "dataset は child-facilities・medical-institutions・events。NO（施設コード・イベント番号）で新規と更新を見分ける。events を取り込めるのは子育て担当だけ（ほかは 403）。multipart/form-data の file に CSV（UTF-8、BOM 可、2MB まで）。1行でも誤りがあれば何も保存せず、行ごとの誤りを 400 で返す。dryRun=true で検証のみ。",
		BodyType:    "multipart/form-data", Query: []Param{q("dryRun", "true で検証のみ（保存しない）")},
		Response: object("", "dataset", str("データセット"), "rows", integer("行数"), "created", integer("新規"), "updated", integer("更新"), "dryRun", boolean("検証のみか"))},
}

// gatewayOps: partner keys for the city and usage for partners.
var gatewayOps = []Op{
	{Method: "POST", Path: "/api/lifestage/gateway/partners/{id}/keys", Summary: "連携事業者に API キーを発行する（キーはこの応答で一度だけ表示）", Auth: Login, Who: whoCityOps,
		Body: object("", "label", str("キーの名前"), "scopes!", array("スコープ（データセット:read|write）", str("")), "expiresAt", str("有効期限（RFC 3339）"),
			"rateLimit", integer("1分あたりの回数の上限"), "monthlyQuota", integer("月間の回数の上限"))},
	{Method: "POST", Path: "/api/lifestage/gateway/keys/{id}/rotate", Summary: "API キーを再発行する（古いキーは失効）", Auth: Login, Who: whoCityOps},
	{Method: "POST", Path: "/api/lifestage/gateway/keys/{id}/revoke", Summary: "API キーを失効させる", Auth: Login, Who: whoCityOps},
	{Method: "GET", Path: "/api/lifestage/gateway/usage", Summary: "連携 API の利用量（キー・エンドポイント・日・ステータス別）", Auth: Login, Who: whoCityOps,
		Query: []Param{q("from", "開始日"), q("to", "終了日"), q("partner", "連携事業者の id")}},
	{Method: "GET", Path: "/api/lifestage/gateway/scopes", Summary: "API キーに付けられるスコープの一覧", Auth: Login, Who: whoCityOps},
	{Method: "GET", Path: "/api/lifestage/partner/usage", Summary: "自社の API の利用量", Auth: APIKey,
		Description: "スコープは不要（有効なキーなら見られる）。", Query: []Param{q("from", "開始日"), q("to", "終了日")}},
}

// myNumberOps: My Number card login (デジタル認証アプリ, OIDC) and the
// マイナポータル (PMH) connector.
var myNumberOps = []Op{
	{Method: "GET", Path: "/api/lifestage/auth/mynumber/status", Summary: "マイナンバーカードでのログインが使えるか", Auth: Public},
	{Method: "GET", Path: "/api/lifestage/auth/mynumber/start", Summary: "マイナンバーカードでのログインを始める（認証サービスへ移動）", Auth: Public, Produces: "text/html"},
	{Method: "POST", Path: "/api/lifestage/auth/mynumber/link", Summary: "ログイン中のアカウントにマイナンバーカードを結び付ける", Auth: Login, Who: whoCitizen},
	{Method: "GET", Path: "/api/lifestage/auth/mynumber/callback", Summary: "認証サービスからの戻り先（リダイレクト URI）", Auth: Public, Produces: "text/html",
		Query: []Param{q("code", "認可コード"), q("state", "開始時の state"), q("error", "認証サービスの誤り")}},
	{Method: "POST", Path: "/api/lifestage/auth/mynumber/token", Summary: "一度きりのチケットを認証トークンに交換する", Auth: Public,
		Body: object("", "ticket!", str("戻り先で渡されたチケット"))},
	{Method: "GET", Path: "/api/lifestage/mynaportal/status", Summary: "マイナポータル連携の状態と同意", Auth: Login, Who: whoCitizen},
	{Method: "POST", Path: "/api/lifestage/mynaportal/consents", Summary: "マイナポータルからの取込に同意する（本人確認済みの保護者）", Auth: Login, Who: "本人確認済みの保護者",
		Body: object("", "child!", str("子どもの id"), "scopes!", array("取り込む情報（予防接種・健診）", str("")), "validUntil", date("同意の期限"))},
	{Method: "POST", Path: "/api/lifestage/mynaportal/consents/{id}/revoke", Summary: "マイナポータル連携の同意を取り消す", Auth: Login, Who: whoCitizen},
	{Method: "POST", Path: "/api/lifestage/mynaportal/import", Summary: "マイナポータルから予防接種・健診の記録を取り込む（重複なし・出所付き）", Auth: Login, Who: "本人確認済みの保護者",
		Body: object("", "child!", str("子どもの id"))},
}

// consentOps: the consent broker. Residents grant a partner access to their
// own or a child's records; partners read only under an active consent.
var consentOps = []Op{
	{Method: "GET", Path: "/api/lifestage/consents/options", Summary: "同意できる連携事業者（名前のみ）とデータの種類", Auth: Public},
	{Method: "GET", Path: "/api/lifestage/me/consents", Summary: "自分が出したデータ提供の同意の一覧（提供中・開始前・期間終了・取消済み）", Auth: Login, Who: whoCitizen},
	{Method: "POST", Path: "/api/lifestage/me/consents", Summary: "連携事業者へのデータ提供に同意する（本人確認済み）", Auth: Login, Who: "本人確認済みの市民（子の分は管理できる保護者・家族）",
		Body: object("", "partner!", str("連携事業者の id"), "child", str("子どもの id（本人の記録なら空）"), "purpose!", str("利用目的"),
			"scopes!", array("提供するデータ（例: immunizations:read）", str("")), "validFrom", date("開始日"), "validUntil!", date("終了日（最長1年）"))},
	{Method: "POST", Path: "/api/lifestage/me/consents/{id}/revoke", Summary: "データ提供の同意を取り消す（その時点から提供を止める）", Auth: Login, Who: "同意した本人"},
	{Method: "GET", Path: "/api/lifestage/me/consents/{id}/receipt", Summary: "同意記録（ISO/IEC 27560 形式のコンセントレシート）", Auth: Login, Who: "同意した本人"},
	{Method: "GET", Path: "/api/lifestage/partner/consents", Summary: "自社あての有効な同意（仮名の番号・データの種類・期間）", Auth: APIKey, Scope: "personal:read"},
	{Method: "GET", Path: "/api/lifestage/partner/consents/{id}/{dataset}", Summary: "同意の範囲のデータを読む（同意が有効なときだけ。読み取りは監査ログに記録）", Auth: APIKey, Scope: "personal:read",
		Description: "dataset は immunizations・growth・checkups・prenatal_checkups。同意がない・取消済み・期間外・範囲外は 403（no_consent・consent_revoked・consent_expired・consent_not_started・scope_not_consented）。"},
}

// ngsiOps: the NGSI-v2 standard interface (the subset Orion clients use)
// plus history and aggregation. Each entity type needs its dataset's read
// scope (see x-ngsi-types); errors use Orion's {"error","description"}.
var ngsiOps = []Op{
	{Method: "GET", Path: "/ngsi/v2/entities", Summary: "エンティティの検索（NGSI-v2）", Auth: APIKey,
		Description: "型ごとにデータセットの読み取りスコープが必要。options=count で Fiware-Total-Count ヘッダーを返す。",
		Query: []Param{q("type", "エンティティの型"), q("id", "id（カンマ区切り）"), q("idPattern", "id の正規表現"), q("q", "Simple Query Language の条件"),
			q("attrs", "返す属性（カンマ区切り）"), q("limit", "件数（既定20、最大1000）"), q("offset", "開始位置"), q("options", "keyValues・count"),
			q("orderBy", "並び順（!で降順、geo:distance）"), q("georel", "near;maxDistance:m・coveredBy など"), q("geometry", "point・polygon"), q("coords", "緯度,経度;…")}},
	{Method: "GET", Path: "/ngsi/v2/entities/{id}", Summary: "エンティティ1件（NGSI-v2）", Auth: APIKey,
		Query: []Param{q("type", "エンティティの型"), q("attrs", "返す属性"), q("options", "keyValues")}},
	{Method: "GET", Path: "/ngsi/v2/entities/{id}/attrs/{attr}/history", Summary: "属性の変化の履歴（QuantumLeap 形式、Orion にない機能）", Auth: APIKey,
		Query: []Param{q("fromDate", "開始日時"), q("toDate", "終了日時"), q("lastN", "最新の件数")}},
	{Method: "GET", Path: "/ngsi/v2/types", Summary: "エンティティの型の一覧（NGSI-v2）", Auth: APIKey},
	{Method: "GET", Path: "/ngsi/v2/types/{type}", Summary: "型の属性と件数（NGSI-v2）", Auth: APIKey},
	{Method: "POST", Path: "/ngsi/v2/op/query", Summary: "条件を本文で送る検索（NGSI-v2 バッチクエリ）", Auth: APIKey,
		Body: object("", "entities", array("対象（id または idPattern と type）", S{"type": "object"}), "attrs", array("返す属性", str("")),
			"expression", object("条件", "q", str("Simple Query Language"), "georel", str("地理条件"), "geometry", str("point・polygon"), "coords", str("座標")))},
	{Method: "GET", Path: "/ngsi/v2/aggregate", Summary: "集計（件数・合計・平均、属性と期間で分ける。Orion にない機能）", Auth: APIKey,
		Query: []Param{q("type", "エンティティの型"), q("op", "count・sum・avg"), q("attr", "集計する属性"), q("groupBy", "分ける属性"),
			q("bucket", "day・week・month"), q("timeAttr", "期間に使う日付の属性")}},
	{Method: "POST", Path: "/ngsi/v2/subscriptions", Summary: "変更通知の購読を作る（通知は HMAC 署名付き、secret は作成時に一度だけ返す）", Auth: APIKey, Scope: "subscriptions:write",
		Body: object("Orion の購読の形", "subject!", S{"type": "object", "description": "entities と condition.attrs"}, "notification!", S{"type": "object", "description": "http.url と attrs"},
			"expires", str("期限（ISO 8601）"), "throttling", S{"type": "integer", "description": "通知の最短間隔（秒）"}, "description", str("説明"))},
	{Method: "GET", Path: "/ngsi/v2/subscriptions", Summary: "自社の購読の一覧", Auth: APIKey, Scope: "subscriptions:read"},
	{Method: "GET", Path: "/ngsi/v2/subscriptions/{id}", Summary: "自社の購読1件（送信回数・連続失敗回数・状態）", Auth: APIKey, Scope: "subscriptions:read"},
	{Method: "DELETE", Path: "/ngsi/v2/subscriptions/{id}", Summary: "自社の購読を削除する", Auth: APIKey, Scope: "subscriptions:write"},
}

// pushOps: delivery of notifications by Web Push (VAPID) with an email
// fallback, and each account's quiet hours and opt-outs.
var pushOps = []Op{
	{Method: "GET", Path: "/api/lifestage/push/key", Summary: "Web プッシュの公開鍵（VAPID）", Auth: Public},
	{Method: "POST", Path: "/api/lifestage/push/subscriptions", Summary: "この端末でプッシュ通知を受け取る（購読の登録）", Auth: Login, Who: whoAnyLogin,
		Body: object("ブラウザの PushSubscription", "endpoint!", str("プッシュサービスの URL（https）"),
			"keys!", object("暗号化の鍵", "p256dh!", str("公開鍵（base64url）"), "auth!", str("認証の秘密（base64url）")), "userAgent", str("端末の説明"))},
	{Method: "DELETE", Path: "/api/lifestage/push/subscriptions", Summary: "この端末のプッシュ通知をやめる（購読の解除）", Auth: Login, Who: whoAnyLogin,
		Body: object("", "endpoint!", str("解除する購読の URL"))},
	{Method: "GET", Path: "/api/lifestage/push/preferences", Summary: "自分の通知の設定（通知しない時間帯・受け取らない種類）", Auth: Login, Who: whoAnyLogin},
	{Method: "PUT", Path: "/api/lifestage/push/preferences", Summary: "自分の通知の設定を保存する（法定の案内は止められない）", Auth: Login, Who: whoAnyLogin,
		Body: object("", "quietStart", str("通知しない時間帯の始まり（HH:MM）"), "quietEnd", str("終わり（HH:MM）"),
			"optOut", array("受け取らない種類のコード", str("")), "noEmail", S{"type": "boolean", "description": "メールで受け取らない"})},
}

// noticeOps: targeted announcements with read receipts and surveys with one
// response per resident (issue 8 item 4).
var noticeOps = []Op{
	{Method: "POST", Path: "/api/lifestage/announcements/preview", Summary: "対象（月齢・地区・保育所・全員）に今日配信すると何人に届くか", Auth: Login, Who: "市職員・子育て担当",
		Body: object("", "audience!", object("対象", "all", S{"type": "boolean", "description": "全員"}, "minAgeMonths", S{"type": "integer", "description": "月齢の下限"},
			"maxAgeMonths", S{"type": "integer", "description": "月齢の上限"}, "areas", array("地区ID（どれか）", str("")), "nurseries", array("保育所ID（どれか）", str(""))))},
	{Method: "GET", Path: "/api/lifestage/me/announcements", Summary: "自分に届いたお知らせ（新しい順、未読の印と未読数）", Auth: Login, Who: whoCitizen},
	{Method: "POST", Path: "/api/lifestage/me/announcements/{id}/read", Summary: "お知らせを既読にする（何度呼んでも1回と数える）", Auth: Login, Who: whoCitizen},
	{Method: "GET", Path: "/api/lifestage/me/surveys", Summary: "自分に届いたアンケート（質問・受付中か・回答済みか）", Auth: Login, Who: whoCitizen},
	{Method: "POST", Path: "/api/lifestage/surveys/{id}/responses", Summary: "アンケートに回答する（1人1回。対象外は 403 not_targeted、回答済みは 409 already_answered）", Auth: Login, Who: whoCitizen,
		Body: object("", "answers!", S{"type": "object", "description": "質問IDごとの回答: {choice} {choices} {text} {value}"})},
	{Method: "GET", Path: "/api/lifestage/surveys/{id}/results", Summary: "アンケートの集計（選択肢ごとの件数・段階の分布と平均・中央値・自由記述・回答率。回答者は示さない）", Auth: Login, Who: "市職員・子育て担当"},
	{Method: "GET", Path: "/api/lifestage/surveys/{id}/results.xlsx", Summary: "アンケートの集計と回答一覧（回答者は匿名の番号）を Excel で出力する（監査記録）", Auth: Login, Who: "市職員・子育て担当",
		Produces: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
}

// i18nOps: the message catalogues of the public and citizen pages.
var i18nOps = []Op{
	{Method: "GET", Path: "/api/lifestage/i18n/{lang}", Summary: "画面の文言の翻訳（ja・easy-ja・en・vi・zh）。ETag と gzip に対応", Auth: Public},
}

// searchOps: the public facility and clinic search.
var searchOps = []Op{
	{Method: "GET", Path: "/api/lifestage/facilities/search", Summary: "施設・医療機関の検索（ログイン不要・公開施設のみ）", Auth: Public,
		Description: "near を指定すると近い順（distanceKm 付き）、指定しないとよみ順。openNow は応答時点で開いているか。条件の誤りは 400（data に項目ごとのコード）。",
		Query: []Param{q("q", "施設名・よみ・住所・紹介文（ひらがな・カタカナ・全角半角を区別しない。空白区切りはすべてを含む）"),
			q("type", "施設の種類（カンマ区切り・繰り返しでいずれか）"), q("area", "地区の id（下の地区を含む）"),
			q("service", "サービス（すべてを提供）"), q("vaccine", "予防接種のコード（すべてを実施）"), q("checkup", "健診のコード（すべてを実施）"),
			q("openAt", "その時刻に開いている: now / RFC 3339 / YYYY-MM-DDTHH:MM（日本時間）"), q("openOn", "その曜日に開いている: mon〜sun / holiday"),
			q("near", "現在地「緯度,経度」"), q("radiusKm", "near からの距離（km、既定5、最大50）"),
			q("page", "ページ番号（1から）"), q("perPage", "1ページの件数（既定20、最大100）")}},
}

const whoCityChild = "市職員・子育て担当"

var applicationOps = []Op{
	{Method: "GET", Path: "/api/lifestage/events/upcoming", Summary: "これからの公開イベントと残りの席数（ログイン不要）", Auth: Public,
		Query: []Param{q("kind", "種類 class|consultation|checkup|temporary_care|event"), q("area", "地区の id"), q("ageMonths", "子の月齢（対象に含むイベントだけ）")}},
	{Method: "POST", Path: "/api/lifestage/events/{id}/apply", Summary: "イベントに申し込む（定員を超えるとキャンセル待ち）", Auth: Login, Who: whoCitizen,
		Description: "受付期間外は 409（not_open・closed・not_online）、同じ人（子）の二重申込は 409 already_applied、定員とキャンセル待ちが満員なら 409 full。子の月齢はイベントの日で判定する（400 age_not_eligible）。",
		Body:        object("", "childId", str("参加する子の id（子の指定が必要なイベント）"), "answers", object("追加の質問への回答（質問の id → 回答）")),
		Response:    object("", "id", str("申込の id"), "status", enum("結果", "confirmed", "waitlisted"), "position", integer("キャンセル待ちの順番"))},
	{Method: "POST", Path: "/api/lifestage/applications/{id}/cancel", Summary: "申込を取り消す（キャンセル待ちの先頭が繰り上がり、通知される）", Auth: Login, Who: "申込者本人・" + whoCityChild},
	{Method: "GET", Path: "/api/lifestage/me/applications", Summary: "自分の申請履歴（新しい順、キャンセル待ちの順番つき）", Auth: Login, Who: whoCitizen},
	{Method: "GET", Path: "/api/lifestage/events/{id}/applications", Summary: "イベントの申込者一覧（確定・キャンセル待ち・取消）", Auth: Login, Who: whoCityChild},
	{Method: "GET", Path: "/api/lifestage/events/{id}/applications.xlsx", Summary: "イベントの申込者一覧（Excel、出力は監査記録）", Auth: Login, Who: whoCityChild,
		Produces: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	{Method: "POST", Path: "/api/lifestage/events/{id}/slots", Summary: "イベントを時間枠ごとに複製する（枠ごとに定員・キャンセル待ち、下書きで作成）", Auth: Login, Who: whoCityChild,
		Body: object("", "starts!", array("各枠の開始日時（RFC 3339）", str(""))), Response: object("", "ids", array("作成したイベントの id", str("")))},
	{Method: "GET", Path: "/api/lifestage/events/counts", Summary: "イベントごとの申込数（確定・キャンセル待ち・取消）", Auth: Login, Who: whoCityChild},
}

// qaOps are the nickname Q&A (子育て相談) routes. No answer names the account
// behind a nickname, except reveal (子育て staff, audited).
var qaOps = []Op{
	{Method: "POST", Path: "/api/lifestage/qa/profile", Summary: "子育て相談のニックネームを決める（一度だけ、変更不可）", Auth: Login, Who: whoCitizen,
		Description: "2〜20文字。全角半角・かなカナ・大文字小文字を揃えて重複を判定する。職種名・市の名前に見えるものは使えない（nickname_reserved）。2回目は 409。",
		Body:        object("", "nickname!", str("ニックネーム"))},
	{Method: "POST", Path: "/api/lifestage/qa/threads", Summary: "ニックネームで質問する（非公開相談も）", Auth: Login, Who: whoCitizen,
		Description: "禁止語は 400 blocked_word、要確認語・電話番号・メールアドレスは確認待ち（pending）で保存する。",
		Body:        object("", "title!", str("題名"), "body!", str("本文"), "category!", str("分類"), "private", boolean("非公開相談（質問者と子育て担当だけが見る）"))},
	{Method: "POST", Path: "/api/lifestage/qa/threads/{id}/answers", Summary: "質問に回答する（職員は資格のバッジ付き）", Auth: Login, Who: "市民（ニックネーム）・市職員・子育て担当",
		Description: "非公開相談には職員と質問者だけが書ける。公開中の回答は質問者に通知する（qa.answered）。",
		Body:        object("", "body!", str("回答"))},
	{Method: "POST", Path: "/api/lifestage/qa/reports", Summary: "質問・回答を通報する（一人一回、一定数で自動的に確認待ち）", Auth: Login, Who: whoCitizen,
		Body: object("", "thread", str("質問の id"), "post", str("回答の id"), "reason!", enum("理由", "abuse", "personal_info", "spam", "wrong_info", "other"), "text", str("補足"))},
	{Method: "POST", Path: "/api/lifestage/qa/moderate", Summary: "質問・回答を非表示にする（理由つき）・公開する（承認・復元）", Auth: Login, Who: whoCityChild,
		Body: object("", "kind!", enum("対象", "thread", "post"), "id!", str("対象の id"), "action!", enum("操作", "hide", "show"), "reason", str("非表示の理由（hide で必須）"))},
	{Method: "POST", Path: "/api/lifestage/qa/reports/{id}/resolve", Summary: "通報を対応済みにする", Auth: Login, Who: whoCityChild,
		Body: object("", "note", str("対応メモ"))},
	{Method: "POST", Path: "/api/lifestage/qa/faqs", Summary: "相談と回答から FAQ を作る（文章は編集できる）", Auth: Login, Who: whoCityChild,
		Description: "非公開相談は FAQ にできない（private_thread）。",
		Body: object("", "thread!", str("質問の id"), "post!", str("回答の id"), "question", str("FAQ の質問（空は相談の題名）"),
			"answer", str("FAQ の回答（空は回答の本文）"), "category", str("分類"), "published", boolean("公開するか（既定 true）"))},
	{Method: "POST", Path: "/api/lifestage/qa/profiles/{id}/reveal", Summary: "ニックネームの利用者を確認する（子どもの安全にかかわる場合のみ、監査記録）", Auth: Login, Who: whoCityChild,
		Description: "理由が必須。監査ログに本人を対象とする閲覧として記録され、本人の閲覧履歴にも表示される。",
		Body:        object("", "reason!", str("確認が必要な理由"))},
}
