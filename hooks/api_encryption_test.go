package hooks_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/saijo-dx/lifestage/hooks"
	"github.com/saijo-dx/lifestage/notify"
)

const secretBody = "はるとさんの予防接種（MR 1期）の予診票を確認してください。"

func rawColumn(t testing.TB, app core.App, table, column, id string) string {
	var v string
	if err := app.DB().Select(column).From(table).Where(dbx.HashExp{"id": id}).Row(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSensitiveTextIsEncryptedAtRest(t *testing.T) {
	var id string
	s := tests.ApiScenario{
		Name: "the owner reads clear text; the database holds ciphertext", Method: http.MethodGet,
		URL: "/api/collections/notifications/records?filter=" + urlq(`kind="test.secret"`), Headers: auth("parent"),
		BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
			rec, err := notify.Send(app, notify.Message{Recipient: account(t, app, "parent"), Kind: "test.secret", Title: "予診票", Body: secretBody})
			if err != nil {
				t.Fatal(err)
			}
			if rec.GetString("body") != secretBody {
				t.Fatal("the saved record in memory must keep clear text")
			}
			id = rec.Id
			stored := rawColumn(t, app, "notifications", "body", id)
			if !strings.HasPrefix(stored, "enc:") || strings.Contains(stored, "予防接種") {
				t.Fatalf("stored in clear: %q", stored)
			}
		},
		ExpectedStatus: 200, ExpectedContent: []string{`"body":"` + secretBody + `"`},
		TestAppFactory: fx.NewApp,
	}
	s.Test(t)
}

func TestServerRefusesToStartWithoutAKey(t *testing.T) {
	app := fx.NewApp(t)
	defer app.Cleanup()
	app.Store().Remove("lifestage.fieldKeyring")
	serve := func() error {
		router, err := apis.NewRouter(app)
		if err != nil {
			t.Fatal(err)
		}
		return app.OnServe().Trigger(&core.ServeEvent{App: app, Router: router, Server: &http.Server{}}, func(e *core.ServeEvent) error { return nil })
	}
	err := serve()
	if !errors.Is(err, hooks.ErrNoFieldKey) {
		t.Fatalf("production start without a key: %v", err)
	}
	if generated, err := hooks.UseDemoFieldKey(app); err != nil || !generated {
		t.Fatalf("demo key: %v %v", generated, err)
	}
	if err := serve(); err != nil {
		t.Fatalf("demo start: %v", err)
	}
}
