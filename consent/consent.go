// Package consent is the consent broker of the data-linkage platform
// (データ連携基盤): which personal datasets a partner may read under a
// resident's consent, when a consent is in force, the pseudonymous subject
// ids partners see, and the consent receipt (ISO/IEC 27560 / Kantara
// Consent Receipt). It does not import PocketBase.
package consent

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"time"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/gateway"
)

// KeyScope is the gateway scope a partner's key needs to use the consent
// broker at all; the consent then says which datasets it covers.
var KeyScope = gateway.Scope("personal", gateway.Read)

// Whose data a dataset holds.
const (
	SubjectChild = "child" // a child the resident manages
	SubjectSelf  = "self"  // the resident themself
)

// Dataset is a personal dataset a resident can release to a partner.
type Dataset struct {
	Name       string   // path segment and scope prefix: "immunizations"
	Label      string   // Japanese, for pages and receipts
	Collection string   // where the records live
	Subject    string   // SubjectChild or SubjectSelf
	Fields     []string // the only fields a partner receives (data minimisation)
	// PIICategory names the kind of data in the receipt.
	PIICategory string
}

// Datasets lists what a consent may cover, in display order.
var Datasets = []Dataset{
	{Name: "immunizations", Label: "予防接種の記録（ワクチン・回数・接種日）", Collection: "immunizations", Subject: SubjectChild,
		Fields: []string{"vaccine", "dose", "date"}, PIICategory: "健康情報（予防接種歴）"},
	{Name: "growth", Label: "成長の記録（測定日・体重・身長・頭囲）", Collection: "growth_measurements", Subject: SubjectChild,
		Fields: []string{"date", "weightKg", "heightCm", "headCm"}, PIICategory: "健康情報（身体計測）"},
	{Name: "checkups", Label: "乳幼児健診の記録（健診・受診日・計測値・判定。所見は含まない）", Collection: "infant_checkups", Subject: SubjectChild,
		Fields: []string{"code", "date", "weightKg", "heightCm", "headCm", "result"}, PIICategory: "健康情報（乳幼児健康診査）"},
	{Name: "prenatal_checkups", Label: "妊婦健診の記録（受診日・週数・体重・血圧・尿検査・子宮底長。所見は含まない）", Collection: "prenatal_checkups", Subject: SubjectSelf,
		Fields: []string{"date", "week", "weightKg", "bloodPressureSys", "bloodPressureDia", "urineProtein", "urineSugar", "fundalHeightCm"}, PIICategory: "健康情報（妊婦健康診査）"},
}

// Scopes lists every scope a consent may hold ("immunizations:read"), in
// Datasets order.
func Scopes() []string {
	out := make([]string, len(Datasets))
	for i, d := range Datasets {
		out[i] = gateway.Scope(d.Name, gateway.Read)
	}
	return out
}

// DatasetOf finds a dataset by name.
func DatasetOf(name string) (Dataset, bool) {
	i := slices.IndexFunc(Datasets, func(d Dataset) bool { return d.Name == name })
	if i < 0 {
		return Dataset{}, false
	}
	return Datasets[i], true
}

// MaxMonths bounds a consent's period: the resident renews it rather than
// forgetting a grant that runs for years.
const MaxMonths = 12

// Period is a consent's civil period, both days included (Tokyo).
type Period struct{ From, Until civil.Date }

// Contains reports whether the day is within the period.
func (p Period) Contains(d civil.Date) bool { return !d.Before(p.From) && !d.After(p.Until) }

// States of a grant.
const (
	StateActive  = "active"
	StatePending = "pending" // starts later
	StateExpired = "expired"
	StateRevoked = "revoked"
)

// Grant is one consent, as the broker sees it.
type Grant struct {
	ID          string
	Partner     string // partner record id
	PartnerName string
	User        string // the resident who consented
	Child       string // "" when the data is the resident's own
	Purpose     string
	Scopes      []string
	Period      Period
	GrantedAt   time.Time
	RevokedAt   time.Time // zero: not revoked
}

// Subject is the id of the person whose data the grant releases.
func (g Grant) Subject() string {
	if g.Child != "" {
		return g.Child
	}
	return g.User
}

// State is the grant's state on a day. Revocation wins over the period: a
// revoked grant reads "revoked" even after it would have expired.
func (g Grant) State(today civil.Date) string {
	switch {
	case !g.RevokedAt.IsZero():
		return StateRevoked
	case today.Before(g.Period.From):
		return StatePending
	case today.After(g.Period.Until):
		return StateExpired
	}
	return StateActive
}

// Refusal is why a partner may not read under a consent. Code is stable.
type Refusal struct {
	Code    string
	Message string // Japanese
}

func (r *Refusal) Error() string { return r.Code }

// The refusals of a partner read. A consent of another partner reads as
// unknown, so partners cannot probe for other grants.
var (
	ErrNoConsent   = &Refusal{"no_consent", "この同意は見つからないか、貴社への同意ではありません。"}
	ErrRevoked     = &Refusal{"consent_revoked", "この同意は本人により取り消されています。"}
	ErrExpired     = &Refusal{"consent_expired", "この同意は期間が終了しています。"}
	ErrNotStarted  = &Refusal{"consent_not_started", "この同意の期間はまだ始まっていません。"}
	ErrNotConsent  = &Refusal{"scope_not_consented", "このデータの提供には同意されていません。"}
	ErrUnknownData = &Refusal{"unknown_dataset", "このデータセットはありません。"}
)

// Check admits a partner's read of a dataset under the grant on a day.
func Check(g Grant, partner, dataset string, today civil.Date) *Refusal {
	if g.ID == "" || g.Partner != partner {
		return ErrNoConsent
	}
	d, ok := DatasetOf(dataset)
	if !ok {
		return ErrUnknownData
	}
	switch g.State(today) {
	case StateRevoked:
		return ErrRevoked
	case StateExpired:
		return ErrExpired
	case StatePending:
		return ErrNotStarted
	}
	if !slices.Contains(g.Scopes, gateway.Scope(d.Name, gateway.Read)) || (d.Subject == SubjectChild) != (g.Child != "") {
		return ErrNotConsent
	}
	return nil
}

// Pseudonym is the id a partner sees for a person: an HMAC of partner and
// subject under a server key. It is stable for one partner, differs between
// partners (they cannot join their data on it), and only the city can link
// it back to a record.
func Pseudonym(key []byte, partner, subject string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(partner))
	m.Write([]byte{0})
	m.Write([]byte(subject))
	return "ps-" + hex.EncodeToString(m.Sum(nil))[:32]
}
