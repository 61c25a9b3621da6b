package fees

import (
	"errors"
	"strings"
	"testing"

	"github.com/saijo-dx/lifestage/civil"
)

func day(s string) civil.Date {
	d, err := civil.Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Cases follow Saijo's FY2026 table and rules (domain-data.md §5.2–5.6). A
// 0歳 child born 2025-08-01 is in the 0歳児クラス all of FY2026.
func TestCompute(t *testing.T) {
	tbl := saijo2026(t)
	type want struct {
		tier                Tier
		classAge, taxYear   int
		base, fee, sideDish int
		note                string // a substring of one note, when set
	}
	cases := []struct {
		name string
		in   Input
		want want
	}{
		// class age and 無償化
		{"0歳児 standard C3",
			Input{Birth: day("2025-08-01"), Month: day("2026-06-01"), Hours: Standard, Income: Income{IncomeTax: 50000}, SiblingOrder: 1},
			want{tier: "C3", classAge: 0, taxYear: 2025, base: 21800, fee: 21800, note: "0歳児クラス"}},
		{"born April 1: older class, free from April",
			Input{Birth: day("2023-04-01"), Month: day("2026-04-01"), Hours: Standard, Income: Income{IncomeTax: 100000}, SiblingOrder: 1},
			want{tier: "C8", classAge: 3, taxYear: 2025, base: 0, fee: 0, sideDish: 4500, note: "無償化"}},
		{"born April 2: younger class, still pays",
			Input{Birth: day("2023-04-02"), Month: day("2026-04-01"), Hours: Standard, Income: Income{IncomeTax: 100000}, SiblingOrder: 1},
			want{tier: "C8", classAge: 2, taxYear: 2025, base: 33000, fee: 33000}},
		{"born after April 1 attends this year's 0歳児クラス",
			Input{Birth: day("2026-04-05"), Month: day("2026-10-01"), Hours: Standard, Income: Income{IncomeTax: 100000}, SiblingOrder: 1},
			want{tier: "C8", classAge: 0, taxYear: 2026, base: 33000, fee: 33000}},
		{"birth month itself",
			Input{Birth: day("2026-06-20"), Month: day("2026-06-01"), Hours: Standard, Income: Income{IncomeTax: 100000}, SiblingOrder: 1},
			want{tier: "C8", classAge: 0, taxYear: 2025, base: 33000, fee: 33000}},
		{"5歳児クラス, free", Input{Birth: day("2020-04-02"), Month: day("2027-03-01"), Hours: Short, Income: Income{IncomeTax: 400000}, SiblingOrder: 1},
			want{tier: "C12", classAge: 5, taxYear: 2026, sideDish: 4500}},

		// hours and tiers
		{"short hours column",
			Input{Birth: day("2025-08-01"), Month: day("2026-06-01"), Hours: Short, Income: Income{IncomeTax: 50000}, SiblingOrder: 1},
			want{tier: "C3", taxYear: 2025, base: 21400, fee: 21400, note: "保育短時間の月額 21,400円"}},
		{"upper edge: 48,599 is C2",
			Input{Birth: day("2025-08-01"), Month: day("2026-06-01"), Hours: Standard, Income: Income{IncomeTax: 48599}, SiblingOrder: 1},
			want{tier: "C2", taxYear: 2025, base: 16000, fee: 16000}},
		{"48,600 is C3",
			Input{Birth: day("2025-08-01"), Month: day("2026-06-01"), Hours: Standard, Income: Income{IncomeTax: 48600}, SiblingOrder: 1},
			want{tier: "C3", taxYear: 2025, base: 21800, fee: 21800}},
		{"均等割のみ is C1",
			Input{Birth: day("2025-08-01"), Month: day("2026-06-01"), Hours: Standard, Income: Income{IncomeTax: 0}, SiblingOrder: 1},
			want{tier: "C1", taxYear: 2025, base: 14800, fee: 14800}},
		{"welfare is A, free",
			Input{Birth: day("2025-08-01"), Month: day("2026-06-01"), Hours: Standard, Income: Income{Welfare: true, IncomeTax: 90000}, SiblingOrder: 1},
			want{tier: "A", taxYear: 2025}},
		{"tax exempt is B, free",
			Input{Birth: day("2025-08-01"), Month: day("2026-06-01"), Hours: Standard, Income: Income{TaxExempt: true}, SiblingOrder: 1},
			want{tier: "B", taxYear: 2025}},
		{"top tier",
			Input{Birth: day("2025-08-01"), Month: day("2026-06-01"), Hours: Short, Income: Income{IncomeTax: 2_000_000}, SiblingOrder: 1},
			want{tier: "C12", taxYear: 2025, base: 49100, fee: 49100}},

		// tax year: April–August previous year's, September–March current
		{"April: previous year's tax", Input{Birth: day("2025-08-01"), Month: day("2026-04-01"), Hours: Standard, Income: Income{IncomeTax: 50000}, SiblingOrder: 1},
			want{tier: "C3", taxYear: 2025, base: 21800, fee: 21800, note: "4月分は令和7年度の市民税所得割額"}},
		{"August: previous year's tax", Input{Birth: day("2025-08-01"), Month: day("2026-08-31"), Hours: Standard, Income: Income{IncomeTax: 50000, TaxYear: 2025}, SiblingOrder: 1},
			want{tier: "C3", taxYear: 2025, base: 21800, fee: 21800, note: "8月分は令和7年度"}},
		{"September: current year's tax", Input{Birth: day("2025-08-01"), Month: day("2026-09-01"), Hours: Standard, Income: Income{IncomeTax: 50000, TaxYear: 2026}, SiblingOrder: 1},
			want{tier: "C3", taxYear: 2026, base: 21800, fee: 21800, note: "9月分は令和8年度"}},
		{"March: still FY2026, current year's tax", Input{Birth: day("2025-08-01"), Month: day("2027-03-15"), Hours: Standard, Income: Income{IncomeTax: 50000}, SiblingOrder: 1},
			want{tier: "C3", taxYear: 2026, base: 21800, fee: 21800}},

		// siblings
		{"2nd child half", Input{Birth: day("2025-08-01"), Month: day("2026-06-01"), Hours: Standard, Income: Income{IncomeTax: 50000}, SiblingOrder: 2},
			want{tier: "C3", taxYear: 2025, base: 21800, fee: 10900, note: "第2子のため半額"}},
		{"2nd child half, short, top tier", Input{Birth: day("2025-08-01"), Month: day("2026-06-01"), Hours: Short, Income: Income{IncomeTax: 400000}, SiblingOrder: 2},
			want{tier: "C12", taxYear: 2025, base: 49100, fee: 24550}},
		{"3rd child free", Input{Birth: day("2025-08-01"), Month: day("2026-06-01"), Hours: Standard, Income: Income{IncomeTax: 400000}, SiblingOrder: 3},
			want{tier: "C12", taxYear: 2025, base: 50000, fee: 0, note: "第3子以降"}},
		{"4th child free", Input{Birth: day("2025-08-01"), Month: day("2026-06-01"), Hours: Standard, Income: Income{IncomeTax: 50000}, SiblingOrder: 4},
			want{tier: "C3", taxYear: 2025, base: 21800, fee: 0}},
		{"B 2nd child free", Input{Birth: day("2025-08-01"), Month: day("2026-06-01"), Hours: Standard, Income: Income{TaxExempt: true}, SiblingOrder: 2},
			want{tier: "B", taxYear: 2025}},

		// protected households (要保護者等世帯)
		{"protected C3 1st child", Input{Birth: day("2025-08-01"), Month: day("2026-06-01"), Hours: Standard, Income: Income{IncomeTax: 50000}, Protected: true, SiblingOrder: 1},
			want{tier: "C3", taxYear: 2025, base: 9000, fee: 9000, note: "要保護者等世帯の額"}},
		{"protected C1 short", Input{Birth: day("2025-08-01"), Month: day("2026-06-01"), Hours: Short, Income: Income{IncomeTax: 0}, Protected: true, SiblingOrder: 1},
			want{tier: "C1", taxYear: 2025, base: 6750, fee: 6750}},
		{"protected C5 2nd child free", Input{Birth: day("2025-08-01"), Month: day("2026-06-01"), Hours: Standard, Income: Income{IncomeTax: 77100}, Protected: true, SiblingOrder: 2},
			want{tier: "C5", taxYear: 2025, base: 9000, fee: 0, note: "要保護者等世帯の第2子以降"}},
		{"protected C6: general rate, 2nd child half", Input{Birth: day("2025-08-01"), Month: day("2026-06-01"), Hours: Standard, Income: Income{IncomeTax: 77101}, Protected: true, SiblingOrder: 2},
			want{tier: "C6", taxYear: 2025, base: 25000, fee: 12500}},
		{"not protected C5 2nd child half", Input{Birth: day("2025-08-01"), Month: day("2026-06-01"), Hours: Standard, Income: Income{IncomeTax: 77100}, SiblingOrder: 2},
			want{tier: "C5", taxYear: 2025, base: 25000, fee: 12500}},

		// 副食費 (3–5 classes)
		{"副食費 exempt below 57,700", Input{Birth: day("2022-05-01"), Month: day("2026-06-01"), Hours: Standard, Income: Income{IncomeTax: 57699}, SiblingOrder: 1},
			want{tier: "C3", classAge: 3, taxYear: 2025, note: "57,700円 未満のため、副食費"}},
		{"副食費 from 57,700", Input{Birth: day("2022-05-01"), Month: day("2026-06-01"), Hours: Standard, Income: Income{IncomeTax: 57700}, SiblingOrder: 1},
			want{tier: "C4", classAge: 3, taxYear: 2025, sideDish: 4500, note: "月額 4,500円"}},
		{"副食費 protected exempt below 77,101", Input{Birth: day("2022-05-01"), Month: day("2026-06-01"), Hours: Standard, Income: Income{IncomeTax: 77100}, Protected: true, SiblingOrder: 1},
			want{tier: "C5", classAge: 3, taxYear: 2025, note: "77,101円 未満"}},
		{"副食費 protected from 77,101", Input{Birth: day("2022-05-01"), Month: day("2026-06-01"), Hours: Standard, Income: Income{IncomeTax: 77101}, Protected: true, SiblingOrder: 1},
			want{tier: "C6", classAge: 3, taxYear: 2025, sideDish: 4500}},
		{"副食費 2nd child pays in full", Input{Birth: day("2022-05-01"), Month: day("2026-06-01"), Hours: Standard, Income: Income{IncomeTax: 200000}, SiblingOrder: 2},
			want{tier: "C10", classAge: 3, taxYear: 2025, sideDish: 4500}},
		{"副食費 3rd child exempt", Input{Birth: day("2022-05-01"), Month: day("2026-06-01"), Hours: Standard, Income: Income{IncomeTax: 200000}, SiblingOrder: 3},
			want{tier: "C10", classAge: 3, taxYear: 2025, note: "第3子以降のため、副食費"}},
		{"副食費 welfare exempt", Input{Birth: day("2022-05-01"), Month: day("2026-06-01"), Hours: Standard, Income: Income{Welfare: true, IncomeTax: 90000}, SiblingOrder: 1},
			want{tier: "A", classAge: 3, taxYear: 2025}},
		{"副食費 not for 0–2", Input{Birth: day("2024-05-01"), Month: day("2026-06-01"), Hours: Standard, Income: Income{IncomeTax: 200000}, SiblingOrder: 1},
			want{tier: "C10", classAge: 1, taxYear: 2025, base: 43500, fee: 43500}},
	}
	for _, c := range cases {
		got, err := Compute(tbl, c.in, NationalPolicy())
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		w := c.want
		if got.Tier != w.tier || got.ClassAge != w.classAge || got.TaxYear != w.taxYear || got.FiscalYear != 2026 ||
			got.BaseFee != w.base || got.Fee != w.fee || got.SideDishFee != w.sideDish {
			t.Errorf("%s: got tier %s class %d tax %d base %d fee %d side %d, want %+v",
				c.name, got.Tier, got.ClassAge, got.TaxYear, got.BaseFee, got.Fee, got.SideDishFee, w)
		}
		if w.note != "" && !strings.Contains(strings.Join(got.Notes, "\n"), w.note) {
			t.Errorf("%s: no note %q in %q", c.name, w.note, got.Notes)
		}
	}
}

func TestSideDishAmountIsAParameter(t *testing.T) {
	in := Input{Birth: day("2022-05-01"), Month: day("2026-06-01"), Hours: Standard, Income: Income{IncomeTax: 200000}, SiblingOrder: 1}
	p := NationalPolicy()
	p.SideDishMonthly = 5200
	if got, _ := Compute(saijo2026(t), in, p); got.SideDishFee != 5200 {
		t.Errorf("side dish %d, want 5200", got.SideDishFee)
	}
	p.SideDishMonthly = 0
	if got, _ := Compute(saijo2026(t), in, p); got.SideDishFee != 0 {
		t.Errorf("side dish %d with no amount set", got.SideDishFee)
	}
}

func TestComputeRejects(t *testing.T) {
	ok := Input{Birth: day("2025-08-01"), Month: day("2026-06-01"), Hours: Standard, Income: Income{IncomeTax: 50000}, SiblingOrder: 1}
	cases := []struct {
		name        string
		edit        func(*Input)
		field, code string
	}{
		{"bad hours", func(in *Input) { in.Hours = "sometimes" }, "hours", "invalid_hours"},
		{"no hours", func(in *Input) { in.Hours = "" }, "hours", "invalid_hours"},
		{"negative income", func(in *Input) { in.Income.IncomeTax = -1 }, "incomeTax", "negative"},
		{"exempt with tax", func(in *Input) { in.Income.TaxExempt = true }, "incomeTax", "exempt_with_tax"},
		{"sibling order 0", func(in *Input) { in.SiblingOrder = 0 }, "siblingOrder", "invalid_order"},
		{"month before birth", func(in *Input) { in.Month = day("2025-07-31") }, "month", "before_birth"},
		{"another fiscal year", func(in *Input) { in.Month = day("2027-04-01") }, "month", "no_fee_table"},
		{"last year's tax in September", func(in *Input) { in.Month, in.Income.TaxYear = day("2026-09-01"), 2025 }, "incomeTax", "wrong_tax_year"},
		{"this year's tax in August", func(in *Input) { in.Month, in.Income.TaxYear = day("2026-08-01"), 2026 }, "incomeTax", "wrong_tax_year"},
		{"at school", func(in *Input) { in.Birth = day("2020-04-01") }, "birthDate", "school_age"},
	}
	for _, c := range cases {
		in := ok
		c.edit(&in)
		_, err := Compute(saijo2026(t), in, NationalPolicy())
		var errs InputErrors
		if !errors.As(err, &errs) || len(errs) != 1 || errs[0].Field != c.field || errs[0].Code != c.code || errs[0].Message == "" {
			t.Errorf("%s: %v, want %s/%s", c.name, err, c.field, c.code)
		}
	}
	// Every problem at once, so a form can mark them all.
	all := Input{Birth: day("2026-07-01"), Month: day("2026-06-01"), Hours: "sometimes", Income: Income{IncomeTax: -5}}
	_, err := Compute(saijo2026(t), all, NationalPolicy())
	var errs InputErrors
	if !errors.As(err, &errs) || len(errs) != 4 {
		t.Errorf("all problems: %v", err)
	}
	if _, err := Compute(Table{FiscalYear: 2026}, ok, NationalPolicy()); err == nil {
		t.Error("an empty table gave a fee")
	}
}

func TestTaxYear(t *testing.T) {
	for m, want := range map[string]int{
		"2026-04-01": 2025, "2026-08-31": 2025, "2026-09-01": 2026, "2026-12-01": 2026,
		"2027-01-01": 2026, "2027-03-31": 2026, "2027-04-01": 2026,
	} {
		if got := TaxYear(day(m)); got != want {
			t.Errorf("TaxYear(%s) = %d, want %d", m, got, want)
		}
	}
}

func TestNames(t *testing.T) {
	for fy, want := range map[int]string{2019: "令和元年度", 2026: "令和8年度", 2018: "2018年度"} {
		if got := nendo(fy); got != want {
			t.Errorf("nendo(%d) = %s", fy, got)
		}
	}
	for n, want := range map[int]string{0: "0円", 999: "999円", 4500: "4,500円", 1234567: "1,234,567円", -4500: "-4,500円"} {
		if got := yen(n); got != want {
			t.Errorf("yen(%d) = %s", n, got)
		}
	}
}

// BenchmarkCompute is one child's fee for one month, what a billing run
// does per child.
func BenchmarkCompute(b *testing.B) {
	tbl, err := Saijo(2026)
	if err != nil {
		b.Fatal(err)
	}
	in := Input{Birth: day("2024-05-01"), Month: day("2026-10-01"), Hours: Standard, Income: Income{IncomeTax: 150000, TaxYear: 2026}, SiblingOrder: 2}
	p := NationalPolicy()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compute(tbl, in, p); err != nil {
			b.Fatal(err)
		}
	}
}
