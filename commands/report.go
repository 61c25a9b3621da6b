package commands

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"
)

// NewReportCommand builds `lifestage report` (usage reports).
func NewReportCommand(app core.App) *cobra.Command {
	return &cobra.Command{Use: "report", Short: "Usage reports for the city", Hidden: true}
}
