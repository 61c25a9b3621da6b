package ratio

import (
	"math"
	"testing"
)

func kids(age0, age12, age3, age45 int) Children { return Children{age0, age12, age3, age45} }

func TestRequired(t *testing.T) {
	cases := []struct {
		name  string
		s     Standard
		c     Children
		want  int
		exact float64
	}{
		{"nobody", National, kids(0, 0, 0, 0), 0, 0},
		{"3 babies: 1", National, kids(3, 0, 0, 0), 1, 1},
		{"4 babies: 2", National, kids(4, 0, 0, 0), 2, 4.0 / 3},
		{"1 baby: 1", National, kids(1, 0, 0, 0), 1, 1.0 / 3},
		{"6 one- and two-year-olds: 1", National, kids(0, 6, 0, 0), 1, 1},
		{"7 one- and two-year-olds: 2", National, kids(0, 7, 0, 0), 2, 7.0 / 6},
		{"15 three-year-olds: 1", National, kids(0, 0, 15, 0), 1, 1},
		{"16 three-year-olds: 2", National, kids(0, 0, 16, 0), 2, 16.0 / 15},
		{"25 four- and five-year-olds: 1", National, kids(0, 0, 0, 25), 1, 1},
		{"26 four- and five-year-olds: 2", National, kids(0, 0, 0, 26), 2, 26.0 / 25},
		{"50 four- and five-year-olds: 2", National, kids(0, 0, 0, 50), 2, 2},
		// Mixed ages share staff: the fractions add before rounding.
		{"2 babies + 3 one-year-olds = 7/6: 2", National, kids(2, 3, 0, 0), 2, 7.0 / 6},
		{"1 baby + 4 one-year-olds = exactly 1", National, kids(1, 4, 0, 0), 1, 1},
		{"3 babies + 6 one-year-olds = exactly 2", National, kids(3, 6, 0, 0), 2, 2},
		{"3–5 class: 5 + 10 = 0.73: 1", National, kids(0, 0, 5, 10), 1, 5.0/15 + 10.0/25},
		{"3–5 class: 10 + 25 = 1.67: 2", National, kids(0, 0, 10, 25), 2, 10.0/15 + 1},
		{"3–5 class: 15 + 25 = exactly 2", National, kids(0, 0, 15, 25), 2, 2},
		{"per-group rounding would say 3: 1 + 1 + 1 = 1/3+1/6+1/15 → 1", National, kids(1, 1, 1, 0), 1, 1.0/3 + 1.0/6 + 1.0/15},
		{"a stricter 1歳 5:1", Standard{3, 5, 15, 25}, kids(0, 6, 0, 0), 2, 6.0 / 5},
		{"the old 4–5 30:1", Standard{3, 6, 20, 30}, kids(0, 0, 0, 30), 1, 1},
		{"unset ratios are national", Standard{}, kids(4, 0, 0, 0), 2, 4.0 / 3},
		{"largest allowed ratios", Standard{47, 49, 43, 50}, kids(47, 49, 43, 50), 4, 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Required(c.s, c.c); got != c.want {
				t.Errorf("Required = %d, want %d", got, c.want)
			}
			if got := Exact(c.s, c.c); math.Abs(got-c.exact) > 1e-9 {
				t.Errorf("Exact = %v, want %v", got, c.exact)
			}
		})
	}
}

func TestAddByClassAge(t *testing.T) {
	var c Children
	for _, age := range []int{-1, 0, 1, 2, 3, 4, 5} {
		c.Add(age)
	}
	if c != kids(2, 2, 1, 2) || c.Total() != 7 {
		t.Fatalf("got %+v", c)
	}
}

