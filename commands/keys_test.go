package commands_test

import (
	"testing"

	"github.com/pocketbase/dbx"

	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/commands"
	"github.com/saijo-dx/lifestage/fieldcrypt"
	"github.com/saijo-dx/lifestage/hooks"
	"github.com/saijo-dx/lifestage/notify"
	"github.com/saijo-dx/lifestage/testutil"
)

func TestRotateFieldKey(t *testing.T) {
	t.Setenv(hooks.FieldKeyEnv, testutil.FieldKey)
	app := testutil.NewAppWithHooks(t)
	if _, err := commands.PrepareDemo(app); err != nil {
		t.Fatal(err)
	}
	parent, err := app.FindAuthRecordByEmail("users", "parent@demo.lifestage.example")
	if err != nil {
		t.Fatal(err)
	}
	rec, err := notify.Send(app, notify.Message{Recipient: parent, Kind: "test.rotate", Title: "x", Body: "健診の結果をご確認ください"})
	if err != nil {
		t.Fatal(err)
	}
	old := hooks.FieldKeyring(app).CurrentID()

	s, _ := fieldcrypt.NewKeyString()
	next, _ := fieldcrypt.ParseKey(s)
	n, err := commands.RotateFieldKey(app, next)
	if err != nil || n == 0 {
		t.Fatalf("rotated %d: %v", n, err)
	}
	var stored string
	if err := app.DB().Select("body").From("notifications").Where(dbx.HashExp{"id": rec.Id}).Row(&stored); err != nil {
		t.Fatal(err)
	}
	if fieldcrypt.KeyID(stored) != next.ID || next.ID == old {
		t.Fatalf("value still under the old key: %s", stored)
	}
	if plain, err := fieldcrypt.NewKeyring(next).Decrypt(stored, rec.Id); err != nil || plain != "健診の結果をご確認ください" {
		t.Fatalf("new key does not open it: %q %v", plain, err)
	}
	if res, err := auditlog.Verify(app); err != nil || !res.OK {
		t.Fatalf("audit after rotation: %+v %v", res, err)
	}
	want := 0
	for _, s := range collections.All() {
		if len(s.Encrypted) > 0 {
			want++
		}
	}
	if n, _ := app.CountRecords(auditlog.Collection, dbx.HashExp{"action": "rekey"}); n != int64(want) {
		t.Fatalf("%d rekey entries, want one per collection with encrypted fields (%d)", n, want)
	}
}
