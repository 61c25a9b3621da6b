package opendata

import (
	"bytes"
	"encoding/csv"
	"errors"
	"unicode/utf8"
)

// ErrNotUTF8 is returned for files in another encoding (Shift_JIS from an
// older spreadsheet, say): the standard files are UTF-8.
var ErrNotUTF8 = errors.New("opendata: the file is not UTF-8")

// ReadCSV reads a UTF-8 CSV file, with or without a BOM.
func ReadCSV(data []byte) ([][]string, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		return nil, ErrNotUTF8
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1 // short rows are checked cell by cell
	return r.ReadAll()
}
