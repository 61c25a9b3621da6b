package collections

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/i18n"
)

// Token lifetimes in seconds. Staff tokens are short because staff read other
// people's data; citizens stay logged in on their own phones.
const (
	citizenTokenSeconds   = 5 * 24 * 3600
	staffTokenSeconds     = 30 * 60
	volunteerTokenSeconds = 4 * 3600
	staffPasswordMin      = 12
	citizenPasswordMin    = 10
)

var (
	self         = `id = @request.auth.id`
	opsOnly      = cityStaffIn(DeptOps)
	activeOnly   = rule(`active = true`)
	staffActions = func(extraView ...string) Rules {
		view := anyOf(append([]string{self, opsOnly}, extraView...)...)
		return Rules{
			List:   view,
			View:   view,
			Create: rule(allOf(opsOnly, bodyUnset(serverOnly...))),
			// Staff may change their own name and password, never their own
			// privileges or binding.
			Update: anyOf(
				allOf(opsOnly, bodyUnset(serverOnly...)),
				allOf(self, bodyUnset(append([]string{"department", "role", "active", "nursery", "institution", "organization", "areas", "coordinator", "email", "verified", "qualification"}, serverOnly...)...)),
			),
			Delete: nil,
			Manage: rule(opsOnly),
			Auth:   activeOnly,
		}
	}
)

func staffConfig(tokenSeconds int) func(c *core.Collection) {
	return func(c *core.Collection) {
		c.AuthToken.Duration = int64(tokenSeconds)
		if pw, ok := c.Fields.GetByName("password").(*core.PasswordField); ok {
			pw.Min = staffPasswordMin
		}
		c.PasswordAuth.IdentityFields = []string{"email"}
	}
}

// OpsMFARule is the MFA rule of city staff: the 運用 role needs a second factor.
const OpsMFARule = `department = "` + DeptOps + `"`

// RequireEmailOTP makes the accounts matching rule ("" = all) log in with a
// password and a one-time code sent by email (別紙1 2(2): privileged IDs).
func RequireEmailOTP(c *core.Collection, rule string) {
	c.OTP.Enabled = true
	c.OTP.Duration = 300
	c.OTP.Length = 6
	c.OTP.EmailTemplate.Subject = "【lifestage 西条市】ログイン確認コード"
	c.OTP.EmailTemplate.Body = `<p>lifestage のログイン確認コードです。</p><p style="font-size:24px"><strong>` +
		core.EmailPlaceholderOTP + `</strong></p><p>5分以内に入力してください。心当たりがない場合は、このメールを破棄し、運用担当へ連絡してください。</p>`
	c.MFA.Enabled = true
	c.MFA.Duration = 600
	c.MFA.Rule = rule
}

func personName() []core.Field {
	return []core.Field{
		&core.TextField{Name: "name", Required: true, Max: 100, Presentable: true, Help: "氏名（漢字）"},
		&core.TextField{Name: "nameKana", Max: 100, Help: "氏名（カナ）"},
	}
}

func activeField() core.Field {
	return &core.BoolField{Name: "active", Help: "有効なアカウントか。無効にするとログインできない"}
}

// loginFields let staff see their previous login (別紙1 2(2)ウ) and let
// privileged passwords expire (別紙1 2(2)イ). Only the server writes them.
func loginFields() []core.Field {
	return []core.Field{
		&core.DateField{Name: "lastLoginAt", Help: "最後にログインした日時"},
		&core.TextField{Name: "lastLoginIP", Max: 64, Help: "最後にログインしたIPアドレス"},
		&core.DateField{Name: "previousLoginAt", Help: "その前にログインした日時（ログイン時に本人に表示）"},
		&core.TextField{Name: "previousLoginIP", Max: 64, Help: "その前にログインしたIPアドレス"},
		&core.DateField{Name: "passwordChangedAt", Help: "パスワードを最後に変更した日時（特権アカウントは180日で失効）"},
	}
}

// serverOnly are fields no API request may set.
var serverOnly = []string{"lastLoginAt", "lastLoginIP", "previousLoginAt", "previousLoginIP", "passwordChangedAt"}

