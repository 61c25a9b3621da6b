package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Secure defaults from the spec's 別紙1: rate limits on, strict on login and
// self-registration, request logs kept for 90 days, short superuser sessions
// and the batch API on with limits.
func init() {
	m.Register(func(app core.App) error {
		s := app.Settings()
		s.Meta.AppName = "lifestage 西条市"
		s.Meta.HideControls = true

		s.Logs.MaxDays = RequestLogDays
		s.Logs.LogIP = true
		s.Logs.LogAuthId = true

		s.RateLimits.Enabled = true
		s.RateLimits.Rules = RateLimitRules()

		s.Batch.Enabled = true
		s.Batch.MaxRequests = 50
		s.Batch.Timeout = 3
		s.Batch.MaxBodySize = 1 << 20

		if err := app.Save(s); err != nil {
			return err
		}
		return hardenSuperusers(app)
	}, nil)
}

// RequestLogDays is how long request logs are kept (at least 90 days).
const RequestLogDays = 90

// RateLimitRules lists the limits, most specific first: PocketBase uses the
// first rule whose label matches. Auth limits are per collection and IP.
func RateLimitRules() []core.RateLimitRule {
	return []core.RateLimitRule{
		{Label: "*:auth", MaxRequests: 20, Duration: 60},
		{Label: "*:requestOTP", MaxRequests: 5, Duration: 60},
		{Label: "*:requestPasswordReset", MaxRequests: 3, Duration: 60},
		{Label: "*:confirmPasswordReset", MaxRequests: 5, Duration: 60},
		{Label: "*:requestVerification", MaxRequests: 3, Duration: 60},
		{Label: "*:requestEmailChange", MaxRequests: 3, Duration: 60},
		{Label: "users:create", Audience: core.RateLimitRuleAudienceGuest, MaxRequests: 5, Duration: 60},
		{Label: "*:create", MaxRequests: 20, Duration: 5},
		{Label: "/api/lifestage/", Audience: core.RateLimitRuleAudienceGuest, MaxRequests: 60, Duration: 60},
		{Label: "/api/batch", MaxRequests: 3, Duration: 1},
		{Label: "/api/", MaxRequests: 300, Duration: 10},
	}
}

func hardenSuperusers(app core.App) error {
	su, err := app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		return err
	}
	su.AuthToken.Duration = 30 * 60
	if pw, ok := su.Fields.GetByName("password").(*core.PasswordField); ok {
		pw.Min = 12
	}
	return app.Save(su)
}
