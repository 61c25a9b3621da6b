package events

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/saijo-dx/lifestage/civil"
)

// Application states.
const (
	Confirmed  = "confirmed"
	Waitlisted = "waitlisted"
	Cancelled  = "cancelled"
)

// Window states of an event's online application.
const (
	WindowOpen      = "open"
	WindowNotOpen   = "not_open"   // before applicationOpens
	WindowClosed    = "closed"     // after applicationCloses or the start
	WindowNoOnline  = "not_online" // the event takes no online applications
	maxQuestions    = 20
	maxAnswerLength = 500
)

// WindowAt says whether an event takes applications at now. An unset
// opening means "from publication"; an unset closing means "until the
// start", because nobody can apply for what has begun.
func WindowAt(now time.Time, online bool, opens, closes, starts time.Time) string {
	switch {
	case !online:
		return WindowNoOnline
	case !opens.IsZero() && now.Before(opens):
		return WindowNotOpen
	case !closes.IsZero() && now.After(closes):
		return WindowClosed
	case !starts.IsZero() && !now.Before(starts):
		return WindowClosed
	}
	return WindowOpen
}

// AgeMonths is the child's age in completed months on a day (「生後Nか月」 as
// 3〜4か月児 reads it: from the day the third month is complete until the
// fifth month begins). Calendar arithmetic stays in civil.
func AgeMonths(birth, on civil.Date) int {
	y, m, _ := civil.AgeYMD(birth, on)
	return 12*y + m
}

// AgeFits says whether a child born on birth is within the event's months on
// the event's day. 0 is no limit on either side, as on the event itself.
func AgeFits(birth, on civil.Date, minMonths, maxMonths int) bool {
	if on.Before(birth) {
		return false // not yet born on the day
	}
	n := AgeMonths(birth, on)
	return (minMonths <= 0 || n >= minMonths) && (maxMonths <= 0 || n <= maxMonths)
}

// AgeLabel is the event's age range in Japanese (「生後3〜4か月」).
func AgeLabel(minMonths, maxMonths int) string {
	switch {
	case minMonths > 0 && maxMonths > 0:
		return fmt.Sprintf("生後%d〜%dか月", minMonths, maxMonths)
	case minMonths > 0:
		return fmt.Sprintf("生後%dか月から", minMonths)
	case maxMonths > 0:
		return fmt.Sprintf("生後%dか月まで", maxMonths)
	}
	return ""
}

// Decide is the status of a new application: a seat while the confirmed
// count is under capacity (0 = no limit), else the waitlist while it has
// room (waitlistLimit 0 = no limit, negative = no waitlist). ok is false when
// both are full. The caller must count and insert in one serialised
// transaction for the answer to hold.
func Decide(capacity, confirmed, waitlisted, waitlistLimit int) (status string, ok bool) {
	switch {
	case capacity <= 0 || confirmed < capacity:
		return Confirmed, true
	case waitlistLimit < 0 || (waitlistLimit > 0 && waitlisted >= waitlistLimit):
		return "", false
	}
	return Waitlisted, true
}

// Remaining is the number of free seats (never negative), or -1 when the
// event has no limit.
func Remaining(capacity, confirmed int) int {
	if capacity <= 0 {
		return -1
	}
	return max(0, capacity-confirmed)
}

// Question kinds.
const (
	QuestionText   = "text"
	QuestionChoice = "choice"
	QuestionNumber = "number"
	QuestionCheck  = "check" // a yes/no box, e.g. 「アレルギーがある」
)

// Question is one extra item the applicant answers (おやつのアレルギー, 人数…).
type Question struct {
	ID       string   `json:"id"`
	Label    string   `json:"label"`
	Kind     string   `json:"kind"`
	Required bool     `json:"required,omitzero"`
	Options  []string `json:"options,omitzero"` // choice only
	Min      *int     `json:"min,omitzero"`     // number only
	Max      *int     `json:"max,omitzero"`     // number only
}

