package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// PushKeyRateLimit caps the public VAPID key route per address: a browser
// asks for it once per subscription.
var PushKeyRateLimit = core.RateLimitRule{Label: "GET /api/lifestage/push/key", Audience: core.RateLimitRuleAudienceGuest, MaxRequests: 60, Duration: 60}

// Adds notification delivery: web push subscriptions and per-person
// delivery preferences (quiet hours, opt-out by category).
func init() {
	m.Register(func(app core.App) error {
		if err := collections.Sync(app); err != nil {
			return err
		}
		s := app.Settings()
		s.RateLimits.Rules = withRuleBeforePrefixes(s.RateLimits.Rules, PushKeyRateLimit)
		return app.Save(s)
	}, nil)
}
