package questionnaire

import (
	"encoding/json"
	"testing"
)

func raw(s string) map[string]json.RawMessage {
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		panic(err)
	}
	return m
}

func TestRotaAsksIntussusception(t *testing.T) {
	has := func(v string) bool {
		for _, q := range For(v) {
			if q.Key == "intussusception" {
				return true
			}
		}
		return false
	}
	if !has("rota1") || !has("rota5") || has("mr1") {
		t.Fatal("腸重積症 must be asked before rotavirus doses only")
	}
	if len(For("mr1")) != 14 || len(For("rota1")) != 15 {
		t.Fatalf("question counts %d %d", len(For("mr1")), len(For("rota1")))
	}
}

func TestParse(t *testing.T) {
	long := make([]rune, MaxDetail+1)
	for i := range long {
		long[i] = 'あ'
	}
	cases := []struct {
		vaccine, body, code string
	}{
		{"mr1", `{"unwellToday":{"yes":false}}`, ""},
		{"mr1", `{"birthWeightG":3050,"allergy":{"yes":true,"detail":"卵"}}`, ""},
		{"mr1", `{"intussusception":{"yes":false}}`, "unknown_question"},
		{"rota1", `{"intussusception":{"yes":false}}`, ""},
		{"mr1", `{"nope":{"yes":false}}`, "unknown_question"},
		{"mr1", `{"allergy":"yes"}`, "invalid_answer"},
		{"mr1", `{"birthWeightG":20}`, "invalid_weight"},
		{"mr1", `{"allergy":{"yes":true,"detail":"` + string(long) + `"}}`, "too_long"},
	}
	for _, c := range cases {
		_, p := Parse(c.vaccine, raw(c.body))
		got := ""
		if p != nil {
			got = p.Code
		}
		if got != c.code {
			t.Errorf("%s %s: code %q, want %q", c.vaccine, c.body, got, c.code)
		}
	}
}

func TestComplete(t *testing.T) {
	a, _ := Parse("mr1", raw(`{"unwellToday":{"yes":false}}`))
	if p := Complete("mr1", a); p == nil || p.Code != "unanswered" {
		t.Fatal("a partial form is not complete")
	}
	all := map[string]json.RawMessage{}
	for _, q := range For("mr1") {
		all[q.Key] = json.RawMessage(`{"yes":false}`)
	}
	a, p := Parse("mr1", all)
	if p != nil || Complete("mr1", a) != nil {
		t.Fatalf("a full form must be complete: %v", p)
	}
}
