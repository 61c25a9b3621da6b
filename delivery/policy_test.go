package delivery

import (
	"testing"
	"time"

	"github.com/saijo-dx/lifestage/civil"
)

func tokyoAt(day, hhmm string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", day+" "+hhmm, civil.Tokyo)
	if err != nil {
		panic(err)
	}
	return t
}

func TestCategoryOf(t *testing.T) {
	for kind, want := range map[string]Category{
		"nursery.event_published": CatEvent,
		"nursery.checked_out":     CatNursery,
		"nursery.invoice_issued":  CatNursery,
		"child.vaccine_soon":      CatHealth,
		"immunization.recorded":   CatHealth,
		"watch.overdue.family":    CatWatch,
		"family.share_accepted":   CatSecurity,
		"qa.answered":             CatAnswer,
		"events.waitlist_moved":   CatEvent,
		"announcement.published":  CatNotice,
		"something.new":           CatNotice,
	} {
		if got := CategoryOf(kind); got != want {
			t.Errorf("CategoryOf(%q) = %q, want %q", kind, got, want)
		}
	}
}

func TestQuietUntil(t *testing.T) {
	cases := []struct {
		name, start, end, now string
		want                  string // "" = not quiet
	}{
		{"evening inside, crossing midnight", "21:00", "07:00", "2026-11-26 22:30", "2026-11-27 07:00"},
		{"exactly at start", "21:00", "07:00", "2026-11-26 21:00", "2026-11-27 07:00"},
		{"after midnight", "21:00", "07:00", "2026-11-27 03:15", "2026-11-27 07:00"},
		{"exactly at end is not quiet", "21:00", "07:00", "2026-11-27 07:00", ""},
		{"daytime outside", "21:00", "07:00", "2026-11-26 12:00", ""},
		{"same-day period inside", "12:00", "13:00", "2026-11-26 12:30", "2026-11-26 13:00"},
		{"same-day period outside", "12:00", "13:00", "2026-11-26 13:30", ""},
		{"month end crossing", "22:00", "06:30", "2026-11-30 23:59", "2026-12-01 06:30"},
		{"empty means none", "", "", "2026-11-26 23:00", ""},
		{"equal means none", "08:00", "08:00", "2026-11-26 08:00", ""},
		{"invalid means none", "25:00", "07:00", "2026-11-26 23:00", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			day, hm, _ := cutSpace(c.now)
			got, ok := QuietUntil(c.start, c.end, tokyoAt(day, hm).UTC()) // the zone of now must not matter
			if c.want == "" {
				if ok {
					t.Fatalf("quiet until %v, want not quiet", got)
				}
				return
			}
			wd, wh, _ := cutSpace(c.want)
			if !ok || !got.Equal(tokyoAt(wd, wh)) {
				t.Fatalf("got %v %v, want %s", got.In(civil.Tokyo), ok, c.want)
			}
		})
	}
}

