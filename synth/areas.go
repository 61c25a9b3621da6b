package synth

// subArea is the static description of one 地区 (sub-area).
type subArea struct {
	code, name, kana string
	parent           string
	lat, lng         float64
	weight           float64  // share of the city's households (all weights sum to 1)
	towns            []string // real town (町・字) names used for synthetic addresses
}

// districts are the four districts of the city (the former 西条市, 東予市,
// 丹原町 and 小松町). Coordinates are approximate centres.
var districts = []Area{
	{Code: "saijo", Name: "西条", Kana: "サイジョウ", Lat: 33.919, Lng: 133.181},
	{Code: "toyo", Name: "東予", Kana: "トウヨ", Lat: 33.926, Lng: 133.102},
	{Code: "tambara", Name: "丹原", Kana: "タンバラ", Lat: 33.870, Lng: 133.087},
	{Code: "komatsu", Name: "小松", Kana: "コマツ", Lat: 33.882, Lng: 133.128},
}

// subAreas lists the 地区 of every district in a fixed order. Weights give
// roughly 西条 55%, 東予 27%, 丹原 11%, 小松 7% of households.
var subAreas = []subArea{
	{"saijo-kambai", "神拝", "カンバイ", "saijo", 33.912, 133.168, 0.12, []string{"神拝甲", "神拝乙", "古川甲", "朔日市"}},
	{"saijo-omachi", "大町", "オオマチ", "saijo", 33.918, 133.184, 0.10, []string{"大町", "明屋敷", "新田"}},
	{"saijo-tamatsu", "玉津", "タマツ", "saijo", 33.928, 133.200, 0.08, []string{"玉津", "喜多川", "樋之口"}},
	{"saijo-kambe", "神戸", "カンベ", "saijo", 33.896, 133.195, 0.06, []string{"神戸", "洲之内", "中野"}},
	{"saijo-tachibana", "橘", "タチバナ", "saijo", 33.905, 133.160, 0.06, []string{"下島山", "福武"}},
	{"saijo-himi", "氷見", "ヒミ", "saijo", 33.898, 133.140, 0.06, []string{"氷見乙", "氷見丙"}},
	{"saijo-ioka", "飯岡", "イオカ", "saijo", 33.893, 133.225, 0.06, []string{"飯岡", "船屋"}},
	{"saijo-kamo", "加茂", "カモ", "saijo", 33.820, 133.160, 0.01, []string{"西之川", "藤之石"}},
	{"toyo-nyugawa", "壬生川", "ニュウガワ", "toyo", 33.927, 133.104, 0.08, []string{"壬生川", "三津屋", "北条"}},
	{"toyo-miyoshi", "三芳", "ミヨシ", "toyo", 33.898, 133.070, 0.04, []string{"三芳"}},
	{"toyo-yoshii", "吉井", "ヨシイ", "toyo", 33.935, 133.130, 0.04, []string{"新市", "今在家"}},
	{"toyo-shufu", "周布", "シュウフ", "toyo", 33.913, 133.085, 0.04, []string{"周布", "吉田"}},
	{"toyo-kuniyasu", "国安", "クニヤス", "toyo", 33.937, 133.085, 0.04, []string{"国安", "玉之江"}},
	{"toyo-shonai", "庄内", "ショウナイ", "toyo", 33.905, 133.115, 0.03, []string{"旦之上", "円海寺"}},
	{"tambara-tambara", "丹原", "タンバラ", "tambara", 33.868, 133.087, 0.04, []string{"丹原町池田", "丹原町今井", "丹原町願連寺"}},
	{"tambara-tokuda", "徳田", "トクダ", "tambara", 33.882, 133.060, 0.03, []string{"丹原町徳能", "丹原町長野", "丹原町古田"}},
	{"tambara-tano", "田野", "タノ", "tambara", 33.860, 133.110, 0.025, []string{"丹原町田野上方", "丹原町北田野"}},
	{"tambara-nakagawa", "中川", "ナカガワ", "tambara", 33.842, 133.062, 0.015, []string{"丹原町湯谷口", "丹原町関屋", "丹原町来見", "丹原町志川"}},
	{"komatsu-komatsu", "小松", "コマツ", "komatsu", 33.882, 133.126, 0.04, []string{"小松町新屋敷", "小松町南川", "小松町北川"}},
	{"komatsu-ishine", "石根", "イシネ", "komatsu", 33.864, 133.142, 0.025, []string{"小松町妙口", "小松町大頭"}},
	{"komatsu-ishizuchi", "石鎚", "イシヅチ", "komatsu", 33.805, 133.120, 0.005, []string{"小松町石鎚"}},
}

// Districts returns the four districts of the city (static reference data).
// The returned slice is a fresh copy and may be modified by the caller.
func Districts() []Area {
	out := make([]Area, len(districts))
	copy(out, districts)
	return out
}

// allAreas returns the districts followed by all sub-areas.
func allAreas() []Area {
	out := Districts()
	for _, s := range subAreas {
		out = append(out, Area{Code: s.code, Name: s.name, Kana: s.kana, Parent: s.parent, Lat: s.lat, Lng: s.lng})
	}
	return out
}