func init() {
	register(
		Spec{
			Name: Users, Auth: true, System: SystemPlatform, Personal: true, Subject: "id",
			Description: "市民アカウント（保護者・家族・住民）。本人が登録する",
			Fields: append([]core.Field{
				&core.TextField{Name: "name", Max: 100, Presentable: true, Help: "氏名（漢字）"},
				&core.TextField{Name: "nameKana", Max: 100, Help: "氏名（カナ）"},
				&core.TextField{Name: "phone", Max: 20, Pattern: `^[0-9+\-]*$`, Help: "電話番号"},
				&core.RelationField{Name: "area", CollectionId: Id("areas"), MaxSelect: 1, Help: "お住まいの地区"},
				&core.RelationField{Name: "household", CollectionId: Id("households"), MaxSelect: 1, Help: "住民記録上の世帯。本人確認の後に市が設定する"},
				&core.SelectField{Name: "language", MaxSelect: 1, Values: i18n.Langs, Help: "画面と通知の言語（ja=日本語, easy-ja=やさしい日本語, en=英語, vi=ベトナム語, zh=中国語。空は日本語）"},
			}, identityFieldList()...),
			Indexes: []Index{
				{Name: "idx_users_household", Columns: "household"},
				{Name: "idx_users_area", Columns: "area"},
				{Name: "idx_users_jpki_subject", Unique: true, Columns: "jpkiSubject", Where: "jpkiSubject != ''"},
			},
			Rules: Rules{
				List: anyOf(self, opsOnly),
				View: anyOf(self, opsOnly),
				// Citizens register themselves; operations staff may register
				// someone at the counter. Logged-in accounts cannot create more.
				// Only the My Number card login writes the verified identity.
				Create: anyOf(allOf(`@request.auth.id = ""`, bodyUnset(append([]string{"household", "verified"}, IdentityFields...)...)),
					allOf(opsOnly, bodyUnset(IdentityFields...))),
				Update: anyOf(allOf(opsOnly, bodyUnset(IdentityFields...)),
					allOf(self, bodyUnset(append([]string{"household", "verified"}, IdentityFields...)...))),
				Delete: nil,
				Manage: rule(opsOnly),
			},
			Configure: func(c *core.Collection) {
				c.AuthToken.Duration = citizenTokenSeconds
				if pw, ok := c.Fields.GetByName("password").(*core.PasswordField); ok {
					pw.Min = citizenPasswordMin
				}
			},
		},
		Spec{
			Name: CityStaff, Auth: true, System: SystemOperations, Personal: true, Subject: "id",
			Description: "市職員アカウント。所属（子育て・保育・高齢・運用）と役割を持つ",
			Fields: append(append(personName(),
				&core.SelectField{Name: "department", Required: true, MaxSelect: 1, Values: Departments, Help: "所属: child=子育て, nursery=保育, elderly=高齢福祉, ops=運用管理"},
				&core.SelectField{Name: "role", Required: true, MaxSelect: 1, Values: []string{"viewer", "staff", "manager"}, Help: "役割: viewer=閲覧のみ, staff=担当者, manager=管理職"},
				activeField(),
				&core.SelectField{Name: "qualification", MaxSelect: 1, Values: Qualifications, Help: "資格（子育て相談の回答に付くバッジ）: public_health_nurse=保健師, midwife=助産師, dietitian=栄養士, nurse=看護師, childcare_worker=保育士"},
			), loginFields()...),
			Indexes: []Index{{Name: "idx_city_staff_department", Columns: "department"}},
			Rules:   staffActions(),
			Configure: func(c *core.Collection) {
				staffConfig(staffTokenSeconds)(c)
				RequireEmailOTP(c, OpsMFARule)
			},
		},
		Spec{
			Name: NurseryStaff, Auth: true, System: SystemOperations, Personal: true, Subject: "id",
			Description: "保育施設職員アカウント。一つの保育施設に所属する",
			Fields: append(append(personName(),
				&core.RelationField{Name: "nursery", Required: true, MaxSelect: 1, CollectionId: Id("facilities"), Help: "所属する保育施設"},
				&core.SelectField{Name: "role", Required: true, MaxSelect: 1, Values: []string{"staff", "director", NurseryKiosk}, Help: "役割: staff=保育士等, director=施設長, kiosk=登降園端末（打刻のみ。記録は読めない）"},
				activeField(),
			), loginFields()...),
			Indexes: []Index{{Name: "idx_nursery_staff_nursery", Columns: "nursery"}},
			Rules: staffActions(
				allOf(authIs(NurseryStaff), notKiosk, `nursery = @request.auth.nursery`),
				cityStaffIn(DeptNursery),
			),
			Configure: staffConfig(staffTokenSeconds),
		},
		Spec{
			Name: MedicalStaff, Auth: true, System: SystemOperations, Personal: true, Subject: "id",
			Description: "医療機関職員アカウント。一つの医療機関に所属する",
			Fields: append(append(personName(),
				&core.RelationField{Name: "institution", Required: true, MaxSelect: 1, CollectionId: Id("facilities"), Help: "所属する医療機関"},
				&core.SelectField{Name: "role", Required: true, MaxSelect: 1, Values: []string{"doctor", "nurse", "clerk"}, Help: "役割: doctor=医師, nurse=看護師, clerk=事務"},
				activeField(),
			), loginFields()...),
			Indexes:   []Index{{Name: "idx_medical_staff_institution", Columns: "institution"}},
			Rules:     staffActions(cityStaffIn(DeptChild)),
			Configure: staffConfig(staffTokenSeconds),
		},
		Spec{
			Name: Volunteers, Auth: true, System: SystemOperations, Personal: true, Subject: "id",
			Description: "見守りボランティア・協力団体職員のアカウント。団体と担当地区を持つ",
			Fields: append(append(personName(),
				&core.RelationField{Name: "organization", Required: true, MaxSelect: 1, CollectionId: Id("organizations"), Help: "所属する団体"},
				&core.RelationField{Name: "areas", MaxSelect: 20, CollectionId: Id("areas"), Help: "担当地区"},
				&core.TextField{Name: "phone", Max: 20, Pattern: `^[0-9+\-]*$`, Help: "連絡先電話番号"},
				activeField(),
				&core.BoolField{Name: "coordinator", Help: "団体のとりまとめ役か。担当の訪問が滞ったとき、団体への連絡（見守りの督促の第2段階）を受け取る"},
			), loginFields()...),
			Indexes: []Index{
				{Name: "idx_volunteers_organization", Columns: "organization"},
				{Name: "idx_volunteers_coordinator", Columns: "organization, coordinator"},
			},
			Rules:     staffActions(cityStaffIn(DeptElderly)),
			Configure: staffConfig(volunteerTokenSeconds),
		},
	)
}

