package ngsi

import (
	"regexp"
	"strconv"
	"strings"
)

// The Simple Query Language subset (NGSI-v2 §4.10 "q"): statements joined
// by ";" (AND), each a unary "attr" / "!attr" or "attr OP value" with OP one
// of == != > < >= <= ~=. A value may be a range "a..b" (== and != only), a
// list "a,b" (== and != only), or a quoted string 'x'. A dotted path
// "attr.key" reads into a structured value.

type cond struct {
	path   []string
	op     string // "", "!", "==", "!=", ">", "<", ">=", "<=", "~="
	values []literal
	lo, hi literal // range bounds when isRang
	isRang bool
	re     *regexp.Regexp
}

// literal is a value of q, parsed as a number once rather than per entity.
type literal struct {
	s   string
	f   float64
	num bool
}

func lit(s string) literal {
	f, err := strconv.ParseFloat(s, 64)
	return literal{s: s, f: f, num: err == nil}
}

// Filter is a parsed q expression; the zero value matches everything.
type Filter struct{ conds []cond }

var ops = []string{"==", "!=", ">=", "<=", "~=", ">", "<"}

// ParseQ parses a q expression.
func ParseQ(q string) (Filter, error) {
	var f Filter
	if strings.TrimSpace(q) == "" {
		return f, nil
	}
	for _, stmt := range strings.Split(q, ";") {
		stmt = strings.TrimSpace(stmt)
		if stmt == "" {
			return f, BadRequest("q の条件が空です（; が続いています）")
		}
		c, err := parseStatement(stmt)
		if err != nil {
			return f, err
		}
		f.conds = append(f.conds, c)
	}
	return f, nil
}

func parseStatement(s string) (cond, error) {
	at, op := -1, ""
	for i := 0; i < len(s) && at < 0; i++ {
		for _, o := range ops {
			if strings.HasPrefix(s[i:], o) {
				at, op = i, o
				break
			}
		}
	}
	if at < 0 {
		name, neg := s, false
		if strings.HasPrefix(s, "!") {
			name, neg = s[1:], true
		}
		if !validPath(name) {
			return cond{}, BadRequest("q の属性名が正しくありません: %q", s)
		}
		c := cond{path: strings.Split(name, ".")}
		if neg {
			c.op = "!"
		}
		return c, nil
	}
	name, raw := strings.TrimSpace(s[:at]), strings.TrimSpace(s[at+len(op):])
	if !validPath(name) {
		return cond{}, BadRequest("q の属性名が正しくありません: %q", s)
	}
	if raw == "" {
		return cond{}, BadRequest("q の値がありません: %q", s)
	}
	c := cond{path: strings.Split(name, "."), op: op}
	switch {
	case op == "~=":
		re, err := regexp.Compile(unquote(raw))
		if err != nil {
			return cond{}, BadRequest("q のパターンが正しくありません: %q", raw)
		}
		c.re = re
	case (op == "==" || op == "!=") && !isQuoted(raw) && strings.Contains(raw, ".."):
		lo, hi, _ := strings.Cut(raw, "..")
		if lo == "" || hi == "" {
			return cond{}, BadRequest("q の範囲が正しくありません: %q", raw)
		}
		c.isRang, c.lo, c.hi = true, lit(unquote(lo)), lit(unquote(hi))
	case (op == "==" || op == "!=") && !isQuoted(raw) && strings.Contains(raw, ","):
		for _, v := range strings.Split(raw, ",") {
			c.values = append(c.values, lit(unquote(strings.TrimSpace(v))))
		}
	default:
		if strings.Contains(raw, "..") && !isQuoted(raw) || strings.Contains(raw, ",") && !isQuoted(raw) {
			return cond{}, BadRequest("範囲や一覧は == と != でだけ使えます: %q", s)
		}
		c.values = []literal{lit(unquote(raw))}
	}
	return c, nil
}

var pathRe = regexp.MustCompile(`^[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)*$`)

func validPath(s string) bool { return pathRe.MatchString(s) }

func isQuoted(s string) bool { return len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' }

func unquote(s string) string {
	if isQuoted(s) {
		return s[1 : len(s)-1]
	}
	return s
}

// Match reports whether an entity satisfies every statement.
func (f Filter) Match(e Entity) bool {
	for _, c := range f.conds {
		if !c.match(e) {
			return false
		}
	}
	return true
}

// Empty reports whether the filter has no statement.
func (f Filter) Empty() bool { return len(f.conds) == 0 }

// lookup reads the path's value; ok is false when the attribute or key is
// missing. The special names id and type are the entity's.
func (c cond) lookup(e Entity) (any, bool) {
	var v any
	switch c.path[0] {
	case "id":
		v = e.ID
	case "type":
		v = e.Type
	default:
		a, ok := e.Attrs[c.path[0]]
		if !ok {
			return nil, false
		}
		v = a.Value
	}
	for _, k := range c.path[1:] {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[k]; !ok {
			return nil, false
		}
	}
	return v, true
}

func (c cond) match(e Entity) bool {
	v, ok := c.lookup(e)
	switch c.op {
	case "":
		return ok
	case "!":
		return !ok
	}
	if !ok {
		return false
	}
	// A list value (services, say) matches when one of its items does;
	// != means none does.
	if list, isList := asList(v); isList {
		any := false
		for _, item := range list {
			if c.matchOne(item, c.op == "!=") {
				any = true
				break
			}
		}
		if c.op == "!=" {
			return !any
		}
		return any
	}
	if c.op == "!=" {
		return !c.matchOne(v, true)
	}
	return c.matchOne(v, false)
}

func asList(v any) ([]any, bool) {
	switch l := v.(type) {
	case []any:
		return l, true
	case []string:
		out := make([]any, len(l))
		for i, s := range l {
			out[i] = s
		}
		return out, true
	}
	return nil, false
}

// matchOne tests one scalar; for != it tests the positive (==) form.
func (c cond) matchOne(v any, negated bool) bool {
	op := c.op
	if negated {
		op = "=="
	}
	if op == "~=" {
		s, ok := v.(string)
		return ok && c.re.MatchString(s)
	}
	if c.isRang {
		return compare(v, c.lo) >= 0 && compare(v, c.hi) <= 0 && comparable(v, c.lo)
	}
	for _, want := range c.values {
		if !comparable(v, want) {
			continue
		}
		n := compare(v, want)
		var ok bool
		switch op {
		case "==":
			ok = n == 0
		case ">":
			ok = n > 0
		case "<":
			ok = n < 0
		case ">=":
			ok = n >= 0
		case "<=":
			ok = n <= 0
		}
		if ok {
			return true
		}
	}
	return false
}

// comparable: a number attribute compares only with a numeric literal.
func comparable(v any, l literal) bool {
	if _, isNum := toFloat(v); isNum {
		return l.num
	}
	return true
}

// compare orders an attribute value against a literal: numerically for
// numbers, as text otherwise (ISO dates sort as text).
func compare(v any, l literal) int {
	if f, ok := toFloat(v); ok {
		switch {
		case !l.num:
			return -2
		case f < l.f:
			return -1
		case f > l.f:
			return 1
		}
		return 0
	}
	return strings.Compare(scalarText(v), l.s)
}

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	}
	return 0, false
}

func scalarText(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case bool:
		return strconv.FormatBool(s)
	case nil:
		return "null"
	}
	return ""
}
