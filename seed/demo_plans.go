package seed

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/nap"
)

// The nursery's paperwork and nap checks in the demo: both demo nurseries
// get a director (施設長, no printed login), the last two nursery days'
// journals per class (yesterday's still a draft in the demo nursery), this
// year's annual plan and this month's plan per class, upcoming events, and
// nap checks: the demo families' children's last nap, and today's nap (or
// morning nap) of the 0- and 1-year-olds who are in.

// napStart is when the after-lunch nap begins in the demo nurseries.
const napStart = 12*time.Hour + 30*time.Minute

// ageBand groups class ages the way the demo's texts are written.
func ageBand(age int) int {
	switch {
	case age <= 0:
		return 0
	case age <= 2:
		return 1
	}
	return 2
}

// journalTexts are a journal's activities, a note on one child ({name}) and
// the reflection, per age band.
var journalTexts = [3][3]string{
	{
		"室内で感触あそび（寒天・小麦粉粘土）。天気がよかったので園庭に出て外気浴をした。",
		"{name}さんがつかまり立ちから数歩歩き、保育者に笑顔を見せた。ほかの子も体調に変わりなく、離乳食をよく食べていた。",
		"一人ひとりの睡眠のリズムに合わせて過ごせた。歩き始めた子が増えたので、室内の環境を見直したい。",
	},
	{
		"園庭で砂あそびとボールあそび。給食の前に手洗いの練習をした。",
		"{name}さんが友だちにスコップを「どうぞ」と貸していた。午睡はみんな落ち着いて眠れた。",
		"「自分で」の気持ちを大切にし、着替えは時間に余裕をもって見守った。",
	},
	{
		"かけっことリズム体操。散歩で近くの公園へ行き、草花や虫を探した。",
		"{name}さんがリレーで最後まで走りきり、友だちと喜び合っていた。",
		"勝ち負けにこだわる姿が見られた。気持ちを言葉にできるよう、話し合いの時間をとりたい。",
	},
}

// planTexts are a plan's aims, content, environment and support per band.
var planTexts = [3][4]string{
	{
		"保健的で安全な環境のもと、一人ひとりの生理的欲求を満たし、心地よく過ごす。",
		"授乳・離乳食・睡眠を一人ひとりのリズムに合わせる。はいはい・つかまり立ちなど体を十分に動かす。",
		"床に物を置かず、はいはいしやすい広い空間をつくる。午睡中は5分ごとに呼吸と体の向きを確かめる。",
		"担当の保育者が受容的・応答的に関わり、安心できる関係をつくる。",
	},
	{
		"保育者との安定した関係のもと、身の回りのことを自分でしようとする。",
		"食事・着脱・排泄を保育者と一緒にやってみる。砂・水・泥など自然物にふれて遊ぶ。",
		"自分で取り出せる高さに玩具を置く。午睡中は10分ごとに呼吸と体の向きを確かめる。",
		"「自分で」の気持ちを受けとめ、できたことを一緒に喜ぶ。かみつきなどは思いを代弁して伝える。",
	},
	{
		"友だちと思いを伝え合いながら、遊びや生活を進める。",
		"グループで役割を決めて当番活動をする。季節の行事に参加し、地域の人と関わる。",
		"話し合いの場をつくり、子どもの意見を掲示する。",
		"一人ひとりのよさを認め、友だちとの関わりの中で自信をもてるようにする。",
	},
}

// eventTitles are a seasonal event per month (index 0 = January).
var eventTitles = [12]string{
	"お正月あそびの会", "節分・豆まき", "ひなまつり会", "入園・進級を祝う会", "こどもの日の集い", "歯科検診",
	"七夕まつり", "夏まつり", "敬老の集い", "運動会", "遠足", "クリスマス会",
}

// planStore writes the demo's nursery records with stable ids.
type planStore struct {
	d        *demo
	w        *writer
	now      time.Time
	n        map[string]int // records written by collection
	director map[string]string
}

