package seed

import (
	"slices"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// week builds an openingHours value: the same ranges on the given days,
// then extra ranges on other days; holidays closed unless listed.
type week map[string][][2]string

func (w week) on(ranges [][2]string, days ...string) week {
	for _, d := range days {
		w[d] = append(w[d], ranges...)
	}
	return w
}

func newWeek() week { return week{"holiday": {}} }

var (
	monSat = []string{"mon", "tue", "wed", "thu", "fri", "sat"}
	monFri = []string{"mon", "tue", "wed", "thu", "fri"}
	// Infant and preschool vaccines a pediatric clinic gives.
	infantVaccines = []string{"hepb", "rota1", "rota5", "dtp_ipv_hib", "pcv", "bcg", "mr1", "mr2", "varicella", "je1"}
	// School-age vaccines family clinics give as well.
	schoolVaccines = []string{"je2", "dt2", "hpv"}
)

func r(open, close string) [][2]string { return [][2]string{{open, close}} }

// searchProfile returns the synthetic opening hours, vaccines and
// checkups of the i-th public facility of its type, so that every search
// filter finds something: clinics with different afternoons, one pediatric
// clinic open on Sunday mornings (休日当番), a 24-hour emergency hospital.
func searchProfile(i int, f *core.Record) (hours week, vaccines, checkups []string) {
	services := f.GetStringSlice("services")
	has := func(s string) bool { return slices.Contains(services, s) }
	name := f.GetString("name")
	switch f.GetString("type") {
	case "clinic":
		switch {
		case has("pediatrics"):
			hours = newWeek().on(r("09:00", "12:00"), monSat...).on(r("15:00", "18:00"), "mon", "tue", "wed", "fri")
			if i%4 == 0 {
				hours.on(r("09:00", "12:00"), "sun")
			}
			vaccines = slices.Clone(infantVaccines)
			if i%2 == 0 {
				vaccines = append(vaccines, schoolVaccines...)
			}
			checkups = []string{"1m", "3-4m", "9-10m"}
		case has("maternity"):
			hours = newWeek().on(append(r("09:00", "12:30"), r("14:30", "18:00")...), monFri...).on(r("09:00", "12:30"), "sat")
			vaccines, checkups = []string{"hpv"}, []string{"prenatal", "1m"}
		case has("home_visit") && strings.Contains(name, "ファミリー"):
			hours = newWeek().on(r("08:30", "12:30"), monSat...).on(r("14:30", "18:00"), "mon", "tue", "thu", "fri")
			vaccines = slices.Clone(schoolVaccines)
		default:
			hours = newWeek().on(r("09:00", "12:30"), monSat...).on(r("15:00", "18:30"), "mon", "tue", "wed", "fri")
		}
	case "hospital":
		if has("emergency") {
			hours = week{}.on(r("00:00", "24:00"), append(monSat, "sun", "holiday")...)
		} else {
			hours = newWeek().on(r("08:30", "11:30"), monFri...).on(r("08:30", "11:00"), "sat")
		}
		if has("pediatrics") {
			// Hospitals also finish series begun with the older vaccines.
			vaccines = append(append(slices.Clone(infantVaccines), schoolVaccines...), "dtp_ipv", "hib")
			checkups = []string{"1m", "9-10m"}
		}
		if has("maternity") {
			checkups = append(checkups, "prenatal")
		}
	case "health_center":
		hours = newWeek().on(r("08:30", "17:15"), monFri...)
		checkups = []string{"3-4m", "1y6m", "3y", "5y"}
	case "nursery", "kodomoen":
		if has("extended_hours") {
			hours = newWeek().on(r("07:00", "19:00"), monSat...)
		} else {
			hours = newWeek().on(r("07:30", "18:30"), monSat...)
		}
	case "kindergarten":
		hours = newWeek().on(r("08:30", "14:00"), monFri...)
	case "child_support_center":
		hours = newWeek().on(r("09:00", "16:00"), monSat...)
	case "community_center":
		hours = newWeek().on(r("08:30", "21:00"), monSat...)
	}
	return hours, vaccines, checkups
}

// DemoSearch gives the public facilities of the data set the opening
// hours, vaccines and checkups the facility search filters on. Facilities
// that already have opening hours keep them.
func DemoSearch(app core.App) error {
	recs, err := app.FindRecordsByFilter("facilities", "public = true", "code", 0, 0)
	if err != nil {
		return err
	}
	nth := map[string]int{} // per type, so each kind gets its variations
	for _, f := range recs {
		if len(openingHoursOf(f)) > 0 {
			continue
		}
		i := nth[f.GetString("type")]
		nth[f.GetString("type")]++
		hours, vaccines, checkups := searchProfile(i, f)
		if hours == nil {
			continue
		}
		f.Set("openingHours", hours)
		f.Set("vaccines", vaccines)
		f.Set("checkups", checkups)
		if err := app.Save(f); err != nil {
			return err
		}
	}
	return nil
}

func openingHoursOf(f *core.Record) string {
	s := f.GetString("openingHours")
	if s == "null" {
		return ""
	}
	return s
}
