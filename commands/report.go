package commands

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"github.com/saijo-dx/lifestage/reports"
)

// NewReportCommand builds `lifestage report` (reports for the city).
func NewReportCommand(app core.App) *cobra.Command {
	c := &cobra.Command{Use: "report", Short: "Reports for the city (利用者数報告)"}
	c.AddCommand(newUsersReportCommand(app))
	return c
}

// newUsersReportCommand builds `lifestage report users --month YYYY-MM
// [--out FILE]`: registered accounts per system and role at the end of the
// month and of the month before (spec §4(10)エ), as xlsx.
func newUsersReportCommand(app core.App) *cobra.Command {
	var month, out string
	c := &cobra.Command{
		Use:          "users",
		Short:        "Writes the monthly usage report (利用者数報告) as xlsx",
		Example:      "  lifestage report users --month 2026-03\n  lifestage report users --month 2026-03 --out /tmp/users.xlsx",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			now := time.Now()
			m, err := reports.ReportMonth(month, now)
			if errors.Is(err, reports.ErrFutureMonth) {
				return fmt.Errorf("--month %s has not started yet", month)
			}
			if err != nil {
				return fmt.Errorf("--month must be YYYY-MM (e.g. 2026-03), not %q", month)
			}
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			r, err := reports.UsersReport(app, m, now)
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := r.WriteXLSX(&buf); err != nil {
				return err
			}
			path := out
			if path == "" {
				path = r.FileName()
			}
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			for _, row := range r.Rows {
				fmt.Fprintf(w, "%6d %6d %+6d  %s\n", row.Current, row.Previous, row.Change, row.Label)
			}
			fmt.Fprintf(w, "wrote %s (%s)\n", path, reports.UsersTitle(m))
			return nil
		},
	}
	c.Flags().StringVar(&month, "month", "", "the month, YYYY-MM (default: last month)")
	c.Flags().StringVar(&out, "out", "", "output file (default users-YYYY-MM.xlsx in the current directory)")
	return c
}
