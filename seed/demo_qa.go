package seed

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/moderation"
)

// demoQAWords are the word list the city starts with: abuse is refused,
// advertising waits for a look from staff.
var demoQAWords = []struct{ word, action, note string }{
	{"死ね", "block", "誹謗中傷"},
	{"殺す", "block", "誹謗中傷"},
	{"バカ", "block", "誹謗中傷"},
	{"キモい", "block", "誹謗中傷"},
	{"副業", "review", "勧誘・宣伝のおそれ"},
	{"稼げる", "review", "勧誘・宣伝のおそれ"},
	{"LINE ID", "review", "外部への誘導"},
	{"宣伝", "review", "勧誘・宣伝のおそれ"},
}

// demoQANicknames are the demo residents' nicknames.
var demoQANicknames = map[string]string{
	"parent": "ひまわりママ", "parent2": "こもれび", "grandparent": "みかんばあば", "family": "いしづちの風",
}

type demoQAPost struct {
	role  string // "" = the 子育て staff member (保健師)
	body  string
	state string
}

type demoQAThread struct {
	role, category, title, body string
	private                     bool
	hoursAgo                    int
	posts                       []demoQAPost
}

var demoQAThreads = []demoQAThread{
	{"parent", "weaning", "離乳食はいつから始めればいいですか", "生後5か月の娘がいます。大人の食事をじっと見るようになりましたが、離乳食を始める目安を教えてください。", false, 50, []demoQAPost{
		{"", "首のすわりがしっかりして、支えると座れる、食べ物に興味を示す、スプーンを口に入れても舌で押し出すことが少なくなる、などが目安です。生後5〜6か月ごろ、10倍がゆをひとさじから始めましょう。保健センターの離乳食教室もご利用ください。", collections.QAVisible},
		{"parent2", "うちも5か月半で始めました。最初はほとんど出してしまいましたが、2週間くらいで慣れましたよ。", collections.QAVisible},
	}},
	{"parent2", "sleep", "夜泣きが続いてつらいです", "8か月の息子が毎晩2〜3回起きて泣きます。抱っこしないと寝ず、寝不足が続いています。", false, 30, []demoQAPost{
		{"parent", "わかります…。うちは寝る前のお風呂と絵本の順番を毎日同じにしたら少し良くなりました。", collections.QAVisible},
		{"", "生後半年から1歳半ごろの夜泣きはよくあることです。昼間にしっかり体を動かし、寝る前の流れを毎日そろえると落ち着くことがあります。お母さんが休めることも大切です。一時預かりや育児相談（保健師）も気軽にご利用ください。", collections.QAVisible},
	}},
	{"grandparent", "development", "1歳半で、まだひとりで歩きません", "孫が1歳6か月になりますが、つかまり立ちまでで、ひとりでは歩きません。様子を見てよいでしょうか。", false, 72, []demoQAPost{
		{"", "ひとり歩きの時期には個人差があり、1歳6か月ごろまでに歩き始める子が多いです。1歳6か月児健診で、医師や保健師に相談してください。伝い歩きが上手で、ほかの発達も順調なら様子を見ることが多いですが、心配なときは早めに保健センターへどうぞ。", collections.QAVisible},
	}},
	{"parent", "illness", "夜に急に熱が出たときは", "2歳の息子が夜に38.5℃の熱を出しました。元気はありますが、救急に行くべきか迷います。", false, 10, []demoQAPost{
		{"family", "副業で稼げる情報を教えます。LINE ID は…", collections.QAPending},
		{"parent2", "うちは #8000（こども医療電話相談）に電話して相談しました。受診の目安を教えてもらえます。", collections.QAVisible},
	}},
	{"parent2", "nursery", "保育園の慣らし保育はどのくらいの期間ですか", "来年4月から1歳児クラスに入る予定です。仕事復帰の時期を決めたいので、慣らし保育の期間を知りたいです。", false, 5, nil},
	{"parent", "life", "産後、気分の落ち込みが続きます（非公開相談）", "出産して2か月です。理由もなく涙が出たり、眠れなかったりします。家族には言いにくいです。", true, 20, []demoQAPost{
		{"", "お話ししてくださってありがとうございます。産後はホルモンの変化や睡眠不足で気分が落ち込みやすくなります。一人で抱え込まず、よろしければ保健センター（0897-52-1211）にお電話ください。保健師がご自宅に伺うこともできます。", collections.QAVisible},
	}},
	{"parent2", "development", "上の子の赤ちゃん返りが心配です（非公開相談）", "下の子が生まれてから、4歳の長女が夜に泣いたり、できていたことをしなくなったりしています。", true, 8, nil},
}

// qa adds the nickname Q&A of the demo: nicknames for the citizen
// accounts, threads in several categories answered by a 保健師 and by other
// parents, a private consultation, a post held by the word list, a reported
// post, the default word list and FAQs (one promoted from a thread, one
// draft).
func (d *demo) qa() error {
	staff := d.records["city_child"]
	staff.Set("qualification", "public_health_nurse")
	if err := d.tx.Save(staff); err != nil {
		return err
	}
	if err := demoQAWordList(d.tx); err != nil {
		return err
	}
	profiles := map[string]*core.Record{}
	for role, nick := range demoQANicknames {
		p, err := d.qaProfile(role, nick)
		if err != nil {
			return err
		}
		profiles[role] = p
	}
	var threads []*core.Record
	for _, dt := range demoQAThreads {
		t, err := d.qaThread(dt, profiles)
		if err != nil {
			return err
		}
		threads = append(threads, t)
	}
	if err := d.qaReport(threads[1], "family", "spam"); err != nil {
		return err
	}
	return d.qaFAQs(threads[2])
}

