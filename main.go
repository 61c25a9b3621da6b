// lifestage is the platform Saijo city runs to serve its residents at every
// life stage: one PocketBase application with lifestage's schema, hooks,
// pages and commands.
package main

import (
	"embed"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/plugins/migratecmd"

	"github.com/saijo-dx/lifestage/commands"
	"github.com/saijo-dx/lifestage/hooks"
	_ "github.com/saijo-dx/lifestage/migrations"
)

//go:embed all:pb_public
var publicFS embed.FS

func main() {
	// Dev mode logs every SQL statement, which floods the terminal while the
	// demo seeds a city; it stays available through --dev.
	app := pocketbase.NewWithConfig(pocketbase.Config{DefaultDataDir: defaultDataDir()})
	app.RootCmd.Use = "lifestage"
	app.RootCmd.Short = "lifestage: Saijo city's platform for residents at every life stage"

	// The schema lives in collections/ as Go; dashboard edits must not write
	// migrations behind its back.
	migratecmd.MustRegister(app, app.RootCmd, migratecmd.Config{Automigrate: false})

	hooks.Register(app)
	hooks.ServePages(app, apis.MustSubFS(publicFS, "pb_public"))

	app.RootCmd.AddCommand(
		commands.NewSeedCommand(app),
		commands.NewDemoCommand(app),
		commands.NewExportCommand(app),
		commands.NewReportCommand(app),
		commands.NewAuditCommand(app),
		commands.NewBackupCommand(app),
		commands.NewKeysCommand(app),
		commands.NewBillingCommand(app),
		commands.NewPartnerCommand(app),
	)

	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}

// defaultDataDir is pb_data in the working directory under `go run` (whose
// binary lives in a temporary build dir), and next to the binary otherwise.
func defaultDataDir() string {
	exe, err := os.Executable()
	if err != nil || strings.Contains(exe, "go-build") {
		return "pb_data"
	}
	return filepath.Join(filepath.Dir(exe), "pb_data")
}
