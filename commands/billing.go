package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"github.com/saijo-dx/lifestage/audit"
	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/invoicing"
	"github.com/saijo-dx/lifestage/reports"
)

// NewBillingCommand builds `lifestage billing` (the monthly nursery invoices).
func NewBillingCommand(app core.App) *cobra.Command {
	c := &cobra.Command{Use: "billing", Short: "Monthly nursery invoices (保育料・延長保育料・副食費・写真代)"}
	c.AddCommand(newBillingRunCommand(app))
	return c
}

// newBillingRunCommand builds `lifestage billing run --month YYYY-MM
// [--nursery ID]`, the same run as the monthly job and the city's route.
func newBillingRunCommand(app core.App) *cobra.Command {
	var month, nursery string
	c := &cobra.Command{
		Use:   "run",
		Short: "Creates or recomputes the month's draft invoices (issued and paid ones are left alone)",
		Long: "Bills a finished month: one invoice per household and nursery. Drafts are recomputed in place, " +
			"issued and paid invoices are skipped, and running the same month again changes nothing.",
		Example:      "  lifestage billing run --month 2026-10\n  lifestage billing run --month 2026-10 --nursery FACILITY_ID",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := reports.ParseMonth(month)
			if err != nil {
				return fmt.Errorf("--month must be YYYY-MM (e.g. 2026-10), not %q", month)
			}
			if !reports.MonthOf(time.Now()).After(m) {
				return fmt.Errorf("--month %s has not ended yet", month)
			}
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			start := time.Now()
			s, err := invoicing.Run(app, audit.WithActor(context.Background(), audit.System),
				civil.Date{Year: m.Year, Month: m.Month, Day: 1}, nursery)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%s: %d invoices (%d created, %d updated, %d unchanged, %d skipped as issued or paid), %d held for a check\n",
				s.Month, s.Invoices, s.Created, s.Updated, s.Unchanged, s.Skipped, s.Held)
			fmt.Fprintf(w, "total %d yen, in %s\n", s.TotalYen, time.Since(start).Round(time.Millisecond))
			for _, p := range s.Problems {
				fmt.Fprintln(w, "problem:", p)
			}
			return nil
		},
	}
	c.Flags().StringVar(&month, "month", "", "the month, YYYY-MM (required)")
	c.Flags().StringVar(&nursery, "nursery", "", "bill only this nursery (facility id)")
	_ = c.MarkFlagRequired("month")
	return c
}
