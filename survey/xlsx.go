package survey

import (
	"fmt"
	"strings"
	"time"

	"github.com/saijo-dx/lifestage/reports"
)

// Sheets is the workbook of a survey's results: a summary, one sheet per
// question, and the raw answers under respondent numbers 1..n that follow
// the order of responses given (callers pass them in an order unrelated to
// who or when, such as by record id), so a row cannot be traced to a person.
func Sheets(title string, qs []Question, responses []Answers, targeted int, now time.Time) []reports.Table {
	results := Aggregate(qs, responses)
	rate := 0.0
	if targeted > 0 {
		rate = float64(len(responses)) / float64(targeted)
	}
	summary := reports.Table{
		Sheet: "集計", Title: "アンケート結果: " + title,
		Header: []string{"項目", "値"}, Widths: []float64{30, 16},
		Formats:     []string{reports.FormatText, reports.FormatCount},
		Rows:        [][]any{{"対象者数", targeted}, {"回答数", len(responses)}},
		Notes:       []string{"回答者は番号でのみ示します。個人を特定する目的で使わないでください。この出力は監査ログに記録されています。"},
		GeneratedAt: now,
	}
	summary.Rows = append(summary.Rows, []any{"回答率", fmt.Sprintf("%.1f%%", rate*100)})
	tables := []reports.Table{summary}
	for i, r := range results {
		tables = append(tables, questionSheet(i, r, now))
	}
	return append(tables, rawSheet(qs, responses, now))
}

func questionSheet(i int, r Result, now time.Time) reports.Table {
	t := reports.Table{
		Sheet: fmt.Sprintf("Q%d", i+1), Title: fmt.Sprintf("Q%d %s（回答 %d 件）", i+1, r.Label, r.Answered),
		Header: []string{"選択肢", "件数"}, Widths: []float64{40, 10},
		Formats: []string{reports.FormatText, reports.FormatCount}, GeneratedAt: now,
	}
	switch r.Type {
	case Single, Multi:
		for j, o := range r.Options {
			t.Rows = append(t.Rows, []any{o, r.Counts[j]})
		}
		if r.Type == Multi {
			t.Notes = []string{"複数選択のため、件数の合計は回答数を超えることがあります。"}
		}
	case Scale:
		t.Header[0] = "値"
		for j, c := range r.Counts {
			t.Rows = append(t.Rows, []any{fmt.Sprint(r.Min + j), c})
		}
		if r.Mean != nil {
			t.Notes = []string{fmt.Sprintf("平均 %.2f、中央値 %.1f", *r.Mean, *r.Median)}
		}
	case Text:
		t.Header, t.Widths, t.Formats = []string{"番号", "回答"}, []float64{8, 80}, nil
		for j, s := range r.Texts {
			t.Rows = append(t.Rows, []any{j + 1, s})
		}
	}
	return t
}

func rawSheet(qs []Question, responses []Answers, now time.Time) reports.Table {
	t := reports.Table{Sheet: "回答一覧", Title: "回答一覧（回答者番号は匿名）", Header: []string{"回答者番号"}, Widths: []float64{12}, GeneratedAt: now}
	for i, q := range qs {
		t.Header = append(t.Header, fmt.Sprintf("Q%d %s", i+1, q.Label))
		t.Widths = append(t.Widths, 24)
	}
	for n, resp := range responses {
		row := []any{n + 1}
		for _, q := range qs {
			row = append(row, AnswerText(q, resp[q.ID]))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// AnswerText is an answer as a person reads it: option labels, the text or
// the value; "" when unanswered.
func AnswerText(q Question, a Answer) string {
	label := func(i int) string {
		if i >= 0 && i < len(q.Options) {
			return q.Options[i]
		}
		return ""
	}
	switch q.Type {
	case Single:
		if a.Choice != nil {
			return label(*a.Choice)
		}
	case Multi:
		parts := make([]string, 0, len(a.Choices))
		for _, c := range a.Choices {
			parts = append(parts, label(c))
		}
		return strings.Join(parts, "、")
	case Text:
		return a.Text
	case Scale:
		if a.Value != nil {
			return fmt.Sprint(*a.Value)
		}
	}
	return ""
}
