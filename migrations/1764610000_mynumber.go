package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// MyNumberRateLimit caps the anonymous My Number login routes per address:
// a login takes three requests, and each start costs the provider a round
// trip and us a pending entry.
var MyNumberRateLimit = core.RateLimitRule{Label: "/api/lifestage/auth/mynumber/", Audience: core.RateLimitRuleAudienceGuest, MaxRequests: 30, Duration: 60}

// Adds My Number card login (the verified identity of users) and the
// マイナポータル connector (consents; the source id of imported handbook
// entries).
func init() {
	m.Register(func(app core.App) error {
		if err := collections.Sync(app); err != nil {
			return err
		}
		s := app.Settings()
		s.RateLimits.Rules = withRuleBeforePrefixes(s.RateLimits.Rules, MyNumberRateLimit)
		return app.Save(s)
	}, nil)
}
