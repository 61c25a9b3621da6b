package collections

import (
	"slices"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/schedule"
)

// Shared records used by every system: places, facilities, organisations,
// the resident register (households and residents), children and family
// sharing.

// DatePattern is the wire format of a civil date (Asia/Tokyo).
const DatePattern = `^\d{4}-\d{2}-\d{2}$`

// FacilityTypes lists facility kinds in display order.
var FacilityTypes = []string{
	"nursery",              // 保育所
	"kindergarten",         // 幼稚園
	"kodomoen",             // 認定こども園
	"clinic",               // 診療所
	"hospital",             // 病院
	"health_center",        // 保健センター
	"child_support_center", // 子育て支援センター
	"community_center",     // 公民館
}

// FacilityServices lists what a facility may offer.
var FacilityServices = []string{
	// medical
	"pediatrics", "internal", "surgery", "obstetrics", "gynecology", "maternity", "emergency",
	"rehabilitation", "home_visit", "vaccination", "infant_checkup",
	// childcare
	"infant", "extended_hours", "temporary_care",
	// health centre, child-support centre, community centre
	"maternity_consultation", "health_consultation", "parenting_consultation", "consultation",
	"playroom", "meeting_room", "lifelong_learning",
}

// FacilityCheckups are the checkups a facility may hold: the schedule's
// infant and child checkups, plus the 5歳児健診 (national subsidy since the
// FY2023 supplementary budget) and 妊婦健診 that obstetric clinics hold
// (../shared/reference/domain-data.md §2.1, §2.2); parents search for both.
var FacilityCheckups = append(slices.Clone(schedule.CheckupCodes), "5y", "prenatal")

// Share scopes and states of family sharing.
const (
	ShareView   = "view"
	ShareManage = "manage"

	SharePending = "pending"
	ShareActive  = "active"
	ShareRevoked = "revoked"
)

// Staff who work with the resident register: child-rearing, nursery and
// elderly welfare. Operations staff manage accounts, not residents' data.
var registerStaff = cityStaffIn(DeptChild, DeptNursery, DeptElderly)

func civilDate(name, help string, required bool) core.Field {
	return &core.TextField{Name: name, Required: required, Pattern: DatePattern, Max: 10, Help: help}
}

func fullName() []core.Field {
	return []core.Field{
		&core.TextField{Name: "familyName", Required: true, Max: 50, Presentable: true, Help: "氏（漢字）"},
		&core.TextField{Name: "givenName", Required: true, Max: 50, Presentable: true, Help: "名（漢字）"},
		&core.TextField{Name: "familyNameKana", Max: 50, Help: "氏（カナ）"},
		&core.TextField{Name: "givenNameKana", Max: 50, Help: "名（カナ）"},
	}
}

func sexField() core.Field {
	return &core.SelectField{Name: "sex", MaxSelect: 1, Values: []string{"male", "female"}, Help: "性別"}
}

