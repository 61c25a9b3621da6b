package hooks

// The gateway middleware for tests and benchmarks in hooks_test, which bind
// it to routes of their own.
var (
	RequirePartner = requirePartner
	PartnerOf      = partnerOf
)
