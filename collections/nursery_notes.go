package collections

import (
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/infection"
)

// Notes between home and nursery: absence notices with symptoms and
// diagnoses, the nursery's infection notices to parents, and the daily
// contact notebook (連絡帳) written both ways.
//
// The notebook is two collections, one per direction, because a parent must
// not see the nursery's part while it is a draft and API rules cannot hide
// fields by status: notebook_nursery is simply not listable to parents until
// its status is published, and notebook_home is never writable by staff.

// Notebook entry states of the nursery's side.
const (
	NotebookDraft     = "draft"
	NotebookPublished = "published"
)

// NotebookChoices are the notebook's select fields' codes with their
// labels, by field; pages take the labels from the codes route.
var NotebookChoices = map[string][]infection.Code{
	"meals": {{Code: "all", Label: "完食"}, {Code: "most", Label: "ほぼ食べた"}, {Code: "half", Label: "半分"}, {Code: "little", Label: "少し"}, {Code: "none", Label: "食べなかった"}},
	"mood":  {{Code: "good", Label: "良い"}, {Code: "usual", Label: "ふつう"}, {Code: "bad", Label: "不機嫌"}},
	"bowel": {{Code: "normal", Label: "普通"}, {Code: "soft", Label: "やわらかい"}, {Code: "diarrhea", Label: "下痢"}, {Code: "hard", Label: "かたい"}, {Code: "none", Label: "なし"}},
}

// choiceField is a single select of the notebook with its labels in the help.
func choiceField(name, help string) core.Field {
	list := NotebookChoices[name]
	parts := make([]string, len(list))
	for i, c := range list {
		parts[i] = c.Code + "=" + c.Label
	}
	return &core.SelectField{Name: name, MaxSelect: 1, Values: infection.Codes(list), Help: help + ": " + strings.Join(parts, ", ")}
}

// notesChildFields are the head of every note about a child on a day. The
// nursery and class are filled from the child's enrolment on that day by a
// hook, never taken from the request.
func notesChildFields(dateHelp string) []core.Field {
	return []core.Field{
		childField(),
		nurseryField(),
		&core.RelationField{Name: "class", MaxSelect: 1, CollectionId: Id("nursery_classes"), Help: "クラス（その日の在籍から自動設定）"},
		civilDate("date", dateHelp, true),
	}
}

func temperatureField() core.Field {
	return &core.NumberField{Name: "temperature", Min: ptr(34.0), Max: ptr(42.0), Help: "体温（℃）"}
}

// familyWrites lets guardians and managing family write a note about their
// child; the listed server fields are never taken from the request.
func familyWrites(serverFields ...string) string {
	return allOf(citizen, ChildManagerVia("child"), bodyUnset(serverFields...))
}

