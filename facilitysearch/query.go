package facilitysearch

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/saijo-dx/lifestage/civil"
)

// Limits of a search request.
const (
	DefaultRadiusKm = 5.0
	MaxRadiusKm     = 50.0
	DefaultPerPage  = 20
	MaxPerPage      = 100
	maxQueryRunes   = 100
	maxListValues   = 20
)

// Vocab holds the values a filter may take: the select values of the
// facilities collection and the schedule's vaccine and checkup codes.
type Vocab struct {
	Types, Services, Vaccines, Checkups []string
}

// Query is a validated search. Empty lists and zero values mean "any".
type Query struct {
	Terms                        []string
	Types                        []string // any of
	Area                         string   // the area or a district under it
	Services, Vaccines, Checkups []string // all of
	OpenAt                       *time.Time
	OpenOn                       string
	Near                         *Point
	RadiusKm                     float64
	Page, PerPage                int
	Now                          time.Time // for each hit's openNow
}

// Point is a WGS84 position.
type Point struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lon"` // PocketBase's geo point calls it lon
}

var areaID = regexp.MustCompile(`^[a-z0-9]{15}$`)

// ParseQuery reads and checks the query string. It returns every problem,
// keyed by parameter, so a form can mark all wrong fields at once.
func ParseQuery(v url.Values, now time.Time, vocab Vocab) (Query, map[string]*Error) {
	errs := map[string]*Error{}
	q := Query{Page: 1, PerPage: DefaultPerPage, RadiusKm: DefaultRadiusKm, Now: now}

	text := strings.TrimSpace(v.Get("q"))
	if len([]rune(text)) > maxQueryRunes {
		errs["q"] = errorf("q_too_long", "検索語は%d文字以内で入力してください。", maxQueryRunes)
	}
	q.Terms = Terms(text)

	q.Types = listParam(v, "type", vocab.Types, "unknown_type", "施設の種類", errs)
	q.Services = listParam(v, "service", vocab.Services, "unknown_service", "サービス", errs)
	q.Vaccines = listParam(v, "vaccine", vocab.Vaccines, "unknown_vaccine", "ワクチン", errs)
	q.Checkups = listParam(v, "checkup", vocab.Checkups, "unknown_checkup", "健診", errs)

	if a := v.Get("area"); a != "" {
		if !areaID.MatchString(a) {
			errs["area"] = errorf("invalid_area", "地区の指定が正しくありません。")
		}
		q.Area = a
	}
	if s := v.Get("openAt"); s != "" {
		t, ok := parseInstant(s, now)
		if !ok {
			errs["openAt"] = errorf("invalid_open_at", "日時は now、または 2026-04-01T09:30 の形式（日本時間）で指定してください。")
		}
		q.OpenAt = &t
	}
	if s := v.Get("openOn"); s != "" {
		if !slices.Contains(DayKeys, s) {
			errs["openOn"] = errorf("invalid_open_on", "曜日は mon, tue, wed, thu, fri, sat, sun, holiday のいずれかで指定してください。")
		}
		q.OpenOn = s
	}
	if s := v.Get("near"); s != "" {
		p, ok := parsePoint(s)
		if !ok {
			errs["near"] = errorf("invalid_near", "現在地は「緯度,経度」（例: 33.918,133.181）で指定してください。")
		}
		q.Near = &p
	}
	if s := v.Get("radiusKm"); s != "" {
		r, err := strconv.ParseFloat(s, 64)
		switch {
		case err != nil || r <= 0 || r != r:
			errs["radiusKm"] = errorf("invalid_radius", "距離（km）は正の数で指定してください。")
		case r > MaxRadiusKm:
			errs["radiusKm"] = errorf("radius_too_large", "距離は%.0fkm以内で指定してください。", MaxRadiusKm)
		case q.Near == nil:
			errs["radiusKm"] = errorf("near_required", "距離を指定するときは、現在地（near）も指定してください。")
		}
		q.RadiusKm = r
	}
	q.Page = intParam(v, "page", 1, 1, 10000, "invalid_page", "ページ番号は1以上の整数で指定してください。", errs)
	q.PerPage = intParam(v, "perPage", DefaultPerPage, 1, MaxPerPage, "invalid_per_page", "1ページの件数は1〜100で指定してください。", errs)
	if len(errs) > 0 {
		return Query{}, errs
	}
	return q, nil
}

// listParam accepts repeated parameters and comma-separated lists alike.
func listParam(v url.Values, key string, allowed []string, code, label string, errs map[string]*Error) []string {
	var out []string
	for _, raw := range v[key] {
		for _, s := range strings.Split(raw, ",") {
			s = strings.TrimSpace(s)
			if s == "" || slices.Contains(out, s) {
				continue
			}
			if !slices.Contains(allowed, s) {
				errs[key] = errorf(code, "「%s」は%sとして使えません。", truncate(s, 30), label)
				return nil
			}
			out = append(out, s)
		}
	}
	if len(out) > maxListValues {
		errs[key] = errorf(code, "%sの指定が多すぎます。", label)
	}
	return out
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func intParam(v url.Values, key string, def, lo, hi int, code, msg string, errs map[string]*Error) int {
	s := v.Get(key)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		errs[key] = &Error{Code: code, Message: msg}
		return def
	}
	return n
}

// parseInstant reads "now", an RFC 3339 instant, or a Tokyo wall time
// "YYYY-MM-DDTHH:MM".
func parseInstant(s string, now time.Time) (time.Time, bool) {
	if s == "now" {
		return now, true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04", s, civil.Tokyo); err == nil {
		return t, true
	}
	return time.Time{}, false
}

func parsePoint(s string) (Point, bool) {
	lat, lng, ok := strings.Cut(s, ",")
	if !ok {
		return Point{}, false
	}
	la, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
	ln, err2 := strconv.ParseFloat(strings.TrimSpace(lng), 64)
	if err1 != nil || err2 != nil || la < -90 || la > 90 || ln < -180 || ln > 180 {
		return Point{}, false
	}
	return Point{la, ln}, true
}
