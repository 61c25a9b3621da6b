package register

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/width"

	"github.com/saijo-dx/lifestage/civil"
)

// era is a Japanese era (元号): its first day, and the letter and name a
// register extract writes it with.
type era struct {
	letter, name string
	start        civil.Date
}

// eras are newest last; an era ends the day before the next one starts.
var eras = []era{
	{"M", "明治", civil.Date{Year: 1868, Month: time.January, Day: 25}},
	{"T", "大正", civil.Date{Year: 1912, Month: time.July, Day: 30}},
	{"S", "昭和", civil.Date{Year: 1926, Month: time.December, Day: 25}},
	{"H", "平成", civil.Date{Year: 1989, Month: time.January, Day: 8}},
	{"R", "令和", civil.Date{Year: 2019, Month: time.May, Day: 1}},
}

var (
	westernDate = regexp.MustCompile(`^(\d{4})(?:[-/.]|年)(\d{1,2})(?:[-/.]|月)(\d{1,2})日?$`)
	erasDate    = regexp.MustCompile(`^(明治|大正|昭和|平成|令和|[MTSHRmtshr])\s*(元|\d{1,2})(?:[-/.]|年)(\d{1,2})(?:[-/.]|月)(\d{1,2})日?$`)
)

var errBadDate = errors.New("register: unreadable date")

// ParseDate reads a birth date as the register writes it: 1950-03-01,
// 1950/3/1, 1950年3月1日, or in the Japanese calendar S25.3.1, 昭和25年3月1日,
// 令和元年5月1日 (full-width digits too). An era date outside its era, such
// as S64.1.8 (that day was already 平成), is refused.
func ParseDate(s string) (civil.Date, error) {
	s = width.Narrow.String(strings.TrimSpace(s))
	if m := westernDate.FindStringSubmatch(s); m != nil {
		return ymd(atoi(m[1]), m[2], m[3])
	}
	m := erasDate.FindStringSubmatch(s)
	if m == nil {
		return civil.Date{}, errBadDate
	}
	i := eraIndex(m[1])
	n := 1
	if m[2] != "元" {
		n = atoi(m[2])
	}
	if n < 1 {
		return civil.Date{}, errBadDate
	}
	d, err := ymd(eras[i].start.Year+n-1, m[3], m[4])
	if err != nil || d.Before(eras[i].start) || (i+1 < len(eras) && !d.Before(eras[i+1].start)) {
		return civil.Date{}, errBadDate
	}
	return d, nil
}

func eraIndex(s string) int {
	for i, e := range eras {
		if strings.EqualFold(s, e.letter) || s == e.name {
			return i
		}
	}
	return -1 // unreachable: the pattern only admits the eras above
}

// ymd builds a date and refuses impossible days such as February 30.
func ymd(y int, m, d string) (civil.Date, error) {
	return civil.Parse(strconv.Itoa(y) + "-" + pad2(m) + "-" + pad2(d))
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
