package collections

import "github.com/pocketbase/pocketbase/core"

// Nickname Q&A (子育て相談). Residents ask and answer under a nickname; 子育て
// staff answer with a badge (保健師, 助産師, 栄養士) and moderate. The account
// behind a nickname is kept only in the hidden user field of qa_profiles:
// threads and posts point at the profile, rules may use the hidden field,
// and client filters, sorts and expands on it are refused by PocketBase.
// Every write goes through the /api/lifestage/qa routes, which screen the
// text and keep counts, so the record API only reads.
const (
	QAProfiles = "qa_profiles"
	QAThreads  = "qa_threads"
	QAPosts    = "qa_posts"
	QAReports  = "qa_reports"
	QAWords    = "qa_words"
	FAQs       = "faqs"
)

// Q&A states of a thread or post.
const (
	QAVisible = "visible" // shown to everyone allowed to read the thread
	QAPending = "pending" // held for staff review (word list, personal data, reports)
	QAHidden  = "hidden"  // hidden by staff
)

// QACategories are the topics of a question, in display order.
var QACategories = []string{"pregnancy", "feeding", "weaning", "development", "illness", "sleep", "nursery", "life"}

// QAReportReasons are why a resident reports a post.
var QAReportReasons = []string{"abuse", "personal_info", "spam", "wrong_info", "other"}

// Qualifications of city staff, shown as the badge on their Q&A answers.
var Qualifications = []string{"public_health_nurse", "midwife", "dietitian", "nurse", "childcare_worker"}

// QualificationBadges is the Japanese badge of each qualification; staff
// without one answer as 市職員.
var QualificationBadges = map[string]string{
	"public_health_nurse": "保健師",
	"midwife":             "助産師",
	"dietitian":           "栄養士",
	"nurse":               "看護師",
	"childcare_worker":    "保育士",
	"":                    "市職員",
}

var (
	qaStaff = cityStaffIn(DeptChild)
	// qaPublic is a thread anyone may read, guests included.
	qaPublic = `status = "` + QAVisible + `" && private = false`
)

func qaStatus(help string) core.Field {
	return &core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{QAVisible, QAPending, QAHidden}, Help: help}
}

