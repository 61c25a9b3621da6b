package survey

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func n(v int) *int { return &v }

var qs = []Question{
	{ID: "q1", Type: Single, Label: "満足度", Options: []string{"はい", "いいえ"}, Required: true},
	{ID: "q2", Type: Multi, Label: "よく使う施設", Options: []string{"公園", "支援センター", "図書館"}},
	{ID: "q3", Type: Text, Label: "ご意見"},
	{ID: "q4", Type: Scale, Label: "子育てのしやすさ", Min: 1, Max: 5, Required: true},
}

func codes(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Field+":"+p.Code)
	}
	return out
}

func TestCheckQuestions(t *testing.T) {
	cases := []struct {
		name string
		qs   []Question
		want []string
	}{
		{"valid", qs, nil},
		{"none", nil, []string{"questions:no_questions"}},
		{"bad id", []Question{{ID: "Q 1", Type: Text, Label: "x"}}, []string{"questions:invalid_id"}},
		{"duplicate id", []Question{{ID: "a", Type: Text, Label: "x"}, {ID: "a", Type: Text, Label: "y"}}, []string{"questions:duplicate_id"}},
		{"no label", []Question{{ID: "a", Type: Text, Label: " "}}, []string{"questions:invalid_label"}},
		{"one option", []Question{{ID: "a", Type: Single, Label: "x", Options: []string{"a"}}}, []string{"questions:invalid_options"}},
		{"repeated option", []Question{{ID: "a", Type: Multi, Label: "x", Options: []string{"a", "a"}}}, []string{"questions:invalid_options"}},
		{"empty option", []Question{{ID: "a", Type: Multi, Label: "x", Options: []string{"a", ""}}}, []string{"questions:invalid_options"}},
		{"scale reversed", []Question{{ID: "a", Type: Scale, Label: "x", Min: 5, Max: 1}}, []string{"questions:invalid_scale"}},
		{"scale too wide", []Question{{ID: "a", Type: Scale, Label: "x", Min: 0, Max: 11}}, []string{"questions:invalid_scale"}},
		{"scale 0-10", []Question{{ID: "a", Type: Scale, Label: "x", Min: 0, Max: 10}}, nil},
		{"unknown type", []Question{{ID: "a", Type: "date", Label: "x"}}, []string{"questions:invalid_type"}},
	}
	for _, c := range cases {
		if got := codes(CheckQuestions(c.qs)); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestCheckAnswers(t *testing.T) {
	cases := []struct {
		name  string
		in    Answers
		want  []string
		clean Answers
	}{
		{"complete", Answers{"q1": {Choice: n(0)}, "q2": {Choices: []int{2, 0}}, "q3": {Text: "  よい "}, "q4": {Value: n(5)}}, nil,
			Answers{"q1": {Choice: n(0)}, "q2": {Choices: []int{0, 2}}, "q3": {Text: "よい"}, "q4": {Value: n(5)}}},
		{"required only", Answers{"q1": {Choice: n(1)}, "q4": {Value: n(1)}}, nil, Answers{"q1": {Choice: n(1)}, "q4": {Value: n(1)}}},
		{"missing required", Answers{"q3": {Text: "x"}}, []string{"q1:required", "q4:required"}, nil},
		{"empty multi is no answer", Answers{"q1": {Choice: n(1)}, "q2": {Choices: []int{}}, "q4": {Value: n(2)}}, nil, Answers{"q1": {Choice: n(1)}, "q4": {Value: n(2)}}},
		{"choice out of range", Answers{"q1": {Choice: n(2)}, "q4": {Value: n(3)}}, []string{"q1:invalid_choice"}, nil},
		{"repeated multi choice", Answers{"q1": {Choice: n(0)}, "q2": {Choices: []int{1, 1}}, "q4": {Value: n(3)}}, []string{"q2:invalid_choice"}, nil},
		{"scale out of range", Answers{"q1": {Choice: n(0)}, "q4": {Value: n(6)}}, []string{"q4:out_of_range"}, nil},
		{"scale below min", Answers{"q1": {Choice: n(0)}, "q4": {Value: n(0)}}, []string{"q4:out_of_range"}, nil},
		{"unknown question", Answers{"q1": {Choice: n(0)}, "q4": {Value: n(3)}, "zz": {Text: "x"}}, []string{"zz:unknown_question"}, nil},
		{"text too long", Answers{"q1": {Choice: n(0)}, "q4": {Value: n(3)}, "q3": {Text: strings.Repeat("あ", 1001)}}, []string{"q3:too_long"}, nil},
	}
	for _, c := range cases {
		clean, ps := CheckAnswers(qs, c.in)
		if got := codes(ps); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
		if c.want == nil && !reflect.DeepEqual(clean, c.clean) {
			t.Errorf("%s: clean %+v, want %+v", c.name, clean, c.clean)
		}
	}
}

func TestAggregate(t *testing.T) {
	responses := []Answers{
		{"q1": {Choice: n(0)}, "q2": {Choices: []int{0, 1}}, "q3": {Text: "公園を増やして"}, "q4": {Value: n(4)}},
		{"q1": {Choice: n(0)}, "q2": {Choices: []int{1}}, "q4": {Value: n(5)}},
		{"q1": {Choice: n(1)}, "q3": {Text: "満足"}, "q4": {Value: n(2)}},
		{"q1": {Choice: n(1)}, "q4": {Value: n(5)}},
		{"q1": {Choice: n(7)}}, // an option removed later: skipped
	}
	got := Aggregate(qs, responses)
	if !slices.Equal(got[0].Counts, []int{2, 2}) || got[0].Answered != 4 {
		t.Errorf("single: %+v", got[0])
	}
	if !slices.Equal(got[1].Counts, []int{1, 2, 0}) || got[1].Answered != 2 {
		t.Errorf("multi: %+v", got[1])
	}
	if !slices.Equal(got[2].Texts, []string{"公園を増やして", "満足"}) || got[2].Answered != 2 {
		t.Errorf("text: %+v", got[2])
	}
	r := got[3]
	if !slices.Equal(r.Counts, []int{0, 1, 0, 1, 2}) || r.Answered != 4 || *r.Mean != 4 || *r.Median != 4.5 {
		t.Errorf("scale: %+v mean %v median %v", r, *r.Mean, *r.Median)
	}
	odd := Aggregate(qs[3:], []Answers{{"q4": {Value: n(1)}}, {"q4": {Value: n(2)}}, {"q4": {Value: n(5)}}})
	if *odd[0].Median != 2 || *odd[0].Mean != 8.0/3 {
		t.Errorf("odd median %v mean %v", *odd[0].Median, *odd[0].Mean)
	}
	if none := Aggregate(qs[3:], nil); none[0].Mean != nil || none[0].Answered != 0 {
		t.Errorf("no answers: %+v", none[0])
	}
}
