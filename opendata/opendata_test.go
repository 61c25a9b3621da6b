package opendata

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestLayoutColumns pins the column lists of the three layouts: the first
// columns every 自治体標準オープンデータセット file shares, each layout's own
// columns, and no duplicates.
func TestLayoutColumns(t *testing.T) {
	cases := []struct {
		layout *Layout
		n      int
		must   []string
	}{
		{ChildFacilities, 23, []string{"種別", "利用可能曜日", "開始時間", "終了時間", "利用可能日時特記事項", "定員", "入所定員", "対象年齢"}},
		{MedicalInstitutions, 24, []string{"医療機関の種類", "医療機関コード", "診療科目", "診療日", "診療開始時間", "診療終了時間", "時間外における対応", "病床数"}},
		{Events, 31, []string{"イベント名", "イベント名_カナ", "開始日", "終了日", "場所名称", "申込方法"}},
	}
	for _, c := range cases {
		cols := c.layout.Columns
		if len(cols) != c.n {
			t.Errorf("%s: %d columns, want %d", c.layout.Title, len(cols), c.n)
		}
		if !reflect.DeepEqual(cols[:2], []string{"都道府県コード又は市区町村コード", "NO"}) {
			t.Errorf("%s starts with %v", c.layout.Title, cols[:2])
		}
		for _, m := range append(c.must, ColAddress, ColLat, ColLng, ColURL, ColNote) {
			if !slices.Contains(cols, m) {
				t.Errorf("%s lacks %s", c.layout.Title, m)
			}
		}
		seen := map[string]bool{}
		for _, col := range cols {
			if seen[col] {
				t.Errorf("%s repeats %s", c.layout.Title, col)
			}
			seen[col] = true
		}
		for _, r := range c.layout.Required {
			if !slices.Contains(cols, r) {
				t.Errorf("%s requires unknown column %s", c.layout.Title, r)
			}
		}
	}
}

var sampleNursery = Facility{
	Code: "N001", Name: "西条中央保育所", Kana: "さいじょうちゅうおうほいくしょ", Type: "nursery",
	Address: "愛媛県西条市明屋敷164", Lat: 33.9196, Lng: 133.1833, HasLocation: true,
	Phone: "0897-56-5151", URL: "https://example.jp/n001", Hours: "7:00〜19:00", Capacity: 120, HasCapacity: true,
	Description: "延長保育あり",
}

func TestFacilityRow(t *testing.T) {
	row := ChildFacilities.FacilityRow(sampleNursery)
	want := map[string]string{
		ColCity: "382060", ColNo: "N001", ColName: "西条中央保育所", "種別": "保育所", ColLat: "33.9196", ColLng: "133.1833",
		"開始時間": "7:00", "終了時間": "19:00", "利用可能日時特記事項": "7:00〜19:00", "定員": "120", ColNote: "延長保育あり",
	}
	for col, v := range want {
		if got := row[ChildFacilities.index(col)]; got != v {
			t.Errorf("%s = %q, want %q", col, got, v)
		}
	}
	clinic := Facility{Code: "M01", Name: "こども診療所", Type: "clinic", Services: []string{"vaccination", "pediatrics", "internal", "emergency"}, Hours: "9:00-18:00"}
	row = MedicalInstitutions.FacilityRow(clinic)
	for col, v := range map[string]string{"医療機関の種類": "診療所", "診療科目": "内科;小児科", "診療開始時間": "9:00", "時間外における対応": "救急対応", ColLat: ""} {
		if got := row[MedicalInstitutions.index(col)]; got != v {
			t.Errorf("medical %s = %q, want %q", col, got, v)
		}
	}
	// Opening hours fill 診療日, and the times when the text has no single range.
	clinic.Hours, clinic.OpenDays, clinic.OpensAt, clinic.ClosesAt = "月〜土 9:00〜12:00 / 月火水金 15:00〜18:00", "月火水木金土", "09:00", "18:00"
	row = MedicalInstitutions.FacilityRow(clinic)
	for col, v := range map[string]string{"診療日": "月火水木金土", "診療開始時間": "09:00", "診療終了時間": "18:00", "診療日時特記事項": clinic.Hours} {
		if got := row[MedicalInstitutions.index(col)]; got != v {
			t.Errorf("medical %s = %q, want %q", col, got, v)
		}
	}
	nursery := sampleNursery
	nursery.OpenDays = "月火水木金土"
	if got := ChildFacilities.FacilityRow(nursery)[ChildFacilities.index("利用可能曜日")]; got != "月火水木金土" {
		t.Errorf("利用可能曜日 = %q", got)
	}
}