func demoQAWordList(tx core.App) error {
	col, err := tx.FindCachedCollectionByNameOrId(collections.QAWords)
	if err != nil {
		return err
	}
	for _, w := range demoQAWords {
		r := core.NewRecord(col)
		r.Load(map[string]any{"word": w.word, "action": w.action, "active": true, "note": w.note})
		if err := tx.Save(r); err != nil {
			return err
		}
	}
	return nil
}

func (d *demo) qaProfile(role, nickname string) (*core.Record, error) {
	col, err := d.tx.FindCachedCollectionByNameOrId(collections.QAProfiles)
	if err != nil {
		return nil, err
	}
	p := core.NewRecord(col)
	p.Load(map[string]any{"user": d.records[role].Id, "nickname": nickname, "nicknameKey": moderation.NicknameKey(nickname)})
	return p, d.tx.Save(p)
}

func (d *demo) qaThread(dt demoQAThread, profiles map[string]*core.Record) (*core.Record, error) {
	col, err := d.tx.FindCachedCollectionByNameOrId(collections.QAThreads)
	if err != nil {
		return nil, err
	}
	at := time.Now().Add(-time.Duration(dt.hoursAgo) * time.Hour)
	t := core.NewRecord(col)
	t.Load(map[string]any{
		"author": profiles[dt.role].Id, "nickname": profiles[dt.role].GetString("nickname"), "title": dt.title, "body": dt.body,
		"category": dt.category, "private": dt.private, "status": collections.QAVisible, "lastActivityAt": at,
	})
	if err := d.tx.Save(t); err != nil {
		return nil, err
	}
	posts, err := d.tx.FindCachedCollectionByNameOrId(collections.QAPosts)
	if err != nil {
		return nil, err
	}
	visible, staffAnswered := 0, false
	for i, dp := range dt.posts {
		p := core.NewRecord(posts)
		p.Load(map[string]any{"thread": t.Id, "body": dp.body, "status": dp.state})
		if dp.role == "" {
			p.Set("staffAuthor", d.records["city_child"].Id)
			p.Set("staffBadge", collections.QualificationBadges["public_health_nurse"])
			staffAnswered = staffAnswered || dp.state == collections.QAVisible
		} else {
			p.Set("author", profiles[dp.role].Id)
			p.Set("nickname", profiles[dp.role].GetString("nickname"))
		}
		if dp.state == collections.QAPending {
			p.Set("hiddenReason", "表現の確認のため、職員が確認してから公開します。")
		} else {
			visible++
		}
		if err := d.tx.Save(p); err != nil {
			return nil, err
		}
		at = at.Add(time.Duration(i+1) * time.Hour)
	}
	t.Set("answerCount", visible)
	t.Set("staffAnswered", staffAnswered)
	t.Set("lastActivityAt", at)
	return t, d.tx.Save(t)
}

// qaReport has a resident report the first resident answer of a thread.
func (d *demo) qaReport(thread *core.Record, role, reason string) error {
	post, err := d.tx.FindFirstRecordByFilter(collections.QAPosts, `thread = {:t} && staffBadge = ""`, map[string]any{"t": thread.Id})
	if err != nil {
		return err
	}
	col, err := d.tx.FindCachedCollectionByNameOrId(collections.QAReports)
	if err != nil {
		return err
	}
	r := core.NewRecord(col)
	r.Load(map[string]any{"thread": thread.Id, "post": post.Id, "reporter": d.records[role].Id, "category": reason, "text": "宣伝のように見えます。"})
	if err := d.tx.Save(r); err != nil {
		return err
	}
	post.Set("reportCount", 1)
	return d.tx.Save(post)
}

func (d *demo) qaFAQs(promoted *core.Record) error {
	col, err := d.tx.FindCachedCollectionByNameOrId(collections.FAQs)
	if err != nil {
		return err
	}
	answer, err := d.tx.FindFirstRecordByFilter(collections.QAPosts, `thread = {:t} && staffBadge != ""`, map[string]any{"t": promoted.Id})
	if err != nil {
		return err
	}
	faqs := []map[string]any{
		{"question": "1歳半になっても歩かないときは？", "answer": answer.GetString("body"), "category": "development", "badge": "保健師",
			"sourceThread": promoted.Id, "sourcePost": answer.Id, "published": true},
		{"question": "夜間や休日に子どもの具合が悪くなったら？", "category": "illness", "badge": "保健師", "published": true,
			"answer": "こども医療電話相談（#8000）で、看護師や医師に受診の目安を相談できます。意識がない、けいれんが止まらない、呼吸が苦しそうなときは迷わず119番へ。"},
		{"question": "予防接種の同時接種は大丈夫？", "category": "illness", "badge": "保健師", "published": false,
			"answer": "（下書き）複数のワクチンを同時に接種しても、効果や副反応の起こりやすさは変わらないとされています。"},
	}
	for _, f := range faqs {
		r := core.NewRecord(col)
		r.Load(f)
		if err := d.tx.Save(r); err != nil {
			return err
		}
	}
	return nil
}
