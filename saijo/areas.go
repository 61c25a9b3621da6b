// Package saijo holds reference facts about Saijo city that every part of
// lifestage shares, starting with its areas: the four former municipalities
// (西条・東予・丹原・小松) and their 地区. It is real geography, not people.
package saijo

// Area is a district (Parent == "") or a 地区 inside one.
type Area struct {
	Code, Name, Kana string
	Parent           string // district code for sub-areas, "" for districts
	Lat, Lng         float64
	// Weight is the sub-area's approximate share of the city's households
	// (all sub-area weights sum to 1); 0 for districts.
	Weight float64
	// Towns are real town (町・字) names inside the sub-area, used to build
	// synthetic addresses.
	Towns []string
}

// Districts are the four districts (the former 西条市, 東予市, 丹原町 and
// 小松町). Coordinates are approximate centres.
var Districts = []Area{
	{Code: "saijo", Name: "西条", Kana: "サイジョウ", Lat: 33.919, Lng: 133.181},
	{Code: "toyo", Name: "東予", Kana: "トウヨ", Lat: 33.926, Lng: 133.102},
	{Code: "tambara", Name: "丹原", Kana: "タンバラ", Lat: 33.870, Lng: 133.087},
	{Code: "komatsu", Name: "小松", Kana: "コマツ", Lat: 33.882, Lng: 133.128},
}

// SubAreas lists the 地区 of every district in a fixed order. Weights give
// roughly 西条 55%, 東予 27%, 丹原 11%, 小松 7% of households.
var SubAreas = []Area{
	{Code: "saijo-kambai", Name: "神拝", Kana: "カンバイ", Parent: "saijo", Lat: 33.912, Lng: 133.168, Weight: 0.12, Towns: []string{"神拝甲", "神拝乙", "古川甲", "朔日市"}},
	{Code: "saijo-omachi", Name: "大町", Kana: "オオマチ", Parent: "saijo", Lat: 33.918, Lng: 133.184, Weight: 0.10, Towns: []string{"大町", "明屋敷", "新田"}},
	{Code: "saijo-tamatsu", Name: "玉津", Kana: "タマツ", Parent: "saijo", Lat: 33.928, Lng: 133.200, Weight: 0.08, Towns: []string{"玉津", "喜多川", "樋之口"}},
	{Code: "saijo-kambe", Name: "神戸", Kana: "カンベ", Parent: "saijo", Lat: 33.896, Lng: 133.195, Weight: 0.06, Towns: []string{"神戸", "洲之内", "中野"}},
	{Code: "saijo-tachibana", Name: "橘", Kana: "タチバナ", Parent: "saijo", Lat: 33.905, Lng: 133.160, Weight: 0.06, Towns: []string{"下島山", "福武"}},
	{Code: "saijo-himi", Name: "氷見", Kana: "ヒミ", Parent: "saijo", Lat: 33.898, Lng: 133.140, Weight: 0.06, Towns: []string{"氷見乙", "氷見丙"}},
	{Code: "saijo-ioka", Name: "飯岡", Kana: "イオカ", Parent: "saijo", Lat: 33.893, Lng: 133.225, Weight: 0.06, Towns: []string{"飯岡", "船屋"}},
	{Code: "saijo-kamo", Name: "加茂", Kana: "カモ", Parent: "saijo", Lat: 33.820, Lng: 133.160, Weight: 0.01, Towns: []string{"西之川", "藤之石"}},
	{Code: "toyo-nyugawa", Name: "壬生川", Kana: "ニュウガワ", Parent: "toyo", Lat: 33.927, Lng: 133.104, Weight: 0.08, Towns: []string{"壬生川", "三津屋", "北条"}},
	{Code: "toyo-miyoshi", Name: "三芳", Kana: "ミヨシ", Parent: "toyo", Lat: 33.898, Lng: 133.070, Weight: 0.04, Towns: []string{"三芳"}},
	{Code: "toyo-yoshii", Name: "吉井", Kana: "ヨシイ", Parent: "toyo", Lat: 33.935, Lng: 133.130, Weight: 0.04, Towns: []string{"新市", "今在家"}},
	{Code: "toyo-shufu", Name: "周布", Kana: "シュウフ", Parent: "toyo", Lat: 33.913, Lng: 133.085, Weight: 0.04, Towns: []string{"周布", "吉田"}},
	{Code: "toyo-kuniyasu", Name: "国安", Kana: "クニヤス", Parent: "toyo", Lat: 33.937, Lng: 133.085, Weight: 0.04, Towns: []string{"国安", "玉之江"}},
	{Code: "toyo-shonai", Name: "庄内", Kana: "ショウナイ", Parent: "toyo", Lat: 33.905, Lng: 133.115, Weight: 0.03, Towns: []string{"旦之上", "円海寺"}},
	{Code: "tambara-tambara", Name: "丹原", Kana: "タンバラ", Parent: "tambara", Lat: 33.868, Lng: 133.087, Weight: 0.04, Towns: []string{"丹原町池田", "丹原町今井", "丹原町願連寺"}},
	{Code: "tambara-tokuda", Name: "徳田", Kana: "トクダ", Parent: "tambara", Lat: 33.882, Lng: 133.060, Weight: 0.03, Towns: []string{"丹原町徳能", "丹原町長野", "丹原町古田"}},
	{Code: "tambara-tano", Name: "田野", Kana: "タノ", Parent: "tambara", Lat: 33.860, Lng: 133.110, Weight: 0.025, Towns: []string{"丹原町田野上方", "丹原町北田野"}},
	{Code: "tambara-nakagawa", Name: "中川", Kana: "ナカガワ", Parent: "tambara", Lat: 33.842, Lng: 133.062, Weight: 0.015, Towns: []string{"丹原町湯谷口", "丹原町関屋", "丹原町来見", "丹原町志川"}},
	{Code: "komatsu-komatsu", Name: "小松", Kana: "コマツ", Parent: "komatsu", Lat: 33.882, Lng: 133.126, Weight: 0.04, Towns: []string{"小松町新屋敷", "小松町南川", "小松町北川"}},
	{Code: "komatsu-ishine", Name: "石根", Kana: "イシネ", Parent: "komatsu", Lat: 33.864, Lng: 133.142, Weight: 0.025, Towns: []string{"小松町妙口", "小松町大頭"}},
	{Code: "komatsu-ishizuchi", Name: "石鎚", Kana: "イシヅチ", Parent: "komatsu", Lat: 33.805, Lng: 133.120, Weight: 0.005, Towns: []string{"小松町石鎚"}},
}

// All returns the districts followed by every sub-area.
func All() []Area {
	return append(append([]Area(nil), Districts...), SubAreas...)
}
