package frailty

import (
	"maps"
	"testing"
)

func TestFrailtyKoukiDomains(t *testing.T) {
	none := map[string]int{"health": 0, "mind": 0, "diet": 0, "oral": 0, "weight": 0, "motor": 0, "cognitive": 0, "smoking": 0, "social": 0, "support": 0}
	for _, c := range []struct {
		name  string
		flags []int
		want  map[string]int
	}{
		{"nothing flagged keeps every key", nil, none},
		{"items sharing a category add up", []int{4, 5, 7, 8, 9, 13}, overlay(none, map[string]int{"oral": 2, "motor": 3, "social": 1})},
		{"one item per category", []int{1, 2, 3, 6, 10, 12, 15}, overlay(none, map[string]int{"health": 1, "mind": 1, "diet": 1, "weight": 1, "cognitive": 1, "smoking": 1, "support": 1})},
		{"out-of-range numbers are ignored", []int{0, 16}, none},
	} {
		if got := KoukiDomains(c.flags); !maps.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	for _, it := range KoukiItems {
		found := false
		for _, c := range KoukiCategories {
			found = found || c.Name == it.Category
		}
		if !found {
			t.Errorf("item %d: category %s has no key", it.No, it.Category)
		}
	}
}

func overlay(base, over map[string]int) map[string]int {
	out := maps.Clone(base)
	maps.Copy(out, over)
	return out
}

func TestFrailtyKoukiOptionLabels(t *testing.T) {
	for _, it := range KoukiItems {
		if n := len(it.OptionLabels()); n != it.Options {
			t.Errorf("item %d: %d labels for %d options", it.No, n, it.Options)
		}
	}
}