// IdentityFields are the citizen's verified identity: the 基本4情報 read
// from the My Number card (公的個人認証) and how and when it was verified.
// Only the card login writes them; no API request may set them.
var IdentityFields = []string{"address", "birthDate", "sex", "identityVerifiedMethod", "identityLevel", "identityVerifiedAt", "jpkiSubject"}

// IdentityMethodJPKI marks an identity verified with the My Number card
// through デジタル認証アプリ.
const IdentityMethodJPKI = "jpki"

// IdentityLevelCard is the level of a card-verified identity: the card's
// certificate proves who holds it, the strongest check the city offers.
const IdentityLevelCard = 3

func identityFieldList() []core.Field {
	return []core.Field{
		&core.TextField{Name: "address", Max: 200, Help: "住所（マイナンバーカードの基本4情報。カードでの本人確認で設定される）"},
		civilDate("birthDate", "生年月日（YYYY-MM-DD。カードでの本人確認で設定される）", false),
		&core.SelectField{Name: "sex", MaxSelect: 1, Values: []string{"male", "female"}, Help: "性別（カードでの本人確認で設定される）: male=男性, female=女性"},
		&core.SelectField{Name: "identityVerifiedMethod", MaxSelect: 1, Values: []string{IdentityMethodJPKI},
			Help: "本人確認の方法: jpki=マイナンバーカードの公的個人認証（デジタル認証アプリ）。空は未確認"},
		&core.NumberField{Name: "identityLevel", OnlyInt: true, Min: ptr(0.0), Max: ptr(3.0),
			Help: "本人確認の強さ: 0=未確認, 3=マイナンバーカードの公的個人認証で確認済み"},
		&core.DateField{Name: "identityVerifiedAt", Help: "本人確認をした日時（カードでログインするたびに更新）"},
		&core.TextField{Name: "jpkiSubject", Max: 64, Hidden: true,
			Help: "マイナンバーカードとアカウントの紐付け（認証事業者が発行する利用者識別子のSHA-256ハッシュ。マイナンバーそのものは受け取らず保存しない）"},
	}
}