func cutSpace(s string) (string, string, bool) {
	for i := range s {
		if s[i] == ' ' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func TestDecide(t *testing.T) {
	night := tokyoAt("2026-11-26", "23:00")
	day := tokyoAt("2026-11-26", "10:00")
	morning := tokyoAt("2026-11-27", "07:00")
	quiet := Prefs{QuietStart: "21:00", QuietEnd: "07:00"}
	optOutAll := Prefs{OptOut: CategoryCodes()}
	cases := []struct {
		name string
		p    Prefs
		kind string
		now  time.Time
		want Decision
	}{
		{"no prefs: now", Prefs{}, "nursery.checked_out", night, Decision{Deliver: true, At: night}},
		{"quiet hours defer", quiet, "nursery.checked_out", night, Decision{Deliver: true, At: morning, Reason: "quiet_hours"}},
		{"outside quiet hours", quiet, "nursery.checked_out", day, Decision{Deliver: true, At: day}},
		{"opted out", Prefs{OptOut: []string{"nursery"}}, "nursery.checked_out", day, Decision{Reason: "opt_out"}},
		{"other category still delivered", Prefs{OptOut: []string{"event"}}, "nursery.checked_out", day, Decision{Deliver: true, At: day}},
		{"statutory ignores opt-out", optOutAll, "child.vaccine_soon", day, Decision{Deliver: true, At: day}},
		{"statutory waits for quiet hours", Prefs{QuietStart: "21:00", QuietEnd: "07:00", OptOut: CategoryCodes()}, "child.checkup_overdue", night, Decision{Deliver: true, At: morning, Reason: "quiet_hours"}},
		{"urgent ignores quiet hours", quiet, "nursery.nap_alert", night, Decision{Deliver: true, At: night}},
		{"urgent prefix ignores opt-out", optOutAll, "watch.overdue.city", night, Decision{Deliver: true, At: night}},
		{"non-statutory health kind can be opted out", Prefs{OptOut: []string{"health"}}, "immunization.recorded", day, Decision{Reason: "opt_out"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Decide(c.p, c.kind, c.now)
			if got.Deliver != c.want.Deliver || got.Reason != c.want.Reason || !got.At.Equal(c.want.At) {
				t.Fatalf("Decide = %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestChannels(t *testing.T) {
	cases := []struct {
		p          Prefs
		subs       int
		hasEmail   bool
		push, mail bool
	}{
		{Prefs{}, 1, true, true, false},
		{Prefs{}, 0, true, false, true},
		{Prefs{}, 0, false, false, false},
		{Prefs{NoEmail: true}, 0, true, false, false},
	}
	for _, c := range cases {
		push, mail := Channels(c.p, c.subs, c.hasEmail)
		if push != c.push || mail != c.mail {
			t.Errorf("Channels(%+v,%d,%v) = %v,%v", c.p, c.subs, c.hasEmail, push, mail)
		}
	}
}

func TestPayloadHidesBodies(t *testing.T) {
	p := NewPayload("n1", "child.vaccine_overdue", "予防接種の期限", "麻しん風しんの2回目が未接種です", "/me/child/")
	if p.Body != HiddenBody || p.Link != "/me/child/" || p.Tag != "n1" {
		t.Fatalf("health body leaked or link lost: %+v", p)
	}
	p = NewPayload("n2", "nursery.event_published", "運動会", "10月5日に運動会を行います", "")
	if p.Body != "10月5日に運動会を行います" || p.Link != "/me/" {
		t.Fatalf("safe body not kept: %+v", p)
	}
}

func TestClassifyAndBackoff(t *testing.T) {
	for status, want := range map[int]Result{201: Delivered, 404: Gone, 410: Gone, 429: Retry, 500: Retry, 503: Retry, 400: Failed, 413: Failed} {
		if got := Classify(status, nil); got != want {
			t.Errorf("Classify(%d) = %v, want %v", status, got, want)
		}
	}
	if Backoff(1, time.Second) != time.Second || Backoff(3, time.Second) != 4*time.Second || Backoff(40, time.Second) != time.Hour {
		t.Error("backoff is not exponential with a cap")
	}
	for endpoint, want := range map[string]bool{
		"https://fcm.googleapis.com/fcm/send/abc":              true,
		"https://web.push.apple.com/QGx":                       true,
		"https://wns2-par02p.notify.windows.com/w/?token=x":    true,
		"https://updates.push.services.mozilla.com/wpush/v2/x": true,
		"https://fcm.googleapis.com.evil.example/x":            false,
		"https://10.0.0.1/admin":                               false,
		"https://fcm.googleapis.com:8443/x":                    false,
		"http://fcm.googleapis.com/x":                          false,
		"http://127.0.0.1:9/push":                              false,
		"javascript:alert(1)":                                  false,
		"https://user:pw@fcm.googleapis.com/x":                 false,
		"https:///nohost":                                      false,
	} {
		if ValidEndpoint(endpoint, false, PushServices) != want {
			t.Errorf("ValidEndpoint(%q) != %v", endpoint, want)
		}
	}
	if !ValidEndpoint("http://127.0.0.1:9/push", true, nil) {
		t.Error("http must be allowed when the setting allows it")
	}
}
