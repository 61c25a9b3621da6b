package schedule

import (
	"fmt"
	"testing"
)

// Windows hand-computed from domain-data.md §1.1 (MonthBoundary: same day K
// months later −1, or that month's last day when the day does not exist)
// and §2.1 (母子保健法12条 for 1y6m and 3y).
func TestCheckupWindows(t *testing.T) {
	cases := []struct {
		name, birth string
		want        [5][2]string // From, To in CheckupCodes order
	}{
		{"ordinary", "2025-04-10", [5][2]string{
			{"2025-05-09", "2025-06-09"},
			{"2025-07-09", "2025-09-09"},
			{"2026-01-09", "2026-03-09"},
			{"2026-10-10", "2027-04-09"}, // 1歳6か月 "birthday" .. day before 2nd birthday
			{"2028-04-10", "2029-04-09"}, // 3rd birthday .. day before 4th
		}},
		{"Aug 31: short target months", "2024-08-31", [5][2]string{
			{"2024-09-30", "2024-10-30"}, // Sep 31 missing → Sep 30, no −1
			{"2024-11-30", "2025-01-30"},
			{"2025-05-30", "2025-07-30"},
			{"2026-03-01", "2026-08-30"}, // 18 months → Feb 31 missing → Feb 28, +1
			{"2027-08-31", "2028-08-30"},
		}},
		{"Dec 31", "2025-12-31", [5][2]string{
			{"2026-01-30", "2026-02-28"},
			{"2026-03-30", "2026-05-30"},
			{"2026-09-30", "2026-11-30"},
			{"2027-07-01", "2027-12-30"},
			{"2028-12-31", "2029-12-30"},
		}},
		{"Feb 29", "2024-02-29", [5][2]string{
			{"2024-03-28", "2024-04-28"},
			{"2024-05-28", "2024-07-28"},
			{"2024-11-28", "2025-01-28"},
			{"2025-08-29", "2026-02-28"}, // reaches 2 on Feb 28 of a common year
			{"2027-03-01", "2028-02-28"}, // reaches 3 on 2027-02-28; 4 on 2028-02-28
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Checkups(day(c.birth), day(c.birth))
			if len(got) != len(CheckupCodes) {
				t.Fatalf("got %d checkups, want %d", len(got), len(CheckupCodes))
			}
			for i, ck := range got {
				if ck.Code != CheckupCodes[i] {
					t.Errorf("#%d code %q, want %q", i, ck.Code, CheckupCodes[i])
				}
				if f, to := ck.From.String(), ck.To.String(); f != c.want[i][0] || to != c.want[i][1] {
					t.Errorf("%s: [%s, %s], want [%s, %s]", ck.Code, f, to, c.want[i][0], c.want[i][1])
				}
				if ck.Status != Upcoming {
					t.Errorf("%s at birth: %s, want upcoming", ck.Code, ck.Status)
				}
			}
		})
	}
}

func TestCheckupLabels(t *testing.T) {
	want := map[string]struct {
		label     string
		statutory bool
	}{
		"1m":    {"1か月児健診", false},
		"3-4m":  {"3〜4か月児健診", false},
		"9-10m": {"9〜10か月児健診", false},
		"1y6m":  {"1歳6か月児健診", true},
		"3y":    {"3歳児健診", true},
	}
	for _, ck := range Checkups(day("2025-04-10"), day("2025-04-10")) {
		w := want[ck.Code]
		if ck.Label != w.label || ck.Statutory != w.statutory {
			t.Errorf("%s: %q %v, want %q %v", ck.Code, ck.Label, ck.Statutory, w.label, w.statutory)
		}
		if got := CheckupLabel(ck.Code); got != w.label {
			t.Errorf("CheckupLabel(%s) = %q, want %q", ck.Code, got, w.label)
		}
	}
	if got := CheckupLabel("nope"); got != "nope" {
		t.Errorf("an unknown code must name itself, got %q", got)
	}
}

func TestCheckupStatus(t *testing.T) {
	const u, d, o, x = Upcoming, Due, Overdue, Done
	cases := []struct {
		birth, asOf string
		done        map[string]bool
		want        [5]Status
	}{
		{"2025-04-10", "2025-05-08", nil, [5]Status{u, u, u, u, u}},
		{"2025-04-10", "2025-05-09", nil, [5]Status{d, u, u, u, u}}, // 生後1月
		{"2025-04-10", "2025-06-09", nil, [5]Status{d, u, u, u, u}}, // 生後2月に至るまで
		{"2025-04-10", "2025-06-10", nil, [5]Status{o, u, u, u, u}},
		{"2025-04-10", "2025-07-09", nil, [5]Status{o, d, u, u, u}},
		{"2025-04-10", "2026-10-09", nil, [5]Status{o, o, o, u, u}}, // 1y6m reached at the end of this day
		{"2025-04-10", "2026-10-10", nil, [5]Status{o, o, o, d, u}}, // 満1歳6か月を超え
		{"2025-04-10", "2027-04-09", nil, [5]Status{o, o, o, d, u}}, // still 満2歳に達しない
		{"2025-04-10", "2027-04-10", nil, [5]Status{o, o, o, o, u}},
		{"2025-04-10", "2028-04-09", nil, [5]Status{o, o, o, o, u}}, // reaches 3 at the end of this day
		{"2025-04-10", "2028-04-10", nil, [5]Status{o, o, o, o, d}},
		{"2025-04-10", "2029-04-09", nil, [5]Status{o, o, o, o, d}},
		{"2025-04-10", "2029-04-10", nil, [5]Status{o, o, o, o, o}},
		{"2024-02-29", "2026-02-28", nil, [5]Status{o, o, o, d, u}},
		{"2024-02-29", "2026-03-01", nil, [5]Status{o, o, o, o, u}},
		{"2024-02-29", "2027-02-28", nil, [5]Status{o, o, o, o, u}},
		{"2024-02-29", "2027-03-01", nil, [5]Status{o, o, o, o, d}},
		{"2025-04-10", "2026-01-01", map[string]bool{"1m": true, "3-4m": true}, [5]Status{x, x, u, u, u}},
		{"2025-04-10", "2025-05-20", map[string]bool{"1m": true, "3y": true, "bogus": true}, [5]Status{x, u, u, u, x}},
		{"2025-04-10", "2027-05-01", map[string]bool{"1y6m": false}, [5]Status{o, o, o, o, u}},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s@%s", c.birth, c.asOf), func(t *testing.T) {
			got := CheckupsWithDone(day(c.birth), day(c.asOf), c.done)
			for i, ck := range got {
				if ck.Status != c.want[i] {
					t.Errorf("%s [%s, %s]: %s, want %s", ck.Code, ck.From, ck.To, ck.Status, c.want[i])
				}
			}
		})
	}
}
