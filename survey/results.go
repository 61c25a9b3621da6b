package survey

import "slices"

// Result is the aggregate of one question. Counts are per option (single,
// multi) or per scale value from Min to Max (scale); Answered is how many
// responses answered the question. Texts keep the free-text answers in
// response order, without who wrote them.
type Result struct {
	ID       string   `json:"id"`
	Type     string   `json:"type"`
	Label    string   `json:"label"`
	Options  []string `json:"options,omitempty"`
	Min      int      `json:"min,omitempty"`
	Max      int      `json:"max,omitempty"`
	Answered int      `json:"answered"`
	Counts   []int    `json:"counts,omitempty"`
	Mean     *float64 `json:"mean,omitempty"`
	Median   *float64 `json:"median,omitempty"`
	Texts    []string `json:"texts,omitempty"`
}

// Aggregate counts the responses question by question. Answers that no
// longer fit a question (an option index out of range) are skipped rather
// than miscounted.
func Aggregate(qs []Question, responses []Answers) []Result {
	out := make([]Result, len(qs))
	for i, q := range qs {
		r := Result{ID: q.ID, Type: q.Type, Label: q.Label, Options: q.Options, Min: q.Min, Max: q.Max}
		switch q.Type {
		case Single, Multi:
			r.Counts = make([]int, len(q.Options))
		case Scale:
			r.Counts = make([]int, q.Max-q.Min+1)
		}
		var values []int
		for _, resp := range responses {
			a, ok := resp[q.ID]
			if !ok {
				continue
			}
			if count(&r, q, a, &values) {
				r.Answered++
			}
		}
		if len(values) > 0 {
			mean, median := meanMedian(values)
			r.Mean, r.Median = &mean, &median
		}
		out[i] = r
	}
	return out
}

// count adds one answer to the result and reports whether it counted.
func count(r *Result, q Question, a Answer, values *[]int) bool {
	switch q.Type {
	case Single:
		if a.Choice != nil && *a.Choice >= 0 && *a.Choice < len(r.Counts) {
			r.Counts[*a.Choice]++
			return true
		}
	case Multi:
		counted := false
		for _, c := range a.Choices {
			if c >= 0 && c < len(r.Counts) {
				r.Counts[c]++
				counted = true
			}
		}
		return counted
	case Text:
		if a.Text != "" {
			r.Texts = append(r.Texts, a.Text)
			return true
		}
	case Scale:
		if a.Value != nil && *a.Value >= q.Min && *a.Value <= q.Max {
			r.Counts[*a.Value-q.Min]++
			*values = append(*values, *a.Value)
			return true
		}
	}
	return false
}

func meanMedian(values []int) (mean, median float64) {
	s := slices.Clone(values)
	slices.Sort(s)
	sum := 0
	for _, v := range s {
		sum += v
	}
	mean = float64(sum) / float64(len(s))
	if m := len(s) / 2; len(s)%2 == 1 {
		median = float64(s[m])
	} else {
		median = float64(s[m-1]+s[m]) / 2
	}
	return mean, median
}
