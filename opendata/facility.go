package opendata

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Facility is a facilities record as the open data files see it.
type Facility struct {
	Code, Name, Kana, Type string
	Services               []string
	Address                string
	Lat, Lng               float64
	HasLocation            bool
	Phone, URL, Hours      string
	// From the machine-readable opening hours, when there are any:
	// 「月火水木金土」 and the earliest opening and latest closing.
	OpenDays, OpensAt, ClosesAt string
	Capacity                    int
	HasCapacity                 bool
	Description                 string
}

// departments maps facilities.services values to 診療科目 names.
var departments = []struct{ Service, Label string }{
	{"internal", "内科"}, {"pediatrics", "小児科"}, {"surgery", "外科"}, {"obstetrics", "産科"},
	{"gynecology", "婦人科"}, {"rehabilitation", "リハビリテーション科"},
}

// hoursRange reads "8:30〜17:00" (or ～, ~, -) as opening and closing times.
var hoursRange = regexp.MustCompile(`^\s*(\d{1,2}:\d{2})\s*[〜～~\-－]\s*(\d{1,2}:\d{2})\s*$`)

// FacilityRow writes one facility in the layout's column order.
func (l *Layout) FacilityRow(f Facility) []string {
	row := make([]string, len(l.Columns))
	set := func(col, v string) {
		if i := l.index(col); i >= 0 {
			row[i] = v
		}
	}
	set(ColCity, CityCode)
	set(ColNo, f.Code)
	set(ColName, f.Name)
	set(ColKana, f.Kana)
	set(l.TypeColumn, l.typeLabel(f.Type))
	set(ColAddress, f.Address)
	if f.HasLocation {
		set(ColLat, strconv.FormatFloat(f.Lat, 'f', -1, 64))
		set(ColLng, strconv.FormatFloat(f.Lng, 'f', -1, 64))
	}
	set(ColPhone, f.Phone)
	set(ColURL, f.URL)
	set(ColNote, f.Description)
	start, end := "", ""
	if m := hoursRange.FindStringSubmatch(f.Hours); m != nil {
		start, end = m[1], m[2]
	} else if f.OpensAt != "" {
		start, end = f.OpensAt, f.ClosesAt
	}
	if l == MedicalInstitutions {
		set("診療科目", strings.Join(departmentLabels(f.Services), ";"))
		set("診療日", f.OpenDays)
		set("診療開始時間", start)
		set("診療終了時間", end)
		set("診療日時特記事項", f.Hours)
		if slices.Contains(f.Services, "emergency") {
			set("時間外における対応", "救急対応")
		}
	} else {
		set("利用可能曜日", f.OpenDays)
		set("開始時間", start)
		set("終了時間", end)
		set("利用可能日時特記事項", f.Hours)
		if f.HasCapacity {
			set("定員", strconv.Itoa(f.Capacity))
		}
	}
	return row
}

func departmentLabels(services []string) []string {
	var out []string
	for _, d := range departments {
		if slices.Contains(services, d.Service) {
			out = append(out, d.Label)
		}
	}
	return out
}

// CellError is one problem with one cell (or with the file, Row 0).
type CellError struct {
	Row     int    // 1-based line of the file; the header is row 1
	Column  string // the layout's column name; "" for the whole row or file
	Code    string // stable, for programs
	Message string // Japanese, for people
}

// Key names the cell in an API error's data: "row3.緯度".
func (e CellError) Key() string {
	switch {
	case e.Row == 0:
		return "file"
	case e.Column == "":
		return fmt.Sprintf("row%d", e.Row)
	}
	return fmt.Sprintf("row%d.%s", e.Row, e.Column)
}

// MaxRows caps one import: a city's facility list is a few hundred rows.
const MaxRows = 5000

// ParsedFacility is a facility read from a file, with its line for
// messages about it.
type ParsedFacility struct {
	Line int
	Facility
}

