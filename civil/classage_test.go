package civil

import "testing"

// Cases from domain-data.md §5.1 (class age fixed on 年度初日の前日; Saijo:
// 「4月初日時点の年齢」) and the April 1/2 school-year boundary.
func TestClassAge(t *testing.T) {
	cases := []struct {
		birth string
		fy    int
		want  int
	}{
		{"2023-04-01", 2026, 3}, // April 1: older class, free from FY2026
		{"2023-04-02", 2026, 2}, // April 2: younger class
		{"2024-03-31", 2026, 2},
		{"2025-04-02", 2026, 0},
		{"2026-04-01", 2026, 0},  // born on the first day: this year's 0歳児クラス
		{"2026-04-02", 2026, -1}, // next year's 0歳児クラス
		{"2026-01-10", 2026, 0},
		{"2020-04-02", 2026, 5}, // 5歳児クラス, the last before school
		{"2020-04-01", 2026, 6}, // already at school
		{"2024-02-29", 2026, 2},
		{"2024-02-29", 2027, 3},
	}
	for _, c := range cases {
		if got := ClassAge(d(c.birth), c.fy); got != c.want {
			t.Errorf("ClassAge(%s, FY%d) = %d, want %d", c.birth, c.fy, got, c.want)
		}
	}
}
