package commands

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/pocketbase/pocketbase/cmd"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/hooks"
	"github.com/saijo-dx/lifestage/seed"
)

// DemoResidents is the size of the demo city: small enough to start in
// seconds, big enough to have every kind of household.
const DemoResidents = 2000

// NewDemoCommand builds `lifestage demo`: migrate, seed a small city with demo
// accounts when the data dir is empty, write demo-accounts.json, print the
// logins and serve. It takes serve's flags.
func NewDemoCommand(app core.App) *cobra.Command {
	c := cmd.NewServeCommand(app, true)
	c.Use = "demo"
	c.Short = "Starts lifestage with a synthetic demo city and prints the demo logins"
	serve := c.RunE
	c.RunE = func(command *cobra.Command, args []string) error {
		generated, err := hooks.UseDemoFieldKey(app)
		if err != nil {
			return err
		}
		accounts, err := PrepareDemo(app)
		if err != nil {
			return err
		}
		printDemo(command.OutOrStdout(), app.DataDir(), accounts)
		addr, _ := command.Flags().GetString("http")
		if err := printDemoAPIKey(command.OutOrStdout(), app, addr); err != nil {
			return err
		}
		if generated {
			fmt.Fprintf(command.OutOrStdout(), " WARNING: %s is not set; sensitive fields use a demo key kept in the data dir.\n"+
				" 警告：暗号化の鍵が設定されていないため、デモ用の鍵（データフォルダ内）を使っています。\n", hooks.FieldKeyEnv)
		}
		return serve(command, args)
	}
	return c
}

// ErrNotDemo protects real data from demo accounts with printed passwords.
var ErrNotDemo = errors.New("refusing to run the demo: this data dir holds data that is not demo data (use `serve`, or an empty --dir)")

// PrepareDemo migrates the data dir and makes sure the demo city and its
// accounts exist, returning the logins.
func PrepareDemo(app core.App) ([]seed.Account, error) {
	if err := app.RunAllMigrations(); err != nil {
		return nil, err
	}
	kind, err := seed.Kind(app)
	if err != nil {
		return nil, err
	}
	has, err := seed.HasPeople(app)
	if err != nil {
		return nil, err
	}
	switch {
	case kind == seed.KindDemo:
		accounts, err := seed.ReadAccounts(app.DataDir())
		if errors.Is(err, fs.ErrNotExist) {
			accounts, err = seed.ResetPasswords(app)
			if err == nil {
				err = seed.WriteAccounts(app.DataDir(), accounts)
			}
		}
		return accounts, err
	case has || kind != "":
		return nil, ErrNotDemo
	}
	if _, err := SeedCity(app, DemoResidents, 1); err != nil {
		return nil, err
	}
	accounts, err := seed.CreateDemo(app, civil.Today())
	if err != nil {
		return nil, err
	}
	return accounts, seed.WriteAccounts(app.DataDir(), accounts)
}

func printDemo(w io.Writer, dataDir string, accounts []seed.Account) {
	bar := strings.Repeat("=", 78)
	fmt.Fprintln(w, bar)
	fmt.Fprintln(w, " DEMO MODE — synthetic people only. Demo accounts have printed passwords and")
	fmt.Fprintln(w, " relaxed login protection. Never put real data in this data dir.")
	fmt.Fprintln(w, " デモモード：架空の人物のみ。デモアカウントはログイン保護を緩めています。")
	fmt.Fprintln(w, bar)
	fmt.Fprintf(w, " %-14s %-14s %-36s %s\n", "role", "collection", "email", "password")
	for _, a := range accounts {
		fmt.Fprintf(w, " %-14s %-14s %-36s %s\n", a.Role, a.Collection, a.Email, a.Password)
	}
	fmt.Fprintf(w, " (also in %s/%s)\n", dataDir, seed.AccountsFile)
	fmt.Fprintln(w, " 登降園端末（キオスク）: /nursery/kiosk/ を開き、nursery_staff でログイン")
	fmt.Fprintln(w, bar)
}

// printDemoAPIKey prints a fresh key of the demo partner: keys are stored
// hashed, so each start makes a new one and the last printed one stops.
func printDemoAPIKey(w io.Writer, app core.App, addr string) error {
	key, err := seed.DemoAPIKey(app)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, " パートナーAPIキー（%s、公開データ用）:\n   %s\n", seed.DemoPartnerName, key)
	if addr == "" {
		addr = "127.0.0.1:8090" // serve's default
	}
	fmt.Fprintf(w, "   例: curl -H 'X-API-Key: %s' http://%s/api/lifestage/partner/usage\n", key, addr)
	fmt.Fprintln(w, strings.Repeat("=", 78))
	return nil
}