// ParseFacilities reads a file's rows (header first) into facilities. It
// checks every row and returns all the problems, so staff can fix the
// file in one go; no facility is returned when there is any problem.
func (l *Layout) ParseFacilities(rows [][]string) ([]ParsedFacility, []CellError) {
	return parseRows(l, rows, func(line int, get func(string) string) (ParsedFacility, string, []CellError) {
		f, errs := l.parseFacility(line, get)
		return ParsedFacility{line, f}, f.Code, errs
	})
}

// parseRows reads the data rows under a layout's header with parse, which
// also names each row's NO so duplicates are reported. It checks every row
// and returns all the problems, and nothing when there is any.
func parseRows[T any](l *Layout, rows [][]string, parse func(line int, get func(string) string) (T, string, []CellError)) ([]T, []CellError) {
	cols, errs := l.header(rows)
	if len(errs) > 0 {
		return nil, errs
	}
	var out []T
	seen := map[string]int{}
	for i, raw := range rows[1:] {
		line := i + 2
		if blank(raw) {
			continue
		}
		get := func(col string) string {
			if j, ok := cols[col]; ok && j < len(raw) {
				return strings.TrimSpace(raw[j])
			}
			return ""
		}
		item, no, rowErrs := parse(line, get)
		if prev, dup := seen[no]; dup && no != "" {
			rowErrs = append(rowErrs, CellError{line, ColNo, "duplicate_no", fmt.Sprintf("NO「%s」は%d行目と重複しています。", no, prev)})
		}
		seen[no] = line
		errs = append(errs, rowErrs...)
		out = append(out, item)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

func (l *Layout) parseFacility(line int, get func(string) string) (Facility, []CellError) {
	var errs []CellError
	bad := func(col, code, msg string) { errs = append(errs, CellError{line, col, code, msg}) }
	for _, col := range l.Required {
		if get(col) == "" {
			bad(col, "required", col+"を入力してください。")
		}
	}
	f := Facility{Code: get(ColNo), Name: get(ColName), Kana: get(ColKana), Phone: get(ColPhone),
		URL: get(ColURL), Description: get(ColNote)}
	f.Address = strings.TrimSpace(get(ColAddress) + " " + get(ColAddr2))
	checkLen := func(col, v string, max int) {
		if len([]rune(v)) > max {
			bad(col, "too_long", fmt.Sprintf("%sは%d文字以内にしてください。", col, max))
		}
	}
	for _, c := range [][2]string{{ColName, f.Name}, {ColKana, f.Kana}, {ColAddress, f.Address}, {ColNote, f.Description}} {
		if formulaLike(c[1]) {
			bad(c[0], "formula", c[0]+"を =、+、@ で始めることはできません（表計算ソフトで数式として実行されるおそれがあります）。")
		}
	}
	checkLen(ColNo, f.Code, 50)
	checkLen(ColName, f.Name, 100)
	checkLen(ColKana, f.Kana, 100)
	checkLen(ColAddress, f.Address, 200)
	checkLen(ColNote, f.Description, 2000)
	if c := get(ColCity); c != "" && c != CityCode && c != CityCode[:5] {
		bad(ColCity, "other_city", "西条市（"+CityCode+"）以外のデータは取り込めません。")
	}
	if label := get(l.TypeColumn); label != "" {
		if f.Type = l.typeOf(label); f.Type == "" {
			bad(l.TypeColumn, "unknown_type", fmt.Sprintf("%s「%s」は使えません。使える値: %s", l.TypeColumn, label, l.typeLabels()))
		}
	}
	f.Lat, f.Lng, f.HasLocation = parseLocation(get(ColLat), get(ColLng), bad)
	if f.Phone != "" && !phonePattern.MatchString(f.Phone) {
		bad(ColPhone, "invalid_phone", "電話番号は数字とハイフンで入力してください（例: 0897-56-5151）。")
	}
	if f.URL != "" {
		if u, err := url.Parse(f.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad(ColURL, "invalid_url", "URL は http:// または https:// で始まる形で入力してください。")
		}
	}
	if l == MedicalInstitutions {
		f.Services = parseDepartments(get("診療科目"))
		if strings.Contains(get("時間外における対応"), "救急") {
			f.Services = append(f.Services, "emergency")
		}
		f.Hours = hoursOf(get("診療日時特記事項"), get("診療開始時間"), get("診療終了時間"))
	} else {
		f.Hours = hoursOf(get("利用可能日時特記事項"), get("開始時間"), get("終了時間"))
		if s := get("定員"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 {
				bad("定員", "invalid_capacity", "定員は0以上の整数で入力してください。")
			}
			f.Capacity, f.HasCapacity = n, err == nil && n >= 0
		}
	}
	checkLen("利用可能日時特記事項", f.Hours, 200)
	return f, errs
}

// formulaLike reports text a spreadsheet would run as a formula when the
// published file is opened: refused on import so the export stays safe.
func formulaLike(s string) bool {
	return s != "" && strings.ContainsRune("=+@", rune(s[0]))
}

var phonePattern = regexp.MustCompile(`^[0-9][0-9\-]{0,19}$`)

func parseLocation(lat, lng string, bad func(col, code, msg string)) (float64, float64, bool) {
	if lat == "" && lng == "" {
		return 0, 0, false
	}
	if lat == "" || lng == "" {
		bad(ColLat, "location_pair", "緯度と経度は両方入力するか、両方空欄にしてください。")
		return 0, 0, false
	}
	la, err1 := strconv.ParseFloat(lat, 64)
	ln, err2 := strconv.ParseFloat(lng, 64)
	ok := true
	// Japan lies within these bounds; a swapped pair (133, 33) fails here.
	if err1 != nil || la < 20 || la > 46 {
		bad(ColLat, "invalid_lat", "緯度は日本国内の10進数の値で入力してください（例: 33.9196）。")
		ok = false
	}
	if err2 != nil || ln < 122 || ln > 154 {
		bad(ColLng, "invalid_lng", "経度は日本国内の10進数の値で入力してください（例: 133.1833）。")
		ok = false
	}
	return la, ln, ok
}

func parseDepartments(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '、' || r == ',' || r == '・' }) {
		for _, d := range departments {
			if strings.TrimSpace(part) == d.Label && !slices.Contains(out, d.Service) {
				out = append(out, d.Service)
			}
		}
	}
	return out
}