func (d *demo) nurseryPlans(now time.Time) error {
	mine := d.records["nursery_staff"].GetString("nursery")
	other, err := d.tx.FindFirstRecordByFilter("nurseries", "nursery != {:n}", dbx.Params{"n": mine})
	if err != nil {
		return errors.New("the demo city needs two nurseries")
	}
	p := &planStore{d: d, w: &writer{tx: d.tx, cols: map[string]*core.Collection{}}, now: now, n: map[string]int{}, director: map[string]string{}}
	for _, nursery := range []string{mine, other.GetString("nursery")} {
		if err := p.nursery(nursery, nursery == mine); err != nil {
			return err
		}
	}
	if err := p.napsOfDemoFamilies(); err != nil {
		return err
	}
	for col, n := range p.n {
		if err := auditlog.LogImport(d.tx, col, n); err != nil {
			return err
		}
	}
	return nil
}

func (p *planStore) insert(collection, key string, fields map[string]any) (*core.Record, error) {
	r, err := p.w.insert(collection, key, fields)
	if err == nil {
		p.n[collection]++
	}
	return r, err
}

// nursery writes one demo nursery's director, journals, plans and events,
// and today's naps of its youngest.
func (p *planStore) nursery(nursery string, isDemo bool) error {
	if err := p.ensureDirector(nursery); err != nil {
		return err
	}
	classes, err := p.d.tx.FindRecordsByFilter("nursery_classes", "nursery = {:n} && fiscalYear = {:fy}", "ageClass", 0, 0,
		dbx.Params{"n": nursery, "fy": civil.FiscalYear(p.d.today)})
	if err != nil {
		return err
	}
	days := previousNurseryDays(p.d.today, 2)
	for _, c := range classes {
		for i, day := range days {
			// The demo nursery's last journal waits for the director.
			if err := p.journal(c, day, !(isDemo && i == 0)); err != nil {
				return err
			}
		}
		if err := p.plans(c, !(isDemo && c.GetInt("ageClass") == 0)); err != nil {
			return err
		}
		if isDemo && c.GetInt("ageClass") <= 1 {
			if err := p.napsToday(c); err != nil {
				return err
			}
		}
	}
	return p.events(nursery, classes, isDemo)
}

// ensureDirector gives the nursery a director, who approves the demo's
// documents. The password is random and not printed: nobody logs in.
func (p *planStore) ensureDirector(nursery string) error {
	col, err := p.d.tx.FindCollectionByNameOrId(collections.NurseryStaff)
	if err != nil {
		return err
	}
	r := core.NewRecord(col)
	r.Id = stableID(collections.NurseryStaff, "director/"+nursery)
	password, err := newPassword()
	if err != nil {
		return err
	}
	r.Load(map[string]any{"name": "園長 先生", "nursery": nursery, "role": "director", "active": true})
	r.SetEmail("director-" + r.Id + "@" + DemoEmailDomain)
	r.SetPassword(password)
	r.SetVerified(true)
	if err := p.d.tx.Save(r); err != nil {
		return fmt.Errorf("demo director: %w", err)
	}
	p.director[nursery] = r.Id
	return nil
}

// previousNurseryDays are the n days before today the nurseries were open
// (Monday to Saturday), latest first.
func previousNurseryDays(today civil.Date, n int) []civil.Date {
	var out []civil.Date
	for d := today.AddDays(-1); len(out) < n; d = d.AddDays(-1) {
		if d.Time().Weekday() != time.Sunday {
			out = append(out, d)
		}
	}
	return out
}

// firstChildName is the given name of the class's youngest child, for the
// journal's note.
func (p *planStore) firstChildName(class *core.Record) string {
	e, err := p.d.tx.FindRecordsByFilter("enrolments", "nursery = {:n} && class = {:c}", "-start", 1, 0,
		dbx.Params{"n": class.GetString("nursery"), "c": class.Id})
	if err != nil || len(e) == 0 {
		return "Aちゃん"
	}
	child, err := p.d.tx.FindRecordById("children", e[0].GetString("child"))
	if err != nil {
		return "Aちゃん"
	}
	return child.GetString("givenName")
}

