package reports

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestCompareUsage(t *testing.T) {
	cats := []UsageCategory{{"a", "A"}, {"b", "B"}, {"c", "C"}, {"d", "D"}}
	cur := map[string]int{"a": 10, "b": 3, "c": 0}
	prev := map[string]int{"a": 7, "b": 5, "d": 2}
	want := []UsageRow{
		{Key: "a", Label: "A", Current: 10, Previous: 7, Change: 3},
		{Key: "b", Label: "B", Current: 3, Previous: 5, Change: -2},
		{Key: "c", Label: "C", Current: 0, Previous: 0, Change: 0},
		{Key: "d", Label: "D", Current: 0, Previous: 2, Change: -2},
	}
	if got := CompareUsage(cats, cur, prev); !slices.Equal(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestUsageCategoriesComeFromTheSchema(t *testing.T) {
	cats := UsageCategories()
	byKey := map[string]string{}
	for _, c := range cats {
		if _, dup := byKey[c.Key]; dup {
			t.Errorf("duplicate key %s", c.Key)
		}
		byKey[c.Key] = c.Label
	}
	want := map[string]string{
		UsageUsers:                   "市民",
		UsageGuardians:               "保護者",
		UsageFamily:                  "家族共有",
		"city_staff":                 "市職員 計",
		"city_staff.child.viewer":    "市職員 子育て・閲覧のみ",
		"city_staff.ops.manager":     "市職員 運用管理・管理職",
		"city_staff.elderly.staff":   "市職員 高齢福祉・担当者",
		"city_staff.nursery.staff":   "市職員 保育・担当者",
		"nursery_staff.director":     "保育施設職員 施設長",
		"medical_staff.nurse":        "医療機関職員 看護師",
		"volunteers":                 "見守りボランティア",
		"medical_staff":              "医療機関職員 計",
		"nursery_staff":              "保育施設職員 計",
		"medical_staff.doctor":       "医師",
		"nursery_staff.staff":        "保育士等",
		"nursery_staff.kiosk":        "登降園端末",
		"city_staff.nursery.manager": "管理職",
		"city_staff.elderly.viewer":  "閲覧のみ",
		"city_staff.child.manager":   "子育て",
		"city_staff.ops.viewer":      "運用管理",
		"medical_staff.clerk":        "事務",
	}
	for k, label := range want {
		if !strings.Contains(byKey[k], label) {
			t.Errorf("%s: label %q does not contain %q", k, byKey[k], label)
		}
	}
	if n := len(cats); n != 3+1+12+1+3+1+3+1 {
		t.Errorf("%d lines, want 25", n)
	}
}

func TestUsageXLSX(t *testing.T) {
	m, _ := ParseMonth("2026-03")
	r := UsageReport{
		Month:       m,
		GeneratedAt: time.Date(2026, 4, 1, 0, 30, 0, 0, time.UTC),
		Rows:        []UsageRow{{Key: "users", Label: "市民", Current: 12, Previous: 10, Change: 2}, {Key: "x", Label: "減った", Current: 1, Previous: 3, Change: -2}, {Key: "z", Label: "同じ", Current: 4, Previous: 4}},
	}
	var buf bytes.Buffer
	if err := r.WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"利用者数"}) {
		t.Fatalf("sheets %v", got)
	}
	rows, err := f.GetRows(UsersSheet)
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "利用者数報告 2026年3月" {
		t.Errorf("title %q", rows[0][0])
	}
	if !slices.Equal(rows[2], []string{"区分", "当月末", "前月末", "増減"}) {
		t.Errorf("header %v", rows[2])
	}
	if !slices.Equal(rows[3], []string{"市民", "12", "10", "+2"}) || !slices.Equal(rows[4], []string{"減った", "1", "3", "-2"}) {
		t.Errorf("rows %v %v", rows[3], rows[4])
	}
	// Excel shows "0" for no change (the format's third section); excelize's
	// own renderer does not read that section, so check the stored value.
	raw, _ := f.GetRows(UsersSheet, excelize.Options{RawCellValue: true})
	if !slices.Equal(raw[5], []string{"同じ", "4", "4", "0"}) {
		t.Errorf("unchanged row %v", raw[5])
	}
	last := rows[len(rows)-1][0]
	if last != "作成日時: 2026-04-01 09:30（日本時間）" {
		t.Errorf("generated-at line %q", last)
	}
	if r.FileName() != "users-2026-03.xlsx" {
		t.Errorf("file name %s", r.FileName())
	}
}
