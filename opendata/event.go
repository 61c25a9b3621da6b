package opendata

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/saijo-dx/lifestage/civil"
)

// Event is a public event as イベント一覧 holds it.
type Event struct {
	No, Name, Kana            string
	StartDate, EndDate        string // YYYY-MM-DD
	StartTime, EndTime        string // hh:mm
	Description, Fee          string
	ContactName, ContactPhone string
	Organizer, Place, Address string
	Lat, Lng                  float64
	HasLocation               bool
	Capacity                  int
	HasCapacity               bool
	Target                    string
	ApplyFrom, ApplyUntil     string // YYYY-MM-DD, 申込開始日・申込終了日
	HowToApply, URL, Notes    string
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
	set("申込開始日", e.ApplyFrom)
	set("申込終了日", e.ApplyUntil)
	set("申込方法", e.HowToApply)
	set(ColURL, e.URL)
	set(ColNote, e.Notes)
	return row
}

var (
	datePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	timePattern = regexp.MustCompile(`^\d{1,2}:\d{2}$`)
	feePattern  = regexp.MustCompile(`^([0-9][0-9,]*)\s*円?$`)
)

// Free is how イベント一覧 writes a fee of 0 yen.
const Free = "無料"

// FeeText writes a whole-yen fee for 料金(基本).
func FeeText(yen int) string {
	if yen <= 0 {
		return Free
	}
	return strconv.Itoa(yen) + "円"
}

// FeeYen reads 料金(基本) as whole yen: "", "無料", "0", "500", "500円",
// "1,200円". Anything else (料金の説明文) is not a fee lifestage can store.
func FeeYen(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" || s == Free {
		return 0, true
	}
	m := feePattern.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
	return n, err == nil
}

// ParsedEvent is an event read from a file, with its line for messages.
type ParsedEvent struct {
	Line int
	Event
	FeeYen int
}

// ParseEvents reads イベント一覧 rows (header first), checking every row;
// no event is returned when there is any problem.
func ParseEvents(rows [][]string) ([]ParsedEvent, []CellError) {
	return parseRows(Events, rows, func(line int, get func(string) string) (ParsedEvent, string, []CellError) {
		e, errs := parseEvent(line, get)
		return e, e.No, errs
	})
}

func parseEvent(line int, get func(string) string) (ParsedEvent, []CellError) {
	var errs []CellError
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
		Target: get("対象者"), ApplyFrom: get("申込開始日"), ApplyUntil: get("申込終了日"),
		HowToApply: get("申込方法"), URL: get(ColURL), Notes: get(ColNote)}
	if c := get(ColCity); c != "" && c != CityCode && c != CityCode[:5] {
		bad(ColCity, "other_city", "西条市（"+CityCode+"）以外のデータは取り込めません。")
	}
	for _, c := range []struct {
		col, v string
		max    int
	}{{ColNo, e.No, 50}, {"イベント名", e.Name, 100}, {"イベント名_カナ", e.Kana, 100}, {"説明", e.Description, 2000},
		{"場所名称", e.Place, 100}, {ColAddress, e.Address, 200}, {"連絡先名称", e.ContactName, 200}} {
		if len([]rune(c.v)) > c.max {
			bad(c.col, "too_long", fmt.Sprintf("%sは%d文字以内にしてください。", c.col, c.max))
		}
		if formulaLike(c.v) {
			bad(c.col, "formula", c.col+"を =、+、@ で始めることはできません（表計算ソフトで数式として実行されるおそれがあります）。")
		}
	}
	for _, c := range [][2]string{{"開始日", e.StartDate}, {"終了日", e.EndDate}, {"申込開始日", e.ApplyFrom}, {"申込終了日", e.ApplyUntil}} {
		if c[1] != "" && !validDate(c[1]) {
			bad(c[0], "invalid_date", c[0]+"は YYYY-MM-DD の形で入力してください。")
		}
	}
	for _, c := range [][2]string{{"開始時間", e.StartTime}, {"終了時間", e.EndTime}} {
		if c[1] != "" && !validTime(c[1]) {
			bad(c[0], "invalid_time", c[0]+"は hh:mm の形で入力してください。")
		}
	}
	if len(errs) == 0 {
		if start, end, hasEnd := EventTimes(e); hasEnd && end.Before(start) {
			col := "終了日"
			if e.EndDate == "" || e.EndDate == e.StartDate {
				col = "終了時間"
			}
			bad(col, "end_before_start", "終了が開始より前になっています。")
		}
		if e.ApplyFrom != "" && e.ApplyUntil != "" && e.ApplyUntil < e.ApplyFrom {
			bad("申込終了日", "end_before_start", "申込終了日が申込開始日より前になっています。")
		}
	}
	e.Lat, e.Lng, e.HasLocation = parseLocation(get(ColLat), get(ColLng), bad)
	if s := get("定員"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			bad("定員", "invalid_capacity", fmt.Sprintf("定員は0以上の整数で入力してください（%s）。", s))
		}
		e.Capacity, e.HasCapacity = n, err == nil && n >= 0
	}
	fee, ok := FeeYen(e.Fee)
	if !ok {
		bad("料金(基本)", "invalid_fee", fmt.Sprintf("料金(基本)は「無料」か円の金額（例: 500円）で入力してください（%s）。詳しい説明は料金(詳細)へ。", e.Fee))
	}
	return ParsedEvent{Line: line, Event: e, FeeYen: fee}, errs
}

