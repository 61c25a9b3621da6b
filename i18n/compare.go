package i18n

import (
	"fmt"
	"slices"
	"sort"
)

// Compare lists the gaps between the Japanese catalogue and the others:
// missing keys, keys Japanese lacks, and differing placeholders. The result
// is sorted so a test failure reads the same every run.
func Compare(all map[string]map[string]string) []string {
	src := all[Default]
	var problems []string
	for _, lang := range Langs {
		if lang == Default {
			continue
		}
		other := all[lang]
		for key, text := range src {
			tr, ok := other[key]
			if !ok {
				problems = append(problems, fmt.Sprintf("%s: %s is missing", lang, key))
				continue
			}
			if want, got := Placeholders(text), Placeholders(tr); !slices.Equal(want, got) {
				problems = append(problems, fmt.Sprintf("%s: %s has placeholders %v, ja has %v", lang, key, got, want))
			}
		}
		for key := range other {
			if _, ok := src[key]; !ok {
				problems = append(problems, fmt.Sprintf("%s: %s is not in ja", lang, key))
			}
		}
	}
	sort.Strings(problems)
	return problems
}
