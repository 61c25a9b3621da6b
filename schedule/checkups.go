package schedule

import "github.com/saijo-dx/lifestage/civil"

// Checkup is one infant or child health checkup (乳幼児健康診査) with its
// inclusive target window. Status is Upcoming before From, Due from From to
// To, Overdue after To, or Done when the caller says it was attended.
type Checkup struct {
	Code      string
	Label     string
	Statutory bool // 母子保健法12条 (the municipality must hold it); else 13条
	From      civil.Date
	To        civil.Date
	Status    Status
}

// CheckupCodes lists the checkup codes in the order Checkups returns them.
var CheckupCodes = []string{"1m", "3-4m", "9-10m", "1y6m", "3y"}

// checkupRule builds the window of one checkup from the birth date.
// The windows follow domain-data.md §2.1 and are computed only with the
// civil helpers, so that they read the same way as the vaccine windows
// (§1.1):
//   - MonthBoundary(b, k) is 「生後K月」, and a window 「生後K月から生後M月に
//     至るまで」 is [MonthBoundary(K), MonthBoundary(M)], both days included.
//   - AgeReachedDate(b, n) is the day on whose end the child reaches age n
//     (the day before the birthday). 「満N歳に達しない」 therefore still holds
//     on that whole day, exactly like 「N歳未満」 in §1.1; 「満N歳を超え」
//     begins the day after it (the birthday itself, or Mar 1 for a Feb 29
//     birth in a common year).
type checkupRule struct {
	code, label string
	statutory   bool
	window      func(birth civil.Date) (from, to civil.Date)
}

var checkupRules = []checkupRule{
	// 1か月児健診 (13条, national subsidy since FY2023 補正): "~生後1か月".
	// Window: 生後1月から生後2月に至るまで.
	{"1m", "1か月児健診", false, monthsWindow(1, 2)},
	// 乳児健診 前期 (13条): §2.1 gives 3〜4か月 (or 3〜6か月). Window: 生後3月から
	// 生後5月に至るまで, i.e. while the child is 3 or 4 months old.
	{"3-4m", "3〜4か月児健診", false, monthsWindow(3, 5)},
	// 乳児健診 後期 (13条): §2.1 gives 9〜10か月 (or 9〜11か月). Window: 生後9月から
	// 生後11月に至るまで, i.e. while the child is 9 or 10 months old.
	{"9-10m", "9〜10か月児健診", false, monthsWindow(9, 11)},
	// 母子保健法12条1項1号「満1歳6か月を超え満2歳に達しない幼児」: the child
	// reaches 1y6m at the end of MonthBoundary(18), so the window opens the
	// next day (the 1歳6か月 "birthday") and runs to the day before the 2nd
	// birthday, inclusive.
	{"1y6m", "1歳6か月児健診", true, func(b civil.Date) (civil.Date, civil.Date) {
		return civil.MonthBoundary(b, 18).AddDays(1), civil.AgeReachedDate(b, 2)
	}},
	// 母子保健法12条1項2号「満3歳を超え満4歳に達しない幼児」: from the 3rd
	// birthday to the day before the 4th, inclusive. Saijo itself invites
	// children at 3歳6か月以上4歳未満 (満3歳から受診可, §2.1); the legal window
	// is the one kept here.
	{"3y", "3歳児健診", true, func(b civil.Date) (civil.Date, civil.Date) {
		return civil.AgeReachedDate(b, 3).AddDays(1), civil.AgeReachedDate(b, 4)
	}},
}

// monthsWindow is 「生後K月から生後M月に至るまで」.
func monthsWindow(k, until int) func(civil.Date) (civil.Date, civil.Date) {
	return func(b civil.Date) (civil.Date, civil.Date) {
		return civil.MonthBoundary(b, k), civil.MonthBoundary(b, until)
	}
}

// Checkups returns the five infant/child checkups of a child born on birth,
// with their status on asOf.
func Checkups(birth, asOf civil.Date) []Checkup { return CheckupsWithDone(birth, asOf, nil) }

// CheckupsWithDone is Checkups where done[code] marks a checkup already
// attended (status Done whatever the date). A nil map means none.
func CheckupsWithDone(birth, asOf civil.Date, done map[string]bool) []Checkup {
	out := make([]Checkup, 0, len(checkupRules))
	for _, r := range checkupRules {
		from, to := r.window(birth)
		c := Checkup{Code: r.code, Label: r.label, Statutory: r.statutory, From: from, To: to}
		switch {
		case done[r.code]:
			c.Status = Done
		case asOf.Before(from):
			c.Status = Upcoming
		case asOf.After(to):
			c.Status = Overdue
		default:
			c.Status = Due
		}
		out = append(out, c)
	}
	return out
}

// CheckupLabel is the Japanese name of a checkup code (1か月児健診, ...), or
// the code itself when unknown.
func CheckupLabel(code string) string {
	for _, r := range checkupRules {
		if r.code == code {
			return r.label
		}
	}
	return code
}