func init() {
	register(
		Spec{
			Name: "areas", System: SystemPlatform,
			Description: "地区（西条・東予・丹原・小松とその下の地区）",
			Fields: []core.Field{
				&core.TextField{Name: "code", Required: true, Max: 50, Pattern: `^[a-z0-9-]+$`, Help: "地区コード"},
				&core.TextField{Name: "name", Required: true, Max: 50, Presentable: true, Help: "地区名"},
				&core.TextField{Name: "kana", Max: 50, Help: "地区名（かな）"},
				&core.RelationField{Name: "parent", MaxSelect: 1, CollectionId: Id("areas"), Help: "上位の地区（旧市町単位）"},
				&core.GeoPointField{Name: "location", Help: "代表地点"},
			},
			Indexes: []Index{
				{Name: "idx_areas_code", Unique: true, Columns: "code"},
				{Name: "idx_areas_parent", Columns: "parent"},
			},
			Rules: Rules{List: public(), View: public(), Create: rule(opsOnly), Update: rule(opsOnly)},
		},
		Spec{
			Name: "facilities", System: SystemPlatform,
			Description: "施設（保育所・幼稚園・こども園・医療機関・保健センター・子育て支援センター等）。公開情報",
			Fields: []core.Field{
				&core.TextField{Name: "code", Required: true, Max: 50, Help: "施設コード"},
				&core.TextField{Name: "name", Required: true, Max: 100, Presentable: true, Help: "施設名"},
				&core.TextField{Name: "kana", Max: 100, Help: "施設名（かな）"},
				&core.SelectField{Name: "type", Required: true, MaxSelect: 1, Values: FacilityTypes, Help: "施設の種類"},
				&core.SelectField{Name: "services", MaxSelect: len(FacilityServices), Values: FacilityServices, Help: "提供サービス（小児科・予防接種・乳幼児健診・0歳児保育・延長保育・一時預かり等）"},
				&core.RelationField{Name: "area", MaxSelect: 1, CollectionId: Id("areas"), Help: "所在地区"},
				&core.TextField{Name: "address", Max: 200, Help: "所在地"},
				&core.GeoPointField{Name: "location", Help: "位置（経度・緯度）"},
				&core.TextField{Name: "phone", Max: 20, Help: "電話番号"},
				&core.URLField{Name: "url", Help: "ウェブサイト"},
				&core.TextField{Name: "hours", Max: 200, Help: "開所・診療時間"},
				&core.NumberField{Name: "capacity", OnlyInt: true, Min: ptr(0.0), Help: "定員（保育・教育施設）"},
				&core.BoolField{Name: "public", Help: "一般に公開するか"},
				&core.TextField{Name: "description", Max: 2000, Help: "紹介文"},
				&core.SelectField{Name: "vaccines", MaxSelect: len(schedule.Codes), Values: schedule.Codes, Help: "接種できる定期予防接種（ワクチンのコード。予防接種スケジュールと同じ）"},
				&core.SelectField{Name: "checkups", MaxSelect: len(FacilityCheckups), Values: FacilityCheckups, Help: "実施している健診: 1m=1か月児, 3-4m=3〜4か月児, 9-10m=9〜10か月児, 1y6m=1歳6か月児, 3y=3歳児, 5y=5歳児, prenatal=妊婦健診"},
				&core.JSONField{Name: "openingHours", MaxSize: 4000, Help: `開所・診療時間（機械判読用）。{"mon":[["09:00","12:00"]],"holiday":[]} の形で mon〜sun と祝日 holiday。ない曜日は休み、holiday がなければ祝日も曜日どおり。文の時間が空なら自動で作る`},
			},
			Indexes: []Index{
				{Name: "idx_facilities_code", Unique: true, Columns: "code"},
				{Name: "idx_facilities_type", Columns: "type"},
				{Name: "idx_facilities_area", Columns: "area"},
				{Name: "idx_facilities_public_name", Columns: "public, name"},
			},
			Rules: Rules{
				List:   anyOf(`public = true`, authIs(CityStaff)),
				View:   anyOf(`public = true`, authIs(CityStaff)),
				Create: rule(cityStaffIn(DeptChild, DeptNursery, DeptOps)),
				Update: rule(cityStaffIn(DeptChild, DeptNursery, DeptOps)),
			},
		},
		Spec{
			Name: "organizations", System: SystemPlatform,
			Description: "見守り等の協力団体（民生委員協議会・社会福祉協議会・NPO・事業者）",
			Fields: []core.Field{
				&core.TextField{Name: "code", Required: true, Max: 50, Help: "団体コード"},
				&core.TextField{Name: "name", Required: true, Max: 100, Presentable: true, Help: "団体名"},
				&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: []string{"minsei", "shakyo", "npo", "postal", "company"}, Help: "種別: minsei=民生委員・児童委員, shakyo=社会福祉協議会, npo=NPO, postal=郵便局, company=事業者"},
				&core.RelationField{Name: "area", MaxSelect: 1, CollectionId: Id("areas"), Help: "活動地区"},
				&core.TextField{Name: "phone", Max: 20, Help: "連絡先"},
			},
			Indexes: []Index{{Name: "idx_organizations_code", Unique: true, Columns: "code"}},
			Rules: Rules{
				List:   anyOf(authIs(CityStaff), allOf(authIs(Volunteers), `id = @request.auth.organization`)),
				View:   anyOf(authIs(CityStaff), allOf(authIs(Volunteers), `id = @request.auth.organization`)),
				Create: rule(cityStaffIn(DeptElderly, DeptOps)),
				Update: rule(cityStaffIn(DeptElderly, DeptOps)),
			},
		},
		Spec{
			Name: "households", System: SystemPlatform, Personal: true,
			Description: "世帯（住民記録の写し）。兄弟姉妹の数や独居・高齢者のみ世帯の把握に使う",
			Fields: []core.Field{
				&core.TextField{Name: "code", Required: true, Max: 20, Presentable: true, Help: "世帯番号"},
				&core.RelationField{Name: "area", MaxSelect: 1, CollectionId: Id("areas"), Help: "地区"},
				&core.TextField{Name: "address", Max: 200, Help: "住所"},
				&core.NumberField{Name: "memberCount", OnlyInt: true, Min: ptr(0.0), Help: "世帯人員"},
				&core.BoolField{Name: "livingAlone", Help: "65歳以上の単身世帯（独居高齢者）"},
				&core.BoolField{Name: "elderlyOnly", Help: "65歳以上の者のみの世帯"},
			},
			Indexes: []Index{
				{Name: "idx_households_code", Unique: true, Columns: "code"},
				{Name: "idx_households_area", Columns: "area"},
				{Name: "idx_households_elderly", Columns: "elderlyOnly, livingAlone"},
			},
			Rules: Rules{
				List: anyOf(registerStaff, allOf(citizen, `id = @request.auth.household`)),
				View: anyOf(registerStaff, allOf(citizen, `id = @request.auth.household`)),
			},
		},
		Spec{
			Name: "residents", System: SystemPlatform, Personal: true, Subject: "user",
			Description: "住民（住民記録の写し）。世帯員・続柄・生年月日を持つ",
			Fields: append(append([]core.Field{
				&core.TextField{Name: "key", Required: true, Max: 20, Help: "住民を識別する番号（個人番号ではない）"},
				&core.RelationField{Name: "household", Required: true, MaxSelect: 1, CollectionId: Id("households"), CascadeDelete: true, Help: "世帯"},
			}, fullName()...),
				civilDate("birthDate", "生年月日（YYYY-MM-DD）", true),
				sexField(),
				&core.TextField{Name: "relationship", Max: 20, Help: "続柄（世帯主・妻・子など）"},
				&core.RelationField{Name: "area", MaxSelect: 1, CollectionId: Id("areas"), Help: "地区"},
				&core.RelationField{Name: "user", MaxSelect: 1, CollectionId: Id(Users), Help: "本人の市民アカウント（ある場合）"},
			),
			Indexes: []Index{
				{Name: "idx_residents_key", Unique: true, Columns: "key"},
				{Name: "idx_residents_household", Columns: "household"},
				{Name: "idx_residents_birthdate", Columns: "birthDate"},
				{Name: "idx_residents_area", Columns: "area"},
				{Name: "idx_residents_user", Columns: "user"},
			},
			// A citizen sees only their own register entry; other members
			// (a lodger's birth date, say) stay with the city.
			Rules: Rules{
				List: anyOf(registerStaff, allOf(citizen, `user = @request.auth.id`)),
				View: anyOf(registerStaff, allOf(citizen, `user = @request.auth.id`)),
			},
		},
		Spec{
			Name: "children", System: SystemPlatform, Personal: true, Subject: "id",
			Description: "子ども。アカウントではなく、保護者と共有された家族が閲覧する",
			Fields: append(append([]core.Field{
				&core.RelationField{Name: "household", MaxSelect: 1, CollectionId: Id("households"), Help: "世帯（兄弟姉妹の数の算定に使う）"},
				&core.RelationField{Name: "resident", MaxSelect: 1, CollectionId: Id("residents"), Help: "住民記録上の本人"},
			}, fullName()...),
				civilDate("birthDate", "生年月日（YYYY-MM-DD）", true),
				sexField(),
				&core.RelationField{Name: "area", MaxSelect: 1, CollectionId: Id("areas"), Help: "地区"},
				&core.RelationField{Name: "guardians", MaxSelect: 10, CollectionId: Id(Users), Help: "保護者のアカウント"},
				&core.RelationField{Name: "familyViewers", MaxSelect: 20, CollectionId: Id(Users), Help: "閲覧を共有された家族（family_sharesから自動設定）"},
				&core.RelationField{Name: "familyManagers", MaxSelect: 20, CollectionId: Id(Users), Help: "管理を共有された家族（family_sharesから自動設定）"},
			),
			Indexes: []Index{
				{Name: "idx_children_household", Columns: "household"},
				{Name: "idx_children_resident", Columns: "resident"},
				{Name: "idx_children_birthdate", Columns: "birthDate"},
				{Name: "idx_children_area", Columns: "area"},
			},
			Rules: Rules{
				List: anyOf(allOf(citizen, ChildReader), cityStaffIn(DeptChild, DeptNursery)),
				View: anyOf(allOf(citizen, ChildReader), cityStaffIn(DeptChild, DeptNursery)),
				// The create hook makes the caller the only guardian and fills
				// the household; sharing fields are never set through the API.
				Create: anyOf(allOf(citizen, bodyUnset("familyViewers", "familyManagers", "household", "resident")), cityStaffIn(DeptChild)),
				Update: anyOf(
					allOf(citizen, ChildManager, bodyUnset("guardians", "familyViewers", "familyManagers", "household", "resident")),
					allOf(cityStaffIn(DeptChild), bodyUnset("familyViewers", "familyManagers")),
				),
			},
		},
		Spec{
			Name: "family_shares", System: SystemPlatform, Personal: true, Subject: "child",
			Description: "家族共有。保護者が子どもの記録を家族（もう一人の親・祖父母等）に共有する",
			Fields: []core.Field{
				&core.RelationField{Name: "child", Required: true, MaxSelect: 1, CollectionId: Id("children"), CascadeDelete: true, Help: "共有する子ども"},
				&core.RelationField{Name: "grantedBy", Required: true, MaxSelect: 1, CollectionId: Id(Users), Help: "共有した保護者"},
				&core.RelationField{Name: "member", MaxSelect: 1, CollectionId: Id(Users), Help: "共有された家族（招待を受けるまで空）"},
				&core.TextField{Name: "memberName", Max: 100, Help: "共有された家族の表示名"},
				&core.TextField{Name: "label", Max: 50, Help: "続柄などの呼び名（例: 祖母）"},
				&core.SelectField{Name: "scope", Required: true, MaxSelect: 1, Values: []string{ShareView, ShareManage}, Help: "範囲: view=閲覧, manage=記録の管理"},
				&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{SharePending, ShareActive, ShareRevoked}, Help: "状態: pending=招待中, active=共有中, revoked=取消済"},
				&core.TextField{Name: "codeHash", Max: 64, Hidden: true, Help: "招待コードのSHA-256（コード自体は保存しない）"},
				&core.DateField{Name: "expiresAt", Help: "招待の有効期限"},
				&core.DateField{Name: "acceptedAt", Help: "受諾日時"},
				&core.DateField{Name: "revokedAt", Help: "取消日時"},
			},
			Indexes: []Index{
				{Name: "idx_family_shares_child", Columns: "child"},
				{Name: "idx_family_shares_member", Columns: "member"},
				{Name: "idx_family_shares_granted_by", Columns: "grantedBy"},
				{Name: "idx_family_shares_code", Unique: true, Columns: "codeHash", Where: "codeHash != ''"},
			},
			Rules: Rules{
				List: rule(allOf(citizen, `grantedBy = @request.auth.id || member = @request.auth.id || `+listHas("child.guardians"))),
				View: rule(allOf(citizen, `grantedBy = @request.auth.id || member = @request.auth.id || `+listHas("child.guardians"))),
			},
		},
	)
}

