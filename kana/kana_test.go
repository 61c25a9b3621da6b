package kana

import "testing"

func TestToHiragana(t *testing.T) {
	cases := map[string]string{
		"タナカ":      "たなか",
		"サイジョウ":    "さいじょう",
		"ァヶ":       "ぁゖ",  // the ends of the range
		"ヷー・":      "ヷー・", // no hiragana twin
		"たなか":      "たなか",
		"西条 ABC 1": "西条 ABC 1",
		"":         "",
	}
	for in, want := range cases {
		if got := ToHiragana(in); got != want {
			t.Errorf("ToHiragana(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMatchKey(t *testing.T) {
	cases := map[string]string{
		"サイジョウ 市":     "さいじょう市",
		"Saijo\tCity": "saijocity",
		"ひまわり　ママ":     "ひまわりまま", // ideographic space
		"":            "",
	}
	for in, want := range cases {
		if got := MatchKey(in); got != want {
			t.Errorf("MatchKey(%q) = %q, want %q", in, got, want)
		}
	}
}