func (p *planStore) approval(nursery string, approved bool, at time.Time) map[string]any {
	if !approved {
		return map[string]any{"status": collections.DocDraft}
	}
	return map[string]any{"status": collections.DocApproved, "approvedBy": p.director[nursery], "approvedAt": at}
}

func (p *planStore) journal(class *core.Record, day civil.Date, approved bool) error {
	texts := journalTexts[ageBand(class.GetInt("ageClass"))]
	fields := map[string]any{
		"nursery": class.GetString("nursery"), "class": class.Id, "date": day.String(),
		"weather":    collections.Weathers[pick("weather/"+day.String(), 3)],
		"activities": texts[0], "childNotes": strings.ReplaceAll(texts[1], "{name}", p.firstChildName(class)), "reflection": texts[2],
		"author": p.d.records["nursery_staff"].Id,
	}
	for k, v := range p.approval(class.GetString("nursery"), approved, day.Time().Add(18*time.Hour)) {
		fields[k] = v
	}
	_, err := p.insert("nursery_journals", class.Id+"/"+day.String(), fields)
	return err
}

// plans writes the class's annual plan and this month's plan.
func (p *planStore) plans(class *core.Record, approveMonthly bool) error {
	texts := planTexts[ageBand(class.GetInt("ageClass"))]
	fy := civil.FiscalYear(p.d.today)
	for _, month := range []int{0, int(p.d.today.Month)} {
		kind, approved := "annual", true
		if month > 0 {
			kind, approved = "monthly", approveMonthly
		}
		fields := map[string]any{
			"nursery": class.GetString("nursery"), "class": class.Id, "kind": kind, "fiscalYear": fy, "month": month,
			"aims": texts[0], "content": texts[1], "environment": texts[2], "support": texts[3],
			"author": p.d.records["nursery_staff"].Id,
		}
		for k, v := range p.approval(class.GetString("nursery"), approved, civil.FiscalYearStart(fy).Time()) {
			fields[k] = v
		}
		if _, err := p.insert("guidance_plans", fmt.Sprintf("%s/%s/%d/%d", class.Id, kind, fy, month), fields); err != nil {
			return err
		}
	}
	return nil
}

// events writes a published nursery-wide event in about ten days and, in
// the demo nursery, a draft class event. (The demo sends no notice for it:
// the demo parents' notifications stay as the other systems expect.)
func (p *planStore) events(nursery string, classes []*core.Record, isDemo bool) error {
	day := p.d.today.AddDays(10 + pick("event/"+nursery, 5))
	title := eventTitles[day.Month-1]
	_, err := p.insert("nursery_events", nursery+"/"+day.String(), map[string]any{
		"nursery": nursery, "title": title, "date": day.String(), "startTime": "09:30", "endTime": "11:30",
		"place": "園庭（雨天時は遊戯室）", "description": "動きやすい服装でお越しください。持ち物：水筒・帽子",
		"audience": collections.AudienceAll, "status": collections.EventPublished, "publishedAt": p.now,
		"author": p.d.records["nursery_staff"].Id,
	})
	if err != nil || !isDemo || len(classes) == 0 {
		return nil
	}
	draft := p.d.today.AddDays(20)
	_, err = p.insert("nursery_events", nursery+"/"+draft.String()+"/class", map[string]any{
		"nursery": nursery, "title": "保育参観・懇談会", "date": draft.String(), "startTime": "10:00", "endTime": "11:30",
		"place": classes[0].GetString("name") + "の保育室", "description": "ふだんの遊びの様子をご覧いただき、その後に懇談会をします。",
		"audience": collections.AudienceClass, "class": classes[0].Id, "status": collections.EventDraft,
		"author": p.d.records["nursery_staff"].Id,
	})
	return err
}