func TestAssess(t *testing.T) {
	type want struct {
		required, staff, cover, short int
		understaffed                  bool
	}
	cases := []struct {
		name     string
		classes  []Class
		floating int
		want     []want
		nursery  want // required, staff, understaffed
	}{
		{
			name:    "3 babies with 1 staff and a colleague elsewhere: ok",
			classes: []Class{{"hiyoko", kids(3, 0, 0, 0), 1}, {"zou", kids(0, 0, 0, 10), 1}},
			want:    []want{{1, 1, 0, 0, false}, {1, 1, 0, 0, false}},
			nursery: want{required: 2, staff: 2},
		},
		{
			name:    "4 babies with 1 staff: understaffed by 1",
			classes: []Class{{"hiyoko", kids(4, 0, 0, 0), 1}, {"zou", kids(0, 0, 0, 10), 1}},
			want:    []want{{2, 1, 0, 1, true}, {1, 1, 0, 0, false}},
			nursery: want{required: 2, staff: 2, understaffed: true},
		},
		{
			name:     "a floating member covers the babies first",
			classes:  []Class{{"zou", kids(0, 0, 0, 30), 1}, {"hiyoko", kids(4, 0, 0, 0), 1}},
			floating: 1,
			want:     []want{{2, 1, 0, 1, true}, {2, 1, 1, 0, false}},
			nursery:  want{required: 3, staff: 3, understaffed: true},
		},
		{
			name:     "enough floating staff for everyone",
			classes:  []Class{{"zou", kids(0, 0, 0, 30), 1}, {"hiyoko", kids(4, 0, 0, 0), 1}},
			floating: 2,
			want:     []want{{2, 1, 1, 0, false}, {2, 1, 1, 0, false}},
			nursery:  want{required: 3, staff: 4},
		},
		{
			name:    "one class alone still needs two in the building",
			classes: []Class{{"hiyoko", kids(2, 0, 0, 0), 1}},
			want:    []want{{1, 1, 0, 0, false}},
			nursery: want{required: 2, staff: 1, understaffed: true},
		},
		{
			name:    "the nursery total rounds once: three classes of 2 one-year-olds",
			classes: []Class{{"a", kids(0, 2, 0, 0), 1}, {"b", kids(0, 2, 0, 0), 1}, {"c", kids(0, 2, 0, 0), 1}},
			want:    []want{{1, 1, 0, 0, false}, {1, 1, 0, 0, false}, {1, 1, 0, 0, false}},
			nursery: want{required: 2, staff: 3},
		},
		{
			name:    "no children, no staff: nothing needed",
			classes: []Class{{"hiyoko", kids(0, 0, 0, 0), 0}},
			want:    []want{{0, 0, 0, 0, false}},
			nursery: want{},
		},
		{
			name:    "children but nobody checked in",
			classes: []Class{{"risu", kids(0, 5, 0, 0), 0}},
			want:    []want{{1, 0, 0, 1, true}},
			nursery: want{required: 2, staff: 0, understaffed: true},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Assess(National, c.classes, c.floating)
			for i, w := range c.want {
				got := r.Classes[i]
				if got.Key != c.classes[i].Key || got.Required != w.required || got.Staff != w.staff || got.Cover != w.cover ||
					got.Short != w.short || got.Understaffed != w.understaffed {
					t.Errorf("class %s = %+v, want %+v", c.classes[i].Key, got, w)
				}
			}
			if r.Required != c.nursery.required || r.Staff != c.nursery.staff || r.Understaffed != c.nursery.understaffed || r.Floating != c.floating {
				t.Errorf("nursery = required %d staff %d understaffed %v floating %d, want %+v",
					r.Required, r.Staff, r.Understaffed, r.Floating, c.nursery)
			}
		})
	}
}

func BenchmarkAssess(b *testing.B) {
	classes := []Class{
		{"0", kids(9, 0, 0, 0), 3}, {"1", kids(0, 14, 0, 0), 3}, {"2", kids(0, 17, 0, 0), 3},
		{"3", kids(0, 0, 20, 0), 2}, {"4", kids(0, 0, 0, 20), 1}, {"5", kids(0, 0, 0, 20), 1},
	}
	for b.Loop() {
		Assess(National, classes, 1)
	}
}
