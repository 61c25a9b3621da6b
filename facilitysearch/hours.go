// Package facilitysearch is the public facility and clinic search: machine
// readable opening hours, text matching that ignores the differences
// between hiragana and katakana and between full- and half-width
// characters, distance, and the search itself over an in-memory list. It
// takes plain values and imports no PocketBase.
package facilitysearch

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/saijo-dx/lifestage/civil"
)

// DayKeys are the keys of an openingHours object: the weekdays, Monday
// first as on Japanese clinic boards, then national holidays.
var DayKeys = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun", "holiday"}

const holidayIndex = 7

var dayLabels = [...]string{"月", "火", "水", "木", "金", "土", "日", "祝"}

// maxRanges caps the time ranges of one day (morning, afternoon, evening…).
const maxRanges = 6

// Range is an opening time range in minutes after midnight, Open included
// and Close excluded. Close may be 24:00 (1440) for "until midnight".
type Range struct{ Open, Close int }

// Week is a facility's opening hours. A weekday without ranges is closed.
// On a national holiday the holiday ranges apply when HasHoliday is set
// (empty ranges: closed on holidays, 「祝日休診」); otherwise the weekday's.
type Week struct {
	Days       [8][]Range // indexed like DayKeys
	HasHoliday bool
}

// Error is a problem with an input value: a stable code and a Japanese
// message, for the field errors of a 400 answer.
type Error struct{ Code, Message string }

func (e *Error) Error() string { return e.Message }

func errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ParseHours reads the openingHours JSON: {"mon": [["09:00","12:00"],
// ["15:00","18:00"]], …, "holiday": []}. Empty input or null means "not
// given" (ok is false). Ranges of a day are sorted and must not overlap.
func ParseHours(raw []byte) (w Week, ok bool, err error) {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" || s == `""` {
		return Week{}, false, nil
	}
	var days map[string][][]string
	if json.Unmarshal(raw, &days) != nil {
		return Week{}, false, errorf("invalid_opening_hours",
			`診療・開所時間の形式が正しくありません。{"mon":[["09:00","12:00"]]} のように曜日ごとに時間帯を指定してください。`)
	}
	for key, ranges := range days {
		i := slices.Index(DayKeys, key)
		if i < 0 {
			return Week{}, false, errorf("unknown_day", "「%s」は曜日として使えません。mon〜sun と holiday を使ってください。", key)
		}
		if len(ranges) > maxRanges {
			return Week{}, false, errorf("too_many_ranges", "%s曜の時間帯は%d個までです。", dayLabels[i], maxRanges)
		}
		day := make([]Range, 0, len(ranges))
		for n, r := range ranges {
			rg, err := parseRange(r)
			if err != nil {
				return Week{}, false, errorf(err.Code, "%s曜の%d番目の時間帯: %s", dayLabels[i], n+1, err.Message)
			}
			day = append(day, rg)
		}
		slices.SortFunc(day, func(a, b Range) int { return a.Open - b.Open })
		for n := 1; n < len(day); n++ {
			if day[n].Open < day[n-1].Close {
				return Week{}, false, errorf("overlapping_ranges", "%s曜の時間帯が重なっています。", dayLabels[i])
			}
		}
		w.Days[i] = day
		if i == holidayIndex {
			w.HasHoliday = true
		}
	}
	return w, true, nil
}

func parseRange(r []string) (Range, *Error) {
	if len(r) != 2 {
		return Range{}, errorf("invalid_range", `["09:00","12:00"] のように開始と終了の2つを指定してください。`)
	}
	open, ok1 := parseClock(r[0], false)
	close, ok2 := parseClock(r[1], true)
	if !ok1 || !ok2 {
		return Range{}, errorf("invalid_time", "時刻は 00:00〜24:00 の HH:MM 形式で指定してください。")
	}
	if close <= open {
		return Range{}, errorf("end_before_start", "終了は開始より後にしてください（深夜をまたぐ場合は翌日に分けてください）。")
	}
	return Range{open, close}, nil
}

// parseClock reads "HH:MM"; 24:00 is allowed only as a closing time. It
// reads the digits itself: fmt.Sscanf was most of the cost of loading a
// city's facilities.
func parseClock(s string, closing bool) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	d := [4]int{}
	for i, c := range []byte{s[0], s[1], s[3], s[4]} {
		if c < '0' || c > '9' {
			return 0, false
		}
		d[i] = int(c - '0')
	}
	h, m := d[0]*10+d[1], d[2]*10+d[3]
	if m > 59 || h > 24 || h == 24 && (m != 0 || !closing) {
		return 0, false
	}
	return h*60 + m, true
}

