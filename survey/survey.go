// Package survey checks survey questions and answers and aggregates the
// responses. It takes plain values so the rules are table-tested without a
// database; the hooks store questions and answers as JSON.
package survey

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// Question types.
const (
	Single = "single" // one option (radio buttons)
	Multi  = "multi"  // any number of options (check boxes)
	Text   = "text"   // free text
	Scale  = "scale"  // a whole number from Min to Max (e.g. 1 to 5)
)

// Limits that keep a survey answerable on a phone and its results readable.
const (
	MaxQuestions  = 50
	MaxOptions    = 20
	MaxLabel      = 300
	MaxOption     = 100
	MaxTextAnswer = 1000
	MaxScaleSteps = 11 // 0..10 is the widest scale
)

var idPattern = regexp.MustCompile(`^[a-z0-9_]{1,30}$`)

// Question is one question of a survey.
type Question struct {
	ID       string   `json:"id"`
	Type     string   `json:"type"`
	Label    string   `json:"label"`
	Options  []string `json:"options,omitempty"`
	Min      int      `json:"min,omitempty"`
	Max      int      `json:"max,omitempty"`
	Required bool     `json:"required,omitempty"`
}

// Problem is one invalid part of a survey or a response: Field is the
// question id (or "questions"), Code is stable, Message is Japanese.
type Problem struct {
	Field, Code, Message string
}

// CheckQuestions reports what is wrong with a survey's questions.
func CheckQuestions(qs []Question) []Problem {
	if len(qs) == 0 {
		return []Problem{{"questions", "no_questions", "質問を1つ以上作ってください。"}}
	}
	if len(qs) > MaxQuestions {
		return []Problem{{"questions", "too_many_questions", fmt.Sprintf("質問は%d問までです。", MaxQuestions)}}
	}
	var out []Problem
	seen := map[string]bool{}
	for i, q := range qs {
		at := fmt.Sprintf("質問%d: ", i+1)
		bad := func(code, msg string) { out = append(out, Problem{"questions", code, at + msg}) }
		switch {
		case !idPattern.MatchString(q.ID):
			bad("invalid_id", "IDは英小文字・数字・_の30文字以内にしてください。")
		case seen[q.ID]:
			bad("duplicate_id", "IDが重複しています。")
		}
		seen[q.ID] = true
		if strings.TrimSpace(q.Label) == "" || utf8.RuneCountInString(q.Label) > MaxLabel {
			bad("invalid_label", fmt.Sprintf("質問文は1〜%d文字で入力してください。", MaxLabel))
		}
		switch q.Type {
		case Single, Multi:
			out = append(out, checkOptions(q.Options, at)...)
		case Text:
		case Scale:
			if q.Min < 0 || q.Max <= q.Min || q.Max-q.Min+1 > MaxScaleSteps {
				bad("invalid_scale", "段階は0以上で、最小より最大を大きく、11段階以内にしてください。")
			}
		default:
			bad("invalid_type", "種類は single・multi・text・scale のどれかです。")
		}
	}
	return out
}

func checkOptions(opts []string, at string) []Problem {
	if len(opts) < 2 || len(opts) > MaxOptions {
		return []Problem{{"questions", "invalid_options", at + fmt.Sprintf("選択肢は2〜%d個にしてください。", MaxOptions)}}
	}
	seen := map[string]bool{}
	for _, o := range opts {
		if strings.TrimSpace(o) == "" || utf8.RuneCountInString(o) > MaxOption || seen[o] {
			return []Problem{{"questions", "invalid_options", at + fmt.Sprintf("選択肢は空でなく、重複せず、%d文字以内にしてください。", MaxOption)}}
		}
		seen[o] = true
	}
	return nil
}

// Answer is one answer: the option index for single, the option indexes for
// multi, the text, or the scale value. Which field counts depends on the
// question type.
type Answer struct {
	Choice  *int   `json:"choice,omitempty"`
	Choices []int  `json:"choices,omitempty"`
	Text    string `json:"text,omitempty"`
	Value   *int   `json:"value,omitempty"`
}

// Answers maps question id to its answer.
type Answers map[string]Answer

// CheckAnswers reports, per question id, what is wrong with a response, and
// returns the answers cleaned (unknown questions and empty answers dropped,
// multi choices sorted, text trimmed).
func CheckAnswers(qs []Question, in Answers) (Answers, []Problem) {
	out := Answers{}
	var problems []Problem
	for _, q := range qs {
		a, given := in[q.ID]
		clean, empty, p := checkAnswer(q, a)
		if p != nil {
			problems = append(problems, *p)
			continue
		}
		if !given || empty {
			if q.Required {
				problems = append(problems, Problem{q.ID, "required", "この質問は回答が必要です。"})
			}
			continue
		}
		out[q.ID] = clean
	}
	for id := range in {
		if !slices.ContainsFunc(qs, func(q Question) bool { return q.ID == id }) {
			problems = append(problems, Problem{id, "unknown_question", "この質問はアンケートにありません。"})
		}
	}
	sort.Slice(problems, func(i, j int) bool { return problems[i].Field < problems[j].Field })
	return out, problems
}

func checkAnswer(q Question, a Answer) (clean Answer, empty bool, p *Problem) {
	bad := func(code, msg string) (Answer, bool, *Problem) { return Answer{}, false, &Problem{q.ID, code, msg} }
	switch q.Type {
	case Single:
		if a.Choice == nil {
			return Answer{}, true, nil
		}
		if *a.Choice < 0 || *a.Choice >= len(q.Options) {
			return bad("invalid_choice", "選択肢から選んでください。")
		}
		return Answer{Choice: a.Choice}, false, nil
	case Multi:
		if len(a.Choices) == 0 {
			return Answer{}, true, nil
		}
		cs := slices.Clone(a.Choices)
		slices.Sort(cs)
		if cs[0] < 0 || cs[len(cs)-1] >= len(q.Options) || len(slices.Compact(slices.Clone(cs))) != len(cs) {
			return bad("invalid_choice", "選択肢から選んでください。")
		}
		return Answer{Choices: cs}, false, nil
	case Text:
		t := strings.TrimSpace(a.Text)
		if t == "" {
			return Answer{}, true, nil
		}
		if utf8.RuneCountInString(t) > MaxTextAnswer {
			return bad("too_long", fmt.Sprintf("%d文字以内で入力してください。", MaxTextAnswer))
		}
		return Answer{Text: t}, false, nil
	case Scale:
		if a.Value == nil {
			return Answer{}, true, nil
		}
		if *a.Value < q.Min || *a.Value > q.Max {
			return bad("out_of_range", fmt.Sprintf("%dから%dの間で選んでください。", q.Min, q.Max))
		}
		return Answer{Value: a.Value}, false, nil
	}
	return bad("invalid_type", "この質問には回答できません。")
}
