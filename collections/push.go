package collections

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/delivery"
)

// Delivery of notifications outside the app: browsers' web push
// subscriptions and each person's delivery preferences.

// Delivery collection names.
const (
	PushSubscriptions       = "push_subscriptions"
	NotificationPreferences = "notification_preferences"
)

// ownerIsCaller matches a record that belongs to the caller, whatever auth
// collection the caller belongs to.
const ownerIsCaller = `owner = @request.auth.id && ownerCollection = @request.auth.collectionName`

func ownerFields(what string) []core.Field {
	return []core.Field{
		&core.TextField{Name: "owner", Required: true, Max: 15, Help: what + "のアカウントのレコードID"},
		&core.TextField{Name: "ownerCollection", Required: true, Max: 50, Help: what + "のアカウント種別（コレクション名）"},
	}
}

func init() {
	register(
		Spec{
			Name: PushSubscriptions, System: SystemPlatform, Personal: true, Subject: "owner",
			Description: "Webプッシュの購読（ブラウザ・端末ごと）。登録と解除は専用APIで行い、本人は自分の購読だけを一覧できる",
			Fields: append(ownerFields("購読した人"),
				&core.URLField{Name: "endpoint", Required: true, Help: "ブラウザのプッシュサービスの送信先URL"},
				&core.TextField{Name: "p256dh", Required: true, Max: 200, Hidden: true, Help: "本文を暗号化するブラウザの公開鍵（非公開）"},
				&core.TextField{Name: "auth", Required: true, Max: 100, Hidden: true, Help: "本文の暗号化に使う認証用の秘密値（非公開）"},
				&core.TextField{Name: "userAgent", Max: 300, Help: "登録したブラウザ（表示用）"},
				&core.DateField{Name: "lastSuccess", Help: "最後に届けられた日時"},
				&core.NumberField{Name: "failures", OnlyInt: true, Help: "続けて失敗した回数（成功すると0に戻る）"},
			),
			Indexes: []Index{
				{Name: "idx_push_subscriptions_endpoint", Unique: true, Columns: "endpoint"},
				{Name: "idx_push_subscriptions_owner", Columns: "owner, ownerCollection"},
			},
			Rules: Rules{List: rule(ownerIsCaller), View: rule(ownerIsCaller)},
		},
		Spec{
			Name: NotificationPreferences, System: SystemPlatform, Personal: true, Subject: "owner",
			Description: "通知の受け取り方の設定（通知しない時間帯、種類ごとの受け取り停止）。本人だけが読み、専用APIで変更する。法定の健診・予防接種の案内は停止できない",
			Fields: append(ownerFields("設定した人"),
				hhmm("quietStart", "通知しない時間帯の開始（HH:MM、日本時間）"),
				hhmm("quietEnd", "通知しない時間帯の終了（HH:MM、日本時間）。この時刻以降にまとめて届ける"),
				&core.SelectField{Name: "optOut", MaxSelect: len(delivery.Categories), Values: delivery.CategoryCodes(), Help: "受け取らない通知の種類（法定の案内と緊急の通知は停止できない）"},
				&core.BoolField{Name: "noEmail", Help: "プッシュ通知が使えないときもメールで受け取らない"},
			),
			Indexes: []Index{
				{Name: "idx_notification_preferences_owner", Unique: true, Columns: "owner, ownerCollection"},
			},
			// Written through PUT /api/lifestage/push/preferences, which
			// checks that quiet hours come as a pair.
			Rules: Rules{List: rule(ownerIsCaller), View: rule(ownerIsCaller)},
		},
	)
}
