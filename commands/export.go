package commands

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"
)

// NewExportCommand builds `lifestage export` (handover export).
func NewExportCommand(app core.App) *cobra.Command {
	return &cobra.Command{Use: "export", Short: "Exports every collection with a data dictionary (handover)", Hidden: true}
}
