package collections

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/schedule"
)

// The electronic maternal-child handbook (電子母子手帳): records about a
// child (growth, checkups, immunizations, allergies, weaning) and about a
// pregnancy. All of it is health data: personal, sensitive (staff reads are
// audited), filed under the child or the mother, with free text encrypted.

// SystemChild is the child-rearing system (子育て).
const SystemChild System = "child"

// Sources of a handbook entry.
var recordSources = []string{"parent", "clinic", "city", SourceMynaportal}

// SourceMynaportal marks entries imported from マイナポータル (PMH). Only
// the import writes it: families cannot pass their own entries off as
// official records.
const SourceMynaportal = "mynaportal"

// childRecordRules lets guardians and shared family read, guardians and
// managing family write, and 子育て staff do both. Nobody deletes: a wrong
// entry is marked entered_in_error instead. A family never moves an entry to
// another child: the update rule sees the child the entry has, so a new
// child in the body would write into a handbook they may not manage.
func childRecordRules() Rules {
	read := anyOf(allOf(citizen, ChildReaderVia("child")), cityStaffIn(DeptChild))
	notImported := `@request.body.source != "` + SourceMynaportal + `"`
	return Rules{
		List: read, View: read,
		Create: anyOf(allOf(citizen, ChildManagerVia("child"), notImported), allOf(cityStaffIn(DeptChild), notImported)),
		Update: anyOf(allOf(citizen, ChildManagerVia("child"), bodyUnset("child"), notImported), allOf(cityStaffIn(DeptChild), notImported)),
	}
}

func childField() core.Field {
	return &core.RelationField{Name: "child", Required: true, MaxSelect: 1, CollectionId: Id("children"), CascadeDelete: true, Help: "子ども"}
}

func statusField() core.Field {
	return &core.SelectField{Name: "status", MaxSelect: 1, Values: []string{"completed", "entered_in_error"},
		Help: "状態: completed=有効, entered_in_error=誤入力（削除せず残す）"}
}

func sourceField() core.Field {
	return &core.SelectField{Name: "source", MaxSelect: 1, Values: recordSources, Help: "記録した人: parent=保護者, clinic=医療機関, city=市, mynaportal=マイナポータル（PMH）から取り込み"}
}

// sourceRecordField is the id of an imported entry at its source, so that
// importing again adds nothing twice.
func sourceRecordField() core.Field {
	return &core.TextField{Name: "sourceRecordId", Max: 100, Help: "取り込み元での記録ID（マイナポータル等から取り込んだ記録の重複防止に使う）"}
}

func sourceRecordIndex(name string) Index {
	return Index{Name: "idx_" + name + "_source_record", Unique: true, Columns: "source, sourceRecordId", Where: "sourceRecordId != ''"}
}

func measures() []core.Field {
	return []core.Field{
		&core.NumberField{Name: "weightKg", Min: ptr(0.3), Max: ptr(40.0), Help: "体重（kg）"},
		&core.NumberField{Name: "heightCm", Min: ptr(20.0), Max: ptr(140.0), Help: "身長（cm）"},
		&core.NumberField{Name: "headCm", Min: ptr(20.0), Max: ptr(60.0), Help: "頭囲（cm）"},
	}
}

// birthFields follow the 出生時の状態 and 出産の状態 pages of the 母子健康手帳
// (省令様式). Every measure is optional: families fill what the hospital
// wrote in the paper handbook.
func birthFields() []core.Field {
	return []core.Field{
		childField(),
		&core.NumberField{Name: "weightG", OnlyInt: true, Min: ptr(300.0), Max: ptr(6000.0), Help: "出生体重（g）"},
		&core.NumberField{Name: "lengthCm", Min: ptr(25.0), Max: ptr(65.0), Help: "出生時の身長（cm）"},
		&core.NumberField{Name: "headCm", Min: ptr(20.0), Max: ptr(45.0), Help: "出生時の頭囲（cm）"},
		&core.NumberField{Name: "chestCm", Min: ptr(15.0), Max: ptr(45.0), Help: "出生時の胸囲（cm）"},
		&core.NumberField{Name: "gestationalWeeks", OnlyInt: true, Min: ptr(22.0), Max: ptr(44.0), Help: "在胎週数の週（22〜44）。例: 39週2日なら39"},
		&core.NumberField{Name: "gestationalDays", OnlyInt: true, Min: ptr(0.0), Max: ptr(6.0), Help: "在胎週数の日（0〜6）。例: 39週2日なら2。週の入力が必要"},
		&core.SelectField{Name: "deliveryMethod", MaxSelect: 1, Values: []string{"spontaneous", "vacuum", "forceps", "cesarean", "other"},
			Help: "分娩の方法: spontaneous=自然分娩, vacuum=吸引分娩, forceps=鉗子分娩, cesarean=帝王切開, other=その他"},
		&core.SelectField{Name: "abnormality", MaxSelect: 1, Values: []string{"none", "present"},
			Help: "分娩時・出生後の異常: none=なし, present=あり（内容はメモへ）"},
		&core.SelectField{Name: "birthPlace", MaxSelect: 1, Values: []string{"hospital", "clinic", "midwifery_home", "home", "other"},
			Help: "出生した場所: hospital=病院, clinic=診療所, midwifery_home=助産所, home=自宅, other=その他"},
		&core.RelationField{Name: "institution", MaxSelect: 1, CollectionId: Id("facilities"), Help: "出生した医療機関（施設一覧にある場合）"},
		&core.TextField{Name: "institutionName", Max: 100, Help: "出生した施設の名称（市外など施設一覧にない場合）"},
		&core.NumberField{Name: "apgar1", OnlyInt: true, Min: ptr(0.0), Max: ptr(10.0), Help: "アプガースコア・1分値（0〜10、わかる場合）"},
		&core.NumberField{Name: "apgar5", OnlyInt: true, Min: ptr(0.0), Max: ptr(10.0), Help: "アプガースコア・5分値（0〜10、わかる場合）"},
		&core.TextField{Name: "note", Max: 4000, Help: "メモ（異常の内容など。暗号化して保存）"},
		sourceField(),
	}
}

