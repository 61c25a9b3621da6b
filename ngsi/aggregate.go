package ngsi

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Aggregation (beyond Orion, whose v2 has none): count, sum or average of
// one attribute over the selected entities, grouped by another attribute
// and/or by a day, week (starting Monday) or month bucket of a date
// attribute.

// Agg is a parsed aggregation request.
type Agg struct {
	Op       string `json:"op"`
	Attr     string `json:"attr"`
	GroupBy  string `json:"groupBy"`
	Bucket   string `json:"bucket"`
	TimeAttr string `json:"timeAttr"`
}

// Group is one result row. Value is the count, the sum or the average;
// Count is the number of entities behind it (those with a numeric value
// for sum and avg).
type Group struct {
	Group  any     `json:"group"`
	Bucket string  `json:"bucket"`
	Value  float64 `json:"value"`
	Count  int     `json:"count"`
}

// ParseAgg reads op, attr, groupBy, bucket and timeAttr.
func ParseAgg(v url.Values) (Agg, error) {
	a := Agg{Op: v.Get("op"), Attr: v.Get("attr"), GroupBy: v.Get("groupBy"), Bucket: v.Get("bucket"), TimeAttr: v.Get("timeAttr")}
	switch a.Op {
	case "count":
	case "sum", "avg":
		if a.Attr == "" {
			return a, BadRequest("op=%s には attr（数値の属性）が必要です", a.Op)
		}
	default:
		return a, BadRequest("op は count, sum, avg のいずれかです")
	}
	for _, p := range []string{a.Attr, a.GroupBy, a.TimeAttr} {
		if p != "" && !validPath(p) {
			return a, BadRequest("属性名が正しくありません: %q", p)
		}
	}
	switch a.Bucket {
	case "":
		if a.TimeAttr != "" {
			return a, BadRequest("timeAttr は bucket（day, week, month）と組み合わせてください")
		}
	case "day", "week", "month":
		if a.TimeAttr == "" {
			return a, BadRequest("bucket には timeAttr（日付の属性）が必要です")
		}
	default:
		return a, BadRequest("bucket は day, week, month のいずれかです")
	}
	return a, nil
}

// Run aggregates the entities.
func (a Agg) Run(es []Entity) []Group {
	type key struct{ group, bucket string }
	type acc struct {
		group any
		sum   float64
		n     int
	}
	accs := map[key]*acc{}
	for _, e := range es {
		var g any
		if a.GroupBy != "" {
			g, _ = cond{path: strings.Split(a.GroupBy, ".")}.lookup(e)
		}
		b := ""
		if a.Bucket != "" {
			t, _ := cond{path: strings.Split(a.TimeAttr, ".")}.lookup(e)
			s, _ := t.(string)
			if b = bucketOf(s, a.Bucket); b == "" {
				continue
			}
		}
		var x float64
		if a.Op != "count" {
			v, _ := cond{path: strings.Split(a.Attr, ".")}.lookup(e)
			f, ok := toFloat(v)
			if !ok {
				continue
			}
			x = f
		}
		k := key{fmt.Sprint(g), b}
		if accs[k] == nil {
			accs[k] = &acc{group: g}
		}
		accs[k].sum += x
		accs[k].n++
	}
	out := make([]Group, 0, len(accs))
	for k, c := range accs {
		r := Group{Group: c.group, Bucket: k.bucket, Count: c.n}
		switch a.Op {
		case "count":
			r.Value = float64(c.n)
		case "sum":
			r.Value = c.sum
		case "avg":
			r.Value = c.sum / float64(c.n)
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(x, y Group) int {
		return cmp.Or(cmp.Compare(x.Bucket, y.Bucket), cmp.Compare(fmt.Sprint(x.Group), fmt.Sprint(y.Group)))
	})
	return out
}

// bucketOf maps a date ("2026-11-26" or an RFC 3339 instant, read as its
// written calendar day) to its bucket label; "" when it is not a date.
func bucketOf(s, bucket string) string {
	if len(s) < 10 {
		return ""
	}
	d, err := time.Parse("2006-01-02", s[:10])
	if err != nil {
		return ""
	}
	switch bucket {
	case "week":
		back := (int(d.Weekday()) + 6) % 7 // days since Monday
		return d.AddDate(0, 0, -back).Format("2006-01-02")
	case "month":
		return d.Format("2006-01")
	}
	return d.Format("2006-01-02")
}
