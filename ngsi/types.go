package ngsi

// TypeInfo documents one entity type: the dataset (and so the scope
// "<dataset>:read") that releases it, the model it follows and where its
// entities come from. docs/platform/ngsi-types.md is generated from Types.
type TypeInfo struct {
	Name        string
	Dataset     string
	Model       string // FIWARE Smart Data Model, or "" for a lifestage type
	Description string // Japanese
	Source      string // Japanese: which records, which filter
	Attrs       []AttrInfo
}

// AttrInfo documents one attribute.
type AttrInfo struct{ Name, Type, Description string }

// The entity types.
const (
	PointOfInterest = "PointOfInterest"
	NurseryVacancy  = "NurseryVacancy"
	InfectionCount  = "InfectionCount"
	Event           = "Event"
)

// Types is the one table of entity types, type → dataset.
var Types = []TypeInfo{
	{
		Name: PointOfInterest, Dataset: "facilities",
		Model:       "https://github.com/smart-data-models/dataModel.PointOfInterest (PointOfInterest)",
		Description: "公開されている施設（保育所・幼稚園・認定こども園・診療所・病院・保健センター・子育て支援センター・公民館）。施設の種類は category、提供サービスは service に入る。医療機関と子育て施設を別の型に分けず、Smart Data Models の PointOfInterest の category で区別する（Orion 利用者の既存の地図アプリがそのまま使えるため）",
		Source:      "facilities のうち public = true のもの",
		Attrs: []AttrInfo{
			{"name", TypeText, "施設名"},
			{"alternateName", TypeText, "施設名（かな）"},
			{"category", TypeStructured, "施設の種類の配列（nursery, kindergarten, kodomoen, clinic, hospital, health_center, child_support_center, community_center）"},
			{"service", TypeStructured, "提供サービスの配列（pediatrics, vaccination, infant_checkup, extended_hours など）"},
			{"address", TypeStructured, "住所（addressCountry, addressLocality, streetAddress）"},
			{"location", TypeGeoJSON, "位置（GeoJSON Point、[経度, 緯度]）"},
			{"telephone", TypeText, "電話番号"},
			{"url", TypeText, "ウェブサイト"},
			{"openingHours", TypeText, "開所・診療時間（自由記述）"},
			{"capacity", TypeNumber, "定員（保育・教育施設）"},
			{"description", TypeText, "紹介文"},
			{"source", TypeText, "データの出所（lifestage）"},
		},
	},
	{
		Name: NurseryVacancy, Dataset: "nursery_vacancies",
		Description: "保育施設の年齢クラスごとの空き状況（今年度）。定員から在籍児の数を引いた値で、個人の情報は含まない。Smart Data Models に該当する型がないため lifestage 独自の型",
		Source:      "nursery_classes（今年度）の定員と、今日在籍している enrolments の数（施設 × 年齢クラス）",
		Attrs: []AttrInfo{
			{"refPointOfInterest", TypeRelationship, "施設の PointOfInterest の id"},
			{"name", TypeText, "施設名"},
			{"ageClass", TypeNumber, "年齢クラス（0〜5歳児）"},
			{"fiscalYear", TypeNumber, "年度"},
			{"capacity", TypeNumber, "定員（その年齢のクラスの合計）"},
			{"enrolled", TypeNumber, "在籍児の数"},
			{"vacancies", TypeNumber, "空き（定員 − 在籍、0未満は0）"},
			{"location", TypeGeoJSON, "施設の位置"},
			{"dateObserved", TypeDate, "集計した日（日本時間）"},
		},
	},
	{
		Name: InfectionCount, Dataset: "infections",
		Description: "保育施設ごと・日ごと・感染症ごとの人数（欠席連絡の集計）。オープンデータと同じく 3 人未満は count を 0、suppressed を true にして伏せる。クラス単位は出さない。独自の型",
		Source:      "absence_notices（取消を除く、直近 60 日）を infection.ByNurseryDay と infection.Open で集計",
		Attrs: []AttrInfo{
			{"refPointOfInterest", TypeRelationship, "施設の PointOfInterest の id"},
			{"name", TypeText, "施設名"},
			{"infection", TypeText, "感染症のコード"},
			{"infectionName", TypeText, "感染症名"},
			{"count", TypeNumber, "人数（伏せたときは 0）"},
			{"suppressed", TypeBoolean, "少人数のため伏せたか"},
			{"dateObserved", TypeDate, "日付（日本時間）"},
			{"location", TypeGeoJSON, "施設の位置"},
		},
	},
	{
		Name: Event, Dataset: "events",
		Description: "市の公開イベント（教室・育児相談・乳幼児健診・一時預かり・行事）。Smart Data Models に公開イベントの型を確認できなかったため lifestage 独自の型とし、属性名は schema.org の Event（name, description, startDate, endDate, location）と Smart Data Models の共通属性（address, category, refPointOfInterest）にそろえた。申込（定員・受付期間・対象月齢）は issue 8 の申込機能の基になる",
		Source:      "events のうち public = true かつ published = true のもの（下書きは出さない）",
		Attrs: []AttrInfo{
			{"name", TypeText, "イベント名"},
			{"alternateName", TypeText, "イベント名（かな）"},
			{"category", TypeStructured, "種類の配列（class=教室, consultation=育児相談, checkup=健診, temporary_care=一時預かり, event=その他の行事）"},
			{"description", TypeText, "説明"},
			{"startDate", TypeDateTime, "開始日時（RFC 3339）"},
			{"endDate", TypeDateTime, "終了日時（RFC 3339、未定のときはなし）"},
			{"location", TypeGeoJSON, "会場の位置（GeoJSON Point、[経度, 緯度]）"},
			{"address", TypeStructured, "会場（addressCountry, addressLocality, streetAddress, place=会場名, areaServed=地区名）"},
			{"capacity", TypeNumber, "定員（定員なしのときはなし）"},
			{"applicationPeriod", TypeStructured, "申込受付期間（opens, closes、RFC 3339。申込不要のときはなし）"},
			{"eligibleAge", TypeStructured, "対象となる子の月齢（minMonths, maxMonths。制限なしのときはなし）"},
			{"fee", TypeNumber, "参加費（円、0は無料）"},
			{"contact", TypeText, "問い合わせ先"},
			{"url", TypeText, "詳しい案内のページ"},
			{"refPointOfInterest", TypeRelationship, "会場の施設の PointOfInterest の id（施設で開くとき）"},
		},
	},
}

// TypeByName finds a type.
func TypeByName(name string) (TypeInfo, bool) {
	for _, t := range Types {
		if t.Name == name {
			return t, true
		}
	}
	return TypeInfo{}, false
}

// NotPublished documents the datasets without an NGSI type, and why.
var NotPublished = []struct{ Dataset, Reason string }{
	{"personal", "個人のデータは NGSI では出さず、同意ブローカーが本人の同意を確かめたうえで提供する。園の行事（nursery_events）も在籍児の保護者向けのお知らせで公開データではないため出さない（市の公開イベントは Event 型）"},
}
