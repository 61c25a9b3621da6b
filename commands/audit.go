package commands

import (
	"errors"
	"fmt"
	"os"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"github.com/saijo-dx/lifestage/auditlog"
)

// ErrAuditBroken makes `audit verify` exit non-zero.
var ErrAuditBroken = errors.New("audit chain broken")

// NewAuditCommand builds `lifestage audit verify`.
func NewAuditCommand(app core.App) *cobra.Command {
	root := &cobra.Command{Use: "audit", Short: "Checks the tamper-evident audit log"}
	root.AddCommand(&cobra.Command{
		Use:          "verify",
		Short:        "Verifies the whole audit chain; prints ok, or the id of the first broken entry",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			res, err := auditlog.Verify(app)
			if err != nil {
				return err
			}
			if !res.OK {
				fmt.Fprintln(cmd.OutOrStdout(), res.BrokenID)
				fmt.Fprintln(os.Stderr, res.Reason)
				return ErrAuditBroken
			}
			fmt.Fprintln(cmd.OutOrStdout(), "ok")
			fmt.Fprintf(os.Stderr, "%d entries, head %d %s\n", res.Entries, res.Head.Seq, res.Head.Hash)
			return nil
		},
	})
	return root
}