// TestFacilityRoundTrip reads back what FacilityRow wrote.
func TestFacilityRoundTrip(t *testing.T) {
	for _, c := range []struct {
		l *Layout
		f Facility
	}{
		{ChildFacilities, sampleNursery},
		{MedicalInstitutions, Facility{Code: "M01", Name: "病院", Type: "hospital", Services: []string{"pediatrics", "emergency"}, Hours: "24時間"}},
	} {
		got, errs := c.l.ParseFacilities([][]string{c.l.Columns, c.l.FacilityRow(c.f)})
		if len(errs) > 0 {
			t.Fatalf("%s: %v", c.l.Title, errs)
		}
		if got[0].Line != 2 || !reflect.DeepEqual(got[0].Facility, c.f) {
			t.Errorf("%s:\n got %+v\nwant %+v", c.l.Title, got[0], c.f)
		}
	}
}

func TestParseFacilitiesErrors(t *testing.T) {
	l := ChildFacilities
	row := func(edit map[string]string) []string {
		r := l.FacilityRow(sampleNursery)
		for col, v := range edit {
			r[l.index(col)] = v
		}
		return r
	}
	cases := []struct {
		name string
		rows [][]string
		want []string // keys:codes
	}{
		{"empty file", nil, []string{"file:empty"}},
		{"missing columns", [][]string{{"NO", "名称"}}, []string{"file:missing_columns"}},
		{"required", [][]string{l.Columns, row(map[string]string{ColName: "", "種別": ""})}, []string{"row2.名称:required", "row2.種別:required"}},
		{"unknown type", [][]string{l.Columns, row(map[string]string{"種別": "病院"})}, []string{"row2.種別:unknown_type"}},
		{"swapped location", [][]string{l.Columns, row(map[string]string{ColLat: "133.18", ColLng: "33.91"})}, []string{"row2.緯度:invalid_lat", "row2.経度:invalid_lng"}},
		{"half a location", [][]string{l.Columns, row(map[string]string{ColLng: ""})}, []string{"row2.緯度:location_pair"}},
		{"phone url capacity", [][]string{l.Columns, row(map[string]string{ColPhone: "tel:0897", ColURL: "javascript:alert(1)", "定員": "-3"})},
			[]string{"row2.電話番号:invalid_phone", "row2.URL:invalid_url", "row2.定員:invalid_capacity"}},
		{"other city", [][]string{l.Columns, row(map[string]string{ColCity: "131016"})}, []string{"row2.都道府県コード又は市区町村コード:other_city"}},
		{"duplicate NO on row 3", [][]string{l.Columns, row(nil), row(nil)}, []string{"row3.NO:duplicate_no"}},
		{"too long", [][]string{l.Columns, row(map[string]string{ColName: strings.Repeat("あ", 101)})}, []string{"row2.名称:too_long"}},
		{"formula", [][]string{l.Columns, row(map[string]string{ColName: "=HYPERLINK(\"http://x\")", ColNote: "@SUM(1)"})}, []string{"row2.名称:formula", "row2.備考:formula"}},
	}
	for _, c := range cases {
		got, errs := l.ParseFacilities(c.rows)
		if got != nil {
			t.Errorf("%s: returned facilities despite errors", c.name)
		}
		var keys []string
		for _, e := range errs {
			keys = append(keys, e.Key()+":"+e.Code)
			if e.Message == "" {
				t.Errorf("%s: no message for %s", c.name, e.Key())
			}
		}
		if !reflect.DeepEqual(keys, c.want) {
			t.Errorf("%s: errors %v, want %v", c.name, keys, c.want)
		}
	}
}

func TestParseFacilitiesAcceptsOtherOrderBlankRowsAndExtras(t *testing.T) {
	l := ChildFacilities
	header := append(slices.Clone(l.Columns), "独自の列")
	slices.Reverse(header)
	src := l.FacilityRow(sampleNursery)
	row := make([]string, len(header))
	for i, col := range header {
		if j := l.index(col); j >= 0 {
			row[i] = src[j]
		}
	}
	got, errs := l.ParseFacilities([][]string{header, make([]string, len(header)), row})
	if len(errs) > 0 || len(got) != 1 || got[0].Name != sampleNursery.Name || got[0].Line != 3 {
		t.Fatalf("got %v %v", got, errs)
	}
}

func TestReadCSV(t *testing.T) {
	rows, err := ReadCSV([]byte("\uFEFFNO,名称\r\n1,\"西条,中央\"\r\n2\r\n"))
	if err != nil || len(rows) != 3 || rows[0][0] != "NO" || rows[1][1] != "西条,中央" || len(rows[2]) != 1 {
		t.Fatalf("%q %v", rows, err)
	}
	if _, err := ReadCSV([]byte{0x82, 0xa0, ',', 'a'}); err != ErrNotUTF8 { // あ in Shift_JIS
		t.Fatalf("Shift_JIS read as %v", err)
	}
}

