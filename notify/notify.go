// Package notify is the one way every lifestage system tells a person about
// something. A notification is stored in the notifications collection (which
// realtime subscribers see at once) and then handed to the delivery channels
// (web push, email) that are plugged in. The same reason on the same Tokyo day
// notifies a person only once.
package notify

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/i18n"
)

// Collection is where notifications are stored.
const Collection = "notifications"

// Message is one notification to one person.
type Message struct {
	Recipient *core.Record // an auth record of any auth collection
	Kind      string       // dotted code, e.g. "family.share_accepted"
	Title     string
	Body      string
	Link      string // an in-app path such as "/me/"
	// Reason identifies why the person is told, e.g. a record id. The same
	// Kind+Reason notifies a person at most once per day.
	Reason string
	// Key, when set, names a template in the i18n catalogue: the title is
	// <Key>.title and the body <Key>.body, rendered with Vars in the
	// recipient's language. Title and Body are then ignored.
	Key  string
	Vars map[string]string
	// Dates are placeholders holding a civil date, written the way the
	// recipient's language writes dates (catalogue key notify.date).
	Dates map[string]civil.Date
}

// render fills Title and Body from the catalogue in the recipient's
// language. The stored notification keeps the rendered text, so the inbox,
// push and email all show what the person reads.
func (m Message) render() Message {
	if m.Key == "" {
		return m
	}
	lang := m.Recipient.GetString("language")
	vars := m.Vars
	if len(m.Dates) > 0 {
		// A copy: SendEach renders one Message for recipients of many languages.
		vars = make(map[string]string, len(m.Vars)+len(m.Dates))
		for k, v := range m.Vars {
			vars[k] = v
		}
		for k, d := range m.Dates {
			vars[k] = FormatDate(lang, d)
		}
	}
	m.Title = i18n.T(lang, m.Key+".title", vars)
	m.Body = i18n.T(lang, m.Key+".body", vars)
	return m
}

// FormatDate writes a civil date in lang, e.g. 2026年5月1日 or ngày 1/5/2026.
func FormatDate(lang string, d civil.Date) string {
	return i18n.T(lang, "notify.date", map[string]string{
		"y": strconv.Itoa(d.Year), "m": strconv.Itoa(int(d.Month)), "d": strconv.Itoa(d.Day),
	})
}

// Channel delivers a stored notification outside the app (web push, email).
// Deliver must not block for long; it runs after the record is saved.
type Channel interface {
	Name() string
	Deliver(ctx context.Context, app core.App, notification *core.Record) error
}

var (
	channelsMu sync.RWMutex
	channels   []Channel
)

// RegisterChannel plugs in a delivery channel for every later notification.
func RegisterChannel(c Channel) {
	channelsMu.Lock()
	defer channelsMu.Unlock()
	channels = append(channels, c)
}

// Send stores the message; the channels get it once it is committed. It returns
// (nil, nil) when the same notification was already sent today.
func Send(app core.App, m Message) (*core.Record, error) {
	if m.Recipient == nil || !m.Recipient.Collection().IsAuth() {
		return nil, errors.New("notify: recipient must be an auth record")
	}
	if strings.TrimSpace(m.Reason) == "" {
		m.Reason = m.Kind
	}
	m = m.render()
	col, err := app.FindCachedCollectionByNameOrId(Collection)
	if err != nil {
		return nil, err
	}
	day := civil.Today().String()
	recipientCollection := m.Recipient.Collection().Name
	if dup, _ := app.FindFirstRecordByFilter(col,
		"recipient = {:r} && recipientCollection = {:c} && kind = {:k} && reason = {:why} && day = {:d}",
		map[string]any{"r": m.Recipient.Id, "c": recipientCollection, "k": m.Kind, "why": m.Reason, "d": day},
	); dup != nil {
		return nil, nil
	}
	rec := core.NewRecord(col)
	rec.Set("recipient", m.Recipient.Id)
	rec.Set("recipientCollection", recipientCollection)
	rec.Set("kind", m.Kind)
	rec.Set("title", m.Title)
	rec.Set("body", m.Body)
	rec.Set("link", m.Link)
	rec.Set("reason", m.Reason)
	rec.Set("day", day)
	if err := app.Save(rec); err != nil {
		if collections.IsUniqueViolation(err) { // a concurrent Send won the race
			return nil, nil
		}
		return nil, err
	}
	return rec, nil
}

// SendEach sends the message to every recipient, counting the
// notifications stored (repeats of the day are not). It tries every
// recipient and returns their errors joined, so a caller in a transaction
// rolls back all of them.
func SendEach(app core.App, m Message, recipients []*core.Record) (sent int, err error) {
	var errs []error
	for _, r := range recipients {
		m.Recipient = r
		rec, err := Send(app, m)
		if err != nil {
			errs = append(errs, err)
		} else if rec != nil {
			sent++
		}
	}
	return sent, errors.Join(errs...)
}

// Deliver hands a stored notification to every channel. The hooks call it
// after the notification's transaction has committed, so a rolled-back
// notification is never pushed.
func Deliver(app core.App, rec *core.Record) {
	channelsMu.RLock()
	list := append([]Channel(nil), channels...)
	channelsMu.RUnlock()
	for _, c := range list {
		if err := c.Deliver(context.Background(), app, rec); err != nil {
			app.Logger().Warn("notification delivery failed", "channel", c.Name(), "notification", rec.Id, "error", err)
		}
	}
}
