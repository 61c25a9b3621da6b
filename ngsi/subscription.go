package ngsi

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Subscription is the part of an Orion subscription that decides whether
// and what to notify.
type Subscription struct {
	ID         string
	Entities   []Selector // subject.entities
	Conditions []string   // subject.condition.attrs; empty: any change
	Q          Filter     // subject.condition.expression.q
	Attrs      []string   // notification.attrs; empty: all
	KeyValues  bool       // notification.attrsFormat = keyValues
}

// Compile checks the entity selectors; call it before Matches.
func (s *Subscription) Compile() error {
	if len(s.Entities) == 0 {
		return BadRequest("subject.entities を1つ以上指定してください")
	}
	for i, sel := range s.Entities {
		switch {
		case sel.ID != "" && sel.IDPattern != "":
			return BadRequest("subject.entities の項目に id と idPattern を同時に指定できません")
		case sel.ID == "" && sel.IDPattern == "":
			s.Entities[i].IDPattern = ".*"
		}
		if p := s.Entities[i].IDPattern; p != "" {
			re, err := regexp.Compile(p)
			if err != nil {
				return BadRequest("idPattern が正しい正規表現ではありません: %q", p)
			}
			s.Entities[i].re = re
		}
	}
	return nil
}

// Matches reports whether a change of the named attributes of an entity
// concerns the subscription.
func (s *Subscription) Matches(e Entity, changed []string) bool {
	if !slices.ContainsFunc(s.Entities, func(sel Selector) bool { return sel.matches(e) }) {
		return false
	}
	if len(s.Conditions) > 0 && !slices.ContainsFunc(changed, func(a string) bool { return slices.Contains(s.Conditions, a) }) {
		return false
	}
	return s.Q.Match(e)
}

// Notification is the body POSTed to the subscriber.
type Notification struct {
	SubscriptionID string           `json:"subscriptionId"`
	Data           []map[string]any `json:"data"`
}

// Notify renders the notification of changed entities.
func (s *Subscription) Notify(es []Entity) Notification {
	n := Notification{SubscriptionID: s.ID, Data: make([]map[string]any, len(es))}
	for i, e := range es {
		n.Data[i] = e.Render(s.Attrs, s.KeyValues)
	}
	return n
}

// SignatureHeader carries the notification's signature.
const SignatureHeader = "X-Lifestage-Signature"

// Sign returns the signature header value "t=<unix>,v1=<hex>", where v1 is
// HMAC-SHA256 with the subscription's secret over "<unix>.<body>". The
// time inside the MAC lets the subscriber refuse replays.
func Sign(secret string, body []byte, at time.Time) string {
	t := strconv.FormatInt(at.Unix(), 10)
	return "t=" + t + ",v1=" + mac(secret, t, body)
}

func mac(secret, t string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(t + "."))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// Verify checks a signature header as a subscriber does, refusing ones
// older than maxAge.
func Verify(secret string, body []byte, header string, now time.Time, maxAge time.Duration) error {
	var t, v1 string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "t":
			t = v
		case "v1":
			v1 = v
		}
	}
	unix, err := strconv.ParseInt(t, 10, 64)
	if err != nil || v1 == "" {
		return fmt.Errorf("ngsi: malformed signature")
	}
	if d := now.Sub(time.Unix(unix, 0)); d > maxAge || d < -maxAge {
		return fmt.Errorf("ngsi: signature too old")
	}
	if !hmac.Equal([]byte(mac(secret, t, body)), []byte(v1)) {
		return fmt.Errorf("ngsi: bad signature")
	}
	return nil
}

// Backoff is the wait before retry n (1, 2, …): base·2^(n−1), capped at
// 64·base.
func Backoff(base time.Duration, n int) time.Duration {
	return base << min(max(n-1, 0), 6)
}

// CheckURL accepts http and https URLs only. It refuses literal private,
// loopback, link-local and unspecified addresses unless allowPrivate;
// names are checked again when dialled (see PublicIP).
func CheckURL(raw string, allowPrivate bool) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return BadRequest("notification.http.url は http または https の URL にしてください")
	}
	if u.User != nil {
		return BadRequest("notification.http.url に認証情報を含めないでください")
	}
	if ip, err := netip.ParseAddr(strings.Trim(u.Hostname(), "[]")); err == nil && !allowPrivate && !PublicIP(ip) {
		return BadRequest("内部ネットワークのアドレスには通知できません")
	}
	if !allowPrivate && strings.EqualFold(u.Hostname(), "localhost") {
		return BadRequest("内部ネットワークのアドレスには通知できません")
	}
	return nil
}

// PublicIP reports whether an address may receive notifications.
func PublicIP(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsValid() && !ip.IsLoopback() && !ip.IsPrivate() && !ip.IsLinkLocalUnicast() &&
		!ip.IsLinkLocalMulticast() && !ip.IsUnspecified() && !ip.IsMulticast() &&
		!netip.MustParsePrefix("100.64.0.0/10").Contains(ip) // carrier-grade NAT
}
