package facilitysearch

import (
	"testing"
	"time"

	"github.com/saijo-dx/lifestage/civil"
)

// A pediatric clinic board: mornings Mon–Sat, afternoons except Thursday
// and Saturday, closed on Sundays and holidays (「木・土午後、日祝休診」).
const clinicHours = `{"mon":[["09:00","12:00"],["15:00","18:00"]],"tue":[["09:00","12:00"],["15:00","18:00"]],
"wed":[["15:00","18:00"],["09:00","12:00"]],"thu":[["09:00","12:00"]],"fri":[["09:00","12:00"],["15:00","18:00"]],
"sat":[["09:00","12:00"]],"holiday":[]}`

const allDay = `{"mon":[["00:00","24:00"]],"tue":[["00:00","24:00"]],"wed":[["00:00","24:00"]],"thu":[["00:00","24:00"]],
"fri":[["00:00","24:00"]],"sat":[["00:00","24:00"]],"sun":[["00:00","24:00"]]}`

// A playroom open across noon without a break.
const acrossNoon = `{"tue":[["10:30","14:30"]]}`

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, civil.Tokyo)
	if err != nil {
		panic(err)
	}
	return t
}

func TestOpenAt(t *testing.T) {
	tests := []struct {
		hours, at string
		want      bool
	}{
		// 2026-05-11 is a Monday, 05-14 a Thursday, 05-17 a Sunday.
		{clinicHours, "2026-05-11 08:59", false},
		{clinicHours, "2026-05-11 09:00", true}, // opening minute
		{clinicHours, "2026-05-11 11:59", true},
		{clinicHours, "2026-05-11 12:00", false}, // closing minute
		{clinicHours, "2026-05-11 13:30", false}, // lunch break
		{clinicHours, "2026-05-11 15:00", true},
		{clinicHours, "2026-05-11 17:59", true},
		{clinicHours, "2026-05-11 18:00", false},
		{clinicHours, "2026-05-13 10:00", true},  // ranges given out of order
		{clinicHours, "2026-05-14 16:00", false}, // Thursday afternoon
		{clinicHours, "2026-05-17 10:00", false}, // Sunday: no key
		{clinicHours, "2026-05-06 10:00", false}, // Wednesday, but 振替休日
		{clinicHours, "2026-09-22 10:00", false}, // 国民の休日
		{allDay, "2026-05-17 00:00", true},
		{allDay, "2026-05-17 23:59", true},
		{allDay, "2026-05-06 03:00", true}, // no holiday key: the weekday applies
		{acrossNoon, "2026-05-12 12:00", true},
		{acrossNoon, "2026-05-12 14:29", true},
		{acrossNoon, "2026-05-12 14:30", false},
		{acrossNoon, "2026-05-12 10:29", false},
	}
	for _, tt := range tests {
		w, ok, err := ParseHours([]byte(tt.hours))
		if err != nil || !ok {
			t.Fatalf("ParseHours: %v %v", ok, err)
		}
		if got := w.OpenAt(at(tt.at), civil.IsHoliday); got != tt.want {
			t.Errorf("%.20s… at %s: %v, want %v", tt.hours, tt.at, got, tt.want)
		}
	}
}

func TestOpenAtUsesTokyoTime(t *testing.T) {
	w, _, _ := ParseHours([]byte(clinicHours))
	// 00:30 UTC is 09:30 in Tokyo on Monday 2026-05-11.
	if !w.OpenAt(time.Date(2026, 5, 11, 0, 30, 0, 0, time.UTC), civil.IsHoliday) {
		t.Error("00:30Z should be open (09:30 JST)")
	}
}

