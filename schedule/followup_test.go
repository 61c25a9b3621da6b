package schedule

import (
	"testing"

	"github.com/saijo-dx/lifestage/civil"
)

func TestFollowup(t *testing.T) {
	d := func(s string) civil.Date { v, _ := civil.Parse(s); return v }
	birth := d("2023-05-10")
	onTime := OnTimeHistory(birth, "female", d("2025-11-10"), nil)
	cases := []struct {
		name  string
		asOf  string
		doses []Dose
		done  map[string]bool
		want  []string // codes with reasons
	}{
		{"everything on time, 1歳6か月 attended", "2025-11-10", onTime, map[string]bool{"1y6m": true}, nil},
		{"the 1歳6か月 checkup missed", "2025-11-10", onTime, nil, []string{"1y6m"}},
		// MR1's window (12–24 months) has closed by then: expired, not overdue.
		{"no vaccine at all at 2 years 6 months", "2025-11-10", nil, map[string]bool{"1y6m": true},
			[]string{"dtp_ipv_hib", "pcv", "varicella"}},
	}
	for _, c := range cases {
		got := Followup(birth, "female", d(c.asOf), c.doses, c.done)
		codes := map[string]bool{}
		for _, r := range got {
			codes[r.Code] = true
			if r.Label == "" || r.Latest.IsZero() {
				t.Errorf("%s: reason %+v lacks a label or deadline", c.name, r)
			}
		}
		if len(c.want) == 0 && len(got) != 0 {
			t.Errorf("%s: unexpected reasons %+v", c.name, got)
		}
		for _, w := range c.want {
			if !codes[w] {
				t.Errorf("%s: no reason for %s in %+v", c.name, w, got)
			}
		}
	}
}
