package seed

import (
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/infection"
)

// noticeDays is how far back the demo city's absence notices go.
const noticeDays = 7

// demoIllness is a plausible autumn mix: what a family reports with an
// absence, weighted by how often nurseries see it.
var demoIllness = []struct {
	weight    int
	infection string
	symptoms  []string
}{
	{30, "", []string{"fever"}},
	{10, "", []string{"cough", "runny_nose"}},
	{25, "influenza", []string{"fever", "cough"}},
	{12, "gastroenteritis", []string{"vomiting", "diarrhea"}},
	{8, "rsv", []string{"fever", "cough", "runny_nose"}},
	{5, "hfmd", []string{"fever", "rash"}},
	{5, "strep", []string{"fever", "sore_throat"}},
	{5, "", nil}, // family reasons
}

func illnessFor(key string) (string, []string) {
	total := 0
	for _, x := range demoIllness {
		total += x.weight
	}
	n := pick(key, total)
	for _, x := range demoIllness {
		if n < x.weight {
			return x.infection, x.symptoms
		}
		n -= x.weight
	}
	return "", nil
}

// nurseryNotes gives the demo city a week of absence notices across all
// nurseries, the demo families a week of contact notebook (home entries,
// the nursery's published entries and today's draft), and each demo
// nursery an infection notice worded from its counts.
func (d *demo) nurseryNotes() error {
	w := &writer{tx: d.tx, cols: map[string]*core.Collection{}}
	n, err := d.absenceNotices(w)
	if err != nil {
		return err
	}
	if err := d.demoFamilyNotices(w); err != nil {
		return err
	}
	entries, err := d.notebooks(w)
	if err != nil {
		return err
	}
	if err := auditlog.LogImport(d.tx, "absence_notices", n); err != nil {
		return err
	}
	if err := auditlog.LogImport(d.tx, "notebook_home", entries); err != nil {
		return err
	}
	return d.infectionNotices()
}

