package opendata

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Event is a public event as イベント一覧 holds it.
type Event struct {
	No, Name, Kana                 string
	StartDate, EndDate             string // YYYY-MM-DD
	StartTime, EndTime             string // hh:mm
	Description, Fee               string
	ContactName, ContactPhone      string
	Organizer, Place, Address      string
	Lat, Lng                       float64
	HasLocation                    bool
	Capacity                       int
	HasCapacity                    bool
	Target, HowToApply, URL, Notes string
}

// EventRow writes one event in イベント一覧's column order.
func EventRow(e Event) []string {
	l := Events
	row := make([]string, len(l.Columns))
	set := func(col, v string) { row[l.index(col)] = v }
	set(ColCity, CityCode)
	set(ColNo, e.No)
	set("イベント名", e.Name)
	set("イベント名_カナ", e.Kana)
	set("開始日", e.StartDate)
	set("終了日", e.EndDate)
	set("開始時間", e.StartTime)
	set("終了時間", e.EndTime)
	set("説明", e.Description)
	set("料金(基本)", e.Fee)
	set("連絡先名称", e.ContactName)
	set("連絡先電話番号", e.ContactPhone)
	set("主催者", e.Organizer)
	set("場所名称", e.Place)
	set(ColAddress, e.Address)
	if e.HasLocation {
		set(ColLat, strconv.FormatFloat(e.Lat, 'f', -1, 64))
		set(ColLng, strconv.FormatFloat(e.Lng, 'f', -1, 64))
	}
	if e.HasCapacity {
		set("定員", strconv.Itoa(e.Capacity))
	}
	set("対象者", e.Target)
	set("申込方法", e.HowToApply)
	set(ColURL, e.URL)
	set(ColNote, e.Notes)
	return row
}

var (
	datePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	timePattern = regexp.MustCompile(`^\d{1,2}:\d{2}$`)
)

// ParseEvents reads イベント一覧 rows (header first), checking every row.
func ParseEvents(rows [][]string) ([]Event, []CellError) {
	cols, errs := Events.header(rows)
	if len(errs) > 0 {
		return nil, errs
	}
	var out []Event
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
		bad := func(col, code, msg string) { errs = append(errs, CellError{line, col, code, msg}) }
		for _, col := range Events.Required {
			if get(col) == "" {
				bad(col, "required", col+"を入力してください。")
			}
		}
		e := Event{No: get(ColNo), Name: get("イベント名"), Kana: get("イベント名_カナ"), StartDate: get("開始日"),
			EndDate: get("終了日"), StartTime: get("開始時間"), EndTime: get("終了時間"), Description: get("説明"),
			Fee: get("料金(基本)"), ContactName: get("連絡先名称"), ContactPhone: get("連絡先電話番号"),
			Organizer: get("主催者"), Place: get("場所名称"), Address: strings.TrimSpace(get(ColAddress) + " " + get(ColAddr2)),
			Target: get("対象者"), HowToApply: get("申込方法"), URL: get(ColURL), Notes: get(ColNote)}
		for _, c := range [][2]string{{"開始日", e.StartDate}, {"終了日", e.EndDate}} {
			if c[1] != "" && !datePattern.MatchString(c[1]) {
				bad(c[0], "invalid_date", c[0]+"は YYYY-MM-DD の形で入力してください。")
			}
		}
		for _, c := range [][2]string{{"開始時間", e.StartTime}, {"終了時間", e.EndTime}} {
			if c[1] != "" && !timePattern.MatchString(c[1]) {
				bad(c[0], "invalid_time", c[0]+"は hh:mm の形で入力してください。")
			}
		}
		if datePattern.MatchString(e.EndDate) && datePattern.MatchString(e.StartDate) && e.EndDate < e.StartDate {
			bad("終了日", "end_before_start", "終了日が開始日より前になっています。")
		}
		e.Lat, e.Lng, e.HasLocation = parseLocation(get(ColLat), get(ColLng), bad)
		if s := get("定員"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 {
				bad("定員", "invalid_capacity", fmt.Sprintf("定員は0以上の整数で入力してください（%s）。", s))
			}
			e.Capacity, e.HasCapacity = n, err == nil && n >= 0
		}
		out = append(out, e)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}
