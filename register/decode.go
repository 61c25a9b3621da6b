// Package register reads a resident-register extract (住民記録の抽出) as
// CSV, validates it row by row, works out each household's kind (living
// alone, elderly only) and matches residents against the watch-over
// candidate rules. It is pure: the hooks write what it returns.
package register

import (
	"bytes"
	"errors"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
)

// Encodings a file may come in. Register systems export Shift_JIS (CP932)
// more often than UTF-8; spreadsheets add a byte-order mark.
const (
	EncodingUTF8     = "UTF-8"
	EncodingShiftJIS = "Shift_JIS"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// ErrEncoding is returned for a file that is neither UTF-8 nor Shift_JIS.
var ErrEncoding = errors.New("register: the file is neither UTF-8 nor Shift_JIS")

// Decode returns the file as UTF-8 text and the encoding it was in. Valid
// UTF-8 is taken as UTF-8 (with or without a BOM); anything else is read
// as Shift_JIS (Windows-31J, which covers the NEC and IBM extensions). Real
// Japanese Shift_JIS text is almost never valid UTF-8, so the check is safe.
func Decode(data []byte) (string, string, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	if utf8.Valid(data) {
		return string(data), EncodingUTF8, nil
	}
	out, err := japanese.ShiftJIS.NewDecoder().Bytes(data)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
		return "", "", ErrEncoding
	}
	return string(out), EncodingShiftJIS, nil
}