// absenceNotices: about one child in twenty sends a notice on a nursery
// day; notices before today at the demo nursery are acknowledged.
func (d *demo) absenceNotices(w *writer) (int, error) {
	enrolments, err := d.tx.FindAllRecords("enrolments")
	if err != nil {
		return 0, err
	}
	staff := d.records["nursery_staff"]
	n := 0
	for _, e := range enrolments {
		for back := noticeDays - 1; back >= 0; back-- {
			day := d.today.AddDays(-back)
			key := e.Id + "/" + day.String()
			start, _ := civil.Parse(e.GetString("start"))
			if day.Before(start) || day.Time().Weekday() == time.Sunday || pick("notice/"+key, 100) >= 5 {
				continue
			}
			inf, symptoms := illnessFor("illness/" + key)
			rec := map[string]any{
				"child": e.GetString("child"), "nursery": e.GetString("nursery"), "class": e.GetString("class"),
				"date": day.String(), "kind": infection.KindAbsence, "symptoms": symptoms, "infection": inf,
			}
			if len(symptoms) > 0 && symptoms[0] == "fever" {
				rec["temperature"] = 38.0 + float64(pick("temp/"+key, 15))/10
			}
			if back > 0 && e.GetString("nursery") == staff.GetString("nursery") {
				rec["acknowledgedBy"], rec["acknowledgedAt"] = staff.Id, day.Time().Add(8*time.Hour)
			}
			if err := d.submitted(rec); err != nil {
				return n, err
			}
			if _, err := w.insert("absence_notices", key, rec); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// submitted names the child's first guardian as the sender.
func (d *demo) submitted(rec map[string]any) error {
	child, err := d.tx.FindRecordById("children", rec["child"].(string))
	if err != nil {
		return err
	}
	if g := child.GetStringSlice("guardians"); len(g) > 0 {
		rec["submittedBy"] = g[0]
	}
	return nil
}

// enrolledKid is a demo family's child with its enrolment.
type enrolledKid struct{ child, enrolment *core.Record }

// enrolledKids are a demo parent's children in a nursery, youngest first.
func (d *demo) enrolledKids(role string) ([]enrolledKid, error) {
	kids, err := d.tx.FindRecordsByFilter("children", "guardians:each ?= {:p}", "-birthDate", 0, 0, dbx.Params{"p": d.records[role].Id})
	if err != nil {
		return nil, err
	}
	var out []enrolledKid
	for _, k := range kids {
		if e, err := d.tx.FindFirstRecordByFilter("enrolments", "child = {:c}", dbx.Params{"c": k.Id}); err == nil {
			out = append(out, enrolledKid{k, e})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("demo %s has no child in a nursery", role)
	}
	return out, nil
}

// demoFamilyNotices: the demo parent's eldest is late today (a clinic
// visit, not yet acknowledged); parent2's child was off with a fever
// yesterday.
func (d *demo) demoFamilyNotices(w *writer) error {
	for _, x := range []struct {
		role string
		back int
		rec  map[string]any
	}{
		{"parent", 0, map[string]any{"kind": infection.KindLate, "expectedTime": "10:30", "note": "小児科を受診してから登園します。"}},
		{"parent2", 1, map[string]any{"kind": infection.KindAbsence, "symptoms": []string{"fever"}, "temperature": 38.4, "note": "昨夜から熱があります。"}},
	} {
		kids, err := d.enrolledKids(x.role)
		if err != nil {
			return err
		}
		kid, e := kids[len(kids)-1].child, kids[len(kids)-1].enrolment
		day := d.today.AddDays(-x.back)
		x.rec["child"], x.rec["nursery"], x.rec["class"], x.rec["date"] = kid.Id, e.GetString("nursery"), e.GetString("class"), day.String()
		x.rec["submittedBy"] = d.records[x.role].Id
		if _, err := w.insert("absence_notices", "demo/"+x.role, x.rec); err != nil {
			return err
		}
	}
	return nil
}

// notebooks writes the last week of nursery days for the demo families'
// children: the home side every day, the nursery side published for past
// days, and today's nursery side as a draft for the demo parent's eldest.
func (d *demo) notebooks(w *writer) (int, error) {
	n := 0
	for _, role := range []string{"parent", "parent2"} {
		kids, err := d.enrolledKids(role)
		if err != nil {
			return n, err
		}
		for i, k := range kids {
			kid, e := k.child, k.enrolment
			for back := 5; back >= 0; back-- {
				day := d.today.AddDays(-back)
				if day.Time().Weekday() == time.Sunday {
					continue
				}
				key := kid.Id + "/" + day.String()
				head := map[string]any{"child": kid.Id, "nursery": e.GetString("nursery"), "class": e.GetString("class"), "date": day.String()}
				if _, err := w.insert("notebook_home", key, d.homeEntry(head, key, role)); err != nil {
					return n, err
				}
				n++
				draftToday := back == 0 && role == "parent" && i == len(kids)-1
				if back == 0 && !draftToday {
					continue // the nursery writes today's entry in the afternoon
				}
				if _, err := w.insert("notebook_nursery", key, d.nurseryEntry(head, key, draftToday, day)); err != nil {
					return n, err
				}
			}
		}
	}
	return n, nil
}

var (
	demoBreakfasts = []string{"ごはん、みそ汁、卵焼き", "パン、牛乳、バナナ", "おにぎり、ヨーグルト", "うどん、みかん"}
	demoActivities = []string{
		"園庭で落ち葉拾いをしました。どんぐりをたくさん見つけて嬉しそうでした。",
		"リズム遊びで「どんぐりころころ」に合わせて体を動かしました。",
		"絵の具でスタンプ遊びをしました。手形の作品は廊下に飾っています。",
		"近くの公園までお散歩に出かけ、電車を見て手を振りました。",
		"ブロック遊びで高い塔を作り、お友だちと見せ合っていました。",
	}
	demoComments = []string{
		"給食のかぼちゃの煮物をおかわりしていました。",
		"午睡の前に少し泣きましたが、絵本を読むと落ち着いて眠りました。",
		"お友だちに「どうぞ」とおもちゃを渡す姿が見られました。",
		"鼻水が少し出ています。ご家庭でも様子を見てください。",
	}
	demoHomeNotes = []string{"", "", "昨夜は寝つきが悪かったです。", "週末は祖母の家に行きました。", "少し鼻水が出ています。"}
)

func (d *demo) homeEntry(head map[string]any, key, role string) map[string]any {
	rec := map[string]any{
		"temperature": 36.5 + float64(pick("t/"+key, 6))/10, "bedtime": fmt.Sprintf("%02d:%02d", 20+pick("bed/"+key, 2), 30*pick("bm/"+key, 2)),
		"wakeTime": fmt.Sprintf("06:%02d", 10*pick("wake/"+key, 6)), "meals": []string{"all", "most", "half"}[pick("m/"+key, 3)],
		"mealNote": demoBreakfasts[pick("b/"+key, len(demoBreakfasts))], "mood": []string{"good", "good", "usual"}[pick("mo/"+key, 3)],
		"bowel": []string{"normal", "normal", "none", "soft"}[pick("bo/"+key, 4)], "homeNote": demoHomeNotes[pick("hn/"+key, len(demoHomeNotes))],
		"writtenBy": d.records[role].Id,
	}
	for k, v := range head {
		rec[k] = v
	}
	return rec
}

func (d *demo) nurseryEntry(head map[string]any, key string, draft bool, day civil.Date) map[string]any {
	napFrom := 12*60 + 30 + 5*pick("nf/"+key, 4)
	napTo := napFrom + 90 + 5*pick("nt/"+key, 7)
	rec := map[string]any{
		"meals": []string{"all", "all", "most", "half"}[pick("lm/"+key, 4)], "mealNote": "おやつ: ふかし芋",
		"napFrom": fmt.Sprintf("%02d:%02d", napFrom/60, napFrom%60), "napTo": fmt.Sprintf("%02d:%02d", napTo/60, napTo%60),
		"activities":   demoActivities[pick("a/"+key, len(demoActivities))],
		"staffComment": demoComments[pick("c/"+key, len(demoComments))],
		"status":       collections.NotebookPublished,
	}
	if staff := d.records["nursery_staff"]; head["nursery"] == staff.GetString("nursery") {
		rec["writtenBy"], rec["publishedBy"] = staff.Id, staff.Id
	}
	if draft {
		rec["status"], rec["publishedBy"] = collections.NotebookDraft, nil
		rec["activities"] = "（記入中）" + rec["activities"].(string)
	} else {
		rec["publishedAt"] = day.Time().Add(17 * time.Hour)
	}
	for k, v := range head {
		rec[k] = v
	}
	return rec
}

// infectionNotices publishes, through the normal hooks (so the families are
// notified), a notice of the demo parent's youngest child's class and one
// to the whole of parent2's nursery, each worded from the week's counts.
func (d *demo) infectionNotices() error {
	col, err := d.tx.FindCollectionByNameOrId("infection_notices")
	if err != nil {
		return err
	}
	for _, x := range []struct{ role, infection string }{{"parent", "influenza"}, {"parent2", "gastroenteritis"}} {
		kids, err := d.enrolledKids(x.role)
		if err != nil {
			return err
		}
		e := kids[0].enrolment
		class, place := "", "園内"
		if x.role == "parent" {
			c, err := d.tx.FindRecordById("nursery_classes", e.GetString("class"))
			if err != nil {
				return errors.New("demo parent's child has no class")
			}
			class, place = c.Id, c.GetString("name")
		}
		count, err := d.countSince(e.GetString("nursery"), class, x.infection)
		if err != nil {
			return err
		}
		draft := infection.NoticeDraft(place, x.infection, count)
		r := core.NewRecord(col)
		r.Load(map[string]any{
			"nursery": e.GetString("nursery"), "class": class, "infection": x.infection, "title": draft.Title, "body": draft.Body,
			"periodFrom": d.today.AddDays(-(noticeDays - 1)).String(), "periodTo": d.today.String(),
		})
		if x.role == "parent" {
			r.Set("publishedBy", d.records["nursery_staff"].Id)
		}
		if err := d.tx.Save(r); err != nil {
			return fmt.Errorf("demo infection notice: %w", err)
		}
	}
	return nil
}

// countSince counts the children reported with the infection in the last
// week, at the nursery (class).
func (d *demo) countSince(nursery, class, code string) (int, error) {
	q := "SELECT COUNT(DISTINCT child) FROM absence_notices WHERE nursery = {:n} AND infection = {:i} AND date >= {:from} AND cancelled = 0"
	if class != "" {
		q += " AND class = {:k}"
	}
	var n int
	err := d.tx.DB().NewQuery(q).Bind(dbx.Params{"n": nursery, "k": class, "i": code, "from": d.today.AddDays(-(noticeDays - 1)).String()}).Row(&n)
	return n, err
}
