// Package opendata writes and reads lifestage's public datasets in the
// column layout of the 自治体標準オープンデータセット (デジタル庁; formerly
// 推奨データセット). Layouts: 子育て施設一覧, 医療機関一覧, イベント一覧.
//
// Source of the column names: デジタル庁「自治体標準オープンデータセット」の
// データ項目定義書（子育て施設一覧・医療機関一覧・イベント一覧）. No copy of
// the definitions is in ../shared/reference, so the columns below are the
// published names as known to the author; check them against the current
// 定義書 before a release and change them here only (tests read these lists).
//
// The package takes and returns plain values; hooks/opendata.go reads and
// writes the facilities collection.
package opendata

// CityCode is Saijo's 全国地方公共団体コード (6 digits with the check digit),
// the first column of every file.
const CityCode = "382060"

// Common column names.
const (
	ColCity    = "都道府県コード又は市区町村コード"
	ColNo      = "NO"
	ColName    = "名称"
	ColKana    = "名称_カナ"
	ColAddress = "住所"
	ColAddr2   = "方書"
	ColLat     = "緯度"
	ColLng     = "経度"
	ColPhone   = "電話番号"
	ColExt     = "内線番号"
	ColFax     = "FAX番号"
	ColCorpNo  = "法人番号"
	ColOrg     = "団体名"
	ColURL     = "URL"
	ColNote    = "備考"
)

// Layout is one dataset's file: its name, title and columns in order.
type Layout struct {
	ID      string // file name without .csv, used in URLs
	Title   string // Japanese dataset name
	Columns []string
	// Required columns must be filled on import (beyond being present).
	Required []string
	// TypeColumn holds the facility kind; Types maps its labels to
	// facilities.type values (the first label of a type is written).
	TypeColumn string
	Types      []TypeLabel
}

// TypeLabel maps a 種別 label to a facilities.type value.
type TypeLabel struct{ Label, Type string }

// ChildFacilities is 子育て施設一覧.
var ChildFacilities = &Layout{
	ID: "child-facilities", Title: "子育て施設一覧",
	Columns: []string{ColCity, ColNo, ColName, ColKana, "種別", ColAddress, ColAddr2, ColLat, ColLng,
		ColPhone, ColExt, ColFax, ColCorpNo, ColOrg, "利用可能曜日", "開始時間", "終了時間", "利用可能日時特記事項",
		"定員", "入所定員", "対象年齢", ColURL, ColNote},
	Required:   []string{ColNo, ColName, "種別"},
	TypeColumn: "種別",
	Types: []TypeLabel{
		{"保育所", "nursery"}, {"保育園", "nursery"}, {"認可保育所", "nursery"},
		{"幼稚園", "kindergarten"},
		{"認定こども園", "kodomoen"}, {"こども園", "kodomoen"},
		{"子育て支援センター", "child_support_center"}, {"地域子育て支援拠点", "child_support_center"},
	},
}

// MedicalInstitutions is 医療機関一覧.
var MedicalInstitutions = &Layout{
	ID: "medical-institutions", Title: "医療機関一覧",
	Columns: []string{ColCity, ColNo, ColName, ColKana, "医療機関の種類", ColAddress, ColAddr2, ColLat, ColLng,
		ColPhone, ColExt, ColFax, ColCorpNo, ColOrg, "医療機関コード", "診療科目", "診療日", "診療開始時間", "診療終了時間",
		"診療日時特記事項", "時間外における対応", "病床数", ColURL, ColNote},
	Required:   []string{ColNo, ColName, "医療機関の種類"},
	TypeColumn: "医療機関の種類",
	Types:      []TypeLabel{{"病院", "hospital"}, {"診療所", "clinic"}, {"一般診療所", "clinic"}},
}

// Events is イベント一覧, served from the events collection (public and
// published events only; nursery_events are per nursery and not public).
var Events = &Layout{
	ID: "events", Title: "イベント一覧",
	Columns: []string{ColCity, ColNo, "イベント名", "イベント名_カナ", "イベント名_英字", "開始日", "終了日",
		"開始時間", "終了時間", "開始日時特記事項", "説明", "料金(基本)", "料金(詳細)", "連絡先名称", "連絡先電話番号",
		"連絡先内線番号", "主催者", "場所名称", ColAddress, ColAddr2, ColLat, ColLng, "アクセス方法", "駐車場情報",
		"定員", "対象者", "申込開始日", "申込終了日", "申込方法", ColURL, ColNote},
	Required: []string{ColNo, "イベント名", "開始日"},
}

// FacilityLayouts are the layouts served from the facilities collection.
var FacilityLayouts = []*Layout{ChildFacilities, MedicalInstitutions}

// FacilityLayout finds a facility layout by its ID.
func FacilityLayout(id string) *Layout {
	for _, l := range FacilityLayouts {
		if l.ID == id {
			return l
		}
	}
	return nil
}

// FacilityTypes lists the facilities.type values the layout holds.
func (l *Layout) FacilityTypes() []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range l.Types {
		if !seen[t.Type] {
			seen[t.Type] = true
			out = append(out, t.Type)
		}
	}
	return out
}

func (l *Layout) typeLabel(typ string) string {
	for _, t := range l.Types {
		if t.Type == typ {
			return t.Label
		}
	}
	return ""
}

func (l *Layout) typeOf(label string) string {
	for _, t := range l.Types {
		if t.Label == label {
			return t.Type
		}
	}
	return ""
}

func (l *Layout) index(col string) int {
	for i, c := range l.Columns {
		if c == col {
			return i
		}
	}
	return -1
}