// CheckQuestions finds mistakes in an event's questions, so that staff fix
// them before anyone has to answer.
func CheckQuestions(qs []Question) []Problem {
	bad := func(msg string) []Problem { return []Problem{{"questions", "invalid_questions", msg}} }
	if len(qs) > maxQuestions {
		return bad(fmt.Sprintf("質問は%d個までです。", maxQuestions))
	}
	seen := map[string]bool{}
	for i, q := range qs {
		n := strconv.Itoa(i + 1)
		switch {
		case q.ID == "" || seen[q.ID]:
			return bad(n + "番目の質問の id が空か、重複しています。")
		case strings.TrimSpace(q.Label) == "":
			return bad(n + "番目の質問の文（label）がありません。")
		case !slices.Contains([]string{QuestionText, QuestionChoice, QuestionNumber, QuestionCheck}, q.Kind):
			return bad(n + "番目の質問の種類（kind）は text, choice, number, check のいずれかです。")
		case q.Kind == QuestionChoice && len(q.Options) < 2:
			return bad(n + "番目の質問（選択）には選択肢を2つ以上入れてください。")
		}
		seen[q.ID] = true
	}
	return nil
}

// CheckAnswers validates answers against the questions and returns them
// normalised (only known ids; numbers as float64, checks as bool, text
// trimmed). Problems name the question id as the field.
func CheckAnswers(qs []Question, answers map[string]any) (map[string]any, []Problem) {
	out := map[string]any{}
	var problems []Problem
	for id := range answers {
		if !slices.ContainsFunc(qs, func(q Question) bool { return q.ID == id }) {
			problems = append(problems, Problem{id, "unknown_question", "この申込にない質問への回答です。"})
		}
	}
	for _, q := range qs {
		v, given := answers[q.ID]
		if s, isText := v.(string); isText && strings.TrimSpace(s) == "" {
			given = false
		}
		if v == nil {
			given = false
		}
		if !given {
			if q.Required {
				problems = append(problems, Problem{q.ID, "required", "「" + q.Label + "」に回答してください。"})
			}
			continue
		}
		value, p := answer(q, v)
		if p != nil {
			problems = append(problems, *p)
			continue
		}
		out[q.ID] = value
	}
	slices.SortFunc(problems, func(a, b Problem) int { return strings.Compare(a.Field, b.Field) })
	return out, problems
}

func answer(q Question, v any) (any, *Problem) {
	wrong := func(msg string) (any, *Problem) {
		return nil, &Problem{q.ID, "invalid_answer", "「" + q.Label + "」" + msg}
	}
	switch q.Kind {
	case QuestionText:
		s, ok := v.(string)
		if !ok || len([]rune(s)) > maxAnswerLength {
			return wrong(fmt.Sprintf("は%d文字以内の文章で回答してください。", maxAnswerLength))
		}
		return strings.TrimSpace(s), nil
	case QuestionChoice:
		s, ok := v.(string)
		if !ok || !slices.Contains(q.Options, s) {
			return wrong("は選択肢から選んでください。")
		}
		return s, nil
	case QuestionNumber:
		f, ok := v.(float64)
		if !ok || f != float64(int(f)) || (q.Min != nil && int(f) < *q.Min) || (q.Max != nil && int(f) > *q.Max) {
			return wrong("は" + rangeText(q.Min, q.Max) + "整数で回答してください。")
		}
		return f, nil
	case QuestionCheck:
		b, ok := v.(bool)
		if !ok {
			return wrong("ははい・いいえで回答してください。")
		}
		return b, nil
	}
	return wrong("の種類が正しくありません。")
}

func rangeText(lo, hi *int) string {
	switch {
	case lo != nil && hi != nil:
		return fmt.Sprintf("%d〜%dの", *lo, *hi)
	case lo != nil:
		return fmt.Sprintf("%d以上の", *lo)
	case hi != nil:
		return fmt.Sprintf("%d以下の", *hi)
	}
	return ""
}

// MaxSlots bounds one series of slots made at once.
const MaxSlots = 50

// Slot is a copy of the event that starts at start (育児相談 10:00, 10:30,
// …): the length and the application window keep their distance to the
// start, so every slot stays consistent with Check.
func Slot(e Event, start time.Time) Event {
	shift := func(t time.Time) time.Time {
		if t.IsZero() {
			return t
		}
		return start.Add(t.Sub(e.StartsAt))
	}
	out := e
	out.StartsAt = start
	out.EndsAt, out.ApplicationOpens, out.ApplicationCloses = shift(e.EndsAt), shift(e.ApplicationOpens), shift(e.ApplicationCloses)
	return out
}