// napsToday puts the class's children who are in to sleep: after lunch
// once it is past 12:40 (and wakes them at 14:45 once it is past 15:00),
// else a morning nap that began twenty minutes ago. Children who came in
// less than half an hour ago stay awake.
func (p *planStore) napsToday(class *core.Record) error {
	today := p.d.today
	in, err := p.d.tx.FindRecordsByFilter("attendance", "class = {:c} && date = {:d} && checkIn != '' && checkOut = ''", "", 0, 0,
		dbx.Params{"c": class.Id, "d": today.String()})
	if err != nil {
		return err
	}
	start := today.Time().Add(napStart)
	var end time.Time
	switch {
	case p.now.Before(start.Add(10 * time.Minute)):
		start = p.now.Add(-20 * time.Minute)
	case !p.now.Before(today.Time().Add(15 * time.Hour)):
		end = today.Time().Add(14*time.Hour + 45*time.Minute)
	}
	for _, a := range in {
		if a.GetDateTime("checkIn").Time().After(start.Add(-30 * time.Minute)) {
			continue
		}
		if err := p.nap(a.GetString("child"), class, today, start, end); err != nil {
			return err
		}
	}
	return nil
}

// nap writes one nap with a check at every interval of the class's age
// (the default intervals, which the demo nurseries keep) up to its end, or
// up to now while the child sleeps. Children lie on their backs, now and
// then on their side.
func (p *planStore) nap(child string, class *core.Record, day civil.Date, start, end time.Time) error {
	key := child + "/" + day.String()
	fields := map[string]any{
		"child": child, "nursery": class.GetString("nursery"), "class": class.Id, "date": day.String(),
		"startedAt": start, "startedBy": p.d.records["nursery_staff"].Id,
	}
	until := p.now
	if !end.IsZero() {
		fields["endedAt"], fields["endedBy"], until = end, p.d.records["nursery_staff"].Id, end
	}
	s, err := p.insert("nap_sessions", key, fields)
	if err != nil {
		return err
	}
	every := nap.Default.For(class.GetInt("ageClass"))
	for i, at := 1, start.Add(every); !at.After(until); i, at = i+1, at.Add(every) {
		position := "supine"
		if pick(fmt.Sprintf("side/%s/%d", key, i), 6) == 0 {
			position = "side"
		}
		_, err := p.insert("nap_checks", fmt.Sprintf("%s/%d", key, i), map[string]any{
			"session": s.Id, "child": child, "nursery": class.GetString("nursery"), "class": class.Id,
			"at": at, "position": position, "breathingOk": true, "checkedBy": p.d.records["nursery_staff"].Id,
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// napsOfDemoFamilies gives each demo family's child its after-lunch nap on
// the last day it was in (within the last week), with every check.
func (p *planStore) napsOfDemoFamilies() error {
	for _, role := range []string{"parent", "parent2"} {
		enrolments, err := p.d.tx.FindRecordsByFilter("enrolments", "child.guardians ~ {:p}", "", 0, 0, dbx.Params{"p": p.d.records[role].Id})
		if err != nil {
			return err
		}
		for _, e := range enrolments {
			class, err := p.d.tx.FindRecordById("nursery_classes", e.GetString("class"))
			if err != nil {
				return err
			}
			att, err := p.d.tx.FindRecordsByFilter("attendance", "child = {:c} && date < {:d} && date >= {:from}", "-date", 1, 0,
				dbx.Params{"c": e.GetString("child"), "d": p.d.today.String(), "from": p.d.today.AddDays(-7).String()})
			if err != nil || len(att) == 0 {
				continue
			}
			day, _ := civil.Parse(att[0].GetString("date"))
			start := day.Time().Add(napStart)
			if err := p.nap(e.GetString("child"), class, day, start, start.Add(2*time.Hour+10*time.Minute)); err != nil {
				return err
			}
		}
	}
	return nil
}
