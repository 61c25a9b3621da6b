package seed

import (
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
)

// demoEvent is one public event of the demo, held at the first public
// facility of a kind, days after today from hh:mm for minutes.
type demoEvent struct {
	code, title, kana, kind, facilityType, description string
	days, hour, minute, minutes                        int
	capacity, minAge, maxAge, fee                      int
	published                                          bool
}

var demoEvents = []demoEvent{
	{"EV-0001", "離乳食教室（初期）", "りにゅうしょくきょうしつしょき", "class", "health_center", "生後5〜6か月の赤ちゃんの保護者向け。離乳食の始め方を管理栄養士が説明します。", 7, 10, 0, 90, 12, 4, 7, 0, true},
	{"EV-0002", "育児相談（保健師）", "いくじそうだん", "consultation", "child_support_center", "身長・体重の計測と、育児の悩みの相談ができます。予約優先。", 3, 9, 30, 120, 10, 0, 0, 0, true},
	{"EV-0003", "4か月児健康診査", "よんかげつじけんこうしんさ", "checkup", "health_center", "対象の方には個別にご案内を送ります。母子健康手帳をお持ちください。", 10, 13, 0, 120, 30, 3, 5, 0, true},
	{"EV-0004", "1歳6か月児健康診査", "いっさいろっかげつじけんこうしんさ", "checkup", "health_center", "歯科健診も行います。", 17, 13, 0, 150, 30, 18, 23, 0, true},
	{"EV-0005", "一時預かり（子育て支援センター）", "いちじあずかり", "temporary_care", "child_support_center", "保護者の通院やリフレッシュのための一時預かり。1日4時間まで。", 5, 9, 0, 240, 3, 6, 35, 1200, true},
	{"EV-0006", "親子ふれあい体操", "おやこふれあいたいそう", "class", "community_center", "1〜2歳の子と保護者で体を動かします。動きやすい服装で。", 12, 10, 30, 60, 15, 12, 35, 300, true},
	{"EV-0007", "パパの育児講座", "ぱぱのいくじこうざ", "class", "child_support_center", "沐浴・おむつ替え・寝かしつけを実習します。", 21, 10, 0, 90, 10, 0, 12, 0, true},
	{"EV-0008", "冬のおはなし会（準備中）", "ふゆのおはなしかい", "event", "community_center", "絵本の読み聞かせ。日時調整中のため掲載前。", 28, 11, 0, 60, 20, 0, 0, 0, false},
}

// DemoEvents adds the demo's public events (issue 7 イベント一覧, NGSI
// Event): classes, consultations, checkups and 一時預かり over the next
// weeks at the demo facilities; the last one is an unpublished draft.
func DemoEvents(app core.App, today civil.Date) error {
	col, err := app.FindCachedCollectionByNameOrId(collections.Events)
	if err != nil {
		return err
	}
	for _, de := range demoEvents {
		place, err := app.FindFirstRecordByFilter("facilities", "public = true && type = {:t}", map[string]any{"t": de.facilityType})
		if err != nil {
			place, err = app.FindFirstRecordByFilter("facilities", "public = true")
			if err != nil {
				return nil // a data set without facilities has no events
			}
		}
		day := today.AddDays(de.days).Time()
		start := time.Date(day.Year(), day.Month(), day.Day(), de.hour, de.minute, 0, 0, civil.Tokyo)
		r := core.NewRecord(col)
		r.Load(map[string]any{
			"code": de.code, "title": de.title, "kana": de.kana, "kind": de.kind, "description": de.description,
			"facility": place.Id, "area": place.GetString("area"), "place": place.GetString("name"),
			"address": place.GetString("address"), "location": place.Get("location"),
			"capacity": de.capacity, "fee": de.fee,
			"contact": "西条市 子育て支援課 0897-52-1211", "public": true, "published": de.published,
			"applicationOpens":  start.AddDate(0, 0, -14).UTC(),
			"applicationCloses": start.AddDate(0, 0, -1).UTC(),
		})
		r.Set("startsAt", start.UTC())
		r.Set("endsAt", start.Add(time.Duration(de.minutes)*time.Minute).UTC())
		if de.minAge > 0 || de.maxAge > 0 {
			r.Set("minAgeMonths", de.minAge)
			r.Set("maxAgeMonths", de.maxAge)
		}
		if err := app.Save(r); err != nil {
			return fmt.Errorf("demo event %s: %w", de.code, err)
		}
	}
	return nil
}
