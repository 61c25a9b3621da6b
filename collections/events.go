package collections

import (
	"github.com/pocketbase/pocketbase/core"
)

// Events is the city's public events (教室, 育児相談, 健診, 一時預かり, 行事).
// It is public data: the open data イベント一覧 and the NGSI Event type
// read it. Applications with capacity and waitlist (issue 8) will build on
// capacity, applicationOpens/Closes and the age eligibility: see
// event_applications. A consultation with time slots is one event per slot.
const Events = "events"

// EventKinds are the values of events.kind.
var EventKinds = []string{"class", "consultation", "checkup", "temporary_care", "event"}

// eventVisible is what guests and residents may see: a public event once
// staff have published it. Drafts stay with 子育て staff.
const eventVisible = `public = true && published = true`

func init() {
	register(Spec{
		Name: Events, System: SystemChild,
		Description: "市の公開イベント（教室・育児相談・乳幼児健診・一時預かり・行事）。公開かつ掲載済みのものはだれでも見られ、オープンデータ（イベント一覧）と NGSI の Event 型で提供する",
		Fields: []core.Field{
			&core.TextField{Name: "code", Required: true, Max: 50, Help: "イベント番号（オープンデータの NO。取り込みはこの番号で新規・更新を見分ける）"},
			&core.TextField{Name: "title", Required: true, Max: 100, Presentable: true, Help: "イベント名"},
			&core.TextField{Name: "kana", Max: 100, Help: "イベント名（かな）"},
			&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: EventKinds, Help: "種類: class=教室, consultation=育児相談, checkup=健診, temporary_care=一時預かり, event=その他の行事"},
			&core.TextField{Name: "description", Max: 2000, Help: "説明"},
			&core.RelationField{Name: "facility", MaxSelect: 1, CollectionId: Id("facilities"), Help: "会場の施設（任意）"},
			&core.RelationField{Name: "area", MaxSelect: 1, CollectionId: Id("areas"), Help: "開催地区"},
			&core.TextField{Name: "place", Max: 100, Help: "会場名（施設名や部屋名）"},
			&core.TextField{Name: "address", Max: 200, Help: "会場の住所"},
			&core.GeoPointField{Name: "location", Help: "会場の位置（経度・緯度）"},
			&core.DateField{Name: "startsAt", Required: true, Help: "開始日時"},
			&core.DateField{Name: "endsAt", Help: "終了日時"},
			&core.NumberField{Name: "capacity", OnlyInt: true, Min: ptr(0.0), Help: "定員（0は定員なし）"},
			&core.DateField{Name: "applicationOpens", Help: "申込受付の開始日時（空は申込不要または随時）"},
			&core.DateField{Name: "applicationCloses", Help: "申込受付の締切日時"},
			&core.NumberField{Name: "minAgeMonths", OnlyInt: true, Min: ptr(0.0), Help: "対象となる子の月齢の下限（生後○か月から、空は制限なし）"},
			&core.NumberField{Name: "maxAgeMonths", OnlyInt: true, Min: ptr(0.0), Help: "対象となる子の月齢の上限（生後○か月まで、空は制限なし）"},
			&core.NumberField{Name: "fee", OnlyInt: true, Min: ptr(0.0), Help: "参加費（円、0は無料）"},
			&core.TextField{Name: "contact", Max: 200, Help: "問い合わせ先（担当課・電話番号）"},
			&core.URLField{Name: "url", Help: "詳しい案内のページ"},
			&core.BoolField{Name: "public", Help: "一般に公開するイベントか（オープンデータ・NGSI に出す）"},
			&core.BoolField{Name: "published", Help: "掲載済みか（下書きは false）"},
			&core.BoolField{Name: "onlineApplication", Help: "オンライン申込を受け付けるか（申込は event_applications に記録し、定員を超えた分はキャンセル待ち）"},
			&core.BoolField{Name: "requiresChild", Help: "申込に対象の子の指定が必要か（月齢の条件は子の月齢で判定する）"},
			&core.NumberField{Name: "waitlistLimit", OnlyInt: true, Min: ptr(-1.0), Help: "キャンセル待ちの上限人数（0は上限なし、-1はキャンセル待ちを受け付けない）"},
			&core.JSONField{Name: "questions", MaxSize: 20000, Help: "申込時の追加の質問（[{id, label, kind: text|choice|number|check, required, options, min, max}]）"},
		},
		Indexes: []Index{
			{Name: "idx_events_code", Unique: true, Columns: "code"},
			{Name: "idx_events_public_starts", Columns: "public, published, startsAt"},
			{Name: "idx_events_starts", Columns: "startsAt"},
			{Name: "idx_events_area", Columns: "area"},
			{Name: "idx_events_facility", Columns: "facility"},
			{Name: "idx_events_kind", Columns: "kind"},
			{Name: "idx_events_online_starts", Columns: "onlineApplication, startsAt"},
		},
		Rules: Rules{
			List:   anyOf(eventVisible, cityStaffIn(DeptChild)),
			View:   anyOf(eventVisible, cityStaffIn(DeptChild)),
			Create: rule(cityStaffIn(DeptChild)),
			Update: rule(cityStaffIn(DeptChild)),
			Delete: rule(cityStaffIn(DeptChild)),
		},
	})
}
