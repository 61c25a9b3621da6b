package collections

import "github.com/pocketbase/pocketbase/core"

// The nursery system (保育): a nursery's settings and classes, which child is
// enrolled where under which certification, and the children's attendance.
// A nursery is a facilities record of a childcare type; nursery_staff belong
// to one, and every nursery record names it in a `nursery` field so that a
// staff rule is one indexed comparison.

// SystemNursery is the nursery system (保育).
const SystemNursery System = "nursery"

// Certifications (支給認定, 子ども・子育て支援法19条) and hours of care.
const (
	HoursStandard = "standard" // 保育標準時間 (up to 11 h a day)
	HoursShort    = "short"    // 保育短時間 (up to 8 h a day)
)

// Certifications are 1号 (education, 3+), 2号 (care, 3+) and 3号 (care, under 3).
var Certifications = []string{"1", "2", "3"}

// Attendance methods: how a check-in or check-out was recorded.
var AttendanceMethods = []string{"qr", "pin", "card", "staff", "manual"}

// nurseryStaffOf is true for staff of the nursery named by the field. A
// check-in kiosk account is not staff here: it only records check-ins.
func nurseryStaffOf(field string) string {
	return allOf(authIs(NurseryStaff), notKiosk, field+` = @request.auth.nursery`)
}

// notKiosk keeps a nursery's check-in terminal out of staff rules.
var notKiosk = `@request.auth.role != "` + NurseryKiosk + `"`

// nurseryDirectorOf is true for the director (施設長) of that nursery.
func nurseryDirectorOf(field string) string {
	return allOf(nurseryStaffOf(field), `@request.auth.role = "director"`)
}

func nurseryField() core.Field {
	return &core.RelationField{Name: "nursery", Required: true, MaxSelect: 1, CollectionId: Id("facilities"), Help: "保育施設"}
}

// hhmm is a clock time of day in Tokyo, "07:30".
func hhmm(name, help string) core.Field {
	return &core.TextField{Name: name, Max: 5, Pattern: `^([01][0-9]|2[0-3]):[0-5][0-9]$`, Help: help}
}

// nurseryChildRules: the child's family and the nursery's staff read; the
// writers may create, and update without moving a record to another child
// or nursery.
func nurseryChildRules(writers string) Rules {
	read := anyOf(allOf(citizen, ChildReaderVia("child")), nurseryStaffOf("nursery"), cityStaffIn(DeptNursery))
	return Rules{List: read, View: read, Create: rule(writers), Update: rule(allOf("("+writers+")", bodyUnset("child", "nursery")))}
}