func TestEvents(t *testing.T) {
	e := Event{No: "E1", Name: "子育て広場", StartDate: "2026-05-10", EndDate: "2026-05-10", StartTime: "10:00", EndTime: "12:00",
		Place: "西条市総合福祉センター", Lat: 33.92, Lng: 133.18, HasLocation: true, Capacity: 20, HasCapacity: true, Target: "0〜2歳の親子"}
	row := EventRow(e)
	if len(row) != len(Events.Columns) || row[0] != CityCode || row[Events.index("イベント名")] != "子育て広場" {
		t.Fatalf("row %q", row)
	}
	got, errs := ParseEvents([][]string{Events.Columns, row})
	if len(errs) > 0 || !reflect.DeepEqual(got[0].Event, e) || got[0].Line != 2 {
		t.Fatalf("round trip %+v %v", got, errs)
	}
	bad := slices.Clone(row)
	bad[Events.index("開始日")] = "2026/05/10"
	bad[Events.index("終了時間")] = "正午"
	_, errs = ParseEvents([][]string{Events.Columns, bad})
	var keys []string
	for _, e := range errs {
		keys = append(keys, e.Key()+":"+e.Code)
	}
	want := []string{"row2.開始日:invalid_date", "row2.終了時間:invalid_time"}
	if !reflect.DeepEqual(keys, want) {
		t.Fatalf("errors %v, want %v", keys, want)
	}
	earlier := slices.Clone(row)
	earlier[Events.index("終了日")] = "2026-05-09"
	if _, errs = ParseEvents([][]string{Events.Columns, earlier}); len(errs) != 1 || errs[0].Code != "end_before_start" {
		t.Fatalf("end before start: %v", errs)
	}
}

func TestEventImportChecks(t *testing.T) {
	row := EventRow(Event{No: "E1", Name: "離乳食教室", StartDate: "2026-05-10", StartTime: "10:00", EndTime: "9:00", Fee: "参加費は当日", ApplyFrom: "2026-05-01", ApplyUntil: "2026-04-30"})
	dup := EventRow(Event{No: "E1", Name: "=HYPERLINK()", StartDate: "2026-02-30"})
	_, errs := ParseEvents([][]string{Events.Columns, row, dup})
	var keys []string
	for _, e := range errs {
		keys = append(keys, e.Key()+":"+e.Code)
	}
	want := []string{"row2.終了時間:end_before_start", "row2.申込終了日:end_before_start", "row2.料金(基本):invalid_fee",
		"row3.イベント名:formula", "row3.開始日:invalid_date", "row3.NO:duplicate_no"}
	if !reflect.DeepEqual(keys, want) {
		t.Fatalf("errors %v, want %v", keys, want)
	}
}

func TestFeeYen(t *testing.T) {
	for in, want := range map[string]int{"": 0, "無料": 0, "0": 0, "500": 500, "500円": 500, "1,200円": 1200} {
		if got, ok := FeeYen(in); !ok || got != want {
			t.Errorf("FeeYen(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"大人500円", "-100", "五百円"} {
		if _, ok := FeeYen(in); ok {
			t.Errorf("FeeYen(%q) accepted", in)
		}
	}
	if FeeText(0) != Free || FeeText(1200) != "1200円" {
		t.Fatal(FeeText(0), FeeText(1200))
	}
}

func TestEventTimes(t *testing.T) {
	start, end, hasEnd := EventTimes(Event{StartDate: "2026-05-10", StartTime: "10:00", EndTime: "11:30"})
	if !hasEnd || start.UTC().Format(time.RFC3339) != "2026-05-10T01:00:00Z" || end.Sub(start) != 90*time.Minute {
		t.Fatal(start, end, hasEnd)
	}
	if d, h := SplitTime(start); d != "2026-05-10" || h != "10:00" {
		t.Fatal(d, h)
	}
	if _, _, hasEnd := EventTimes(Event{StartDate: "2026-05-10"}); hasEnd {
		t.Fatal("no end given")
	}
	opens, closes := ApplicationTimes(Event{ApplyFrom: "2026-05-01", ApplyUntil: "2026-05-08"})
	if d, h := SplitTime(opens); d != "2026-05-01" || h != "00:00" {
		t.Fatal(d, h)
	}
	if d, h := SplitTime(closes); d != "2026-05-08" || h != "23:59" {
		t.Fatal(d, h)
	}
	if AgeTarget(3, 4) != "生後3か月から4か月の子と保護者" || AgeTarget(0, 0) != "" || AgeTarget(12, 0) != "生後12か月以上の子と保護者" {
		t.Fatal(AgeTarget(3, 4))
	}
}
