package collections

import (
	"github.com/pocketbase/pocketbase/core"
)

// EventApplications holds the online applications to events (issue 8).
const EventApplications = "event_applications"

// Application states of event_applications.status.
var ApplicationStatuses = []string{"confirmed", "waitlisted", "cancelled"}

// activeApplication is the WHERE of the partial unique indexes: a cancelled
// application frees the person to apply again.
const activeApplication = "status != 'cancelled'"

func init() {
	register(Spec{
		Name: EventApplications, System: SystemChild, Personal: true, Subject: "user",
		Description: "イベント・教室・相談・健診・一時預かりへのオンライン申込。定員までは確定、超えた分はキャンセル待ちで、キャンセルが出ると先に申し込んだ順に繰り上がる。申込・取消は専用のAPIからだけ行い、記録のAPIでは書き込めない",
		Fields: []core.Field{
			&core.RelationField{Name: "event", Required: true, MaxSelect: 1, CollectionId: Id(Events), CascadeDelete: true, Help: "申し込んだイベント"},
			&core.RelationField{Name: "user", Required: true, MaxSelect: 1, CollectionId: Id(Users), CascadeDelete: true, Help: "申し込んだ市民のアカウント"},
			&core.RelationField{Name: "child", MaxSelect: 1, CollectionId: Id("children"), Help: "参加する子（子の指定が必要なイベントのみ）"},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: ApplicationStatuses, Help: "状態: confirmed=確定, waitlisted=キャンセル待ち, cancelled=取消"},
			&core.JSONField{Name: "answers", MaxSize: 20000, Help: "追加の質問への回答（質問の id → 回答）"},
			&core.DateField{Name: "appliedAt", Required: true, Help: "申込日時（キャンセル待ちの順番はこの順）"},
			&core.DateField{Name: "promotedAt", Help: "キャンセル待ちから確定に繰り上がった日時"},
			&core.DateField{Name: "cancelledAt", Help: "取消日時"},
			&core.SelectField{Name: "cancelledBy", MaxSelect: 1, Values: []string{"applicant", "staff"}, Help: "取り消した人: applicant=申込者本人, staff=市職員（代理）"},
			&core.DateField{Name: "reminderSentAt", Help: "前日のお知らせを送った日時"},
		},
		Indexes: []Index{
			// One active application per person and event (per child when
			// given: twins may both go), and one per child whoever applies:
			// even two racing requests cannot both commit.
			{Name: "idx_event_applications_person", Unique: true, Columns: "event, user, child", Where: activeApplication},
			{Name: "idx_event_applications_child", Unique: true, Columns: "event, child", Where: activeApplication + " AND child != ''"},
			{Name: "idx_event_applications_queue", Columns: "event, status, appliedAt"},
			{Name: "idx_event_applications_user", Columns: "user, appliedAt"},
		},
		// Reads only: every write goes through the apply and cancel routes,
		// which keep the capacity and the waitlist order.
		Rules: Rules{
			List: anyOf(allOf(citizen, `user = @request.auth.id`), cityStaffIn(DeptChild)),
			View: anyOf(allOf(citizen, `user = @request.auth.id`), cityStaffIn(DeptChild)),
		},
	})
}
