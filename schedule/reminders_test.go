package schedule

import (
	"reflect"
	"testing"

	"github.com/saijo-dx/lifestage/civil"
)

func TestReminders(t *testing.T) {
	allCheckups := map[string]bool{"1m": true, "3-4m": true, "9-10m": true, "1y6m": true, "3y": true}
	baby := day("2026-01-10") // 生後2月 = 2026-03-09, 1y6m window opens 2027-07-10
	cases := []struct {
		name  string
		birth civil.Date
		sex   string
		today civil.Date
		doses []Dose
		done  map[string]bool
		days  int
		want  []Reminder
	}{
		{
			name: "the 2-month vaccines open within the week", birth: baby, sex: "male", today: day("2026-03-02"), days: 7,
			want: []Reminder{
				{Kind: ReminderVaccineSoon, Code: "dtp_ipv_hib", Dose: 1, Label: "五種混合 1回目", Date: day("2026-03-09")},
				{Kind: ReminderVaccineSoon, Code: "pcv", Dose: 1, Label: "小児用肺炎球菌 1回目", Date: day("2026-03-09")},
			},
		},
		{name: "eight days ahead is outside a 7-day horizon", birth: baby, sex: "male", today: day("2026-03-01"), days: 7},
		{
			name: "one day ahead with a 1-day horizon", birth: baby, sex: "male", today: day("2026-03-08"), days: 1,
			want: []Reminder{
				{Kind: ReminderVaccineSoon, Code: "dtp_ipv_hib", Dose: 1, Label: "五種混合 1回目", Date: day("2026-03-09")},
				{Kind: ReminderVaccineSoon, Code: "pcv", Dose: 1, Label: "小児用肺炎球菌 1回目", Date: day("2026-03-09")},
			},
		},
		{name: "a window already open is not 'soon'", birth: baby, sex: "male", today: day("2026-03-09"), days: 7},
		{
			name: "the 1y6m checkup opens in three days", birth: baby, sex: "male", today: day("2027-07-07"), days: 7,
			doses: OnTimeHistory(baby, "male", day("2027-07-07"), nil), done: map[string]bool{"1m": true, "3-4m": true, "9-10m": true},
			want: []Reminder{{Kind: ReminderCheckupSoon, Code: "1y6m", Label: "1歳6か月児健診", Date: day("2027-07-10")}},
		},
		{
			name: "an attended checkup is never reminded", birth: baby, sex: "male", today: day("2027-07-07"), days: 7,
			doses: OnTimeHistory(baby, "male", day("2027-07-07"), nil), done: allCheckups,
		},
		{
			name: "a 3-year-old with nothing recorded", birth: day("2023-01-10"), sex: "female", today: day("2026-04-01"), days: 7,
			want: []Reminder{
				{Kind: ReminderVaccineOverdue, Code: "dtp_ipv_hib", Dose: 1, Label: "五種混合 1回目", Date: day("2030-07-09")},
				{Kind: ReminderVaccineOverdue, Code: "pcv", Dose: 1, Label: "小児用肺炎球菌 1回目", Date: day("2028-01-09")},
				{Kind: ReminderCheckupOverdue, Code: "1y6m", Label: "1歳6か月児健診", Date: day("2025-01-09")},
			},
		},
		{
			name: "a child with every dose and checkup done", birth: day("2023-01-10"), sex: "female", today: day("2026-04-01"), days: 7,
			doses: OnTimeHistory(day("2023-01-10"), "female", day("2026-04-01"), nil), done: allCheckups,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Reminders(c.birth, c.sex, c.today, c.doses, c.done, c.days)
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}

// Later doses of a vaccine wait for the one before: their dates only
// assume it is given on the first possible day.
func TestRemindersOnlyTheNextDoseIsSoon(t *testing.T) {
	baby := day("2026-01-10")
	for on := baby; on.Before(day("2027-01-10")); on = on.AddDays(1) {
		seen := map[string]bool{}
		for _, r := range Reminders(baby, "male", on, nil, nil, 60) {
			if r.Kind == ReminderVaccineSoon {
				if seen[r.Code] {
					t.Fatalf("%s: two soon reminders for %s", on, r.Code)
				}
				seen[r.Code] = true
			}
		}
	}
}

// A child kept on schedule is never overdue on any day.
func TestRemindersNoOverdueWhenOnTime(t *testing.T) {
	birth := day("2020-04-02")
	done := map[string]bool{"1m": true, "3-4m": true, "9-10m": true, "1y6m": true, "3y": true}
	for _, today := range []civil.Date{day("2021-06-01"), day("2024-05-01"), day("2026-11-26")} {
		for _, sex := range []string{"male", "female"} {
			for _, r := range Reminders(birth, sex, today, OnTimeHistory(birth, sex, today, nil), done, 7) {
				if r.Kind == ReminderVaccineOverdue || r.Kind == ReminderCheckupOverdue {
					t.Fatalf("%s %s: unexpected %+v", today, sex, r)
				}
			}
		}
	}
}