func init() {
	register(
		Spec{
			Name: QAProfiles, System: SystemChild, Personal: true, Subject: "user",
			Description: "子育て相談のニックネーム。利用者ごとに一つ、一度決めたら変えられない。どのアカウントのニックネームかは職員にも通常は見せない",
			Fields: []core.Field{
				&core.RelationField{Name: "user", Required: true, MaxSelect: 1, CollectionId: Id(Users), Hidden: true, Help: "ニックネームの持ち主（非公開。API では本人にも返さない）"},
				&core.TextField{Name: "nickname", Required: true, Min: 2, Max: 20, Presentable: true, Help: "ニックネーム（2〜20文字、重複不可、変更不可）"},
				&core.TextField{Name: "nicknameKey", Required: true, Max: 80, Hidden: true, Help: "重複判定用に正規化したニックネーム（全角半角・かなカナ・大文字小文字・空白を揃えたもの）"},
			},
			Indexes: []Index{
				{Name: "idx_qa_profiles_user", Unique: true, Columns: "user"},
				{Name: "idx_qa_profiles_key", Unique: true, Columns: "nicknameKey"},
			},
			// Anyone may look a profile up (to show a nickname); only the
			// owner lists theirs, so a client finds its own nickname
			// without a filter on the hidden user field.
			Rules: Rules{
				List: anyOf(allOf(citizen, `user = @request.auth.id`), qaStaff),
				View: public(),
			},
		},
		Spec{
			Name: QAThreads, System: SystemChild, Audited: true,
			Description: "子育て相談の質問。非公開相談は質問者と子育て担当の職員だけが見られる",
			Fields: []core.Field{
				&core.RelationField{Name: "author", Required: true, MaxSelect: 1, CollectionId: Id(QAProfiles), Help: "質問者のニックネーム"},
				&core.TextField{Name: "nickname", Max: 20, Help: "質問者のニックネーム（表示用の写し）"},
				&core.TextField{Name: "title", Required: true, Max: 100, Presentable: true, Help: "質問の題名"},
				&core.TextField{Name: "body", Required: true, Max: 4000, Help: "質問の本文"},
				&core.SelectField{Name: "category", Required: true, MaxSelect: 1, Values: QACategories,
					Help: "分類: pregnancy=妊娠・出産, feeding=授乳・ミルク, weaning=離乳食, development=発達・成長, illness=病気・けが, sleep=睡眠, nursery=保育園・幼稚園, life=生活・その他"},
				&core.BoolField{Name: "private", Help: "非公開相談（質問者と子育て担当の職員だけが見られ、職員だけが回答する）"},
				qaStatus("状態: visible=公開, pending=確認待ち（禁止語・個人情報・通報）, hidden=非表示（職員が非表示にした）"),
				&core.TextField{Name: "hiddenReason", Max: 200, Help: "確認待ち・非表示の理由（職員と質問者が見る）"},
				&core.NumberField{Name: "answerCount", OnlyInt: true, Min: ptr(0.0), Help: "公開中の回答の数（サーバーが数える）"},
				&core.BoolField{Name: "staffAnswered", Help: "職員が回答したか（未回答の質問を先に並べるため）"},
				&core.NumberField{Name: "reportCount", OnlyInt: true, Min: ptr(0.0), Help: "通報した人の数"},
				&core.DateField{Name: "lastActivityAt", Help: "最後に質問・回答があった日時（サーバーが記入）"},
			},
			Indexes: []Index{
				{Name: "idx_qa_threads_public", Columns: "status, private, lastActivityAt"},
				{Name: "idx_qa_threads_author", Columns: "author"},
				{Name: "idx_qa_threads_category", Columns: "category, status"},
				{Name: "idx_qa_threads_staff_answered", Columns: "staffAnswered, lastActivityAt"},
				{Name: "idx_qa_threads_activity", Columns: "lastActivityAt"},
			},
			Rules: Rules{
				List: anyOf(qaPublic, allOf(citizen, `author.user = @request.auth.id`), qaStaff),
				View: anyOf(qaPublic, allOf(citizen, `author.user = @request.auth.id`), qaStaff),
			},
		},
		Spec{
			Name: QAPosts, System: SystemChild, Audited: true,
			Description: "子育て相談の回答。利用者はニックネームで、職員は資格のバッジ（保健師等）で回答する",
			Fields: []core.Field{
				&core.RelationField{Name: "thread", Required: true, MaxSelect: 1, CollectionId: Id(QAThreads), CascadeDelete: true, Help: "回答した質問"},
				&core.RelationField{Name: "author", MaxSelect: 1, CollectionId: Id(QAProfiles), Help: "回答した利用者のニックネーム（職員の回答では空）"},
				&core.TextField{Name: "nickname", Max: 20, Help: "回答者のニックネーム（表示用の写し。職員の回答では空）"},
				&core.RelationField{Name: "staffAuthor", MaxSelect: 1, CollectionId: Id(CityStaff), Hidden: true, Help: "回答した職員（非公開。監査用）"},
				&core.TextField{Name: "staffBadge", Max: 20, Help: "職員の回答に付くバッジ（保健師・助産師・栄養士・市職員など。職員の資格から記入）"},
				&core.TextField{Name: "body", Required: true, Max: 4000, Help: "回答の本文"},
				qaStatus("状態: visible=公開, pending=確認待ち（禁止語・個人情報・通報）, hidden=非表示（職員が非表示にした）"),
				&core.TextField{Name: "hiddenReason", Max: 200, Help: "確認待ち・非表示の理由（職員と回答者が見る）"},
				&core.NumberField{Name: "reportCount", OnlyInt: true, Min: ptr(0.0), Help: "通報した人の数"},
			},
			Indexes: []Index{
				{Name: "idx_qa_posts_thread", Columns: "thread, status"},
				{Name: "idx_qa_posts_author", Columns: "author"},
				{Name: "idx_qa_posts_status", Columns: "status"},
			},
			Rules: Rules{
				List: anyOf(
					allOf(`status = "`+QAVisible+`"`, `thread.status = "`+QAVisible+`"`, `thread.private = false`),
					allOf(citizen, `author.user = @request.auth.id`),
					allOf(citizen, `thread.author.user = @request.auth.id`, `status = "`+QAVisible+`"`),
					qaStaff,
				),
				View: anyOf(
					allOf(`status = "`+QAVisible+`"`, `thread.status = "`+QAVisible+`"`, `thread.private = false`),
					allOf(citizen, `author.user = @request.auth.id`),
					allOf(citizen, `thread.author.user = @request.auth.id`, `status = "`+QAVisible+`"`),
					qaStaff,
				),
			},
		},
		Spec{
			Name: QAReports, System: SystemChild, Personal: true, Subject: "reporter",
			Description: "子育て相談の通報。一人が同じ投稿を通報できるのは一度だけ。一定数で自動的に確認待ちになる",
			Fields: []core.Field{
				&core.RelationField{Name: "thread", Required: true, MaxSelect: 1, CollectionId: Id(QAThreads), CascadeDelete: true, Help: "通報された質問（回答の通報では、その回答の質問）"},
				&core.RelationField{Name: "post", MaxSelect: 1, CollectionId: Id(QAPosts), CascadeDelete: true, Help: "通報された回答（質問そのものの通報では空）"},
				&core.RelationField{Name: "reporter", Required: true, MaxSelect: 1, CollectionId: Id(Users), Hidden: true, Help: "通報した利用者（非公開）"},
				&core.SelectField{Name: "category", Required: true, MaxSelect: 1, Values: QAReportReasons,
					Help: "理由: abuse=誹謗中傷・不快, personal_info=個人情報, spam=宣伝・スパム, wrong_info=誤った医療情報, other=その他"},
				&core.TextField{Name: "text", Max: 500, Help: "通報の補足"},
				&core.BoolField{Name: "resolved", Help: "職員が対応済みにしたか"},
				&core.DateField{Name: "resolvedAt", Help: "対応済みにした日時"},
				&core.TextField{Name: "note", Max: 500, Help: "職員の対応メモ"},
			},
			Indexes: []Index{
				{Name: "idx_qa_reports_once", Unique: true, Columns: "reporter, thread, post"},
				{Name: "idx_qa_reports_resolved", Columns: "resolved, created"},
				{Name: "idx_qa_reports_post", Columns: "post"},
				{Name: "idx_qa_reports_thread", Columns: "thread"},
			},
			Rules: Rules{List: rule(qaStaff), View: rule(qaStaff)},
		},
		Spec{
			Name: QAWords, System: SystemChild,
			Description: "子育て相談の禁止語・要確認語の一覧。子育て担当の職員が管理する",
			Fields: []core.Field{
				&core.TextField{Name: "word", Required: true, Max: 50, Presentable: true, Help: "語（全角半角・かなカナ・大文字小文字・空白の違いは区別しない）"},
				&core.SelectField{Name: "action", Required: true, MaxSelect: 1, Values: []string{"block", "review"}, Help: "扱い: block=投稿させない, review=職員の確認まで公開しない"},
				&core.BoolField{Name: "active", Help: "有効か"},
				&core.TextField{Name: "note", Max: 200, Help: "登録した理由などのメモ"},
			},
			Indexes: []Index{
				{Name: "idx_qa_words_word", Unique: true, Columns: "word"},
				{Name: "idx_qa_words_active", Columns: "active"},
			},
			Rules: Rules{List: rule(qaStaff), View: rule(qaStaff), Create: rule(qaStaff), Update: rule(qaStaff), Delete: rule(qaStaff)},
		},
		Spec{
			Name: FAQs, System: SystemChild,
			Description: "子育てのよくある質問（FAQ）。相談の良い回答を職員が編集して公開する",
			Fields: []core.Field{
				&core.TextField{Name: "question", Required: true, Max: 300, Presentable: true, Help: "質問"},
				&core.TextField{Name: "answer", Required: true, Max: 4000, Help: "回答"},
				&core.SelectField{Name: "category", Required: true, MaxSelect: 1, Values: QACategories, Help: "分類（子育て相談と同じ）"},
				&core.TextField{Name: "badge", Max: 20, Help: "回答者のバッジ（保健師など。利用者の回答では空）"},
				&core.RelationField{Name: "sourceThread", MaxSelect: 1, CollectionId: Id(QAThreads), Help: "もとになった相談"},
				&core.RelationField{Name: "sourcePost", MaxSelect: 1, CollectionId: Id(QAPosts), Help: "もとになった回答"},
				&core.BoolField{Name: "published", Help: "公開中か"},
			},
			Indexes: []Index{
				{Name: "idx_faqs_published", Columns: "published, category"},
				{Name: "idx_faqs_source", Columns: "sourceThread"},
			},
			Rules: Rules{
				List:   anyOf(`published = true`, qaStaff),
				View:   anyOf(`published = true`, qaStaff),
				Create: rule(qaStaff), Update: rule(qaStaff), Delete: rule(qaStaff),
			},
		},
	)
}
