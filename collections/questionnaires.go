package collections

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/schedule"
)

// Questionnaire states: a guardian fills a draft and submits it to a
// clinic; the clinic's staff review it (doctor's section) and record the
// administration.
const (
	QuestionnaireDraft        = "draft"
	QuestionnaireSubmitted    = "submitted"
	QuestionnaireReviewed     = "reviewed"
	QuestionnaireAdministered = "administered"
	QuestionnaireCancelled    = "cancelled"
)

func init() {
	// Guardians and shared family read their children's forms; a clinic's
	// staff read only what was submitted to their clinic; 子育て staff read
	// all. Every write goes through the questionnaire routes, which fill the
	// header from the register so that it cannot be typed in.
	read := anyOf(
		allOf(citizen, ChildReaderVia("child")),
		allOf(authIs(MedicalStaff), `institution = @request.auth.institution`, `status != "`+QuestionnaireDraft+`"`),
		cityStaffIn(DeptChild),
	)
	register(Spec{
		Name: "vaccination_questionnaires", System: SystemChild, Personal: true, Sensitive: true, Subject: "child",
		Encrypted:   []string{"answers"},
		Description: "デジタル予診票（予防接種の問診票）。保護者が回答し、医療機関が確認・接種を記録する",
		Fields: []core.Field{
			childField(),
			&core.SelectField{Name: "vaccine", Required: true, MaxSelect: 1, Values: schedule.Codes, Help: "ワクチンのコード（例: hepb, pcv, mr1）"},
			&core.NumberField{Name: "dose", Required: true, OnlyInt: true, Min: ptr(1.0), Max: ptr(5.0), Help: "何回目か（ワクチンごとに1から）"},
			civilDate("plannedDate", "接種予定日（YYYY-MM-DD）", true),
			&core.RelationField{Name: "institution", Required: true, MaxSelect: 1, CollectionId: Id("facilities"), Help: "接種する医療機関"},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1,
				Values: []string{QuestionnaireDraft, QuestionnaireSubmitted, QuestionnaireReviewed, QuestionnaireAdministered, QuestionnaireCancelled},
				Help:   "状態: draft=記入中, submitted=提出済, reviewed=医師確認済, administered=接種済, cancelled=取消"},
			&core.TextField{Name: "address", Max: 200, Help: "住所（世帯の住民記録からサーバーが記入）"},
			&core.TextField{Name: "childName", Max: 101, Help: "受ける人の氏名（サーバーが記入）"},
			civilDate("birthDate", "生年月日（サーバーが記入）", false),
			&core.TextField{Name: "ageText", Max: 30, Help: "接種予定日の年齢・月齢（例: 1歳2か月3日、サーバーが記入）"},
			&core.TextField{Name: "guardianName", Max: 100, Help: "保護者氏名（サーバーが記入）"},
			&core.TextField{Name: "answers", Max: 8000, Help: "問診の回答（JSON、暗号化して保存）"},
			&core.TextField{Name: "warning", Max: 200, Help: "注意（標準的な接種期間を過ぎている等）"},
			&core.DateField{Name: "submittedAt", Help: "提出日時"},
			&core.TextField{Name: "qrToken", Max: 64, Hidden: true, Help: "受付用QRコードのトークン（提出のたびに作り直す）"},
			&core.NumberField{Name: "temperature", Min: ptr(34.0), Max: ptr(42.0), Help: "診察前の体温（℃）"},
			&core.SelectField{Name: "judgement", MaxSelect: 1, Values: []string{"ok", "postpone"}, Help: "医師の判断: ok=実施できる, postpone=見合わせる"},
			&core.BoolField{Name: "consent", Help: "保護者が説明を受けて接種に同意した"},
			&core.RelationField{Name: "reviewedBy", MaxSelect: 1, CollectionId: Id(MedicalStaff), Help: "問診・診察をした医療機関職員"},
			&core.DateField{Name: "reviewedAt", Help: "問診・診察の日時"},
			&core.RelationField{Name: "immunization", MaxSelect: 1, CollectionId: Id("immunizations"), Help: "接種の記録（接種後）"},
		},
		Indexes: []Index{
			{Name: "idx_vaccination_questionnaires_child", Columns: "child, plannedDate"},
			{Name: "idx_vaccination_questionnaires_institution", Columns: "institution, status"},
			{Name: "idx_vaccination_questionnaires_qr", Unique: true, Columns: "qrToken", Where: "qrToken != ''"},
		},
		Rules: Rules{List: read, View: read},
	})
}