func validDate(s string) bool {
	_, err := time.Parse(civil.Layout, s)
	return datePattern.MatchString(s) && err == nil
}

func validTime(s string) bool {
	_, err := time.Parse("15:04", s)
	return timePattern.MatchString(s) && err == nil
}

// EventTimes gives the instants of a checked event in Tokyo. A day without
// a start time starts at 0:00; an end date without a time ends at 23:59;
// an end time without an end date is on the start date.
func EventTimes(e Event) (start, end time.Time, hasEnd bool) {
	start = at(e.StartDate, e.StartTime, "00:00")
	if e.EndDate == "" && e.EndTime == "" {
		return start, time.Time{}, false
	}
	day := e.EndDate
	if day == "" {
		day = e.StartDate
	}
	return start, at(day, e.EndTime, "23:59"), true
}

// ApplicationTimes gives the application window: from 0:00 of 申込開始日
// to 23:59 of 申込終了日 (zero when the column is empty).
func ApplicationTimes(e Event) (opens, closes time.Time) {
	if e.ApplyFrom != "" {
		opens = at(e.ApplyFrom, "", "00:00")
	}
	if e.ApplyUntil != "" {
		closes = at(e.ApplyUntil, "", "23:59")
	}
	return opens, closes
}

func at(day, hhmm, def string) time.Time {
	if hhmm == "" {
		hhmm = def
	}
	t, _ := time.ParseInLocation(civil.Layout+" 15:04", day+" "+hhmm, civil.Tokyo)
	return t
}

// SplitTime writes an instant as イベント一覧's date and time in Tokyo.
func SplitTime(t time.Time) (date, hhmm string) {
	if t.IsZero() {
		return "", ""
	}
	t = t.In(civil.Tokyo)
	return t.Format(civil.Layout), t.Format("15:04")
}

// AgeTarget writes an age eligibility in months as 対象者.
func AgeTarget(minMonths, maxMonths int) string {
	switch {
	case minMonths <= 0 && maxMonths <= 0:
		return ""
	case maxMonths <= 0:
		return fmt.Sprintf("生後%dか月以上の子と保護者", minMonths)
	}
	return fmt.Sprintf("生後%dか月から%dか月の子と保護者", max(minMonths, 0), maxMonths)
}

// kindWords guess an imported event's kind from its name: イベント一覧 has
// no column for it. The first match wins; the rest are その他の行事.
var kindWords = []struct{ word, kind string }{
	{"健診", "checkup"}, {"健康診査", "checkup"}, {"一時預かり", "temporary_care"},
	{"相談", "consultation"}, {"教室", "class"}, {"講座", "class"}, {"学級", "class"},
}

// GuessEventKind is the events.kind of a new event read from イベント一覧.
func GuessEventKind(name string) string {
	for _, k := range kindWords {
		if strings.Contains(name, k.word) {
			return k.kind
		}
	}
	return "event"
}
