package events

import (
	"testing"
	"time"

	"github.com/saijo-dx/lifestage/civil"
)

func TestWindowAt(t *testing.T) {
	at := func(day, hour int) time.Time { return time.Date(2026, 12, day, hour, 0, 0, 0, time.UTC) }
	cases := []struct {
		name                  string
		now                   time.Time
		online                bool
		opens, closes, starts time.Time
		want                  string
	}{
		{"open", at(2, 0), true, at(1, 0), at(3, 0), at(4, 0), WindowOpen},
		{"offline event", at(2, 0), false, at(1, 0), at(3, 0), at(4, 0), WindowNoOnline},
		{"before opening", at(1, 0).Add(-time.Second), true, at(1, 0), at(3, 0), at(4, 0), WindowNotOpen},
		{"at opening", at(1, 0), true, at(1, 0), at(3, 0), at(4, 0), WindowOpen},
		{"at closing", at(3, 0), true, at(1, 0), at(3, 0), at(4, 0), WindowOpen},
		{"after closing", at(3, 0).Add(time.Second), true, at(1, 0), at(3, 0), at(4, 0), WindowClosed},
		{"no window, before start", at(3, 23), true, time.Time{}, time.Time{}, at(4, 0), WindowOpen},
		{"no window, started", at(4, 0), true, time.Time{}, time.Time{}, at(4, 0), WindowClosed},
	}
	for _, c := range cases {
		if got := WindowAt(c.now, c.online, c.opens, c.closes, c.starts); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

// The edges of 「生後3〜4か月」 follow civil's completed months: a child born
// on 2026-08-15 is 3 months old from 2026-11-15 and 5 months old from
// 2027-01-15; one born on the 31st completes a month on the last day of a
// shorter month.
func TestAgeFits(t *testing.T) {
	d := func(s string) civil.Date {
		v, err := civil.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		birth, on string
		min, max  int
		want      bool
		months    int
	}{
		{"2026-08-15", "2026-11-14", 3, 4, false, 2},
		{"2026-08-15", "2026-11-15", 3, 4, true, 3},
		{"2026-08-15", "2027-01-14", 3, 4, true, 4},
		{"2026-08-15", "2027-01-15", 3, 4, false, 5},
		{"2026-08-31", "2026-11-30", 3, 4, true, 3},
		{"2026-08-31", "2026-11-29", 3, 4, false, 2},
		{"2026-08-15", "2030-01-01", 0, 0, true, 40},
		{"2026-08-15", "2026-09-01", 0, 12, true, 0},
		{"2026-08-15", "2027-09-01", 12, 0, true, 12},
		{"2026-12-15", "2026-12-01", 0, 0, false, 0}, // not yet born
	}
	for _, c := range cases {
		if got := AgeMonths(d(c.birth), d(c.on)); got != c.months {
			t.Errorf("AgeMonths(%s, %s) = %d, want %d", c.birth, c.on, got, c.months)
		}
		if got := AgeFits(d(c.birth), d(c.on), c.min, c.max); got != c.want {
			t.Errorf("AgeFits(%s, %s, %d, %d) = %v, want %v", c.birth, c.on, c.min, c.max, got, c.want)
		}
	}
}

func TestDecide(t *testing.T) {
	cases := []struct {
		capacity, confirmed, waitlisted, limit int
		want                                   string
		ok                                     bool
	}{
		{0, 100, 0, 0, Confirmed, true},
		{10, 9, 0, 0, Confirmed, true},
		{10, 10, 0, 0, Waitlisted, true},
		{10, 10, 4, 5, Waitlisted, true},
		{10, 10, 5, 5, "", false},
		{10, 10, 0, -1, "", false},
		{10, 12, 0, 0, Waitlisted, true}, // capacity lowered by staff
	}
	for _, c := range cases {
		got, ok := Decide(c.capacity, c.confirmed, c.waitlisted, c.limit)
		if got != c.want || ok != c.ok {
			t.Errorf("Decide(%d, %d, %d, %d) = %s %v, want %s %v", c.capacity, c.confirmed, c.waitlisted, c.limit, got, ok, c.want, c.ok)
		}
	}
	if Remaining(0, 5) != -1 || Remaining(10, 3) != 7 || Remaining(10, 12) != 0 {
		t.Error("Remaining")
	}
}

func TestCheckQuestions(t *testing.T) {
	cases := []struct {
		name string
		qs   []Question
		bad  bool
	}{
		{"none", nil, false},
		{"valid", []Question{{ID: "allergy", Label: "アレルギー", Kind: QuestionText}, {ID: "n", Label: "人数", Kind: QuestionNumber}}, false},
		{"duplicate id", []Question{{ID: "a", Label: "x", Kind: QuestionText}, {ID: "a", Label: "y", Kind: QuestionText}}, true},
		{"no label", []Question{{ID: "a", Kind: QuestionText}}, true},
		{"unknown kind", []Question{{ID: "a", Label: "x", Kind: "date"}}, true},
		{"choice without options", []Question{{ID: "a", Label: "x", Kind: QuestionChoice, Options: []string{"only"}}}, true},
	}
	for _, c := range cases {
		if got := len(CheckQuestions(c.qs)) > 0; got != c.bad {
			t.Errorf("%s: bad=%v, want %v", c.name, got, c.bad)
		}
	}
}

func TestCheckAnswers(t *testing.T) {
	one, five := 1, 5
	qs := []Question{
		{ID: "allergy", Label: "アレルギー", Kind: QuestionText},
		{ID: "people", Label: "参加人数", Kind: QuestionNumber, Required: true, Min: &one, Max: &five},
		{ID: "time", Label: "希望の時間", Kind: QuestionChoice, Options: []string{"午前", "午後"}},
		{ID: "first", Label: "初めての参加", Kind: QuestionCheck},
	}
	cases := []struct {
		name    string
		answers map[string]any
		codes   []string // by field, sorted
	}{
		{"minimal", map[string]any{"people": 2.0}, nil},
		{"all", map[string]any{"people": 5.0, "allergy": " 卵 ", "time": "午後", "first": true}, nil},
		{"missing required", map[string]any{"allergy": "なし"}, []string{"required"}},
		{"blank counts as missing", map[string]any{"people": 1.0, "allergy": "  "}, nil},
		{"number out of range", map[string]any{"people": 6.0}, []string{"invalid_answer"}},
		{"fraction", map[string]any{"people": 1.5}, []string{"invalid_answer"}},
		{"not an option", map[string]any{"people": 1.0, "time": "夜"}, []string{"invalid_answer"}},
		{"check as text", map[string]any{"people": 1.0, "first": "はい"}, []string{"invalid_answer"}},
		{"unknown id", map[string]any{"people": 1.0, "shoe": "23"}, []string{"unknown_question"}},
	}
	for _, c := range cases {
		out, problems := CheckAnswers(qs, c.answers)
		var got []string
		for _, p := range problems {
			got = append(got, p.Code)
		}
		if len(got) != len(c.codes) || (len(got) > 0 && got[0] != c.codes[0]) {
			t.Errorf("%s: %v, want %v", c.name, got, c.codes)
		}
		if c.name == "all" && out["allergy"] != "卵" {
			t.Errorf("answers not trimmed: %v", out)
		}
	}
}

func TestSlot(t *testing.T) {
	at := func(day, hour, min int) time.Time { return time.Date(2026, 12, day, hour, min, 0, 0, time.UTC) }
	e := Event{StartsAt: at(10, 1, 0), EndsAt: at(10, 1, 30), ApplicationOpens: at(1, 0, 0), ApplicationCloses: at(9, 0, 0), MinAgeMonths: 3}
	s := Slot(e, at(10, 1, 30))
	if !s.StartsAt.Equal(at(10, 1, 30)) || !s.EndsAt.Equal(at(10, 2, 0)) || !s.ApplicationOpens.Equal(at(1, 0, 30)) ||
		!s.ApplicationCloses.Equal(at(9, 0, 30)) || s.MinAgeMonths != 3 {
		t.Errorf("slot %+v", s)
	}
	if len(Check(s)) != 0 {
		t.Errorf("slot is inconsistent: %v", Check(s))
	}
	open := Slot(Event{StartsAt: at(10, 1, 0)}, at(11, 1, 0))
	if !open.EndsAt.IsZero() || !open.ApplicationOpens.IsZero() {
		t.Errorf("unset times were set: %+v", open)
	}
}