func init() {
	register(
		Spec{
			Name: "nurseries", System: SystemNursery,
			Description: "保育施設ごとの設定（開所時間・延長保育料・副食費・午睡チェック間隔・職員配置基準・締め日）",
			Fields: []core.Field{
				nurseryField(),
				hhmm("opensAt", "開所時刻（例: 07:00）"),
				hhmm("closesAt", "閉所時刻（例: 19:00）"),
				hhmm("standardFrom", "保育標準時間の開始時刻（例: 07:00。11時間）"),
				hhmm("shortFrom", "保育短時間の開始時刻（例: 08:30。8時間）"),
				&core.NumberField{Name: "extensionUnitMinutes", OnlyInt: true, Min: ptr(1.0), Max: ptr(120.0), Help: "延長保育の単位（分）"},
				&core.NumberField{Name: "extensionUnitPrice", OnlyInt: true, Min: ptr(0.0), Max: ptr(10000.0), Help: "延長保育料（1単位あたりの円）"},
				&core.NumberField{Name: "extensionMonthlyCap", OnlyInt: true, Min: ptr(0.0), Max: ptr(100000.0), Help: "延長保育料の月額上限（円、0は上限なし）"},
				&core.NumberField{Name: "sideDishFee", OnlyInt: true, Min: ptr(0.0), Max: ptr(20000.0), Help: "副食費（3〜5歳児クラス、月額の円）"},
				&core.NumberField{Name: "napIntervalInfant", OnlyInt: true, Min: ptr(1.0), Max: ptr(60.0), Help: "午睡チェックの間隔（0〜1歳児、分）"},
				&core.NumberField{Name: "napIntervalOlder", OnlyInt: true, Min: ptr(1.0), Max: ptr(60.0), Help: "午睡チェックの間隔（2歳児以上、分）"},
				&core.NumberField{Name: "ratio0", OnlyInt: true, Min: ptr(1.0), Max: ptr(50.0), Help: "職員配置基準 0歳児（子ども何人に職員1人）"},
				&core.NumberField{Name: "ratio12", OnlyInt: true, Min: ptr(1.0), Max: ptr(50.0), Help: "職員配置基準 1・2歳児"},
				&core.NumberField{Name: "ratio3", OnlyInt: true, Min: ptr(1.0), Max: ptr(50.0), Help: "職員配置基準 3歳児"},
				&core.NumberField{Name: "ratio45", OnlyInt: true, Min: ptr(1.0), Max: ptr(50.0), Help: "職員配置基準 4・5歳児"},
				&core.NumberField{Name: "closingDay", OnlyInt: true, Min: ptr(1.0), Max: ptr(28.0), Help: "月次請求の締め日（翌月のこの日に前月分を請求）"},
			},
			Indexes: []Index{{Name: "idx_nurseries_nursery", Unique: true, Columns: "nursery"}},
			// Settings are not personal; staff read their own nursery's, the
			// director changes them, and the city manages all of them.
			Rules: Rules{
				List:   anyOf(nurseryStaffOf("nursery"), cityStaffIn(DeptNursery)),
				View:   anyOf(nurseryStaffOf("nursery"), cityStaffIn(DeptNursery)),
				Create: rule(cityStaffIn(DeptNursery)),
				Update: anyOf(allOf(nurseryDirectorOf("nursery"), bodyUnset("nursery")), cityStaffIn(DeptNursery)),
			},
		},
		Spec{
			Name: "nursery_classes", System: SystemNursery,
			Description: "クラス（年度・年齢クラスごと）",
			Fields: []core.Field{
				nurseryField(),
				&core.NumberField{Name: "fiscalYear", Required: true, OnlyInt: true, Min: ptr(2000.0), Max: ptr(2100.0), Help: "年度"},
				&core.NumberField{Name: "ageClass", OnlyInt: true, Min: ptr(0.0), Max: ptr(5.0), Help: "年齢クラス（年度初日の前日の年齢、0〜5）"},
				&core.TextField{Name: "name", Required: true, Max: 30, Presentable: true, Help: "クラス名（例: ひよこ組）"},
				&core.NumberField{Name: "capacity", OnlyInt: true, Min: ptr(0.0), Max: ptr(200.0), Help: "定員"},
			},
			Indexes: []Index{
				{Name: "idx_nursery_classes_nursery", Unique: true, Columns: "nursery, fiscalYear, name"},
				{Name: "idx_nursery_classes_year", Columns: "fiscalYear, ageClass"},
			},
			// A class name is not personal: any signed-in account may read it
			// (a guardian's app shows "ひよこ組"); the nursery's director and
			// the city write.
			Rules: Rules{
				List:   rule(`@request.auth.id != ""`),
				View:   rule(`@request.auth.id != ""`),
				Create: anyOf(nurseryDirectorOf("@request.body.nursery"), cityStaffIn(DeptNursery)),
				Update: anyOf(allOf(nurseryDirectorOf("nursery"), bodyUnset("nursery")), cityStaffIn(DeptNursery)),
			},
		},
		Spec{
			Name: "enrolments", System: SystemNursery, Personal: true, Subject: "child",
			Description: "入所（在籍）。支給認定・保育時間・クラス・期間",
			Fields: []core.Field{
				&core.RelationField{Name: "child", Required: true, MaxSelect: 1, CollectionId: Id("children"), CascadeDelete: true, Help: "子ども"},
				&core.RelationField{Name: "household", MaxSelect: 1, CollectionId: Id("households"), Help: "世帯（子どもから自動設定。きょうだいの数の算定に使う）"},
				nurseryField(),
				&core.RelationField{Name: "class", MaxSelect: 1, CollectionId: Id("nursery_classes"), Help: "クラス"},
				&core.SelectField{Name: "certification", Required: true, MaxSelect: 1, Values: Certifications, Help: "支給認定: 1=1号（教育）, 2=2号（3歳以上・保育）, 3=3号（3歳未満・保育）"},
				&core.SelectField{Name: "hours", Required: true, MaxSelect: 1, Values: []string{HoursStandard, HoursShort}, Help: "保育必要量: standard=保育標準時間, short=保育短時間"},
				&core.NumberField{Name: "certifiedHours", OnlyInt: true, Min: ptr(1.0), Max: ptr(11.0), Help: "認定された1日の保育時間（時間）"},
				civilDate("start", "入所日（YYYY-MM-DD）", true),
				civilDate("end", "退所日（YYYY-MM-DD、在籍中は空）", false),
			},
			Indexes: []Index{
				{Name: "idx_enrolments_child", Columns: "child, start"},
				{Name: "idx_enrolments_nursery", Columns: "nursery, class"},
				{Name: "idx_enrolments_household", Columns: "household"},
			},
			// Enrolment is the city's decision (入所決定); nursery staff and
			// the family read it.
			Rules: nurseryChildRules(cityStaffIn(DeptNursery)),
		},
		Spec{
			Name: "fee_assessments", System: SystemNursery, Personal: true, Sensitive: true, Subject: "household",
			Description: "保育料の算定基礎（世帯の市民税所得割額・生活保護・非課税・要保護者等世帯）。年度ごと",
			Fields: []core.Field{
				&core.RelationField{Name: "household", Required: true, MaxSelect: 1, CollectionId: Id("households"), CascadeDelete: true, Help: "世帯"},
				&core.NumberField{Name: "taxYear", Required: true, OnlyInt: true, Min: ptr(2000.0), Max: ptr(2100.0), Help: "課税年度（4〜8月分は前年度、9〜3月分は当年度を使う）"},
				&core.NumberField{Name: "incomeTax", OnlyInt: true, Min: ptr(0.0), Help: "保護者の市民税所得割額の合算（円）"},
				&core.BoolField{Name: "welfare", Help: "生活保護世帯・里親"},
				&core.BoolField{Name: "taxExempt", Help: "市民税非課税世帯"},
				&core.BoolField{Name: "protectedHousehold", Help: "要保護者等世帯（ひとり親・障害者手帳・特別児童扶養手当等）"},
			},
			Indexes: []Index{{Name: "idx_fee_assessments_household", Unique: true, Columns: "household, taxYear"}},
			// Tax data stays with the city; the household's guardians may
			// read the basis of their own fee.
			Rules: Rules{
				List:   anyOf(allOf(citizen, `household = @request.auth.household`), cityStaffIn(DeptNursery)),
				View:   anyOf(allOf(citizen, `household = @request.auth.household`), cityStaffIn(DeptNursery)),
				Create: rule(cityStaffIn(DeptNursery)),
				Update: rule(cityStaffIn(DeptNursery)),
			},
		},
		Spec{
			Name: "attendance", System: SystemNursery, Personal: true, Subject: "child",
			Description: "登降園の記録（1日1件。登園・降園の時刻と記録方法）",
			Fields: []core.Field{
				&core.RelationField{Name: "child", Required: true, MaxSelect: 1, CollectionId: Id("children"), CascadeDelete: true, Help: "子ども"},
				nurseryField(),
				&core.RelationField{Name: "class", MaxSelect: 1, CollectionId: Id("nursery_classes"), Help: "クラス（記録時点）"},
				civilDate("date", "日付（YYYY-MM-DD、東京時間）", true),
				&core.DateField{Name: "checkIn", Help: "登園時刻"},
				&core.DateField{Name: "checkOut", Help: "降園時刻"},
				&core.SelectField{Name: "inMethod", MaxSelect: 1, Values: AttendanceMethods, Help: "登園の記録方法: qr, pin, card=ICカード, staff=職員, manual=手入力の訂正"},
				&core.SelectField{Name: "outMethod", MaxSelect: 1, Values: AttendanceMethods, Help: "降園の記録方法"},
				&core.TextField{Name: "pickupBy", Max: 50, Help: "お迎えの人（例: 祖母）"},
				&core.TextField{Name: "note", Max: 500, Help: "訂正の理由などのメモ"},
			},
			Indexes: []Index{
				{Name: "idx_attendance_child_date", Unique: true, Columns: "child, date"},
				{Name: "idx_attendance_nursery_date", Columns: "nursery, date"},
			},
			// Check-ins come through the check-in route; staff correct by
			// hand (audited as personal data); the family only reads.
			Rules: nurseryChildRules(nurseryStaffOf("nursery") + " || " + cityStaffIn(DeptNursery)),
		},
	)
}
