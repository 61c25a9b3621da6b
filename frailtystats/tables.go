package frailtystats

import (
	"strconv"
	"time"

	"github.com/saijo-dx/lifestage/frailty"
	"github.com/saijo-dx/lifestage/reports"
)

// Scope describes what a report covers, for the titles.
type Scope struct {
	From, To  string // "" = open
	AreaLabel string // "" = every area
	Cutoffs   frailty.Cutoffs
}

func (s Scope) String() string {
	span := "全期間"
	if s.From != "" || s.To != "" {
		span = s.From + "〜" + s.To
	}
	if s.AreaLabel != "" {
		span += "・" + s.AreaLabel
	}
	return "（" + span + "）"
}

var distHeader = []string{"人数", "健常", "プレフレイル", "フレイル", "フレイルの割合", "事業対象者"}
var distFormats = []string{reports.FormatCount, reports.FormatCount, reports.FormatCount, reports.FormatCount, reports.FormatPercent, reports.FormatCount}

func distCells(d Dist) []any {
	return []any{d.Total, d.Robust, d.Prefrail, d.Frail, d.FrailPct / 100, d.Jigyo}
}

// Tables lays the report out as sheets for city staff. People appear only
// as code(target id), which must be a pseudonym (see Pseudonym).
func Tables(r Report, s Scope, code func(string) string, at time.Time) []reports.Table {
	basis := "各人の期間内で最新の基本チェックリストで集計（同じ人は1回だけ数えます）。判定は合計点により、健常0〜" +
		strconv.Itoa(s.Cutoffs.PrefrailFrom-1) + "点・プレフレイル" + strconv.Itoa(s.Cutoffs.PrefrailFrom) + "〜" + strconv.Itoa(s.Cutoffs.FrailFrom-1) +
		"点・フレイル" + strconv.Itoa(s.Cutoffs.FrailFrom) + "点以上です。"
	private := "氏名は含みません。少人数の区分は個人が推測されうるため、庁外に出さないでください。この出力は監査ログに記録されています。"
	dist := func(sheet, title, first string, rows []Dist, withOverall bool) reports.Table {
		var out [][]any
		if withOverall {
			out = append(out, append([]any{"全体"}, distCells(r.Overall)...))
		}
		for _, d := range rows {
			out = append(out, append([]any{d.Label}, distCells(d)...))
		}
		return reports.Table{
			Sheet: sheet, Title: title + s.String(), Header: append([]string{first}, distHeader...),
			Widths: []float64{16, 8, 8, 12, 8, 14, 12}, Formats: append([]string{""}, distFormats...),
			Rows: out, Notes: []string{basis, private}, GeneratedAt: at,
		}
	}
	prevalence := func(sheet, title, first string, of int, rows []Prevalence, note string) reports.Table {
		out := make([][]any, len(rows))
		for i, p := range rows {
			out[i] = []any{p.Label, p.Count, p.Pct / 100}
		}
		return reports.Table{
			Sheet: sheet, Title: title + s.String(), Header: []string{first, "該当人数", "割合"},
			Widths: []float64{60, 10, 10}, Formats: []string{"", reports.FormatCount, reports.FormatPercent},
			Rows: out, Notes: []string{note + "（対象 " + strconv.Itoa(of) + " 人）", private}, GeneratedAt: at,
		}
	}
	changeRows := [][]any{{"全体", r.Changes.Improved, r.Changes.Same, r.Changes.Worse}}
	for _, c := range r.ChangesByArea {
		changeRows = append(changeRows, []any{c.Label, c.Improved, c.Same, c.Worse})
	}
	var people [][]any
	for _, c := range r.TargetChanges {
		people = append(people, []any{code(c.Target), c.AreaLabel, c.FirstOn, c.FirstTotal, ClassLabel(c.FirstClass),
			c.LatestOn, c.LatestTotal, ClassLabel(c.LatestClass), ChangeLabel(c.Change)})
	}
	var trend [][]any
	for _, p := range r.Trend {
		label := p.Label
		if p.Key == "" && p.Label == "全体" {
			label = "（全体）"
		}
		trend = append(trend, append([]any{p.Period, label}, distCells(p.Dist)...))
	}
	changeNote := "期間内に2回以上（別の日に）基本チェックリストを実施した人の、初回と最新の判定の比較です。判定が軽くなれば改善、重くなれば悪化です。"
	return []reports.Table{
		dist("地区別", "フレイル判定の分布（地区別）", "地区", r.ByArea, true),
		dist("年齢階級別", "フレイル判定の分布（年齢階級別・実施日の年齢）", "年齢階級", r.ByAgeBand, true),
		dist("性別", "フレイル判定の分布（性別）", "性別", r.BySex, true),
		prevalence("事業対象者の基準", "事業対象者の基準①〜⑦に当てはまる人", "基準", r.KihonTargets, r.Criteria, "各人の最新の基本チェックリストによる"),
		prevalence("後期高齢者の質問票", "後期高齢者の質問票で該当（懸念あり）となった人", "項目", r.KoukiTargets, r.KoukiItems, "各人の最新の質問票による"),
		{
			Sheet: "変化（地区別）", Title: "判定の変化（地区別）" + s.String(), Header: []string{"地区", "改善", "維持", "悪化"},
			Widths: []float64{16, 8, 8, 8}, Formats: []string{"", reports.FormatCount, reports.FormatCount, reports.FormatCount},
			Rows: changeRows, Notes: []string{changeNote, private}, GeneratedAt: at,
		},
		{
			Sheet: "変化（個人別）", Title: "判定の変化（個人別）" + s.String(),
			Header:      []string{"対象者コード", "地区", "初回の実施日", "初回の点数", "初回の判定", "最新の実施日", "最新の点数", "最新の判定", "変化"},
			Widths:      []float64{16, 14, 12, 10, 12, 12, 10, 12, 8},
			Formats:     []string{"", "", "", reports.FormatCount, "", "", reports.FormatCount, "", ""},
			Rows:        people,
			Notes:       []string{changeNote, "対象者コードは仮名です（同じ人には同じコード。コードから本人はわかりません）。" + private},
			GeneratedAt: at,
		},
		{
			Sheet: "推移", Title: "フレイル判定の推移（期間ごと・地区別）" + s.String(), Header: append([]string{"期間", "地区"}, distHeader...),
			Widths: []float64{14, 16, 8, 8, 8, 12, 8, 14, 12}, Formats: append([]string{"", ""}, distFormats...),
			Rows: trend, Notes: []string{"各期間に各人の最新の基本チェックリストで集計しています。", private}, GeneratedAt: at,
		},
	}
}
