package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/saijo-dx/lifestage/collections"
)

// FacilitySearchRateLimit caps the public facility search per address: a
// person typing and tapping filters sends a few requests a second at most.
var FacilitySearchRateLimit = core.RateLimitRule{Label: "GET /api/lifestage/facilities/search", Audience: core.RateLimitRuleAudienceGuest, MaxRequests: 120, Duration: 60}

// Adds what the facility and clinic search needs to facilities: the
// vaccines and checkups offered and machine-readable opening hours.
func init() {
	m.Register(func(app core.App) error {
		if err := collections.Sync(app); err != nil {
			return err
		}
		s := app.Settings()
		s.RateLimits.Rules = withRuleBeforePrefixes(s.RateLimits.Rules, FacilitySearchRateLimit)
		return app.Save(s)
	}, nil)
}
