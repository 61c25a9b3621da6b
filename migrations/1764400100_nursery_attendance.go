package migrations

import (
	"strings"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// CheckinRateLimit caps check-ins from one address (a nursery's kiosks
// usually share one): far above a morning rush of one family every few
// seconds per kiosk, far below what guessing PINs would need.
var CheckinRateLimit = core.RateLimitRule{Label: "POST /api/lifestage/nursery/checkin", MaxRequests: 120, Duration: 60}

// Adds check-in (登降園): the children's check-in codes, the staff's
// attendance, the kiosk role of nursery staff, and the check-in rate limit.
func init() {
	m.Register(func(app core.App) error {
		if err := collections.Sync(app); err != nil {
			return err
		}
		s := app.Settings()
		s.RateLimits.Rules = withRuleBeforePrefixes(s.RateLimits.Rules, CheckinRateLimit)
		return app.Save(s)
	}, nil)
}

// withRuleBeforePrefixes adds the rule (once) ahead of the first /api/
// prefix rule, since PocketBase takes the first rule that matches.
func withRuleBeforePrefixes(rules []core.RateLimitRule, r core.RateLimitRule) []core.RateLimitRule {
	at := len(rules)
	for i, x := range rules {
		if x.Label == r.Label {
			return rules
		}
		if at == len(rules) && strings.HasPrefix(x.Label, "/api/") {
			at = i
		}
	}
	out := append([]core.RateLimitRule{}, rules[:at]...)
	out = append(out, r)
	return append(out, rules[at:]...)
}
