package growth

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/saijo-dx/lifestage/civil"
)

func TestPercentilesMatchAssess(t *testing.T) {
	birth := civil.Date{Year: 2024, Month: 1, Day: 15}
	for _, sex := range []string{Male, Female} {
		for _, m := range []string{Weight, Height, Head} {
			for _, d := range []civil.Date{birth, birth.AddDays(40), birth.AddDays(200), birth.AddDays(700)} {
				age := civil.MonthsOld(birth, d)
				p, err := Percentiles(sex, m, age)
				if err != nil {
					t.Fatal(err)
				}
				r, err := Assess(sex, birth, d, m, 10+float64(d.Day))
				if err != nil && !errors.Is(err, ErrValueOutOfRange) {
					t.Fatal(err)
				}
				if err == nil && (round(p[0], 2) != r.P3 || round(p[3], 2) != r.P50 || round(p[6], 2) != r.P97) {
					t.Errorf("%s/%s at %.2f: %v, Assess says %+v", sex, m, age, p, r)
				}
				for k := 1; k < 7; k++ {
					if p[k] < p[k-1] {
						t.Errorf("%s/%s at %.2f: percentiles not ascending %v", sex, m, age, p)
					}
				}
			}
		}
	}
	if _, err := Percentiles(Male, Head, 36); !errors.Is(err, ErrAgeOutOfRange) {
		t.Errorf("head at 36 months: %v, want ErrAgeOutOfRange", err)
	}
	if _, err := Percentiles("", Weight, 3); !errors.Is(err, ErrUnknownSex) {
		t.Errorf("no sex: %v", err)
	}
	if _, err := Percentiles(Male, "bmi", 3); !errors.Is(err, ErrUnknownMeasure) {
		t.Errorf("bmi: %v", err)
	}
}

func TestCurveAges(t *testing.T) {
	ages, err := CurveAges(Female, Weight, 0, ChartMonths)
	if err != nil {
		t.Fatal(err)
	}
	if ages[0] != 0 || ages[len(ages)-1] != ChartMonths || len(ages) < 10 {
		t.Fatalf("ages = %v", ages)
	}
	for i := 1; i < len(ages); i++ {
		if ages[i] <= ages[i-1] {
			t.Fatalf("not ascending: %v", ages)
		}
	}
	// Between two bend points the curve is straight: the midpoint of a
	// segment equals the mean of its ends.
	a, b := ages[3], ages[4]
	pa, _ := Percentiles(Female, Weight, a)
	pb, _ := Percentiles(Female, Weight, b)
	pm, _ := Percentiles(Female, Weight, (a+b)/2)
	if math.Abs(pm[3]-(pa[3]+pb[3])/2) > 1e-9 {
		t.Errorf("curve bends between %v and %v", a, b)
	}
}

var chartPoints = []ChartPoint{
	{Date: "2023-05-10", AgeMonths: 1, WeightKg: 4.3, HeightCm: 54.1},
	{Date: "2023-07-10", AgeMonths: 3, WeightKg: 6.2, HeightCm: 60.5},
	{Date: "2023-10-10", AgeMonths: 6, WeightKg: 7.6},
	{Date: "2024-04-10", AgeMonths: 12, WeightKg: 9.2, HeightCm: 74.0},
	{Date: "2025-04-10", AgeMonths: 24, WeightKg: 11.8, HeightCm: 85.9},
	{Date: "2030-04-10", AgeMonths: 84, WeightKg: 23, HeightCm: 120}, // past the chart
	{Date: "2023-08-10", AgeMonths: 4, HeightCm: 63.0},               // out of order, height only
}

func TestChartSVG(t *testing.T) {
	for _, sex := range []string{Male, Female, ""} {
		svg, err := ChartSVG(sex, chartPoints)
		if err != nil {
			t.Fatal(err)
		}
		s := string(svg)
		// well-formed XML, and collect what was drawn
		dec := xml.NewDecoder(bytes.NewReader(svg))
		count := map[string]int{}
		var root xml.StartElement
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%q: invalid XML: %v", sex, err)
			}
			if se, ok := tok.(xml.StartElement); ok {
				if root.Name.Local == "" {
					root = se
				}
				count[se.Name.Local]++
				for _, a := range se.Attr {
					if a.Name.Local == "class" {
						count["."+a.Value]++
					}
					if a.Name.Local == "href" {
						t.Errorf("external reference %v", a)
					}
				}
			}
		}
		attrs := map[string]string{}
		for _, a := range root.Attr {
			attrs[a.Name.Local] = a.Value
		}
		if root.Name.Local != "svg" || attrs["width"] != "640" || attrs["height"] == "" || attrs["viewBox"] == "" {
			t.Errorf("root = %v %v", root.Name, attrs)
		}
		if !strings.Contains(s, "<title id=\"growth-title\">成長曲線") || !strings.Contains(s, "<desc id=\"growth-desc\">0歳から6歳まで") {
			t.Errorf("%q: no Japanese title/desc", sex)
		}
		// 5 weights and 5 heights within 0–6 years
		if count["circle"] != 10 {
			t.Errorf("%q: %d circles, want 10", sex, count["circle"])
		}
		if count[".child"] != 2 {
			t.Errorf("%q: %d child lines, want 2", sex, count[".child"])
		}
		wantBands := 2
		if sex == "" {
			wantBands = 0
		}
		if count[".band p3-97"] != wantBands || count[".band p10-90"] != wantBands || count[".median"] != wantBands {
			t.Errorf("%q: bands %v, want %d of each", sex, count, wantBands)
		}
		if !strings.Contains(s, "6歳") || !strings.Contains(s, "体重（kg）") || !strings.Contains(s, "身長（cm）") {
			t.Errorf("%q: axis labels missing", sex)
		}
		if !strings.Contains(s, "1件はグラフにふくめていません") {
			t.Errorf("%q: desc does not say a point was left out", sex)
		}
	}
}

func TestChartSVGEscapesAndEmpty(t *testing.T) {
	svg, err := ChartSVG(Male, []ChartPoint{{Date: `<script>&"`, AgeMonths: 2, WeightKg: 5}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(svg), "<script>") {
		t.Fatal("date not escaped")
	}
	if err := xml.Unmarshal(svg, new(struct{})); err != nil {
		t.Fatal(err)
	}
	svg, err = ChartSVG(Female, nil)
	if err != nil || bytes.Contains(svg, []byte("<circle")) || bytes.Contains(svg, []byte(`class="child"`)) {
		t.Fatalf("empty chart: %v\n%s", err, svg)
	}
}

func BenchmarkGrowthSVG(b *testing.B) {
	if _, err := ChartSVG(Male, chartPoints); err != nil { // load the tables first
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ChartSVG(Male, chartPoints); err != nil {
			b.Fatal(err)
		}
	}
}
