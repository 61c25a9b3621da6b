package fees

import (
	"strings"
	"testing"
)

func saijo2026(t testing.TB) Table {
	t.Helper()
	tbl, err := Saijo(2026)
	if err != nil {
		t.Fatal(err)
	}
	return tbl
}

// The amounts of 令和8年度西条市保育所等保育料基準額表 (domain-data.md §5.6),
// restated here so that a changed CSV fails loudly.
func TestSaijo2026Amounts(t *testing.T) {
	want := []Row{
		{Tier: "A"}, {Tier: "B"},
		{Tier: "C1", IncomeTaxFrom: 0, IncomeTaxBelow: 1, Standard: 14800, Short: 14500, ProtectedStandard: 6900, ProtectedShort: 6750},
		{Tier: "C2", IncomeTaxFrom: 1, IncomeTaxBelow: 48600, Standard: 16000, Short: 15700, ProtectedStandard: 7500, ProtectedShort: 7350},
		{Tier: "C3", IncomeTaxFrom: 48600, IncomeTaxBelow: 57700, Standard: 21800, Short: 21400, ProtectedStandard: 9000, ProtectedShort: 8800},
		{Tier: "C4", IncomeTaxFrom: 57700, IncomeTaxBelow: 65500, Standard: 21800, Short: 21400, ProtectedStandard: 9000, ProtectedShort: 8800},
		{Tier: "C5", IncomeTaxFrom: 65500, IncomeTaxBelow: 77101, Standard: 25000, Short: 24500, ProtectedStandard: 9000, ProtectedShort: 8800},
		{Tier: "C6", IncomeTaxFrom: 77101, IncomeTaxBelow: 80000, Standard: 25000, Short: 24500},
		{Tier: "C7", IncomeTaxFrom: 80000, IncomeTaxBelow: 97000, Standard: 27000, Short: 26500},
		{Tier: "C8", IncomeTaxFrom: 97000, IncomeTaxBelow: 126000, Standard: 33000, Short: 32400},
		{Tier: "C9", IncomeTaxFrom: 126000, IncomeTaxBelow: 169000, Standard: 38000, Short: 37300},
		{Tier: "C10", IncomeTaxFrom: 169000, IncomeTaxBelow: 232000, Standard: 43500, Short: 42700},
		{Tier: "C11", IncomeTaxFrom: 232000, IncomeTaxBelow: 301000, Standard: 48000, Short: 47100},
		{Tier: "C12", IncomeTaxFrom: 301000, IncomeTaxBelow: 0, Standard: 50000, Short: 49100},
	}
	tbl := saijo2026(t)
	if tbl.FiscalYear != 2026 || !strings.Contains(tbl.Source, "84822.pdf") {
		t.Errorf("FY%d, source %q", tbl.FiscalYear, tbl.Source)
	}
	if len(tbl.Rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(tbl.Rows), len(want))
	}
	for i, w := range want {
		got := tbl.Rows[i]
		got.Label = ""
		if got != w {
			t.Errorf("row %d = %+v, want %+v", i, got, w)
		}
	}
	if r, _ := tbl.Row("C3"); r.Label != "所得割 48,600以上57,700円未満" {
		t.Errorf("C3 label %q", r.Label)
	}
	for _, tier := range []Tier{"A", "B", "C6", "C12"} {
		if r, _ := tbl.Row(tier); r.HasProtectedRate() {
			t.Errorf("%s has a protected rate", tier)
		}
	}
}

