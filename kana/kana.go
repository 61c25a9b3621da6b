// Package kana folds the two Japanese syllabaries together, so that a name
// or a search typed in katakana matches one stored in hiragana (タナカ and
// たなか). Callers that also fold width or case do that around it.
package kana

import (
	"strings"
	"unicode"
)

// katakanaOffset is the distance between a katakana and its hiragana twin
// in Unicode (ァ U+30A1 → ぁ U+3041).
const katakanaOffset = 'ァ' - 'ぁ'

// HiraganaRune returns the hiragana twin of a katakana letter (ァ–ヶ) and any
// other rune unchanged. Katakana without a twin (ヷ, ー, ・) stay as they are.
func HiraganaRune(r rune) rune {
	if r >= 'ァ' && r <= 'ヶ' {
		return r - katakanaOffset
	}
	return r
}

// ToHiragana folds every katakana letter of s to hiragana.
func ToHiragana(s string) string { return strings.Map(HiraganaRune, s) }

// MatchKey is what two texts are compared by once their width is settled:
// katakana as hiragana, letters in lower case, and no white space, so that
// 「サイジョウ 市」 and 「さいじょう市」 are the same key.
func MatchKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if !unicode.IsSpace(r) {
			b.WriteRune(unicode.ToLower(HiraganaRune(r)))
		}
	}
	return b.String()
}
