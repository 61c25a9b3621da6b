package collections

import "github.com/pocketbase/pocketbase/core"

// notificationOwner matches a notification addressed to the caller, whatever
// auth collection the caller belongs to.
const notificationOwner = `recipient = @request.auth.id && recipientCollection = @request.auth.collectionName`

func init() {
	register(Spec{
		Name: "notifications", System: SystemPlatform, Personal: true, Subject: "recipient",
		// Bodies can name a child or a health matter; nothing filters on them.
		Encrypted:   []string{"body"},
		Description: "お知らせ通知。本人だけが読み、既読にできる",
		Fields: []core.Field{
			&core.TextField{Name: "recipient", Required: true, Max: 15, Help: "受信者のレコードID"},
			&core.TextField{Name: "recipientCollection", Required: true, Max: 50, Help: "受信者のアカウント種別（コレクション名）"},
			&core.TextField{Name: "kind", Required: true, Max: 50, Pattern: `^[a-z0-9_.]+$`, Help: "通知の種類（例: family.share_accepted）"},
			&core.TextField{Name: "title", Required: true, Max: 200, Presentable: true, Help: "件名"},
			&core.TextField{Name: "body", Max: 2000, Help: "本文"},
			&core.TextField{Name: "link", Max: 500, Pattern: `^/`, Help: "アプリ内のリンク先（/で始まるパス）"},
			&core.TextField{Name: "reason", Required: true, Max: 200, Hidden: true, Help: "重複防止キー: 同じ理由・同じ日の通知は一度だけ"},
			civilDate("day", "通知日（Asia/Tokyo）", true),
			&core.DateField{Name: "readAt", Help: "既読日時"},
		},
		Indexes: []Index{
			{Name: "idx_notifications_recipient_created", Columns: "recipient, recipientCollection, created"},
			{Name: "idx_notifications_dedupe", Unique: true, Columns: "recipientCollection, recipient, kind, reason, day"},
		},
		Rules: Rules{
			List: rule(notificationOwner),
			View: rule(notificationOwner),
			// The owner may only mark it read.
			Update: rule(allOf(notificationOwner, bodyUnset("recipient", "recipientCollection", "kind", "title", "body", "link", "reason", "day"))),
			Delete: rule(notificationOwner),
		},
	})
}
