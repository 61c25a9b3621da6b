// Package hooks binds PocketBase events and routes to lifestage's domain
// packages. It stays thin: validation at the edge, transactions, and calls
// into pure packages such as sharing and civil.
package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
)

// Register binds every lifestage hook and route. main and the tests both call
// it, so the tested app is the served app.
func Register(app core.App) {
	app.OnBootstrap().BindFunc(func(e *core.BootstrapEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		// Cron (backups included) runs in UTC unless told otherwise; the
		// spec's schedule is in Japanese time.
		e.App.Cron().SetTimezone(civil.Tokyo)
		return nil
	})
	bindEncryption(app)
	bindAudit(app)
	bindBackups(app)
	bindLogins(app)
	bindSecurity(app)
	bindFollowups(app)
	bindChildren(app)
	bindFamilySharing(app)
	bindNotifications(app)
	bindStaffAccounts(app)
	bindMeta(app)
	bindI18n(app)
	bindJapaneseErrors(app)
	bindManuals(app)
	bindOpsReports(app)
	bindNurseryOverview(app)
	bindSchedule(app)
	bindGrowth(app)
	bindChildHealth(app)
	bindFHIR(app)
	bindReminders(app)
	bindQuestionnaires(app)
	bindPregnancy(app)
	bindNurseryFees(app)
	bindBirthRecords(app)
	bindHistory(app)
	bindNurseryNotes(app)
	bindNurseryPlans(app)
	bindNurseryBilling(app)
	bindPhotoSales(app)
	bindNurseryAttendance(app)
	bindFrailty(app)
	bindWatch(app)
	bindWatchMy(app)
	bindWatchRegister(app)
	bindWatchFrailty(app)
	bindWatchFollowup(app)
	bindGateway(app)
	bindMyNumber(app)
	bindMynaportal(app)
	bindOpenAPI(app)
	bindOpenData(app)
	bindConsents(app)
	bindNGSI(app)
	bindPush(app)
	bindEvents(app)
	bindFacilitySearch(app)
	bindAnnouncements(app)
	bindSurveys(app)
	bindQA(app)
}
