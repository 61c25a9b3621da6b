package fees

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Saijo's fee tables ship verbatim from ../shared/reference, "# source"
// line included, so a new year's table is a new file and a line below, not
// new code. The FY2026 source: 西条市「令和8年度西条市保育所等保育料基準額表
// （2号・3号認定）（月額）」 https://www.city.saijo.ehime.jp/uploaded/attachment/84822.pdf,
// as transcribed in kameking-lab/kurashi-rakuda (domain-data.md §5.6).
//
//go:embed data/*.csv
var dataFS embed.FS

var saijoFiles = map[int]string{
	2026: "data/saijo_r8_2026.csv",
}

// SaijoYears lists the fiscal years whose Saijo table is embedded.
func SaijoYears() []int {
	var ys []int
	for y := range saijoFiles {
		ys = append(ys, y)
	}
	slices.Sort(ys)
	return ys
}

// Saijo returns Saijo's embedded fee table for a fiscal year. It is the
// seed of the fee_tables collection; the running app reads the collection,
// which city staff can correct.
func Saijo(fiscalYear int) (Table, error) {
	name, ok := saijoFiles[fiscalYear]
	if !ok {
		return Table{}, fmt.Errorf("fees: no embedded Saijo table for FY%d", fiscalYear)
	}
	raw, err := dataFS.ReadFile(name)
	if err != nil {
		return Table{}, err
	}
	return ParseCSV(fiscalYear, bytes.NewReader(raw))
}

// csvColumns are the columns of the reference CSV, in Row's order.
var csvColumns = []string{
	"tier", "label_ja", "shotokuwari_min_yen_incl", "shotokuwari_max_yen_excl",
	"fee_standard_hours_yen", "fee_short_hours_yen", "fee_standard_youhogosha_yen", "fee_short_youhogosha_yen",
}

// ParseCSV reads a fee table in the reference CSV format: an optional
// "# source: …" line, a header naming csvColumns, one row per tier. Empty
// cells are 0 (no bound, or no protected rate).
func ParseCSV(fiscalYear int, r io.Reader) (Table, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	var (
		source string
		col    map[string]int
		rows   []Row
	)
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Table{}, fmt.Errorf("fees: %w", err)
		}
		if len(rec) == 0 || strings.HasPrefix(strings.TrimSpace(rec[0]), "#") {
			if len(rec) > 0 && source == "" {
				source = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(strings.Join(rec, ",")), "# source:"))
			}
			continue
		}
		if col == nil {
			col = map[string]int{}
			for i, c := range rec {
				col[strings.TrimSpace(c)] = i
			}
			for _, c := range csvColumns {
				if _, ok := col[c]; !ok {
					return Table{}, fmt.Errorf("fees: line %d: no column %q", line, c)
				}
			}
			continue
		}
		row, err := parseRow(rec, col)
		if err != nil {
			return Table{}, fmt.Errorf("fees: line %d: %w", line, err)
		}
		rows = append(rows, row)
	}
	if col == nil {
		return Table{}, fmt.Errorf("fees: no header")
	}
	return NewTable(fiscalYear, source, rows)
}

func parseRow(rec []string, col map[string]int) (Row, error) {
	cell := func(name string) string {
		if i := col[name]; i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	tier, err := ParseTier(cell("tier"))
	if err != nil {
		return Row{}, err
	}
	yen := make([]int, 0, 6)
	for _, c := range csvColumns[2:] {
		v := 0
		if s := cell(c); s != "" {
			if v, err = strconv.Atoi(s); err != nil || v < 0 {
				return Row{}, fmt.Errorf("column %s: %q is not a whole yen amount", c, s)
			}
		}
		yen = append(yen, v)
	}
	return Row{
		Tier: tier, Label: cell("label_ja"),
		IncomeTaxFrom: yen[0], IncomeTaxBelow: yen[1],
		Standard: yen[2], Short: yen[3],
		ProtectedStandard: yen[4], ProtectedShort: yen[5],
	}, nil
}
