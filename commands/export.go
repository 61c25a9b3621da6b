package commands

import (
	"fmt"
	"os/user"
	"strconv"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"github.com/saijo-dx/lifestage/audit"
	"github.com/saijo-dx/lifestage/auditlog"
	"github.com/saijo-dx/lifestage/hooks"
	"github.com/saijo-dx/lifestage/reports"
)

// NewExportCommand builds `lifestage export --format csv|xlsx --out DIR
// [--encoding utf8|sjis]`: every collection and the 項目説明書, for a
// handover of the city's data (spec §5(1)イ). The files hold personal data.
func NewExportCommand(app core.App) *cobra.Command {
	var format, out, encoding string
	c := &cobra.Command{
		Use:   "export",
		Short: "Exports every collection with its data dictionary (項目説明書) for a handover",
		Long: "Writes every collection (one CSV file each, or one xlsx workbook with a sheet each) and the\n" +
			"項目説明書 into a new or empty directory (mode 0700, files 0600). Secrets such as password\n" +
			"hashes are never written. The output holds personal data: handle it under 別紙2.",
		Example:      "  lifestage export --format csv --out ./handover-2026-03\n  lifestage export --format csv --encoding sjis --out ./handover-sjis\n  lifestage export --format xlsx --out ./handover-xlsx",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			enc, err := parseEncoding(encoding)
			if err != nil {
				return err
			}
			if format != reports.FormatCSV && format != reports.FormatXLSX {
				return fmt.Errorf("--format must be csv or xlsx, not %q", format)
			}
			if format == reports.FormatXLSX && encoding != "" && encoding != "utf8" {
				return fmt.Errorf("--encoding applies to csv only")
			}
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			start := time.Now()
			res, err := reports.Export(app, reports.ExportOptions{
				Format: format, Encoding: enc, Dir: out, Now: start,
				Progress: func(c reports.ExportedCollection) {
					fmt.Fprintf(w, "%-24s %9d rows  %s\n", c.Name, c.Rows, c.Where)
				},
				Decrypt: func(r *core.Record, field string) (string, error) {
					return hooks.DecryptField(app, r, field)
				},
			})
			if err != nil {
				return fmt.Errorf("export: %w", err)
			}
			if err := logExport(app, res, format, start); err != nil {
				return fmt.Errorf("export written, but the audit log failed: %w", err)
			}
			fmt.Fprintf(w, "exported %d collections, %d rows to %s in %s\n",
				len(res.Collections), res.Rows(), out, time.Since(start).Round(time.Millisecond))
			for _, f := range res.Undocumented {
				fmt.Fprintf(w, "warning: %s is in the database but not in collections/; it was not exported\n", f)
			}
			fmt.Fprintln(w, "注意: 出力には個人情報が含まれます。別紙2に従って取り扱ってください。")
			return nil
		},
	}
	c.Flags().StringVar(&format, "format", reports.FormatCSV, "csv or xlsx")
	c.Flags().StringVar(&out, "out", "", "output directory (created, or empty)")
	c.Flags().StringVar(&encoding, "encoding", "utf8", "CSV encoding: utf8 (with BOM) or sjis (Shift_JIS)")
	_ = c.MarkFlagRequired("out")
	return c
}

// logExport records the handover in the audit log, one entry per collection
// with its row count: personal data left the system through the CLI.
func logExport(app core.App, res *reports.ExportResult, format string, at time.Time) error {
	// The actor column holds account ids; a shell user has none, so the
	// operating-system user goes with the command line.
	agent := "lifestage export --format " + format
	if u, err := user.Current(); err == nil {
		agent += "; os user " + u.Username
	}
	for _, c := range res.Collections {
		err := auditlog.Append(app, audit.Entry{
			At: audit.Stamp(at), ActorRole: "cli", Action: "export",
			Collection: c.Name, Record: strconv.Itoa(c.Rows), UserAgent: agent,
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func parseEncoding(s string) (reports.Encoding, error) {
	switch s {
	case "", "utf8", "utf-8":
		return reports.UTF8BOM, nil
	case "sjis", "shift_jis":
		return reports.ShiftJIS, nil
	}
	return 0, fmt.Errorf("--encoding must be utf8 or sjis, not %q", s)
}
