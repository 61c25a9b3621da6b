package infection

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/saijo-dx/lifestage/kana"
)

// Draft is a suggested infection notice, written from counts only.
type Draft struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

// NoticeDraft words a notice to the parents of a nursery or class: where,
// which disease and how many children, never who. place is a class name
// ("ひよこ組") or "園内".
func NoticeDraft(place, infection string, children int) Draft {
	label := LabelOf(Infections, infection)
	body := fmt.Sprintf("%sで%sが%d名確認されています。", place, label, children)
	if children == 0 {
		body = fmt.Sprintf("%sで%sの発生が確認されています。", place, label)
	}
	body += "\n発熱・咳・嘔吐・下痢・発疹などの症状が見られる場合は、早めに医療機関を受診し、園までご連絡ください。" +
		"\n登園の再開については、医師の指示に従ってください。"
	return Draft{Title: label + "の発生について", Body: body}
}

// Name lengths below which a name is not searched for in a notice: a
// one-character given name (陸, 翼) or a two-kana one (ゆい) occurs inside
// ordinary words too often to refuse on it.
const (
	minKanjiName = 2
	minKanaName  = 3
)

// Mentions returns the names that occur in text, each once, in the order of
// names. Kana names match whether written in hiragana or katakana. Names too
// short to tell from ordinary words (see minKanjiName) are skipped.
func Mentions(text string, names []string) []string {
	hay := kana.ToHiragana(strings.Join(strings.Fields(text), ""))
	var out []string
	for _, n := range names {
		n = strings.Join(strings.Fields(n), "")
		if n == "" || slices.Contains(out, n) || utf8.RuneCountInString(n) < minLength(n) {
			continue
		}
		if strings.Contains(hay, kana.ToHiragana(n)) {
			out = append(out, n)
		}
	}
	return out
}

func minLength(name string) int {
	for _, r := range name {
		if unicode.Is(unicode.Han, r) {
			return minKanjiName
		}
	}
	return minKanaName
}