// JSON writes the hours back in the stored form, every day included, so a
// generated value reads the same way as a typed one.
func (w Week) JSON() map[string][][2]string {
	out := make(map[string][][2]string, len(DayKeys))
	for i, key := range DayKeys {
		if i == holidayIndex && !w.HasHoliday {
			continue
		}
		day := make([][2]string, 0, len(w.Days[i]))
		for _, r := range w.Days[i] {
			day = append(day, [2]string{clock(r.Open), clock(r.Close)})
		}
		out[key] = day
	}
	return out
}

func clock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// rangesOn returns the ranges that apply on a civil date.
func (w Week) rangesOn(d civil.Date, isHoliday func(civil.Date) bool) []Range {
	if w.HasHoliday && isHoliday != nil && isHoliday(d) {
		return w.Days[holidayIndex]
	}
	return w.Days[(int(d.Time().Weekday())+6)%7] // Monday = 0
}

// OpenAt reports whether the facility is open at t (seen in Tokyo). A
// facility opens at its opening minute and is closed from its closing
// minute on.
func (w Week) OpenAt(t time.Time, isHoliday func(civil.Date) bool) bool {
	t = t.In(civil.Tokyo)
	minute := t.Hour()*60 + t.Minute()
	for _, r := range w.rangesOn(civil.DateOf(t), isHoliday) {
		if r.Open <= minute && minute < r.Close {
			return true
		}
	}
	return false
}

// OpenOn reports whether the facility opens at all on a day key (mon…sun,
// holiday). A holiday without its own ranges is not known to be open.
func (w Week) OpenOn(key string) bool {
	i := slices.Index(DayKeys, key)
	return i >= 0 && len(w.Days[i]) > 0
}

// Text writes the hours for display, grouping days with the same ranges:
// 「月〜金 9:00〜12:00 / 15:00〜18:00、土 9:00〜12:00（日・祝休み）」.
func (w Week) Text() string {
	var parts, closed []string
	for i := 0; i < 7; {
		j := i
		for j+1 < 7 && slices.Equal(w.Days[j+1], w.Days[i]) {
			j++
		}
		switch {
		case len(w.Days[i]) == 0:
			for k := i; k <= j; k++ {
				closed = append(closed, dayLabels[k])
			}
		case j == i:
			parts = append(parts, dayLabels[i]+" "+rangesText(w.Days[i]))
		case j == i+1:
			parts = append(parts, dayLabels[i]+dayLabels[j]+" "+rangesText(w.Days[i]))
		default:
			parts = append(parts, dayLabels[i]+"〜"+dayLabels[j]+" "+rangesText(w.Days[i]))
		}
		i = j + 1
	}
	if w.HasHoliday {
		if len(w.Days[holidayIndex]) == 0 {
			closed = append(closed, "祝")
		} else {
			parts = append(parts, "祝日 "+rangesText(w.Days[holidayIndex]))
		}
	}
	s := strings.Join(parts, "、")
	if len(closed) > 0 {
		s += "（" + strings.Join(closed, "・") + "休み）"
	}
	return s
}

func rangesText(rs []Range) string {
	if len(rs) == 1 && rs[0] == (Range{0, 24 * 60}) {
		return "24時間"
	}
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = fmt.Sprintf("%d:%02d〜%d:%02d", r.Open/60, r.Open%60, r.Close/60, r.Close%60)
	}
	return strings.Join(out, " / ")
}

// Summary gives the open data columns (自治体標準オープンデータセット
// 診療日/利用可能曜日, 開始時間, 終了時間): the days it opens as 「月火水木金土」
// (「祝」 when open on holidays) and the earliest opening and latest closing
// over the week. A lunch break is not in those columns; the 特記事項 text
// carries it.
func (w Week) Summary() (days, from, to string) {
	first, last := 24*60, -1
	var b strings.Builder
	for i, day := range w.Days {
		if len(day) == 0 {
			continue
		}
		b.WriteString(dayLabels[i])
		first, last = min(first, day[0].Open), max(last, day[len(day)-1].Close)
	}
	if last < 0 {
		return "", "", ""
	}
	return b.String(), clock(first), clock(last)
}
