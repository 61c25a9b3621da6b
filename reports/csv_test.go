package reports

import (
	"bytes"
	"errors"
	"testing"

	"golang.org/x/text/encoding/japanese"
)

func TestWriteCSV(t *testing.T) {
	header := []string{"地区", "人数"}
	rows := [][]string{{"西条", "12"}, {"丹原, 小松", "3"}}
	cases := []struct {
		name string
		enc  Encoding
		want string // as UTF-8 after decoding
		bom  bool
	}{
		{"utf-8 with BOM", UTF8BOM, "地区,人数\r\n西条,12\r\n\"丹原, 小松\",3\r\n", true},
		{"shift_jis", ShiftJIS, "地区,人数\r\n西条,12\r\n\"丹原, 小松\",3\r\n", false},
	}
	for _, c := range cases {
		var buf bytes.Buffer
		if err := WriteCSV(&buf, c.enc, header, rows); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got := buf.Bytes()
		if c.bom {
			if !bytes.HasPrefix(got, []byte("\xEF\xBB\xBF")) {
				t.Fatalf("%s: no BOM", c.name)
			}
			got = got[3:]
		} else {
			dec, err := japanese.ShiftJIS.NewDecoder().Bytes(got)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(dec, got) {
				t.Fatalf("%s: output is not Shift_JIS", c.name)
			}
			got = dec
		}
		if string(got) != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestShiftJISRefusesWhatItCannotHold(t *testing.T) {
	var buf bytes.Buffer
	err := WriteCSV(&buf, ShiftJIS, []string{"氏名"}, [][]string{{"西条 花子"}, {"髙橋 🙂"}})
	var ue *UnencodableError
	if !errors.As(err, &ue) || ue.Row != 3 || ue.Column != 1 {
		t.Fatalf("got %v, want the cell at row 3 column 1", err)
	}
	if buf.Len() != 0 {
		t.Fatal("nothing may be written when a cell cannot be encoded")
	}
}
