package schedule

import (
	"slices"

	"github.com/saijo-dx/lifestage/civil"
)

// VaccineLabels are the Japanese names of the vaccine codes.
var VaccineLabels = map[string]string{
	"hepb": "B型肝炎", "rota1": "ロタウイルス（1価）", "rota5": "ロタウイルス（5価）",
	"dtp_ipv_hib": "五種混合", "dtp_ipv": "四種混合", "hib": "ヒブ", "pcv": "小児用肺炎球菌",
	"bcg": "BCG", "mr1": "麻しん風しん（1期）", "mr2": "麻しん風しん（2期）", "varicella": "水痘",
	"je1": "日本脳炎（1期）", "je2": "日本脳炎（2期）", "dt2": "二種混合（2期）", "hpv": "HPV（子宮頸がん予防）",
}

// Reason is why a child is on the city's follow-up list.
type Reason struct {
	Kind   string // "vaccine" or "checkup"
	Code   string // vaccine or checkup code
	Dose   int    // vaccines only
	Label  string // Japanese, e.g. "小児用肺炎球菌 3回目" or "1歳6か月児健診"
	Latest civil.Date
}

// Followup lists what a child has fallen behind on as of asOf: routine
// vaccine doses past their standard period while still in the legal window
// (so there is still time to give them), and statutory checkups whose
// window has passed without a visit. done lists the checkups attended.
func Followup(birth civil.Date, sex string, asOf civil.Date, doses []Dose, done map[string]bool) []Reason {
	var out []Reason
	for _, it := range Compute(birth, sex, asOf, doses) {
		if it.Status != Overdue {
			continue
		}
		out = append(out, Reason{Kind: "vaccine", Code: it.Vaccine, Dose: it.Dose, Latest: it.Latest,
			Label: VaccineLabels[it.Vaccine] + " " + itoa(it.Dose) + "回目"})
	}
	for _, c := range CheckupsWithDone(birth, asOf, done) {
		if c.Statutory && c.Status == Overdue {
			out = append(out, Reason{Kind: "checkup", Code: c.Code, Label: c.Label, Latest: c.To})
		}
	}
	return out
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + itoa(n%10)
}

// OnTimeHistory returns the doses a child would have had by today if every
// vaccine not in skip was given a week after it became possible: the
// history of a family that keeps to the schedule (demo data and tests).
func OnTimeHistory(birth civil.Date, sex string, today civil.Date, skip []string) []Dose {
	var given []Dose
	for range 60 { // no schedule has more doses
		var next *Item
		items := Compute(birth, sex, birth, given)
		for i := range items {
			it := &items[i]
			if it.Date != nil || it.Status == Skipped || slices.Contains(skip, it.Vaccine) || it.Earliest.After(it.Latest) {
				continue
			}
			if next == nil || it.Earliest.Before(next.Earliest) {
				next = it
			}
		}
		if next == nil {
			break
		}
		date := civil.Earlier(next.Earliest.AddDays(7), next.Latest)
		if date.After(today) {
			break
		}
		given = append(given, Dose{Vaccine: next.Vaccine, Date: date})
	}
	return given
}
