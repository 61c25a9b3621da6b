package reports

import (
	"encoding/csv"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
)

// CSVWriter writes a CSV file row by row, for tables too large to hold in
// memory. It writes what WriteCSV writes: CRLF line ends, a BOM for UTF-8,
// and it refuses a cell Shift_JIS cannot hold before writing its row.
type CSVWriter struct {
	enc  Encoding
	cw   *csv.Writer
	sjis *encoding.Encoder
	tw   *transform.Writer
	bom  *bomWriter
	row  int
}

// NewCSVWriter starts a CSV file on w.
func NewCSVWriter(w io.Writer, enc Encoding) *CSVWriter {
	c := &CSVWriter{enc: enc}
	if enc == ShiftJIS {
		c.sjis = japanese.ShiftJIS.NewEncoder()
		c.tw = transform.NewWriter(w, japanese.ShiftJIS.NewEncoder())
		c.cw = csv.NewWriter(c.tw)
	} else {
		c.bom = &bomWriter{w: w}
		c.cw = csv.NewWriter(c.bom)
	}
	c.cw.UseCRLF = true
	return c
}

// Write writes one row; the first row is the header (row 1 in errors).
func (c *CSVWriter) Write(row []string) error {
	c.row++
	if c.enc == ShiftJIS {
		mapped := make([]string, len(row))
		for j, cell := range row {
			mapped[j] = ShiftJISForm(cell)
		}
		row = mapped
		for j, cell := range row {
			if !utf8.ValidString(cell) {
				return &UnencodableError{Row: c.row, Column: j + 1, Value: cell}
			}
			if _, err := c.sjis.String(cell); err != nil {
				return &UnencodableError{Row: c.row, Column: j + 1, Value: cell}
			}
		}
	}
	return c.cw.Write(row)
}

// Close flushes what is buffered. It does not close the underlying writer.
func (c *CSVWriter) Close() error {
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return err
	}
	if c.tw != nil {
		return c.tw.Close()
	}
	if c.bom != nil && !c.bom.started {
		// An empty file still gets its BOM, like WriteCSV.
		_, err := c.bom.Write(nil)
		return err
	}
	return nil
}

// bomWriter writes the UTF-8 byte-order mark before the first byte.
type bomWriter struct {
	w       io.Writer
	started bool
}

func (b *bomWriter) Write(p []byte) (int, error) {
	if !b.started {
		b.started = true
		if _, err := b.w.Write([]byte("\uFEFF")); err != nil {
			return 0, err
		}
	}
	return b.w.Write(p)
}
