package hooks

import "github.com/pocketbase/pocketbase/core"

// bindJob schedules a daily or periodic job once the app has bootstrapped,
// when the cron runs in Tokyo time (Register sets the zone). run gets the
// bootstrapped app, which is the one the job must use.
func bindJob(app core.App, id, schedule string, run func(app core.App)) {
	app.OnBootstrap().BindFunc(func(e *core.BootstrapEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		a := e.App
		return a.Cron().Add(id, schedule, func() { run(a) })
	})
}
