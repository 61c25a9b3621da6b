// Package fees computes nursery charges from plain values: the monthly fee
// (保育料 = 利用者負担額) from a city's fee table, the side-dish fee of the
// 3–5 classes (副食費) and the extended-care fee (延長保育料). The public
// estimate and a monthly billing run (one call per child per month) share
// it, so it never imports PocketBase. Rules and amounts come from
// ../shared/reference/domain-data.md §5.
package fees

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Tier is a bracket of the fee table (階層): "A", "B", "C1" … "C12".
type Tier string

const (
	TierA Tier = "A" // 生活保護世帯・里親
	TierB Tier = "B" // 市民税非課税世帯
)

// ParseTier reads a tier code. City tables print full-width letters and
// digits (Ｃ１); they are folded to ASCII so that the code is stable.
func ParseTier(s string) (Tier, error) {
	t := Tier(foldWidth(strings.TrimSpace(s)))
	if t.rank() < 0 {
		return "", fmt.Errorf("fees: unknown tier %q", s)
	}
	return t, nil
}

// rank orders tiers A, B, C1, C2 …; -1 for a code that is not a tier.
func (t Tier) rank() int {
	switch {
	case t == TierA:
		return 0
	case t == TierB:
		return 1
	case strings.HasPrefix(string(t), "C"):
		n, err := strconv.Atoi(string(t[1:]))
		if err != nil || n < 1 || string(t[1:]) != strconv.Itoa(n) {
			return -1
		}
		return 1 + n
	}
	return -1
}

// foldWidth turns full-width ASCII (U+FF01–FF5E) into ASCII.
func foldWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 0xFF01 && r <= 0xFF5E {
			return r - 0xFEE0
		}
		return r
	}, s)
}

// Row is one tier of a fee table. Amounts are monthly, in whole yen.
type Row struct {
	Tier  Tier
	Label string // 区分 as the city prints it
	// IncomeTaxFrom (以上, inclusive) and IncomeTaxBelow (未満, exclusive)
	// bound the household's 市民税所得割額 for the C tiers; IncomeTaxBelow 0
	// means no upper bound. A and B are chosen by the household's status,
	// so their bounds are ignored.
	IncomeTaxFrom, IncomeTaxBelow int
	Standard, Short               int // 保育標準時間, 保育短時間
	// ProtectedStandard and ProtectedShort are what a 要保護者等世帯 pays in
	// this tier. Both 0 means the tier has no such rate (the table leaves
	// the cell empty) and the general amount applies. A tier where only
	// protected households pay nothing cannot be written this way; Saijo's
	// table has none.
	ProtectedStandard, ProtectedShort int
}

// HasProtectedRate reports whether the tier has a 要保護者等世帯 rate. In
// Saijo those are the tiers (C1–C5) whose protected households also have
// their second and later children free.
func (r Row) HasProtectedRate() bool { return r.ProtectedStandard > 0 || r.ProtectedShort > 0 }

// Amount is the tier's monthly fee for the hours, before sibling rules.
func (r Row) Amount(h Hours, protected bool) int {
	std, short := r.Standard, r.Short
	if protected && r.HasProtectedRate() {
		std, short = r.ProtectedStandard, r.ProtectedShort
	}
	if h == Short {
		return short
	}
	return std
}

// bounded reports whether the income tax falls in the row's bounds.
func (r Row) bounded(tax int) bool {
	return tax >= r.IncomeTaxFrom && (r.IncomeTaxBelow == 0 || tax < r.IncomeTaxBelow)
}

// Table is a city's fee table for one fiscal year, rows ordered A, B, C1 ….
type Table struct {
	FiscalYear int
	Source     string
	Rows       []Row
}

// NewTable orders and checks the rows: A and B present, C tiers numbered
// from C1 without gaps, their income bounds contiguous from 0 and open at
// the top, so that every income tax falls in exactly one tier.
func NewTable(fiscalYear int, source string, rows []Row) (Table, error) {
	t := Table{FiscalYear: fiscalYear, Source: source, Rows: slices.Clone(rows)}
	slices.SortFunc(t.Rows, func(a, b Row) int { return a.Tier.rank() - b.Tier.rank() })
	return t, t.check()
}

func (t Table) check() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("fees: FY%d: "+format, append([]any{t.FiscalYear}, args...)...))
	}
	if len(t.Rows) < 3 || t.Rows[0].Tier != TierA || t.Rows[1].Tier != TierB {
		bad("the table needs tiers A, B and at least C1")
		return errors.Join(errs...)
	}
	next := 0 // the income tax the next C tier must start at
	for i, r := range t.Rows {
		if r.Tier.rank() != i {
			bad("tier %q is missing or repeated before %q", tierAt(i), r.Tier)
		}
		if r.Standard < 0 || r.Short < 0 || r.ProtectedStandard < 0 || r.ProtectedShort < 0 {
			bad("%s has a negative amount", r.Tier)
		}
		if i < 2 {
			continue
		}
		if r.IncomeTaxFrom != next {
			bad("%s starts at %d, want %d (tiers must be contiguous)", r.Tier, r.IncomeTaxFrom, next)
		}
		last := i == len(t.Rows)-1
		switch {
		case last && r.IncomeTaxBelow != 0:
			bad("the last tier %s must have no upper bound", r.Tier)
		case !last && r.IncomeTaxBelow <= r.IncomeTaxFrom:
			bad("%s has an empty or open income range", r.Tier)
		}
		next = r.IncomeTaxBelow
	}
	return errors.Join(errs...)
}

// tierAt is the tier code expected at position i of an ordered table.
func tierAt(i int) Tier {
	switch i {
	case 0:
		return TierA
	case 1:
		return TierB
	}
	return Tier("C" + strconv.Itoa(i-1))
}

// Row returns the row of a tier.
func (t Table) Row(tier Tier) (Row, bool) {
	i := tier.rank()
	if i < 0 || i >= len(t.Rows) || t.Rows[i].Tier != tier {
		return Row{}, false
	}
	return t.Rows[i], true
}

// Bracket finds the household's tier: 生活保護・里親 → A, 市民税非課税 → B,
// otherwise the C tier whose bounds hold the 市民税所得割額 (a household
// taxed only 均等割 has 所得割 0, which is C1 in Saijo's table).
func (t Table) Bracket(in Income) (Row, error) {
	switch {
	case len(t.Rows) < 3:
		return Row{}, fmt.Errorf("fees: FY%d: the table has no C tiers; build it with NewTable", t.FiscalYear)
	case in.Welfare:
		return t.Rows[0], nil
	case in.TaxExempt:
		return t.Rows[1], nil
	}
	for _, r := range t.Rows[2:] {
		if r.bounded(in.IncomeTax) {
			return r, nil
		}
	}
	return Row{}, fmt.Errorf("fees: no tier holds income tax %d", in.IncomeTax)
}
