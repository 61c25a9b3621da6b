package civil

import "testing"

func TestAgeYMD(t *testing.T) {
	cases := []struct {
		birth, on string
		y, m, d   int
		text      string
	}{
		{"2025-01-15", "2025-01-15", 0, 0, 0, "0歳0か月0日"},
		{"2025-01-15", "2025-02-14", 0, 0, 30, "0歳0か月30日"},
		{"2025-01-15", "2025-02-15", 0, 1, 0, "0歳1か月0日"},
		{"2024-09-20", "2025-11-23", 1, 2, 3, "1歳2か月3日"},
		{"2025-01-31", "2025-02-28", 0, 1, 0, "0歳1か月0日"},   // shorter month: its last day
		{"2025-01-31", "2025-03-30", 0, 1, 30, "0歳1か月30日"}, // counted from Feb 28
		{"2025-01-31", "2025-03-31", 0, 2, 0, "0歳2か月0日"},
		{"2024-02-29", "2025-02-28", 1, 0, 0, "1歳0か月0日"},
		{"2024-02-29", "2025-03-01", 1, 0, 1, "1歳0か月1日"},
		{"2020-04-02", "2026-04-01", 5, 11, 30, "5歳11か月30日"},
		{"2025-05-01", "2025-04-30", 0, 0, 0, "0歳0か月0日"}, // before birth
	}
	for _, c := range cases {
		y, m, dd := AgeYMD(d(c.birth), d(c.on))
		if y != c.y || m != c.m || dd != c.d {
			t.Errorf("AgeYMD(%s, %s) = %d,%d,%d want %d,%d,%d", c.birth, c.on, y, m, dd, c.y, c.m, c.d)
		}
		if got := AgeText(d(c.birth), d(c.on)); got != c.text {
			t.Errorf("AgeText(%s, %s) = %q want %q", c.birth, c.on, got, c.text)
		}
	}
}
