package consent

import (
	"strings"
	"time"

	"github.com/saijo-dx/lifestage/civil"
)

// ReceiptVersion is the Kantara Consent Receipt specification the receipt
// follows; the consentRecord block carries the ISO/IEC 27560 record
// elements Kantara 1.1 lacks (state, period, events).
const ReceiptVersion = "KI-CR-v1.1.0"

// Controller is the PII controller named in every receipt: the city.
var Controller = PIIController{
	Name: "西条市", Contact: "西条市役所（データ連携基盤 担当）", Address: "〒793-8601 愛媛県西条市明屋敷164番地",
	Email: "", Phone: "0897-56-5151", URL: "https://www.city.saijo.ehime.jp/",
}

// PIIController is the Kantara piiControllers entry.
type PIIController struct {
	Name     string `json:"piiController"`
	OnBehalf bool   `json:"onBehalf"`
	Contact  string `json:"contact"`
	Address  string `json:"address"`
	Email    string `json:"email"`
	Phone    string `json:"phone"`
	URL      string `json:"piiControllerUrl"`
}

// Receipt is a consent receipt (Kantara CR v1.1 field names, ISO/IEC 27560
// record elements under consentRecord).
type Receipt struct {
	Version          string          `json:"version"`
	Jurisdiction     string          `json:"jurisdiction"`
	ConsentTimestamp int64           `json:"consentTimestamp"`
	CollectionMethod string          `json:"collectionMethod"`
	ConsentReceiptID string          `json:"consentReceiptID"`
	Language         string          `json:"language"`
	PIIPrincipalID   string          `json:"piiPrincipalId"`
	PIIControllers   []PIIController `json:"piiControllers"`
	PolicyURL        string          `json:"policyUrl"`
	Services         []Service       `json:"services"`
	Sensitive        bool            `json:"sensitive"`
	SPICat           []string        `json:"spiCat"`
	Record           Record          `json:"consentRecord"`
}

// Service is a Kantara service with its purposes.
type Service struct {
	Service  string    `json:"service"`
	Purposes []Purpose `json:"purposes"`
}

// Purpose is a Kantara purpose: what, which data, until when, to whom.
type Purpose struct {
	Purpose              string   `json:"purpose"`
	PurposeCategory      []string `json:"purposeCategory"`
	ConsentType          string   `json:"consentType"`
	PIICategory          []string `json:"piiCategory"`
	PrimaryPurpose       bool     `json:"primaryPurpose"`
	Termination          string   `json:"termination"`
	ThirdPartyDisclosure bool     `json:"thirdPartyDisclosure"`
	ThirdPartyName       string   `json:"thirdPartyName"`
}

// Record holds the ISO/IEC 27560 elements: state, period, the data
// subject as the partner knows it, scopes and the history of events.
type Record struct {
	State       string   `json:"state"`
	DataSubject string   `json:"dataSubject"` // self or child
	SubjectID   string   `json:"subjectId"`   // the pseudonym the partner sees
	Scopes      []string `json:"scopes"`
	ValidFrom   string   `json:"validFrom"`
	ValidUntil  string   `json:"validUntil"`
	Events      []Event  `json:"events"`
}

// Event is a change of the consent's state.
type Event struct {
	Type string `json:"type"` // given, withdrawn
	At   string `json:"at"`   // RFC 3339, Tokyo
}

// ReceiptInput is what a receipt needs besides the grant.
type ReceiptInput struct {
	PrincipalID string // pseudonym of the resident who consented
	SubjectID   string // pseudonym of the data subject, as the partner sees it
	PolicyURL   string
	Today       civil.Date
}

// BuildReceipt makes the grant's receipt as it stands on a day.
func BuildReceipt(g Grant, in ReceiptInput) Receipt {
	var cats, labels []string
	for _, s := range g.Scopes {
		if d, ok := DatasetOf(strings.TrimSuffix(s, ":read")); ok {
			cats = append(cats, d.PIICategory)
			labels = append(labels, d.Label)
		}
	}
	subject := SubjectSelf
	if g.Child != "" {
		subject = SubjectChild
	}
	events := []Event{{Type: "given", At: stamp(g.GrantedAt)}}
	if !g.RevokedAt.IsZero() {
		events = append(events, Event{Type: "withdrawn", At: stamp(g.RevokedAt)})
	}
	return Receipt{
		Version: ReceiptVersion, Jurisdiction: "JP", ConsentTimestamp: g.GrantedAt.Unix(),
		CollectionMethod: "西条市 lifestage マイページで本人が画面の操作により同意（マイナンバーカードで本人確認済み）",
		ConsentReceiptID: g.ID, Language: "ja", PIIPrincipalID: in.PrincipalID,
		PIIControllers: []PIIController{Controller}, PolicyURL: in.PolicyURL,
		Services: []Service{{Service: "西条市データ連携基盤による事業者へのデータ提供", Purposes: []Purpose{{
			Purpose: g.Purpose, PurposeCategory: labels, ConsentType: "EXPLICIT", PIICategory: cats,
			PrimaryPurpose:       false,
			Termination:          g.Period.Until.String() + " の終了時、または本人がマイページで取り消した時点で終了",
			ThirdPartyDisclosure: true, ThirdPartyName: g.PartnerName,
		}}}},
		Sensitive: len(cats) > 0, SPICat: cats,
		Record: Record{
			State: g.State(in.Today), DataSubject: subject, SubjectID: in.SubjectID, Scopes: g.Scopes,
			ValidFrom: g.Period.From.String(), ValidUntil: g.Period.Until.String(), Events: events,
		},
	}
}

func stamp(t time.Time) string { return t.In(civil.Tokyo).Format(time.RFC3339) }