func init() {
	familyReads := allOf(citizen, ChildReaderVia("child"))
	register(
		Spec{
			Name: "absence_notices", System: SystemNursery, Personal: true, Sensitive: true, Subject: "child", Encrypted: []string{"note"},
			Description: "欠席・遅刻・お迎え変更の連絡（症状・診断された感染症を含む）。保護者が送り、園が確認する",
			Fields: append(notesChildFields("対象の日（YYYY-MM-DD）"),
				&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: infection.Codes(infection.Kinds), Help: "種類: absence=欠席, late=遅刻, pickup_change=お迎えの変更"},
				hhmm("expectedTime", "登園予定時刻（遅刻）またはお迎えの時刻（お迎えの変更）"),
				&core.TextField{Name: "pickupPerson", Max: 50, Help: "お迎えに来る人（例: 祖母）"},
				&core.SelectField{Name: "symptoms", MaxSelect: len(infection.Symptoms), Values: infection.Codes(infection.Symptoms),
					Help: "症状（複数可）: fever=発熱, cough=咳, runny_nose=鼻水, sore_throat=のどの痛み, vomiting=嘔吐, diarrhea=下痢, rash=発疹, eye_discharge=目の充血・目やに"},
				&core.SelectField{Name: "infection", MaxSelect: 1, Values: infection.Codes(infection.Infections),
					Help: "医師に診断された感染症: influenza=インフルエンザ, covid19=新型コロナ, gastroenteritis=感染性胃腸炎, rsv=RSウイルス, hfmd=手足口病, herpangina=ヘルパンギーナ, varicella=水痘, strep=溶連菌, other=その他（全コードは infection パッケージ）"},
				temperatureField(),
				&core.TextField{Name: "note", Max: 1000, Help: "園への連絡事項（暗号化して保存）"},
				&core.RelationField{Name: "submittedBy", MaxSelect: 1, CollectionId: Id(Users), Help: "連絡した保護者・家族（自動設定）"},
				&core.BoolField{Name: "cancelled", Help: "取り消した連絡（集計しない）"},
				&core.RelationField{Name: "acknowledgedBy", MaxSelect: 1, CollectionId: Id(NurseryStaff), Help: "確認した園の職員"},
				&core.DateField{Name: "acknowledgedAt", Help: "園が確認した日時（確認後は保護者は変更できない）"},
			),
			Indexes: []Index{
				{Name: "idx_absence_notices_child_date", Columns: "child, date"},
				{Name: "idx_absence_notices_nursery_date", Columns: "nursery, date"},
				{Name: "idx_absence_notices_acknowledged", Columns: "acknowledgedAt"},
			},
			// The city sees counts only (the infections route), never named
			// notices. Staff acknowledge through their route, which records
			// who did; the family may correct or cancel a notice until then.
			Rules: Rules{
				List:   anyOf(familyReads, nurseryStaffOf("nursery")),
				View:   anyOf(familyReads, nurseryStaffOf("nursery")),
				Create: rule(familyWrites("submittedBy", "acknowledgedBy", "acknowledgedAt")),
				Update: rule(allOf(familyWrites("child", "nursery", "class", "date", "submittedBy", "acknowledgedBy", "acknowledgedAt"), `acknowledgedAt = ""`)),
			},
		},
		Spec{
			Name: "infection_notices", System: SystemNursery, Personal: true,
			Description: "感染症のお知らせ（園から在園児の保護者へ。子どもの名前は書かない）",
			Fields: []core.Field{
				nurseryField(),
				&core.RelationField{Name: "class", MaxSelect: 1, CollectionId: Id("nursery_classes"), Help: "対象のクラス（空なら園全体）"},
				&core.SelectField{Name: "infection", Required: true, MaxSelect: 1, Values: infection.Codes(infection.Infections), Help: "感染症（absence_notices.infection と同じコード）"},
				&core.TextField{Name: "title", Required: true, Max: 100, Presentable: true, Help: "件名"},
				&core.TextField{Name: "body", Required: true, Max: 2000, Help: "本文（在園児の氏名を含むと保存できない）"},
				civilDate("periodFrom", "発生の期間の始め（YYYY-MM-DD）", false),
				civilDate("periodTo", "発生の期間の終わり（YYYY-MM-DD）", false),
				&core.DateField{Name: "publishedAt", Help: "公開日時（自動設定）"},
				&core.RelationField{Name: "publishedBy", MaxSelect: 1, CollectionId: Id(NurseryStaff), Help: "公開した職員（自動設定）"},
				&core.RelationField{Name: "audience", MaxSelect: 5000, CollectionId: Id(Users), Hidden: true,
					Help: "読める保護者・家族（公開時に在園児の保護者と共有家族から自動設定。APIでは返さない）"},
			},
			Indexes: []Index{{Name: "idx_infection_notices_nursery", Columns: "nursery, publishedAt"}},
			Rules: Rules{
				List:   anyOf(allOf(citizen, listHas("audience")), nurseryStaffOf("nursery"), cityStaffIn(DeptNursery)),
				View:   anyOf(allOf(citizen, listHas("audience")), nurseryStaffOf("nursery"), cityStaffIn(DeptNursery)),
				Create: rule(allOf(authIs(NurseryStaff), bodyUnset("audience", "publishedAt", "publishedBy"))),
				Update: rule(allOf(nurseryStaffOf("nursery"), bodyUnset("nursery", "class", "audience", "publishedAt", "publishedBy"))),
				// A notice sent by mistake can be withdrawn.
				Delete: rule(nurseryStaffOf("nursery")),
			},
		},
		Spec{
			Name: "notebook_home", System: SystemNursery, Personal: true, Sensitive: true, Subject: "child", Encrypted: []string{"homeNote"},
			Description: "連絡帳・家庭から（1日1件。体温・睡眠・食事・機嫌・排便）。保護者が書き、園が読む",
			Fields: append(notesChildFields("日付（YYYY-MM-DD）"),
				temperatureField(),
				hhmm("bedtime", "前夜の就寝時刻"),
				hhmm("wakeTime", "起床時刻"),
				choiceField("meals", "朝食の量"),
				&core.TextField{Name: "mealNote", Max: 200, Help: "朝食の内容（例: パン、牛乳）"},
				choiceField("mood", "機嫌"),
				choiceField("bowel", "排便"),
				&core.TextField{Name: "homeNote", Max: 2000, Help: "家庭からの連絡（暗号化して保存）"},
				&core.RelationField{Name: "writtenBy", MaxSelect: 1, CollectionId: Id(Users), Help: "書いた保護者・家族（自動設定）"},
			),
			Indexes: []Index{
				{Name: "idx_notebook_home_child_date", Unique: true, Columns: "child, date"},
				{Name: "idx_notebook_home_nursery_date", Columns: "nursery, date"},
			},
			Rules: Rules{
				List:   anyOf(familyReads, nurseryStaffOf("nursery")),
				View:   anyOf(familyReads, nurseryStaffOf("nursery")),
				Create: rule(familyWrites("writtenBy")),
				Update: rule(familyWrites("child", "nursery", "class", "date", "writtenBy")),
			},
		},
		Spec{
			Name: "notebook_nursery", System: SystemNursery, Personal: true, Sensitive: true, Subject: "child", Encrypted: []string{"staffComment"},
			Description: "連絡帳・園から（1日1件。給食・午睡・活動・コメント・写真）。職員が書き、公開すると保護者が読める",
			Fields: append(notesChildFields("日付（YYYY-MM-DD）"),
				choiceField("meals", "給食の量"),
				&core.TextField{Name: "mealNote", Max: 200, Help: "給食・おやつの様子"},
				hhmm("napFrom", "午睡の開始時刻"),
				hhmm("napTo", "午睡の終了時刻"),
				&core.TextField{Name: "activities", Max: 1000, Help: "今日の活動"},
				&core.TextField{Name: "staffComment", Max: 2000, Help: "保育士からのコメント（暗号化して保存）"},
				&core.FileField{Name: "photos", MaxSelect: 6, MaxSize: 5 << 20, Protected: true, Thumbs: []string{"480x0"},
					MimeTypes: []string{"image/jpeg", "image/png", "image/webp"}, Help: "写真（JPEG・PNG・WebP、1枚5MBまで、6枚まで。閲覧にはファイル用トークンが必要）"},
				&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{NotebookDraft, NotebookPublished},
					Help: "状態: draft=下書き（保護者には見えない）, published=公開済"},
				&core.DateField{Name: "publishedAt", Help: "公開日時（自動設定）"},
				&core.RelationField{Name: "publishedBy", MaxSelect: 1, CollectionId: Id(NurseryStaff), Help: "公開した職員（自動設定）"},
				&core.RelationField{Name: "writtenBy", MaxSelect: 1, CollectionId: Id(NurseryStaff), Help: "書いた職員（自動設定）"},
			),
			Indexes: []Index{
				{Name: "idx_notebook_nursery_child_date", Unique: true, Columns: "child, date"},
				{Name: "idx_notebook_nursery_nursery_date", Columns: "nursery, date"},
				{Name: "idx_notebook_nursery_status", Columns: "status"},
			},
			// Drafts are the staff's alone; a published entry stays
			// published (corrections show at once).
			Rules: Rules{
				List:   anyOf(allOf(familyReads, `status = "`+NotebookPublished+`"`), nurseryStaffOf("nursery")),
				View:   anyOf(allOf(familyReads, `status = "`+NotebookPublished+`"`), nurseryStaffOf("nursery")),
				Create: rule(allOf(authIs(NurseryStaff), bodyUnset("publishedAt", "publishedBy", "writtenBy"))),
				Update: rule(allOf(nurseryStaffOf("nursery"), bodyUnset("child", "nursery", "class", "date", "publishedAt", "publishedBy", "writtenBy"))),
			},
		},
	)
}