func childIndexes(name string) []Index {
	return []Index{{Name: "idx_" + name + "_child_date", Columns: "child, date"}}
}

func init() {
	register(
		Spec{
			Name: "growth_measurements", System: SystemChild, Personal: true, Sensitive: true, Subject: "child",
			Description: "成長の記録（体重・身長・頭囲）",
			Fields: append(append([]core.Field{childField(), civilDate("date", "測定日（YYYY-MM-DD）", true)}, measures()...),
				sourceField(), statusField()),
			Indexes: childIndexes("growth_measurements"),
			Rules:   childRecordRules(),
		},
		Spec{
			Name: "immunizations", System: SystemChild, Personal: true, Sensitive: true, Subject: "child",
			Description: "予防接種の記録（JP Core JP_Immunization に対応）",
			Fields: []core.Field{
				childField(),
				&core.SelectField{Name: "vaccine", Required: true, MaxSelect: 1, Values: schedule.Codes, Help: "ワクチンのコード（例: hepb, pcv, mr1）"},
				&core.NumberField{Name: "dose", Required: true, OnlyInt: true, Min: ptr(1.0), Max: ptr(5.0), Help: "何回目か（ワクチンごとに1から）"},
				civilDate("date", "接種日（YYYY-MM-DD）", true),
				&core.TextField{Name: "product", Max: 100, Help: "製品名"},
				&core.TextField{Name: "lot", Max: 50, Help: "ロット番号"},
				&core.SelectField{Name: "site", MaxSelect: 1, Values: []string{"left_arm", "right_arm", "left_thigh", "right_thigh", "oral", "other"}, Help: "接種部位"},
				&core.RelationField{Name: "institution", MaxSelect: 1, CollectionId: Id("facilities"), Help: "接種した医療機関"},
				sourceField(), statusField(), sourceRecordField(),
			},
			Indexes: append(childIndexes("immunizations"), Index{Name: "idx_immunizations_vaccine", Columns: "vaccine, date"}, sourceRecordIndex("immunizations")),
			Rules:   childRecordRules(),
		},
		Spec{
			Name: "infant_checkups", System: SystemChild, Personal: true, Sensitive: true, Subject: "child", Encrypted: []string{"findings"},
			Description: "乳幼児健診の記録（1か月・3〜4か月・9〜10か月・1歳6か月・3歳）",
			Fields: append(append([]core.Field{
				childField(),
				&core.SelectField{Name: "code", Required: true, MaxSelect: 1, Values: schedule.CheckupCodes, Help: "健診: 1m, 3-4m, 9-10m, 1y6m, 3y"},
				civilDate("date", "受診日（YYYY-MM-DD）", true),
			}, measures()...),
				&core.SelectField{Name: "result", MaxSelect: 1, Values: []string{"normal", "follow_up", "detailed_exam", "treatment"}, Help: "判定: normal=異常なし, follow_up=経過観察, detailed_exam=要精密, treatment=要治療"},
				&core.TextField{Name: "findings", Max: 4000, Help: "所見（暗号化して保存）"},
				sourceField(), statusField(), sourceRecordField()),
			Indexes: append(childIndexes("infant_checkups"), Index{Name: "idx_infant_checkups_code", Columns: "code, date"}, sourceRecordIndex("infant_checkups")),
			Rules:   childRecordRules(),
		},
		Spec{
			Name: "allergies", System: SystemChild, Personal: true, Sensitive: true, Subject: "child", Encrypted: []string{"note"},
			Description: "アレルギー",
			Fields: []core.Field{
				childField(),
				&core.TextField{Name: "substance", Required: true, Max: 100, Help: "原因（食品・薬など）"},
				&core.SelectField{Name: "severity", MaxSelect: 1, Values: []string{"mild", "moderate", "severe"}, Help: "重さ"},
				civilDate("date", "わかった日（YYYY-MM-DD）", true),
				&core.TextField{Name: "note", Max: 2000, Help: "症状などのメモ（暗号化して保存）"},
				sourceField(), statusField(),
			},
			Indexes: childIndexes("allergies"),
			Rules:   childRecordRules(),
		},
		Spec{
			Name: "birth_records", System: SystemChild, Personal: true, Sensitive: true, Subject: "child", Encrypted: []string{"note"},
			Description: "出生の記録（出生時の体重・身長・頭囲・胸囲、在胎週数、分娩の状態、出生した場所、アプガースコア）。子ども一人に一件",
			Fields:      birthFields(),
			// One per child: a wrong value is corrected, not withdrawn.
			Indexes: []Index{{Name: "idx_birth_records_child", Unique: true, Columns: "child"}},
			Rules:   childRecordRules(),
		},
		Spec{
			Name: "weaning_logs", System: SystemChild, Personal: true, Sensitive: true, Subject: "child",
			Description: "離乳食の記録（食品・日付・反応）",
			Fields: []core.Field{
				childField(),
				civilDate("date", "食べた日（YYYY-MM-DD）", true),
				&core.TextField{Name: "food", Required: true, Max: 100, Help: "食品"},
				&core.SelectField{Name: "reaction", MaxSelect: 1, Values: []string{"none", "mild", "severe"}, Help: "反応: none=なし, mild=軽い, severe=強い"},
				sourceField(), statusField(),
			},
			Indexes: childIndexes("weaning_logs"),
			Rules:   childRecordRules(),
		},
	)
}
