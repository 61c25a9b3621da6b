package commands_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/collections"
	"github.com/saijo-dx/lifestage/commands"
	"github.com/saijo-dx/lifestage/gateway"
	"github.com/saijo-dx/lifestage/gatewaydb"
	"github.com/saijo-dx/lifestage/hooks"
	"github.com/saijo-dx/lifestage/testutil"
)

// runPartner runs `partner ARGS...` on the app and returns stdout.
func runPartner(t testing.TB, app core.App, args ...string) (string, error) {
	t.Helper()
	c := commands.NewPartnerCommand(app)
	var out bytes.Buffer
	c.SetOut(&out)
	c.SetErr(&out)
	c.SetArgs(args)
	err := c.Execute()
	return out.String(), err
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestPartnerCreatePrintsTheKeyLast(t *testing.T) {
	app := testutil.NewAppWithHooks(t)
	out, err := runPartner(t, app, "create", "--name", "contract-check", "--scopes", "facilities:read,events:read", "--scopes", "infections:read",
		"--rate", "30", "--quota", "500", "--expires", "2099-12-31", "--label", "CI")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	key := lastLine(out)
	prefix, ok := gateway.ParseKey(key)
	if !ok {
		t.Fatalf("last line is not a key: %q\n%s", key, out)
	}
	rec, err := gatewaydb.FindByPrefix(app, prefix)
	if err != nil {
		t.Fatal(err)
	}
	if rec.GetString("hash") != gateway.Hash(key) || rec.GetInt("rateLimit") != 30 || rec.GetInt64("monthlyQuota") != 500 ||
		strings.Join(rec.GetStringSlice("scopes"), ",") != "facilities:read,events:read,infections:read" ||
		rec.GetDateTime("expiresAt").String() != "2099-12-31 15:00:00.000Z" {
		t.Fatalf("stored key %v", rec.PublicExport())
	}
	if !strings.Contains(out, "contract-check") || !strings.Contains(out, "created") {
		t.Fatalf("details missing:\n%s", out)
	}
	// The same name again adds a key to the same partner.
	out, err = runPartner(t, app, "create", "--name", "contract-check", "--scopes", "facilities:read")
	if err != nil || !strings.Contains(out, "existing") {
		t.Fatalf("second create: %v\n%s", err, out)
	}
	if n, _ := app.CountRecords(collections.Partners); n != 1 {
		t.Fatalf("%d partners, want 1", n)
	}
	// Defaults: 60 per minute, 100000 per month, no expiry.
	second, _ := gatewaydb.FindByPrefix(app, mustPrefix(t, lastLine(out)))
	if second.GetInt("rateLimit") != 60 || second.GetInt64("monthlyQuota") != 100000 || !second.GetDateTime("expiresAt").IsZero() {
		t.Fatalf("defaults %v", second.PublicExport())
	}
}

func mustPrefix(t testing.TB, key string) string {
	p, ok := gateway.ParseKey(key)
	if !ok {
		t.Fatalf("not a key: %q", key)
	}
	return p
}

func TestPartnerCreateRefusesBadInput(t *testing.T) {
	app := testutil.NewAppWithHooks(t)
	for _, args := range [][]string{
		{"create", "--scopes", "facilities:read"},
		{"create", "--name", "x"},
		{"create", "--name", "x", "--scopes", "facilities:write"},
		{"create", "--name", "x", "--scopes", "facilities:read", "--expires", "2020-01-01"},
		{"create", "--name", "x", "--scopes", "facilities:read", "--rate", "-1"},
		{"rotate", "--prefix", "nosuchky"},
		{"revoke"},
	} {
		if out, err := runPartner(t, app, args...); err == nil {
			t.Errorf("%v succeeded:\n%s", args, out)
		}
	}
	if n, _ := app.CountRecords(collections.APIKeys); n != 0 {
		t.Fatalf("refused commands made %d keys", n)
	}
}

func TestPartnerListRotateRevoke(t *testing.T) {
	app := testutil.NewAppWithHooks(t)
	out, _ := runPartner(t, app, "create", "--name", "西条テスト株式会社", "--scopes", "events:read")
	first := lastLine(out)
	prefix := mustPrefix(t, first)

	out, err := runPartner(t, app, "rotate", "--prefix", prefix)
	if err != nil {
		t.Fatal(err)
	}
	second := lastLine(out)
	newPrefix := mustPrefix(t, second)
	old, _ := gatewaydb.FindByPrefix(app, prefix)
	cur, _ := gatewaydb.FindByPrefix(app, newPrefix)
	if old.GetDateTime("revokedAt").IsZero() || cur.GetString("replaces") != old.Id || cur.GetString("hash") != gateway.Hash(second) {
		t.Fatalf("rotation: old %v new %v", old.PublicExport(), cur.PublicExport())
	}

	out, err = runPartner(t, app, "list")
	if err != nil || !strings.Contains(out, "西条テスト株式会社") || !strings.Contains(out, prefix) || !strings.Contains(out, newPrefix) ||
		strings.Contains(out, first[13:]) || strings.Contains(out, second[13:]) {
		t.Fatalf("list: %v\n%s", err, out)
	}
	if _, err := runPartner(t, app, "revoke", "--prefix", newPrefix); err != nil {
		t.Fatal(err)
	}
	if cur, _ = gatewaydb.FindByPrefix(app, newPrefix); cur.GetDateTime("revokedAt").IsZero() {
		t.Fatal("not revoked")
	}
	if out, err := runPartner(t, app, "revoke", "--prefix", newPrefix); err != nil || !strings.Contains(out, "already") {
		t.Fatalf("second revoke: %v %s", err, out)
	}
}

// TestPartnerCreateWhileServing is the contract check: the CLI, a second
// process on the same data dir, issues a key that the running server
// accepts at once, though none of the server's hooks saw it.
func TestPartnerCreateWhileServing(t *testing.T) {
	server := testutil.NewAppWithHooks(t)
	h, err := testutil.Handler(server)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = server.OnTerminate().Trigger(&core.TerminateEvent{App: server}) })
	cli := core.NewBaseApp(core.BaseAppConfig{DataDir: server.DataDir()})
	hooks.Register(cli)
	if err := cli.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	defer cli.ClearBootstrap()

	call := func(key string) int {
		req := httptest.NewRequest(http.MethodGet, "/api/lifestage/partner/usage", nil)
		req.Header.Set("X-API-Key", key)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	if code := call(gateway.KeyTag + "abcdefgh_" + strings.Repeat("a", 52)); code != http.StatusUnauthorized {
		t.Fatalf("unknown key answered %d", code)
	}
	out, err := runPartner(t, cli, "create", "--name", "contract-check", "--scopes", "facilities:read")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if code := call(lastLine(out)); code != http.StatusOK {
		t.Fatalf("the server answered %d to the CLI's new key", code)
	}
	if err := hooks.FlushUsage(server); err != nil {
		t.Fatal(err)
	}
}
