package collections

import "github.com/pocketbase/pocketbase/core"

// The pregnancy part of the electronic maternal-child handbook (電子母子手帳):
// a pregnancy and its 妊婦健康診査 (prenatal checkups). Health data like the
// child's handbook: personal, sensitive (staff reads are audited), filed
// under the mother, with free text encrypted.

// Urine test results of a prenatal checkup (尿たんぱく・尿糖).
var urineResults = []string{"-", "±", "+", "2+", "3+"}

// pregnancyRules lets the mother read and write her own records and 子育て
// staff do both for everyone. Nobody deletes: a wrong checkup is marked
// entered_in_error, a pregnancy that ended is given a status.
//
// A citizen creates a pregnancy for herself only: the create hook sets
// mother to the caller whatever the body says, so the rule needs no check on
// it. A citizen never moves a record to another mother or pregnancy.
func pregnancyRules() Rules {
	read := anyOf(allOf(citizen, `mother = @request.auth.id`), cityStaffIn(DeptChild))
	return Rules{
		List: read, View: read,
		Create: anyOf(citizen, cityStaffIn(DeptChild)),
		Update: anyOf(allOf(citizen, `mother = @request.auth.id`, bodyUnset("mother")), cityStaffIn(DeptChild)),
	}
}

// prenatalRules are the pregnancy's rules for its checkups; the mother field
// is copied from the pregnancy by a record hook.
func prenatalRules() Rules {
	read := anyOf(allOf(citizen, `mother = @request.auth.id`), cityStaffIn(DeptChild))
	return Rules{
		List: read, View: read,
		Create: anyOf(allOf(citizen, `pregnancy.mother = @request.auth.id`), cityStaffIn(DeptChild)),
		Update: anyOf(allOf(citizen, `mother = @request.auth.id`, bodyUnset("mother", "pregnancy")), cityStaffIn(DeptChild)),
	}
}

func motherField() core.Field {
	return &core.RelationField{Name: "mother", Required: true, MaxSelect: 1, CollectionId: Id(Users), Help: "妊婦（母）の市民アカウント"}
}

func urineField(name, help string) core.Field {
	return &core.SelectField{Name: name, MaxSelect: 1, Values: urineResults, Help: help + ": -, ±, +, 2+, 3+"}
}

func init() {
	register(
		Spec{
			Name: "pregnancies", System: SystemChild, Personal: true, Sensitive: true, Subject: "mother", Encrypted: []string{"note"},
			Description: "妊娠（電子母子手帳の妊娠期）。分娩予定日は最終月経開始日から自動で計算できる",
			Fields: []core.Field{
				motherField(),
				civilDate("lmpDate", "最終月経開始日（YYYY-MM-DD、妊娠0週0日）", false),
				civilDate("dueDate", "分娩予定日（YYYY-MM-DD）。空で最終月経開始日があれば、その280日後を自動で設定", true),
				&core.SelectField{Name: "status", MaxSelect: 1, Values: []string{"ongoing", "delivered", "ended"}, Help: "状態: ongoing=妊娠中, delivered=出産済, ended=終了"},
				&core.TextField{Name: "note", Max: 4000, Help: "メモ（暗号化して保存）"},
			},
			Indexes: []Index{
				{Name: "idx_pregnancies_mother_due", Columns: "mother, dueDate"},
			},
			Rules: pregnancyRules(),
		},
		Spec{
			Name: "prenatal_checkups", System: SystemChild, Personal: true, Sensitive: true, Subject: "mother", Encrypted: []string{"findings"},
			Description: "妊婦健康診査の記録（体重・血圧・尿検査・子宮底長・所見）",
			Fields: []core.Field{
				&core.RelationField{Name: "pregnancy", Required: true, MaxSelect: 1, CollectionId: Id("pregnancies"), CascadeDelete: true, Help: "妊娠"},
				&core.RelationField{Name: "mother", MaxSelect: 1, CollectionId: Id(Users), Help: "妊婦（母）。妊娠の記録から自動で設定"},
				civilDate("date", "受診日（YYYY-MM-DD）", true),
				&core.NumberField{Name: "week", OnlyInt: true, Min: ptr(0.0), Max: ptr(42.0), Help: "妊娠週数（0〜42）"},
				&core.NumberField{Name: "weightKg", Min: ptr(20.0), Max: ptr(200.0), Help: "体重（kg）"},
				&core.NumberField{Name: "bloodPressureSys", OnlyInt: true, Min: ptr(40.0), Max: ptr(260.0), Help: "血圧・収縮期（mmHg）"},
				&core.NumberField{Name: "bloodPressureDia", OnlyInt: true, Min: ptr(20.0), Max: ptr(200.0), Help: "血圧・拡張期（mmHg）"},
				urineField("urineProtein", "尿たんぱく"),
				urineField("urineSugar", "尿糖"),
				&core.NumberField{Name: "fundalHeightCm", Min: ptr(0.0), Max: ptr(60.0), Help: "子宮底長（cm）"},
				&core.TextField{Name: "findings", Max: 4000, Help: "所見（暗号化して保存）"},
				sourceField(), statusField(),
			},
			Indexes: []Index{
				{Name: "idx_prenatal_checkups_pregnancy_date", Columns: "pregnancy, date"},
				{Name: "idx_prenatal_checkups_mother", Columns: "mother"},
			},
			Rules: prenatalRules(),
		},
	)
}