// listHas is true when a multi-relation field holds the caller's id. It is a
// LIKE over the stored JSON array instead of `field:each ?= @request.auth.id`,
// which joins json_each for every row and measured three times slower on a
// city-sized table. It is exact because every record id is exactly 15
// characters of [a-z0-9] (TestRecordIdsAreFixedLength keeps it so), so an id
// can only ever match a whole id in the array. (A bare `field ?= x` would
// compare the whole array and never match.)
func listHas(field string) string { return field + ` ~ @request.auth.id` }

// ChildReader is true when the logged-in citizen is a guardian of the child
// or a family member it is shared with. Other systems reuse it through a
// relation prefix (see ChildReaderVia).
var ChildReader = strings.Join([]string{listHas("guardians"), listHas("familyViewers"), listHas("familyManagers")}, " || ")

// ChildManager is true for guardians and family members with the manage scope.
var ChildManager = listHas("guardians") + " || " + listHas("familyManagers")

// ChildReaderVia rewrites ChildReader for a collection that points at a child
// through the given relation field, e.g. ChildReaderVia("child").
func ChildReaderVia(field string) string {
	return strings.Join([]string{listHas(field + ".guardians"), listHas(field + ".familyViewers"), listHas(field + ".familyManagers")}, " || ")
}

// ChildManagerVia rewrites ChildManager for a collection that points at a
// child through the given relation field.
func ChildManagerVia(field string) string {
	return listHas(field+".guardians") + " || " + listHas(field+".familyManagers")
}

func ptr[T any](v T) *T { return &v }
