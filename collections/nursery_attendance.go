package collections

import "github.com/pocketbase/pocketbase/core"

// Check-in (登降園): each enrolled child's codes for the kiosk, and the
// staff's own attendance. The children's attendance itself is the core's
// `attendance` collection.

// NurseryKiosk is the nursery_staff role of a check-in terminal (登降園端末):
// it may record check-ins and read nothing (nurseryStaffOf leaves it out).
const NurseryKiosk = "kiosk"

func init() {
	register(
		Spec{
			Name: "checkin_codes", System: SystemNursery, Personal: true, Subject: "child", Encrypted: []string{"token", "pin"},
			Description: "登降園用のコード（子どもごとのQRコードとPIN）。コードは暗号化して保存し、照合はハッシュで行う",
			Fields: []core.Field{
				&core.RelationField{Name: "child", Required: true, MaxSelect: 1, CollectionId: Id("children"), CascadeDelete: true, Help: "子ども"},
				nurseryField(),
				&core.TextField{Name: "token", Hidden: true, Max: 200, Help: "QRコードの中身（ランダムな文字列。子どもを特定する情報は含まない。暗号化して保存）"},
				&core.TextField{Name: "tokenHash", Hidden: true, Required: true, Max: 64, Help: "QRコードのSHA-256（照合用）"},
				&core.TextField{Name: "pin", Hidden: true, Max: 200, Help: "PIN（5桁。末尾はDammのチェック数字。暗号化して保存）"},
				&core.TextField{Name: "pinHash", Hidden: true, Required: true, Max: 64, Help: "保育施設とPINのSHA-256（照合用。同じ園の中で一意）"},
				&core.DateField{Name: "rotatedAt", Help: "コードを発行・再発行した日時"},
			},
			Indexes: []Index{
				{Name: "idx_checkin_codes_child", Unique: true, Columns: "child"},
				{Name: "idx_checkin_codes_token", Unique: true, Columns: "tokenHash"},
				{Name: "idx_checkin_codes_pin", Unique: true, Columns: "pinHash"},
				{Name: "idx_checkin_codes_nursery", Columns: "nursery"},
			},
			// The codes themselves are hidden fields, shown only through the
			// check-in routes (to guardians and the nursery's staff); the
			// records say which children have a code and since when. Only
			// the routes write them.
			Rules: Rules{
				List: anyOf(allOf(citizen, ChildReaderVia("child")), nurseryStaffOf("nursery"), cityStaffIn(DeptNursery)),
				View: anyOf(allOf(citizen, ChildReaderVia("child")), nurseryStaffOf("nursery"), cityStaffIn(DeptNursery)),
			},
		},
		Spec{
			Name: "staff_attendance", System: SystemNursery, Personal: true, Subject: "staff",
			Description: "保育施設職員の出退勤（1日1件。職員配置基準の確認に使う）",
			Fields: []core.Field{
				&core.RelationField{Name: "staff", Required: true, MaxSelect: 1, CollectionId: Id(NurseryStaff), CascadeDelete: true, Help: "職員"},
				nurseryField(),
				&core.RelationField{Name: "class", MaxSelect: 1, CollectionId: Id("nursery_classes"), Help: "この日に担当するクラス（任意）"},
				civilDate("date", "日付（YYYY-MM-DD、東京時間）", true),
				&core.DateField{Name: "checkIn", Help: "出勤時刻"},
				&core.DateField{Name: "checkOut", Help: "退勤時刻"},
				&core.SelectField{Name: "inMethod", MaxSelect: 1, Values: AttendanceMethods, Help: "出勤の記録方法: staff=本人, manual=手入力の訂正"},
				&core.SelectField{Name: "outMethod", MaxSelect: 1, Values: AttendanceMethods, Help: "退勤の記録方法"},
				&core.TextField{Name: "note", Max: 500, Help: "訂正の理由などのメモ"},
			},
			Indexes: []Index{
				{Name: "idx_staff_attendance_staff_date", Unique: true, Columns: "staff, date"},
				{Name: "idx_staff_attendance_nursery_date", Columns: "nursery, date"},
			},
			// Staff check themselves in through the route; the nursery's
			// staff see who is in (staffing ratio), the director corrects,
			// the city reads.
			Rules: Rules{
				List:   anyOf(nurseryStaffOf("nursery"), cityStaffIn(DeptNursery)),
				View:   anyOf(nurseryStaffOf("nursery"), cityStaffIn(DeptNursery)),
				Create: rule(allOf(nurseryDirectorOf("@request.body.nursery"), `@request.body.staff.nursery = @request.body.nursery`)),
				Update: rule(allOf(nurseryDirectorOf("nursery"), bodyUnset("staff", "nursery"))),
			},
		},
	)
}
