package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/gateway"
	"github.com/saijo-dx/lifestage/gatewaydb"
)

// DemoPartnerName is the demo's partner company (架空).
const DemoPartnerName = "西条データ活用株式会社（デモ）"

// demoKeyLabel names the demo partner's working key; `lifestage demo`
// gives it a fresh secret at each start and prints it.
const demoKeyLabel = "デモ用（公開データ）"

// demoPublicScopes are the public datasets the demo key may read.
var demoPublicScopes = []string{"facilities:read", "events:read", "nursery_vacancies:read", "infections:read", "subscriptions:read", "subscriptions:write"}

// DemoPartners adds the gateway's demo data: the demo partner with a
// working key, the older key it rotated (revoked), two weeks of usage, and
// a suspended partner with its key. No key is kept in clear: the secrets
// made here are thrown away.
func DemoPartners(app core.App, now time.Time) error {
	ctx := context.Background()
	partner, _, err := gatewaydb.EnsurePartner(ctx, app, DemoPartnerName)
	if err != nil {
		return err
	}
	partner.Set("contactName", "データ 花子")
	partner.Set("contactEmail", "partner@"+DemoEmailDomain)
	partner.Set("note", "デモ用の架空の事業者。公開データ（施設・イベント・保育の空き・感染症の集計）を利用する")
	if err := app.Save(partner); err != nil {
		return err
	}
	spec := gatewaydb.KeySpec{Label: demoKeyLabel, Scopes: demoPublicScopes, RateLimit: gatewaydb.DefaultRateLimit, MonthlyQuota: gatewaydb.DefaultMonthlyQuota}
	first, _, err := gatewaydb.Issue(ctx, app, partner.Id, spec)
	if err != nil {
		return err
	}
	current, _, err := gatewaydb.Rotate(ctx, app, first.Id, now.AddDate(0, 0, -20))
	if err != nil {
		return err
	}
	if err := demoUsage(app, current, now); err != nil {
		return err
	}
	suspended, _, err := gatewaydb.EnsurePartner(ctx, app, "みきゃん交通株式会社（デモ・利用停止中）")
	if err != nil {
		return err
	}
	suspended.Set("active", false)
	suspended.Set("note", "デモ用の架空の事業者。契約終了により利用停止")
	if err := app.Save(suspended); err != nil {
		return err
	}
	_, _, err = gatewaydb.Issue(ctx, app, suspended.Id, gatewaydb.KeySpec{Label: "旧システム", Scopes: []string{"facilities:read"}, RateLimit: 30, MonthlyQuota: 10000})
	return err
}

// demoUsage meters two weeks of plausible calls of the key.
func demoUsage(app core.App, key *core.Record, now time.Time) error {
	var rows []gateway.Count
	for i := range 14 {
		day := gateway.DayOf(now.AddDate(0, 0, -i))
		weekday := now.AddDate(0, 0, -i).Weekday()
		busy := int64(1)
		if weekday != time.Saturday && weekday != time.Sunday {
			busy = 3
		}
		for _, u := range []struct {
			endpoint string
			status   int
			n        int64
		}{
			{"GET /ngsi/v2/entities", 200, 40 * busy},
			{"GET /ngsi/v2/entities/{id}", 200, 12 * busy},
			{"GET /ngsi/v2/entities/{id}", 404, int64(i % 3)},
			{"POST /ngsi/v2/op/query", 200, 5 * busy},
			{"GET /ngsi/v2/entities", 429, int64(i % 2 * 4)},
		} {
			if u.n > 0 {
				rows = append(rows, gateway.Count{Use: gateway.Use{Key: key.Id, Partner: key.GetString("partner"), Day: day, Endpoint: u.endpoint, Status: u.status}, N: u.n})
			}
		}
	}
	return gatewaydb.FlushUsage(app, rows, now)
}

// DemoAPIKey gives the demo partner's key a fresh secret and returns it,
// for `lifestage demo` to print. Earlier printed keys stop working.
func DemoAPIKey(app core.App) (string, error) {
	partner, err := app.FindFirstRecordByData(collections.Partners, "name", DemoPartnerName)
	if err != nil {
		return "", fmt.Errorf("demo partner: %w", err)
	}
	key, err := app.FindFirstRecordByFilter(collections.APIKeys, "partner = {:p} && label = {:l} && revokedAt = ''",
		map[string]any{"p": partner.Id, "l": demoKeyLabel})
	if err != nil {
		return "", fmt.Errorf("demo key: %w", err)
	}
	return gatewaydb.ResetSecret(context.Background(), app, key.Id)
}
