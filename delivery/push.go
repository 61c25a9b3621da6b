package delivery

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	webpush "github.com/SherClockHolmes/webpush-go"
)

// Keys are a VAPID key pair, base64url encoded as browsers expect them.
type Keys struct {
	Public  string `json:"publicKey"`
	Private string `json:"privateKey"`
}

// GenerateKeys makes a new VAPID key pair.
func GenerateKeys() (Keys, error) {
	priv, pub, err := webpush.GenerateVAPIDKeys()
	return Keys{Public: pub, Private: priv}, err
}

// Subscription is a browser's PushSubscription.
type Subscription struct {
	Endpoint, P256dh, Auth string
}

// Payload is what the service worker shows. It never carries health details
// unless the kind is marked safe (see SafeBody).
type Payload struct {
	Title string `json:"title"`
	Body  string `json:"body"`
	Link  string `json:"link"`
	Tag   string `json:"tag"`
}

// HiddenBody replaces a body that may not leave the app.
const HiddenBody = "内容はアプリでご確認ください。"

// NewPayload builds the push payload of a notification.
func NewPayload(id, kind, title, body, link string) Payload {
	if !IsSafeBody(kind) || body == "" {
		body = HiddenBody
	}
	if link == "" {
		link = "/me/"
	}
	return Payload{Title: title, Body: truncate(body, 120), Link: link, Tag: id}
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// Result is what became of one push attempt.
type Result int

const (
	Delivered Result = iota
	Gone             // the subscription no longer exists: delete it
	Retry            // try again later (5xx, 429, network)
	Failed           // a permanent failure that is not Gone (400, 403, 413)
)

// Classify maps an HTTP status (or a transport error) to a Result.
func Classify(status int, err error) Result {
	switch {
	case err != nil:
		return Retry
	case status >= 200 && status < 300:
		return Delivered
	case status == http.StatusNotFound || status == http.StatusGone:
		return Gone
	case status == http.StatusTooManyRequests || status >= 500:
		return Retry
	}
	return Failed
}

// Backoff is the wait before retry number attempt (1-based): base, 2×base,
// 4×base…, capped at one hour.
func Backoff(attempt int, base time.Duration) time.Duration {
	d := base << max(attempt-1, 0)
	if d <= 0 || d > time.Hour {
		return time.Hour
	}
	return d
}

// Sender sends web push messages signed with the VAPID keys.
type Sender struct {
	Keys    Keys
	Subject string // mailto: address or https URL of the operator
	Client  *http.Client
	TTL     int // seconds the push service keeps an undelivered message
}

// Send encrypts and posts one payload; the error is set for Retry and Failed.
func (s *Sender) Send(ctx context.Context, sub Subscription, p Payload) (Result, error) {
	msg, err := json.Marshal(p)
	if err != nil {
		return Failed, err
	}
	client := s.Client
	if client == nil {
		client = &http.Client{Timeout: 15 * time.Second}
	}
	ttl := s.TTL
	if ttl == 0 {
		ttl = 24 * 3600
	}
	res, err := webpush.SendNotificationWithContext(ctx, msg,
		&webpush.Subscription{Endpoint: sub.Endpoint, Keys: webpush.Keys{P256dh: sub.P256dh, Auth: sub.Auth}},
		&webpush.Options{HTTPClient: client, Subscriber: s.Subject, TTL: ttl, Urgency: webpush.UrgencyNormal,
			VAPIDPublicKey: s.Keys.Public, VAPIDPrivateKey: s.Keys.Private})
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) || errors.Is(err, context.DeadlineExceeded) {
			return Retry, err
		}
		return Failed, err // bad keys: retrying cannot help
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 4096))
	r := Classify(res.StatusCode, nil)
	if r == Retry || r == Failed {
		return r, errors.New("push service answered " + res.Status)
	}
	return r, nil
}

// PushServices are the hosts of the browsers' push services (Chrome,
// Firefox, Safari, Edge). Endpoints elsewhere are refused, so an account
// cannot make the server post to arbitrary (say, internal) addresses.
var PushServices = []string{
	"fcm.googleapis.com", "android.googleapis.com",
	"updates.push.services.mozilla.com",
	"push.apple.com",
	"notify.windows.com",
}

// ValidEndpoint accepts an https URL on one of the hosts (or a subdomain of
// one); with allowHTTP (tests against a local push service) any http or https
// URL.
func ValidEndpoint(endpoint string, allowHTTP bool, hosts []string) bool {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" || u.User != nil || len(endpoint) > 1000 {
		return false
	}
	if allowHTTP {
		return u.Scheme == "http" || u.Scheme == "https"
	}
	if u.Scheme != "https" || u.Port() != "" {
		return false
	}
	host := strings.ToLower(u.Hostname())
	for _, h := range hosts {
		if host == h || strings.HasSuffix(host, "."+h) {
			return true
		}
	}
	return false
}

// MaxFailures is how many failures in a row make a subscription stop
// counting as working, so email takes over for its owner.
const MaxFailures = 5
