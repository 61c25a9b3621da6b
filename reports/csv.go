// Package reports builds the files that leave the system for city staff:
// CSV (for spreadsheets and older city systems) and, in later systems, xlsx.
// What goes into a report must already be pseudonymised unless its purpose
// allows names; this package only writes what it is given.
package reports

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
)

// Encoding of a CSV file.
type Encoding int

const (
	// UTF8BOM is UTF-8 with a byte-order mark, which Excel needs to open
	// Japanese text correctly by double-click.
	UTF8BOM Encoding = iota
	// ShiftJIS is for older city systems that import nothing else.
	ShiftJIS
)

// UnencodableError names the first cell that Shift_JIS cannot hold (for
// example 髙 or an emoji), so staff can fix it instead of losing a character.
type UnencodableError struct {
	Row, Column int // 1-based, the header is row 1
	Value       string
}

func (e *UnencodableError) Error() string {
	return fmt.Sprintf("reports: row %d column %d (%q) cannot be written in Shift_JIS", e.Row, e.Column, e.Value)
}

// WriteCSV writes a header and rows with CRLF line ends, as spreadsheet
// software on city PCs expects.
func WriteCSV(w io.Writer, enc Encoding, header []string, rows [][]string) error {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	all := append([][]string{header}, rows...)
	if enc == ShiftJIS {
		all = windowsForms(all)
	}
	if err := cw.WriteAll(all); err != nil {
		return err
	}
	switch enc {
	case ShiftJIS:
		if err := checkShiftJIS(all); err != nil {
			return err
		}
		out, err := japanese.ShiftJIS.NewEncoder().Bytes(buf.Bytes())
		if err != nil {
			return err
		}
		_, err = w.Write(out)
		return err
	default:
		if _, err := w.Write([]byte("\uFEFF")); err != nil {
			return err
		}
		_, err := w.Write(buf.Bytes())
		return err
	}
}

// windowsMapping replaces the characters whose Unicode form differs
// between JIS X 0208 and Windows' Shift_JIS (CP932) with the form Windows
// uses for the same Shift_JIS bytes: 〜 (WAVE DASH, as typed on a Mac or in
// "9:00〜17:00") is written as 0x8160 like ～, instead of being refused.
var windowsMapping = strings.NewReplacer(
	"\u301C", "\uFF5E", // 〜 -> ～
	"\u2016", "\u2225", // ‖ -> ∥
	"\u2212", "\uFF0D", // − -> －
	"\u00A2", "\uFFE0", // ¢ -> ￠
	"\u00A3", "\uFFE1", // £ -> ￡
	"\u00AC", "\uFFE2", // ¬ -> ￢
	"\u2014", "\u2015", // — -> ―
	"\u00A6", "\uFFE4", // ¦ -> ￤
)

// ShiftJISForm returns s with the characters Shift_JIS writes under
// another code point replaced (see windowsMapping); what a Shift_JIS file
// decodes to.
func ShiftJISForm(s string) string { return windowsMapping.Replace(s) }

func windowsForms(rows [][]string) [][]string {
	out := make([][]string, len(rows))
	for i, row := range rows {
		out[i] = make([]string, len(row))
		for j, cell := range row {
			out[i][j] = ShiftJISForm(cell)
		}
	}
	return out
}

func checkShiftJIS(rows [][]string) error {
	enc := japanese.ShiftJIS.NewEncoder()
	for i, row := range rows {
		for j, cell := range row {
			if !utf8.ValidString(cell) {
				return &UnencodableError{Row: i + 1, Column: j + 1, Value: cell}
			}
			if _, err := enc.String(cell); err != nil {
				return &UnencodableError{Row: i + 1, Column: j + 1, Value: cell}
			}
		}
	}
	return nil
}
