package moderation

import (
	"slices"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"バカ", "ばか"},
		{"ﾊﾞｶ", "ばか"},       // half-width katakana with a voiced mark
		{"Ｂ Ａ Ｋ Ａ", "baka"}, // full-width letters and spaces
		{"ば か", "ばか"},
		{"ヴ", "ゔ"},
		{"離乳食　ﾃﾞｽ", "離乳食です"}, // ideographic space
		{"ー", "ー"},           // the long vowel mark is not katakana with a twin
	} {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestScreen(t *testing.T) {
	words := []Word{{"死ね", Block}, {"バカ", Block}, {"ステマ", Review}, {"", Block}}
	for _, tc := range []struct {
		name, text string
		action     string
		reasons    []string
	}{
		{"clean", "離乳食はいつから始めますか？", Allow, nil},
		{"block word", "そんなこともわからないの？ばか", Block, []string{ReasonWord}},
		{"block word in half-width katakana", "ﾊﾞｶじゃない", Block, []string{ReasonWord}},
		{"block word split by spaces", "バ カ", Block, []string{ReasonWord}},
		{"review word", "これってｽﾃﾏですか", Review, []string{ReasonWord}},
		{"block wins over review", "ステマ、バカ", Block, []string{ReasonWord}},
		{"mobile phone", "090-1234-5678 に電話ください", Review, []string{ReasonPhone}},
		{"full-width phone", "０８９７５２１２１１", Review, []string{ReasonPhone}},
		{"landline with brackets", "0897(52)1211まで", Review, []string{ReasonPhone}},
		{"email", "連絡は mama.saijo@example.jp へ", Review, []string{ReasonEmail}},
		{"full-width email", "ｍａｍａ＠ｅｘａｍｐｌｅ．ｊｐ", Review, []string{ReasonEmail}},
		{"word and phone", "ステマ 09012345678", Review, []string{ReasonWord, ReasonPhone}},
		{"date is not a phone", "2026-11-26 に健診でした", Allow, nil},
		{"weight is not a phone", "体重は 7850g、身長 68.5cm", Allow, nil},
		{"short number is not a phone", "0120-12-3", Allow, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := Screen(tc.text, words)
			if v.Action != tc.action || !slices.Equal(v.Reasons, tc.reasons) {
				t.Errorf("Screen(%q) = %+v, want %q %v", tc.text, v, tc.action, tc.reasons)
			}
		})
	}
}

func TestCheckNickname(t *testing.T) {
	for _, tc := range []struct{ in, clean, problem string }{
		{"ひまわりママ", "ひまわりママ", ""},
		{"  さくら  ", "さくら", ""},
		{"Ｓａｋｕｒａ", "Sakura", ""},
		{"あ", "あ", NicknameLength},
		{"あいうえおかきくけこさしすせそたちつてとな", "あいうえおかきくけこさしすせそたちつてとな", NicknameLength},
		{"保健師です", "保健師です", NicknameReserved},
		{"西条市役所", "西条市役所", NicknameReserved},
		{"ADMIN", "ADMIN", NicknameReserved},
		{"ａｄｍｉｎ2", "admin2", NicknameReserved},
		{"Official ママ", "Official ママ", NicknameReserved},
		{"a@b", "a@b", NicknameChars},
		{"<b>x</b>", "<b>x</b>", NicknameChars},
	} {
		clean, problem := CheckNickname(tc.in)
		if clean != tc.clean || problem != tc.problem {
			t.Errorf("CheckNickname(%q) = %q %q, want %q %q", tc.in, clean, problem, tc.clean, tc.problem)
		}
	}
}

func TestNicknameKeyFoldsLookAlikes(t *testing.T) {
	same := [][2]string{{"ママ", "まま"}, {"ＭＡＭＡ", "mama"}, {"ﾏﾏ 1", "まま1"}}
	for _, p := range same {
		if NicknameKey(p[0]) != NicknameKey(p[1]) {
			t.Errorf("%q and %q should collide", p[0], p[1])
		}
	}
	if NicknameKey("まま") == NicknameKey("ぱぱ") {
		t.Error("different nicknames collide")
	}
}

func TestAutoHide(t *testing.T) {
	for _, tc := range []struct {
		reports, threshold int
		want               bool
	}{
		{0, 3, false}, {2, 3, false}, {3, 3, true}, {4, 3, true},
		{1, 1, true}, {2, 0, false}, {3, 0, true}, {3, -1, true},
	} {
		if got := AutoHide(tc.reports, tc.threshold); got != tc.want {
			t.Errorf("AutoHide(%d, %d) = %v, want %v", tc.reports, tc.threshold, got, tc.want)
		}
	}
}

// BenchmarkScreen screens a maximum-length answer (4000 characters) against
// a 100-word list, the work every post does before it is saved.
func BenchmarkScreen(b *testing.B) {
	words := make([]Word, 100)
	for i := range words {
		words[i] = Word{Word: "ことば" + string(rune('ア'+i)), Action: Review}
	}
	text := strings.Repeat("離乳食を始めたら、うちの子はよく食べます。", 200)
	b.ResetTimer()
	for b.Loop() {
		Screen(text, words)
	}
}
