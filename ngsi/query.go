package ngsi

import (
	"cmp"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Paging limits, as Orion's.
const (
	DefaultLimit = 20
	MaxLimit     = 1000
)

// Selector names entities by id or id pattern, and optionally type
// (op/query's entities[] items; the id/idPattern/type parameters).
type Selector struct {
	ID        string `json:"id"`
	IDPattern string `json:"idPattern"`
	Type      string `json:"type"`
	re        *regexp.Regexp
}

// Query is a parsed entity query.
type Query struct {
	Types     []string // empty: every type the caller may read
	selectors []Selector
	Filter    Filter
	Geo       *GeoFilter
	Attrs     []string
	Limit     int
	Offset    int
	KeyValues bool
	Count     bool
	orderBy   []order
}

type order struct {
	attr string
	desc bool
}

// ParseQuery reads the GET /ngsi/v2/entities parameters.
func ParseQuery(v url.Values) (*Query, error) {
	q := &Query{}
	if t := v.Get("type"); t != "" {
		q.Types = splitList(t)
	}
	if v.Get("id") != "" && v.Get("idPattern") != "" {
		return nil, BadRequest("id と idPattern は同時に指定できません")
	}
	for _, id := range splitList(v.Get("id")) {
		q.selectors = append(q.selectors, Selector{ID: id})
	}
	if p := v.Get("idPattern"); p != "" {
		q.selectors = append(q.selectors, Selector{IDPattern: p})
	}
	if err := q.compileSelectors(); err != nil {
		return nil, err
	}
	var err error
	if q.Filter, err = ParseQ(v.Get("q")); err != nil {
		return nil, err
	}
	if q.Geo, err = ParseGeo(v.Get("georel"), v.Get("geometry"), v.Get("coords")); err != nil {
		return nil, err
	}
	if err = q.setCommon(v.Get("attrs"), v.Get("limit"), v.Get("offset"), v.Get("options"), v.Get("orderBy")); err != nil {
		return nil, err
	}
	return q, nil
}

// Body is POST /ngsi/v2/op/query's payload.
type Body struct {
	Entities   []Selector `json:"entities"`
	Attrs      []string   `json:"attrs"`
	Expression struct {
		Q        string `json:"q"`
		Georel   string `json:"georel"`
		Geometry string `json:"geometry"`
		Coords   string `json:"coords"`
	} `json:"expression"`
}

// ParseBody reads an op/query body with the URL's paging parameters.
func ParseBody(b Body, v url.Values) (*Query, error) {
	q := &Query{}
	types := map[string]bool{}
	for _, s := range b.Entities {
		if s.ID != "" && s.IDPattern != "" {
			return nil, BadRequest("entities の項目に id と idPattern を同時に指定できません")
		}
		if s.Type != "" {
			types[s.Type] = true
		}
		if s.ID != "" || s.IDPattern != "" {
			q.selectors = append(q.selectors, s)
		} else if s.Type != "" {
			q.selectors = append(q.selectors, Selector{IDPattern: ".*", Type: s.Type})
		}
	}
	// A type is restricted only when every item names one.
	if len(types) > 0 && !slices.ContainsFunc(b.Entities, func(s Selector) bool { return s.Type == "" }) {
		for t := range types {
			q.Types = append(q.Types, t)
		}
		slices.Sort(q.Types)
	}
	if err := q.compileSelectors(); err != nil {
		return nil, err
	}
	var err error
	if q.Filter, err = ParseQ(b.Expression.Q); err != nil {
		return nil, err
	}
	if q.Geo, err = ParseGeo(b.Expression.Georel, b.Expression.Geometry, b.Expression.Coords); err != nil {
		return nil, err
	}
	attrs := strings.Join(b.Attrs, ",")
	if err = q.setCommon(attrs, v.Get("limit"), v.Get("offset"), v.Get("options"), v.Get("orderBy")); err != nil {
		return nil, err
	}
	return q, nil
}

func (q *Query) compileSelectors() error {
	for i, s := range q.selectors {
		if s.IDPattern == "" {
			continue
		}
		re, err := regexp.Compile(s.IDPattern)
		if err != nil {
			return BadRequest("idPattern が正しい正規表現ではありません: %q", s.IDPattern)
		}
		q.selectors[i].re = re
	}
	return nil
}

func (q *Query) setCommon(attrs, limit, offset, options, orderBy string) error {
	q.Attrs = splitList(attrs)
	q.Limit = DefaultLimit
	if limit != "" {
		n, err := strconv.Atoi(limit)
		if err != nil || n < 1 || n > MaxLimit {
			return BadRequest("limit は1〜%dの整数で指定してください", MaxLimit)
		}
		q.Limit = n
	}
	if offset != "" {
		n, err := strconv.Atoi(offset)
		if err != nil || n < 0 {
			return BadRequest("offset は0以上の整数で指定してください")
		}
		q.Offset = n
	}
	for _, o := range splitList(options) {
		switch o {
		case "keyValues":
			q.KeyValues = true
		case "count":
			q.Count = true
		default:
			return BadRequest("options %q には対応していません（keyValues, count）", o)
		}
	}
	for _, o := range splitList(orderBy) {
		desc := strings.HasPrefix(o, "!")
		name := strings.TrimPrefix(o, "!")
		if name != "geo:distance" && !validPath(name) {
			return BadRequest("orderBy が正しくありません: %q", o)
		}
		if name == "geo:distance" && (q.Geo == nil || q.Geo.rel != "near") {
			return BadRequest("orderBy=geo:distance は georel=near と組み合わせてください")
		}
		q.orderBy = append(q.orderBy, order{name, desc})
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Selects reports whether an entity passes the id, type, q and geo parts.
func (q *Query) Selects(e Entity) bool {
	// Cheapest first: the geo test reads no attribute map, and near's box
	// test rejects most entities at once.
	if len(q.Types) > 0 && !slices.Contains(q.Types, e.Type) || !q.Geo.Match(e) {
		return false
	}
	if len(q.selectors) > 0 && !slices.ContainsFunc(q.selectors, func(s Selector) bool { return s.matches(e) }) {
		return false
	}
	return q.Filter.Match(e)
}

func (s Selector) matches(e Entity) bool {
	if s.Type != "" && s.Type != e.Type {
		return false
	}
	if s.re != nil {
		return s.re.MatchString(e.ID)
	}
	return s.ID == e.ID
}

// Select returns the entities (given per type, each in a stable order)
// that pass the id, type, q and geo parts, ordered by orderBy.
func (q *Query) Select(lists ...[]Entity) []Entity {
	var hits []Entity
	for _, list := range lists {
		for _, e := range list {
			if q.Selects(e) {
				hits = append(hits, e)
			}
		}
	}
	if len(q.orderBy) > 0 {
		slices.SortStableFunc(hits, q.compareEntities)
	}
	return hits
}

// Run selects and pages the entities and returns the page and the total
// before paging.
func (q *Query) Run(lists ...[]Entity) ([]Entity, int) {
	hits := q.Select(lists...)
	total := len(hits)
	if q.Offset >= total {
		return []Entity{}, total
	}
	return hits[q.Offset:min(total, q.Offset+q.Limit)], total
}

func (q *Query) compareEntities(a, b Entity) int {
	for _, o := range q.orderBy {
		var n int
		if o.attr == "geo:distance" {
			n = cmp.Compare(q.Geo.Distance(a), q.Geo.Distance(b))
		} else {
			x, y := sortKey(a, o.attr), sortKey(b, o.attr)
			// Entities without the attribute go last either way.
			if (x == nil) != (y == nil) {
				return compareValues(x, y)
			}
			n = compareValues(x, y)
		}
		if o.desc {
			n = -n
		}
		if n != 0 {
			return n
		}
	}
	return 0
}

func sortKey(e Entity, name string) any {
	switch name {
	case "id":
		return e.ID
	case "type":
		return e.Type
	}
	v, _ := cond{path: strings.Split(name, ".")}.lookup(e)
	return v
}

// compareValues orders missing values last, numbers before text.
func compareValues(a, b any) int {
	fa, na := toFloat(a)
	fb, nb := toFloat(b)
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	case na && nb:
		return cmp.Compare(fa, fb)
	case na:
		return -1
	case nb:
		return 1
	}
	return strings.Compare(scalarText(a), scalarText(b))
}

// ParseRawQuery splits a raw URL query on "&" only. Go's url.ParseQuery
// drops any pair holding a ";", but NGSI uses ";" inside q, georel and
// coords, and Orion clients send it unescaped.
func ParseRawQuery(raw string) url.Values {
	v := url.Values{}
	for _, pair := range strings.Split(raw, "&") {
		if pair == "" {
			continue
		}
		k, val, _ := strings.Cut(pair, "=")
		k, err1 := url.QueryUnescape(k)
		val, err2 := url.QueryUnescape(val)
		if err1 != nil || err2 != nil {
			continue
		}
		v.Add(k, val)
	}
	return v
}
