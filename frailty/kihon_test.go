package frailty

import (
	"encoding/csv"
	"os"
	"slices"
	"testing"
)

// healthy answers every item with its 0-point answer; 160 cm / 60 kg is
// BMI 23.4.
func healthy() Input {
	var in Input
	for i, it := range Checklist {
		in.Yes[i] = !it.RiskYes
	}
	in.HeightCm, in.WeightKg = 160, 60
	return in
}

// with turns the given items (1-based) to their risk answer.
func with(items ...int) Input {
	in := healthy()
	for _, n := range items {
		in.Yes[n-1] = Checklist[n-1].RiskYes
	}
	return in
}

// TestFrailtyChecklistMatchesReference: the item table follows the
// reference CSV (copied from /work/shared/reference) in wording order,
// scoring direction and domain.
func TestFrailtyChecklistMatchesReference(t *testing.T) {
	f, err := os.Open("testdata/kihon_checklist_25.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	domains := map[string]Domain{"IADL": IADL, "運動器": Physical, "栄養": Nutrition, "口腔": Oral, "閉じこもり": Housebound, "認知機能": Cognitive, "うつ": Depression}
	n := 0
	for _, row := range rows[2:] { // a comment line, then the header
		it := Checklist[n]
		n++
		if row[0] != itoa(it.No) {
			t.Fatalf("row %v: item %d", row, it.No)
		}
		dom := row[3]
		if i := len("IADL"); len(dom) > i && dom[:i] == "IADL" {
			dom = "IADL"
		}
		if domains[dom] != it.Domain {
			t.Errorf("item %d: domain %s, reference %s", it.No, it.Domain, row[3])
		}
		if it.No == BMIItem {
			continue
		}
		if (row[2] == "はい") != it.RiskYes || (row[2] != "はい" && row[2] != "いいえ") {
			t.Errorf("item %d: RiskYes %v, reference risk answer %s", it.No, it.RiskYes, row[2])
		}
		if row[1] != it.Question {
			t.Errorf("item %d: question %q, reference %q", it.No, it.Question, row[1])
		}
	}
	if n != Items {
		t.Fatalf("%d reference rows", n)
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + itoa(n%10)
}

func TestFrailtyScore(t *testing.T) {
	type want struct {
		total    int
		criteria Criteria
		jigyo    bool
		class    Class
	}
	lowBMIInput := func(h, w float64, items ...int) Input {
		in := with(items...)
		in.HeightCm, in.WeightKg = h, w
		return in
	}
	cases := []struct {
		name string
		in   Input
		want want
	}{
		{"all healthy", healthy(), want{0, Criteria{}, false, Robust}},
		// ① The most points in 1–20 that trip no other criterion is 10:
		// IADL 5, physical 2, nutrition 1, oral 1 and item 17.
		{"① 9 points in 1–20", with(1, 2, 3, 4, 5, 6, 7, 11, 13), want{9, Criteria{}, false, Frail}},
		{"① 10 points in 1–20, alone", with(1, 2, 3, 4, 5, 6, 7, 11, 13, 17), want{10, Criteria{Multiple: true}, true, Frail}},
		{"① 10 points with depression only outside 1–20", with(1, 2, 3, 4, 5, 6, 7, 11, 13, 21), want{10, Criteria{}, false, Frail}},
		{"② physical 2", with(9, 10), want{2, Criteria{}, false, Robust}},
		{"② physical 3", with(6, 9, 10), want{3, Criteria{Physical: true}, true, Robust}},
		{"③ weight loss only", with(11), want{1, Criteria{}, false, Robust}},
		{"③ low BMI only", lowBMIInput(160, 47), want{1, Criteria{}, false, Robust}},
		{"③ weight loss and BMI 18.4", lowBMIInput(160, 47, 11), want{2, Criteria{Nutrition: true}, true, Robust}},
		{"③ BMI exactly 18.5 is not a risk", lowBMIInput(160, 47.36, 11), want{1, Criteria{}, false, Robust}},
		{"③ BMI exactly 18.5 (200 cm, 74 kg)", lowBMIInput(200, 74, 11), want{1, Criteria{}, false, Robust}},
		{"④ oral 1", with(15), want{1, Criteria{}, false, Robust}},
		{"④ oral 2", with(13, 14), want{2, Criteria{Oral: true}, true, Robust}},
		{"⑤ item 17 alone is reference only", with(17), want{1, Criteria{}, false, Robust}},
		{"⑤ item 16", with(16), want{1, Criteria{Housebound: true}, true, Robust}},
		{"⑥ cognitive 1 (item 19 いいえ)", with(19), want{1, Criteria{Cognitive: true}, true, Robust}},
		{"⑦ depression 1", with(21), want{1, Criteria{}, false, Robust}},
		{"⑦ depression 2 alone makes a 事業対象者", with(24, 25), want{2, Criteria{Depression: true}, true, Robust}},
		{"total 3", with(1, 2, 3), want{3, Criteria{}, false, Robust}},
		{"total 4", with(1, 2, 3, 4), want{4, Criteria{}, false, Prefrail}},
		{"total 7", with(1, 2, 3, 4, 5, 17, 9), want{7, Criteria{}, false, Prefrail}},
		{"total 8", with(1, 2, 3, 4, 5, 17, 9, 10), want{8, Criteria{}, false, Frail}},
		{"all risks", lowBMIInput(170, 40, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25),
			want{25, Criteria{true, true, true, true, true, true, true}, true, Frail}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Score(c.in, DefaultCutoffs)
			got := want{r.Total, r.Criteria, r.Jigyo, r.Class}
			if got != c.want {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestFrailtyDomainsAndBMI(t *testing.T) {
	in := with(1, 6, 7, 11, 13, 16, 17, 18, 21, 22, 23)
	in.HeightCm, in.WeightKg = 150, 40 // BMI 17.8
	r := Score(in, DefaultCutoffs)
	want := Domains{IADL: 1, Physical: 2, Nutrition: 2, Oral: 1, Housebound: 2, Cognitive: 1, Depression: 3}
	if r.Domains != want || r.Total != 12 || !r.BMIKnown || r.BMI < 17.77 || r.BMI > 17.78 {
		t.Fatalf("got %+v", r)
	}
}

// TestFrailtyMissingBMI: without height or weight item 12 is unknown and
// scores 0; ③ cannot be met.
func TestFrailtyMissingBMI(t *testing.T) {
	for _, hw := range [][2]float64{{0, 0}, {160, 0}, {0, 40}} {
		in := with(11)
		in.HeightCm, in.WeightKg = hw[0], hw[1]
		r := Score(in, DefaultCutoffs)
		if r.BMIKnown || r.Risk[BMIItem-1] || r.Total != 1 || r.Criteria.Nutrition {
			t.Errorf("%v: got %+v", hw, r)
		}
	}
}

// TestFrailtyItem12IgnoresTheAnswer: item 12 comes only from the BMI.
func TestFrailtyItem12IgnoresTheAnswer(t *testing.T) {
	for _, yes := range []bool{true, false} {
		in := healthy()
		in.Yes[BMIItem-1] = yes
		if r := Score(in, DefaultCutoffs); r.Total != 0 {
			t.Errorf("Yes[11]=%v: total %d", yes, r.Total)
		}
	}
}

func TestFrailtyCutoffs(t *testing.T) {
	kameoka := Cutoffs{PrefrailFrom: 4, FrailFrom: 7}
	if err := kameoka.Check(); err != nil {
		t.Fatal(err)
	}
	for total, want := range map[int]Class{0: Robust, 3: Robust, 4: Prefrail, 6: Prefrail, 7: Frail, 25: Frail} {
		if got := kameoka.Classify(total); got != want {
			t.Errorf("≥7 cut-off, total %d: %s, want %s", total, got, want)
		}
	}
	for _, bad := range []Cutoffs{{0, 8}, {5, 4}, {4, 26}} {
		if bad.Check() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	if err := DefaultCutoffs.Check(); err != nil {
		t.Fatal(err)
	}
}

func TestFrailtyKoukiFlags(t *testing.T) {
	healthy := [15]int{1, 1, 1, 2, 2, 2, 2, 2, 1, 2, 2, 2, 1, 1, 1}
	if got, err := KoukiFlags(healthy); err != nil || len(got) != 0 {
		t.Fatalf("healthy: %v %v", got, err)
	}
	mixed := healthy
	mixed[0], mixed[1], mixed[2], mixed[11], mixed[14] = 4, 3, 2, 1, 2
	if got, _ := KoukiFlags(mixed); !slices.Equal(got, []int{1, 2, 3, 12, 15}) {
		t.Errorf("mixed: %v", got)
	}
	borders := healthy
	borders[0], borders[1], borders[11] = 3, 2, 3 // ふつう, やや満足, やめた
	if got, _ := KoukiFlags(borders); len(got) != 0 {
		t.Errorf("borders: %v", got)
	}
	for i, c := range map[int]int{0: 6, 3: 3, 11: 0} {
		bad := healthy
		bad[i] = c
		if _, err := KoukiFlags(bad); err == nil {
			t.Errorf("item %d option %d accepted", i+1, c)
		}
	}
}

func BenchmarkFrailtyScore(b *testing.B) {
	in := with(1, 6, 7, 11, 13, 16, 17, 18, 21, 22, 23)
	for b.Loop() {
		Score(in, DefaultCutoffs)
	}
}
