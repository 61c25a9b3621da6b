package events

import (
	"testing"
	"time"
)

func TestCheck(t *testing.T) {
	at := func(day, hour int) time.Time { return time.Date(2026, 12, day, hour, 0, 0, 0, time.UTC) }
	cases := []struct {
		name  string
		e     Event
		codes []string
	}{
		{"start only", Event{StartsAt: at(3, 1)}, nil},
		{"full and consistent", Event{StartsAt: at(3, 1), EndsAt: at(3, 2), ApplicationOpens: at(1, 0), ApplicationCloses: at(2, 0), MinAgeMonths: 3, MaxAgeMonths: 4}, nil},
		{"closes at the start", Event{StartsAt: at(3, 1), ApplicationCloses: at(3, 1)}, nil},
		{"open-ended age", Event{StartsAt: at(3, 1), MinAgeMonths: 12}, nil},
		{"end before start", Event{StartsAt: at(3, 2), EndsAt: at(3, 1)}, []string{"end_before_start"}},
		{"window reversed", Event{StartsAt: at(9, 1), ApplicationOpens: at(5, 0), ApplicationCloses: at(4, 0)}, []string{"closes_before_opens"}},
		{"closes after start", Event{StartsAt: at(3, 1), ApplicationCloses: at(4, 0)}, []string{"closes_after_start"}},
		{"ages reversed", Event{StartsAt: at(3, 1), MinAgeMonths: 5, MaxAgeMonths: 3}, []string{"age_range"}},
	}
	for _, c := range cases {
		var got []string
		for _, p := range Check(c.e) {
			got = append(got, p.Code)
		}
		if len(got) != len(c.codes) || (len(got) > 0 && got[0] != c.codes[0]) {
			t.Errorf("%s: %v, want %v", c.name, got, c.codes)
		}
	}
}
