package hooks

import (
	"fmt"
	"net/mail"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"

	"github.com/saijo-dx/lifestage/delivery"
)

// emailFallback sends a notification by email through PocketBase's mailer
// when push cannot reach the person. Like push, the email carries only the
// title and the in-app link: bodies can hold health details, and email is
// neither end-to-end encrypted nor private on a shared family computer.
func emailFallback(app core.App, n *core.Record, prefs delivery.Prefs) {
	if prefs.NoEmail {
		return
	}
	to, err := app.FindRecordById(n.GetString("recipientCollection"), n.GetString("recipient"))
	if err != nil || to.Email() == "" {
		return
	}
	meta := app.Settings().Meta
	msg := &mailer.Message{
		From:    mail.Address{Name: meta.SenderName, Address: meta.SenderAddress},
		To:      []mail.Address{{Address: to.Email()}},
		Subject: "【" + meta.AppName + "】" + n.GetString("title"),
		Text:    notificationEmailText(n.GetString("title"), appLink(meta.AppURL, n.GetString("link")), meta.AppName),
	}
	if err := app.NewMailClient().Send(msg); err != nil {
		app.Logger().Warn("notification email failed", "notification", n.Id, "error", err)
	}
}

// notificationEmailText is the plain Japanese email: the title, where to
// read it, and why the details are not in the email.
func notificationEmailText(title, link, appName string) string {
	return fmt.Sprintf(`%sから新しいお知らせがあります。

件名: %s

内容は、次のリンクからログインしてご確認ください。
%s

※ 個人の健康などに関わる内容を含むことがあるため、本文はメールに記載していません。
※ このメールは送信専用です。通知の受け取り方は「マイページ」の「通知の設定」で変更できます。
`, appName, title, link)
}

// appLink makes an in-app path absolute with the application URL.
func appLink(appURL, path string) string {
	if path == "" {
		path = "/me/"
	}
	return strings.TrimRight(appURL, "/") + path
}
