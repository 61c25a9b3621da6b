package frailty

import "fmt"

// The 後期高齢者の質問票 (15 items, MHLW 2019) has no official total score or
// cut-off (domain-data.md §4.2): each item is flagged on its own, so that is
// all this scores.

// KoukiItem is one question: its category, how many options it has
// (numbered from 1, as printed ①②…), and which options are a concern.
type KoukiItem struct {
	No       int
	Category string
	Question string
	Options  int
	Concern  []int
}

// KoukiItems is the questionnaire. Yes/no items list ①はい ②いいえ.
var KoukiItems = [15]KoukiItem{
	{1, "健康状態", "あなたの現在の健康状態はいかがですか", 5, []int{4, 5}},
	{2, "心の健康状態", "毎日の生活に満足していますか", 4, []int{3, 4}},
	{3, "食習慣", "1日3食きちんと食べていますか", 2, []int{2}},
	{4, "口腔機能", "半年前に比べて固いもの（＊さきいか、たくあんなど）が食べにくくなりましたか", 2, []int{1}},
	{5, "口腔機能", "お茶や汁物等でむせることがありますか", 2, []int{1}},
	{6, "体重変化", "6カ月間で2～3kg以上の体重減少がありましたか", 2, []int{1}},
	{7, "運動・転倒", "以前に比べて歩く速度が遅くなってきたと思いますか", 2, []int{1}},
	{8, "運動・転倒", "この1年間に転んだことがありますか", 2, []int{1}},
	{9, "運動・転倒", "ウォーキング等の運動を週に1回以上していますか", 2, []int{2}},
	{10, "認知機能", "周りの人から「いつも同じことを聞く」などの物忘れがあると言われていますか", 2, []int{1}},
	{11, "認知機能", "今日が何月何日かわからない時がありますか", 2, []int{1}},
	{12, "喫煙", "あなたはたばこを吸いますか", 3, []int{1}},
	{13, "社会参加", "週に1回以上は外出していますか", 2, []int{2}},
	{14, "社会参加", "ふだんから家族や友人と付き合いがありますか", 2, []int{2}},
	{15, "ソーシャルサポート", "体調が悪いときに、身近に相談できる人がいますか", 2, []int{2}},
}

// KoukiFlags returns the numbers of the items whose chosen option (1-based,
// one per item) is a concern, or an error naming the first answer that is
// not one of its item's options.
func KoukiFlags(choices [15]int) ([]int, error) {
	flags := []int{}
	for i, it := range KoukiItems {
		c := choices[i]
		if c < 1 || c > it.Options {
			return nil, fmt.Errorf("frailty: 後期高齢者の質問票 item %d: option %d is not 1–%d", it.No, c, it.Options)
		}
		for _, k := range it.Concern {
			if c == k {
				flags = append(flags, it.No)
			}
		}
	}
	return flags, nil
}

// KoukiCategory is one 類型 of the questionnaire with a stable key for JSON
// and reports.
type KoukiCategory struct {
	Key, Name string
}

// KoukiCategories are the questionnaire's categories in order. Several items
// share one (口腔機能 4–5, 運動・転倒 7–9, 認知機能 10–11, 社会参加 13–14).
var KoukiCategories = []KoukiCategory{
	{"health", "健康状態"}, {"mind", "心の健康状態"}, {"diet", "食習慣"}, {"oral", "口腔機能"},
	{"weight", "体重変化"}, {"motor", "運動・転倒"}, {"cognitive", "認知機能"}, {"smoking", "喫煙"},
	{"social", "社会参加"}, {"support", "ソーシャルサポート"},
}

// KoukiDomains counts the flagged items per category key (every key present,
// so a report can tell "none flagged" from "not asked").
func KoukiDomains(flags []int) map[string]int {
	key := map[string]string{}
	out := map[string]int{}
	for _, c := range KoukiCategories {
		key[c.Name] = c.Key
		out[c.Key] = 0
	}
	for _, no := range flags {
		if no >= 1 && no <= len(KoukiItems) {
			out[key[KoukiItems[no-1].Category]]++
		}
	}
	return out
}

// OptionLabels are the printed options of the item, ① first.
func (it KoukiItem) OptionLabels() []string {
	switch it.No {
	case 1:
		return []string{"よい", "まあよい", "ふつう", "あまりよくない", "よくない"}
	case 2:
		return []string{"満足", "やや満足", "やや不満", "不満"}
	case 12:
		return []string{"吸っている", "吸っていない", "やめた"}
	}
	return []string{"はい", "いいえ"}
}