// hoursOf prefers the free-text note, which lifestage writes in full; a
// file from elsewhere may give only the times.
func hoursOf(note, start, end string) string {
	if note != "" {
		return note
	}
	if start != "" || end != "" {
		return start + "〜" + end
	}
	return ""
}

func (l *Layout) typeLabels() string {
	labels := make([]string, len(l.Types))
	for i, t := range l.Types {
		labels[i] = t.Label
	}
	return strings.Join(labels, "・")
}

// header maps column names to their index and reports missing columns.
// Columns may come in any order; extra columns are ignored.
func (l *Layout) header(rows [][]string) (map[string]int, []CellError) {
	if len(rows) == 0 {
		return nil, []CellError{{0, "", "empty", "ファイルが空です。"}}
	}
	if len(rows)-1 > MaxRows {
		return nil, []CellError{{0, "", "too_many_rows", fmt.Sprintf("一度に取り込めるのは%d行までです。", MaxRows)}}
	}
	cols := map[string]int{}
	for i, name := range rows[0] {
		cols[strings.TrimSpace(name)] = i
	}
	var missing []string
	for _, c := range l.Columns {
		if _, ok := cols[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, []CellError{{0, "", "missing_columns", l.Title + "の列が足りません: " + strings.Join(missing, "、")}}
	}
	return cols, nil
}

func blank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// MedicalService reports whether a facilities.services value is one the
// 医療機関一覧 file carries (a 診療科目 or 救急), so an import replaces those
// and keeps the rest.
func MedicalService(service string) bool {
	if service == "emergency" {
		return true
	}
	for _, d := range departments {
		if d.Service == service {
			return true
		}
	}
	return false
}
