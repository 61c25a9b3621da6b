package frailtystats

import (
	"regexp"
	"strings"
	"testing"
)

func TestFrailtyStatsPseudonym(t *testing.T) {
	k1, k2 := []byte("key one"), []byte("key two")
	a := Pseudonym(k1, "abcdefghijklmno")
	for _, c := range []struct {
		name string
		ok   bool
	}{
		{"shape T- and 10 hex digits", regexp.MustCompile(`^T-[0-9A-F]{10}$`).MatchString(a)},
		{"stable", Pseudonym(k1, "abcdefghijklmno") == a},
		{"differs per person", Pseudonym(k1, "abcdefghijklmnp") != a},
		{"differs per key", Pseudonym(k2, "abcdefghijklmno") != a},
		{"does not contain the id", !strings.Contains(strings.ToLower(a), "abc")},
	} {
		if !c.ok {
			t.Errorf("%s: %s", c.name, a)
		}
	}
}
