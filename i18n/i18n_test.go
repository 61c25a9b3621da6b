package i18n

import (
	"slices"
	"testing"
	"testing/fstest"
)

// TestCataloguesComplete is the rule of item 6: every key of the Japanese
// catalogue exists in every other language with the same placeholders, and
// no language has keys Japanese lacks (a typo or a key left behind).
func TestCataloguesComplete(t *testing.T) {
	all, err := Load(files)
	if err != nil {
		t.Fatal(err)
	}
	for _, problem := range Compare(all) {
		t.Error(problem)
	}
	if len(all[Default]) == 0 {
		t.Fatal("the Japanese catalogue is empty")
	}
}

func TestCompareFindsEveryKindOfGap(t *testing.T) {
	all := map[string]map[string]string{
		"ja":      {"a.x": "{n}件", "a.y": "はい", "a.z": "いいえ"},
		"easy-ja": {"a.x": "{n}こ", "a.y": "はい", "a.z": "いいえ"},
		"en":      {"a.x": "{count} items", "a.y": "Yes", "a.z": "No"},
		"vi":      {"a.x": "{n} mục", "a.y": "Có"},
		"zh":      {"a.x": "{n}项", "a.y": "是", "a.z": "否", "a.extra": "多"},
	}
	got := Compare(all)
	want := []string{
		`en: a.x has placeholders [count], ja has [n]`,
		`vi: a.z is missing`,
		`zh: a.extra is not in ja`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("Compare =\n%q\nwant\n%q", got, want)
	}
}

func TestLoadRefusesKeysOutsideTheirNamespace(t *testing.T) {
	fsys := fstest.MapFS{"locales/ja/qa.json": {Data: []byte(`{"events.title":"x"}`)}}
	if _, err := Load(fsys); err == nil {
		t.Fatal("a key outside its file's namespace was accepted")
	}
}

func TestT(t *testing.T) {
	cases := []struct {
		lang, key string
		vars      map[string]string
		want      string
	}{
		{"ja", "common.lang.label", nil, "言語"},
		{"en", "common.lang.label", nil, "Language"},
		{"xx", "common.lang.label", nil, "言語"}, // unsupported → Japanese
		{"", "common.lang.label", nil, "言語"},
		{"en", "common.no.such.key", nil, "common.no.such.key"},
		{"en", "common.pager.page", map[string]string{"n": "3"}, "Page 3"},
		{"ja", "common.pager.page", map[string]string{"n": "3"}, "3ページ目"},
	}
	for _, c := range cases {
		if got := T(c.lang, c.key, c.vars); got != c.want {
			t.Errorf("T(%q, %q) = %q, want %q", c.lang, c.key, got, c.want)
		}
	}
}

func TestFormat(t *testing.T) {
	cases := []struct {
		text string
		vars map[string]string
		want string
	}{
		{"{a}と{b}", map[string]string{"a": "X", "b": "Y"}, "XとY"},
		{"{a}と{unknown}", map[string]string{"a": "X"}, "Xと{unknown}"},
		{"{a}{a}", map[string]string{"a": "1"}, "11"},
		{"no vars", nil, "no vars"},
		{"{ spaced }", map[string]string{" spaced ": "x"}, "{ spaced }"},
	}
	for _, c := range cases {
		if got := Format(c.text, c.vars); got != c.want {
			t.Errorf("Format(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

func TestFromAcceptLanguage(t *testing.T) {
	cases := map[string]string{
		"":                        "ja",
		"vi-VN,vi;q=0.9,en;q=0.8": "vi",
		"zh-CN,zh;q=0.9":          "zh",
		"zh-TW":                   "zh",
		"fr-FR,en-US;q=0.7":       "en",
		"ko-KR":                   "ja",
		"en-GB;q=0.8, ja;q=0.9":   "en", // order, not q, decides: browsers send them sorted
		"ja-JP,ja;q=0.9":          "ja",
		" EN ":                    "en",
	}
	for header, want := range cases {
		if got := FromAcceptLanguage(header); got != want {
			t.Errorf("FromAcceptLanguage(%q) = %q, want %q", header, got, want)
		}
	}
}

func TestEveryLanguageHasANameAndHTMLTag(t *testing.T) {
	for _, l := range Langs {
		if Names[l] == "" || HTMLLang[l] == "" {
			t.Errorf("%s lacks a name or an HTML tag", l)
		}
	}
}
