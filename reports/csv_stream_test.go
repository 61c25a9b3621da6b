package reports

import (
	"bytes"
	"errors"
	"testing"
)

// TestCSVWriterMatchesWriteCSV keeps the streaming writer byte-equal to
// WriteCSV, so large exports and small reports look the same.
func TestCSVWriterMatchesWriteCSV(t *testing.T) {
	header := []string{"地区", "人数", "備考"}
	rows := [][]string{{"西条", "12", ""}, {"丹原, 小松", "3", "改行\nあり"}, {"\"引用\"", "0", "－ー～ 9:00〜17:00 −5"}}
	for _, enc := range []Encoding{UTF8BOM, ShiftJIS} {
		var want, got bytes.Buffer
		if err := WriteCSV(&want, enc, header, rows); err != nil {
			t.Fatal(err)
		}
		w := NewCSVWriter(&got, enc)
		for _, r := range append([][]string{header}, rows...) {
			if err := w.Write(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("encoding %d: got %q, want %q", enc, got.Bytes(), want.Bytes())
		}
	}
	var empty bytes.Buffer
	if err := NewCSVWriter(&empty, UTF8BOM).Close(); err != nil || empty.String() != "\uFEFF" {
		t.Errorf("an empty UTF-8 file must hold just the BOM, got %q (%v)", empty.String(), err)
	}
}

func TestCSVWriterRefusesUnencodableCells(t *testing.T) {
	var buf bytes.Buffer
	w := NewCSVWriter(&buf, ShiftJIS)
	if err := w.Write([]string{"氏", "名"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Write([]string{"山田", "花子"}); err != nil {
		t.Fatal(err)
	}
	err := w.Write([]string{"一郎", "髙橋 🙂"})
	var ue *UnencodableError
	if !errors.As(err, &ue) || ue.Row != 3 || ue.Column != 2 || ue.Value != "髙橋 🙂" {
		t.Fatalf("got %v", err)
	}
	if err := NewCSVWriter(&buf, UTF8BOM).Write([]string{"髙橋😀"}); err != nil {
		t.Fatalf("UTF-8 holds everything: %v", err)
	}
}

// TestShiftJISWritesWaveDash: 〜 (U+301C) is Shift_JIS 0x8160, which Windows
// reads back as ～ (U+FF5E); it must not be refused.
func TestShiftJISWritesWaveDash(t *testing.T) {
	var a, b bytes.Buffer
	if err := WriteCSV(&a, ShiftJIS, []string{"時間"}, [][]string{{"月〜土 9:00〜17:00"}}); err != nil {
		t.Fatal(err)
	}
	w := NewCSVWriter(&b, ShiftJIS)
	if err := w.Write([]string{"時間"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Write([]string{"月〜土 9:00〜17:00"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for _, got := range [][]byte{a.Bytes(), b.Bytes()} {
		if !bytes.Contains(got, []byte("\x8c\x8e\x81\x60\x93\x79")) { // 月〜土
			t.Errorf("〜 not written as 0x8160: % x", got)
		}
	}
	if ShiftJISForm("〜−") != "～－" {
		t.Error("ShiftJISForm")
	}
}
