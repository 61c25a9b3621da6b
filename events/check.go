// Package events holds the rules of the city's public events that do not
// fit in an API rule: a consistent schedule, application window and age
// range, and the applications of issue 8 (window, age eligibility,
// capacity and waitlist, extra questions).
package events

import "time"

// Event is what Check needs of an event. Zero times are unset.
type Event struct {
	StartsAt, EndsAt                    time.Time
	ApplicationOpens, ApplicationCloses time.Time
	MinAgeMonths, MaxAgeMonths          int // 0 is no limit
	Questions                           []Question
}

// Problem is one inconsistency, named by the field to fix.
type Problem struct {
	Field, Code, Message string // Message is Japanese
}

// Check finds what would make an event impossible to attend or apply for.
func Check(e Event) []Problem {
	var out []Problem
	if !e.EndsAt.IsZero() && e.EndsAt.Before(e.StartsAt) {
		out = append(out, Problem{"endsAt", "end_before_start", "終了日時が開始日時より前になっています。"})
	}
	if !e.ApplicationOpens.IsZero() && !e.ApplicationCloses.IsZero() && e.ApplicationCloses.Before(e.ApplicationOpens) {
		out = append(out, Problem{"applicationCloses", "closes_before_opens", "申込の締切が受付開始より前になっています。"})
	}
	if !e.ApplicationCloses.IsZero() && !e.StartsAt.IsZero() && e.ApplicationCloses.After(e.StartsAt) {
		out = append(out, Problem{"applicationCloses", "closes_after_start", "申込の締切はイベントの開始日時までにしてください。"})
	}
	if e.MinAgeMonths > 0 && e.MaxAgeMonths > 0 && e.MaxAgeMonths < e.MinAgeMonths {
		out = append(out, Problem{"maxAgeMonths", "age_range", "対象月齢の上限が下限より小さくなっています。"})
	}
	return append(out, CheckQuestions(e.Questions)...)
}