func TestParseHoursErrors(t *testing.T) {
	tests := []struct{ in, code string }{
		{`[1,2]`, "invalid_opening_hours"},
		{`{"mon":"9-12"}`, "invalid_opening_hours"},
		{`{"monday":[["09:00","12:00"]]}`, "unknown_day"},
		{`{"mon":[["09:00"]]}`, "invalid_range"},
		{`{"mon":[["9:00","12:00"]]}`, "invalid_time"},
		{`{"mon":[["09:60","12:00"]]}`, "invalid_time"},
		{`{"mon":[["0a:00","12:00"]]}`, "invalid_time"},
		{`{"mon":[["24:00","24:00"]]}`, "invalid_time"},
		{`{"mon":[["09:00","24:30"]]}`, "invalid_time"},
		{`{"mon":[["12:00","09:00"]]}`, "end_before_start"},
		{`{"mon":[["22:00","02:00"]]}`, "end_before_start"},
		{`{"mon":[["09:00","09:00"]]}`, "end_before_start"},
		{`{"mon":[["09:00","12:00"],["11:00","13:00"]]}`, "overlapping_ranges"},
		{`{"mon":[["01:00","02:00"],["03:00","04:00"],["05:00","06:00"],["07:00","08:00"],["09:00","10:00"],["11:00","12:00"],["13:00","14:00"]]}`, "too_many_ranges"},
	}
	for _, tt := range tests {
		_, _, err := ParseHours([]byte(tt.in))
		if err == nil {
			t.Errorf("%s: no error", tt.in)
			continue
		}
		if e := err.(*Error); e.Code != tt.code || e.Message == "" {
			t.Errorf("%s: %s %q, want %s", tt.in, e.Code, e.Message, tt.code)
		}
	}
	for _, empty := range []string{"", "null", " "} {
		if _, ok, err := ParseHours([]byte(empty)); ok || err != nil {
			t.Errorf("%q: ok=%v err=%v", empty, ok, err)
		}
	}
	// Back-to-back ranges do not overlap.
	if _, _, err := ParseHours([]byte(`{"mon":[["09:00","12:00"],["12:00","13:00"]]}`)); err != nil {
		t.Error(err)
	}
}

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{clinicHours, "月〜水 9:00〜12:00 / 15:00〜18:00、木 9:00〜12:00、金 9:00〜12:00 / 15:00〜18:00、土 9:00〜12:00（日・祝休み）"},
		{allDay, "月〜日 24時間"},
		{`{"mon":[["08:30","17:15"]],"tue":[["08:30","17:15"]],"wed":[["08:30","17:15"]],"thu":[["08:30","17:15"]],"fri":[["08:30","17:15"]],"holiday":[]}`,
			"月〜金 8:30〜17:15（土・日・祝休み）"},
		{`{"sat":[["09:00","12:00"]],"holiday":[["09:00","12:00"]]}`, "土 9:00〜12:00、祝日 9:00〜12:00（月・火・水・木・金・日休み）"},
	}
	for _, tt := range tests {
		w, _, _ := ParseHours([]byte(tt.in))
		if got := w.Text(); got != tt.want {
			t.Errorf("Text = %s\nwant   %s", got, tt.want)
		}
	}
}

func TestOpenOnAndJSON(t *testing.T) {
	w, _, _ := ParseHours([]byte(clinicHours))
	for key, want := range map[string]bool{"mon": true, "sat": true, "sun": false, "holiday": false} {
		if w.OpenOn(key) != want {
			t.Errorf("OpenOn(%s) = %v", key, !want)
		}
	}
	j := w.JSON()
	if len(j["sun"]) != 0 || j["wed"][0] != [2]string{"09:00", "12:00"} || j["holiday"] == nil {
		t.Errorf("JSON = %v", j)
	}
}

func TestSummary(t *testing.T) {
	tests := []struct{ in, days, from, to string }{
		{clinicHours, "月火水木金土", "09:00", "18:00"},
		{allDay, "月火水木金土日", "00:00", "24:00"},
		{`{"sat":[["10:00","12:00"]],"holiday":[["09:00","11:00"]]}`, "土祝", "09:00", "12:00"},
		{`{"holiday":[]}`, "", "", ""},
	}
	for _, tt := range tests {
		w, _, _ := ParseHours([]byte(tt.in))
		if d, f, to := w.Summary(); d != tt.days || f != tt.from || to != tt.to {
			t.Errorf("Summary = %s %s %s, want %s %s %s", d, f, to, tt.days, tt.from, tt.to)
		}
	}
}
