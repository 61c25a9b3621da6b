// Package delivery decides how and when a stored notification leaves the app:
// by web push or email, now or after the person's quiet hours, or not at all
// because they opted out of its category. It also sends web push messages
// and runs the bounded background queue that keeps delivery off the request
// path. It never imports PocketBase, so the rules are table-tested alone.
package delivery

import (
	"slices"
	"strings"
	"time"

	"github.com/saijo-dx/lifestage/civil"
)

// Category groups notification kinds for per-kind opt-out.
type Category string

// Categories a person can opt out of, in display order.
const (
	CatNotice   Category = "notice"   // お知らせ
	CatEvent    Category = "event"    // イベント・申込
	CatAnswer   Category = "answer"   // 相談の回答
	CatNursery  Category = "nursery"  // 保育
	CatWatch    Category = "watch"    // 見守り
	CatHealth   Category = "health"   // 健診・予防接種
	CatSecurity Category = "security" // アカウント・共有
)

// Categories lists every category in display order with its Japanese label.
var Categories = []struct {
	Code  Category
	Label string
}{
	{CatNotice, "お知らせ"},
	{CatEvent, "イベント・申込"},
	{CatAnswer, "相談の回答"},
	{CatNursery, "保育"},
	{CatWatch, "見守り"},
	{CatHealth, "健診・予防接種"},
	{CatSecurity, "アカウント・家族共有"},
}

// CategoryCodes returns the category codes (for a select field).
func CategoryCodes() []string {
	out := make([]string, len(Categories))
	for i, c := range Categories {
		out[i] = string(c.Code)
	}
	return out
}

// categoryPrefixes maps kind prefixes to categories; the longest match wins,
// so "nursery.event_" lands in event before "nursery." lands in nursery.
var categoryPrefixes = map[string]Category{
	"announcement.":   CatNotice,
	"survey.":         CatNotice,
	"events.":         CatEvent,
	"nursery.event_":  CatEvent,
	"qa.":             CatAnswer,
	"nursery.":        CatNursery,
	"watch.":          CatWatch,
	"child.":          CatHealth,
	"immunization.":   CatHealth,
	"pregnancy.":      CatHealth,
	"family.":         CatSecurity,
	"account.":        CatSecurity,
	"nursery.invoice": CatNursery,
}

// CategoryOf returns the category of a notification kind; unknown kinds are
// お知らせ.
func CategoryOf(kind string) Category {
	best, cat := -1, CatNotice
	for p, c := range categoryPrefixes {
		if strings.HasPrefix(kind, p) && len(p) > best {
			best, cat = len(p), c
		}
	}
	return cat
}

// Statutory kinds are legal notices (法定健診・定期予防接種の案内): they ignore
// opt-out. They still wait for the end of quiet hours: they are sent days
// ahead of the due date, so waking a parent at night gains nothing.
var Statutory = []string{
	"child.vaccine_soon", "child.vaccine_overdue",
	"child.checkup_soon", "child.checkup_overdue",
}

// Urgent kinds are safety alerts for staff or families (a child's nap check
// missed, a class understaffed, an elderly person not reached): they ignore
// both opt-out and quiet hours, because a delay can hurt someone.
var Urgent = []string{"nursery.nap_alert", "nursery.nap_missed", "nursery.understaffed", "watch.overdue."}

// SafeBody kinds may show their body on a lock screen. Every other kind sends
// only its title and in-app link, because bodies can hold health details.
var SafeBody = []string{"nursery.event_published", "nursery.event_changed", "nursery.event_cancelled", "nursery.photos_published", "announcement.published",
	"announcement.new", "survey.new"} // bodies name only the staff-written title of a group message

func matches(list []string, kind string) bool {
	return slices.ContainsFunc(list, func(k string) bool {
		return k == kind || (strings.HasSuffix(k, ".") && strings.HasPrefix(kind, k))
	})
}

// IsStatutory reports whether opt-out is ignored for the kind.
func IsStatutory(kind string) bool { return matches(Statutory, kind) || matches(Urgent, kind) }

// IsUrgent reports whether quiet hours are ignored for the kind.
func IsUrgent(kind string) bool { return matches(Urgent, kind) }

// IsSafeBody reports whether the body may leave the app.
func IsSafeBody(kind string) bool { return matches(SafeBody, kind) }

// Prefs are one person's delivery preferences. Zero values mean no quiet
// hours and no opt-out.
type Prefs struct {
	QuietStart, QuietEnd string // "HH:MM" in Tokyo; equal or empty = none
	OptOut               []string
	NoEmail              bool // never fall back to email
}

// Decision is what to do with one notification.
type Decision struct {
	Deliver bool
	At      time.Time // when to deliver; equal to now when not deferred
	Reason  string    // why not, or why later: "opt_out", "quiet_hours"
}

// Decide says whether and when a notification of the kind reaches the person.
func Decide(p Prefs, kind string, now time.Time) Decision {
	if !IsStatutory(kind) && slices.Contains(p.OptOut, string(CategoryOf(kind))) {
		return Decision{Reason: "opt_out"}
	}
	if !IsUrgent(kind) {
		if end, ok := QuietUntil(p.QuietStart, p.QuietEnd, now); ok {
			return Decision{Deliver: true, At: end, Reason: "quiet_hours"}
		}
	}
	return Decision{Deliver: true, At: now}
}

// QuietUntil returns when the quiet period that holds now ends, in Tokyo
// time. A period whose start is after its end crosses midnight (21:00–07:00).
func QuietUntil(start, end string, now time.Time) (time.Time, bool) {
	s, ok1 := minutes(start)
	e, ok2 := minutes(end)
	if !ok1 || !ok2 || s == e {
		return time.Time{}, false
	}
	t := now.In(tokyo)
	m := t.Hour()*60 + t.Minute()
	midnight := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, tokyo)
	at := func(dayOffset, min int) time.Time {
		return midnight.AddDate(0, 0, dayOffset).Add(time.Duration(min) * time.Minute)
	}
	switch {
	case s < e && m >= s && m < e: // same-day period
		return at(0, e), true
	case s > e && m >= s: // evening part of a period crossing midnight
		return at(1, e), true
	case s > e && m < e: // morning part
		return at(0, e), true
	}
	return time.Time{}, false
}

// ValidHHMM reports whether s is an "HH:MM" time of day.
func ValidHHMM(s string) bool { _, ok := minutes(s); return ok }

func minutes(s string) (int, bool) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		return 0, false
	}
	return t.Hour()*60 + t.Minute(), true
}

var tokyo = civil.Tokyo

// Channels says which channels to use for a person: push when they have a
// working subscription, email otherwise (unless they refused email or have
// no address).
func Channels(p Prefs, pushSubscriptions int, hasEmail bool) (push, email bool) {
	if pushSubscriptions > 0 {
		return true, false
	}
	return false, hasEmail && !p.NoEmail
}