// Bounds are 「以上」 (inclusive) and 「未満」 (exclusive).
func TestBracket(t *testing.T) {
	tbl := saijo2026(t)
	cases := []struct {
		name string
		in   Income
		want Tier
	}{
		{"生活保護", Income{Welfare: true}, "A"},
		{"生活保護 and 非課税", Income{Welfare: true, TaxExempt: true}, "A"},
		{"非課税", Income{TaxExempt: true}, "B"},
		{"均等割のみ", Income{IncomeTax: 0}, "C1"},
		{"1 yen", Income{IncomeTax: 1}, "C2"},
		{"48,599 is still C2", Income{IncomeTax: 48599}, "C2"},
		{"48,600 is C3", Income{IncomeTax: 48600}, "C3"},
		{"57,699", Income{IncomeTax: 57699}, "C3"},
		{"57,700", Income{IncomeTax: 57700}, "C4"},
		{"77,100", Income{IncomeTax: 77100}, "C5"},
		{"77,101", Income{IncomeTax: 77101}, "C6"},
		{"300,999", Income{IncomeTax: 300999}, "C11"},
		{"301,000", Income{IncomeTax: 301000}, "C12"},
		{"very high", Income{IncomeTax: 9_000_000}, "C12"},
	}
	for _, c := range cases {
		r, err := tbl.Bracket(c.in)
		if err != nil || r.Tier != c.want {
			t.Errorf("%s: %s (%v), want %s", c.name, r.Tier, err, c.want)
		}
	}
}

func TestParseTier(t *testing.T) {
	for in, want := range map[string]Tier{"Ａ": "A", "Ｂ": "B", "Ｃ1": "C1", "Ｃ１２": "C12", " C7 ": "C7"} {
		if got, err := ParseTier(in); err != nil || got != want {
			t.Errorf("ParseTier(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "C", "C0", "C01", "D", "c1", "C-1"} {
		if _, err := ParseTier(in); err == nil {
			t.Errorf("ParseTier(%q) accepted", in)
		}
	}
}

func TestNewTableRejectsBrokenTables(t *testing.T) {
	good := saijo2026(t).Rows
	edit := func(f func([]Row) []Row) []Row { return f(append([]Row(nil), good...)) }
	cases := map[string][]Row{
		"no B":             edit(func(r []Row) []Row { return append(r[:1], r[2:]...) }),
		"a gap":            edit(func(r []Row) []Row { r[4].IncomeTaxFrom = 48601; return r }),
		"missing C5":       edit(func(r []Row) []Row { return append(r[:6], r[7:]...) }),
		"top is bounded":   edit(func(r []Row) []Row { r[13].IncomeTaxBelow = 400000; return r }),
		"two C3":           edit(func(r []Row) []Row { return append(r, r[4]) }),
		"negative amount":  edit(func(r []Row) []Row { r[3].Short = -1; return r }),
		"C1 not from zero": edit(func(r []Row) []Row { r[2].IncomeTaxFrom = 1; return r }),
		"only A and B":     edit(func(r []Row) []Row { return r[:2] }),
	}
	for name, rows := range cases {
		if _, err := NewTable(2026, "", rows); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// Order does not matter.
	shuffled := edit(func(r []Row) []Row { r[0], r[13] = r[13], r[0]; return r })
	if tbl, err := NewTable(2026, "", shuffled); err != nil || tbl.Rows[0].Tier != TierA {
		t.Errorf("shuffled table: %v", err)
	}
}

func TestParseCSVErrors(t *testing.T) {
	const head = "tier,label_ja,shotokuwari_min_yen_incl,shotokuwari_max_yen_excl,fee_standard_hours_yen,fee_short_hours_yen,fee_standard_youhogosha_yen,fee_short_youhogosha_yen\n"
	for name, text := range map[string]string{
		"empty":        "",
		"no column":    "tier,label_ja\nA,x\n",
		"bad tier":     head + "X,,,,0,0,,\n",
		"bad amount":   head + "A,,,,0,0,,\nB,,,,0,0,,\nC1,,0,,1,4千,,\n",
		"negative yen": head + "A,,,,0,0,,\nB,,,,0,0,,\nC1,,0,,-5,0,,\n",
	} {
		if _, err := ParseCSV(2026, strings.NewReader(text)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := Saijo(2019); err == nil {
		t.Error("Saijo(2019) has no table")
	}
	if ys := SaijoYears(); len(ys) == 0 || ys[0] != 2026 {
		t.Errorf("SaijoYears = %v", ys)
	}
}
