package growth

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"sort"
	"strconv"
)

// ChartMonths is the age span of ChartSVG: birth to 6 years, the span of
// the curves printed in the 母子健康手帳.
const ChartMonths = 72

// ChartPoint is one measurement to plot. A zero value means "not measured".
type ChartPoint struct {
	Date      string // YYYY-MM-DD, shown in the point's tooltip
	AgeMonths float64
	WeightKg  float64
	HeightCm  float64
}

// The drawing's frame, in user units (= CSS px at 100 %).
const (
	chartW      = 640
	panelH      = 300
	legendH     = 56
	chartH      = 2*panelH + legendH
	plotLeft    = 64
	plotRight   = chartW - 24
	plotTop     = 44  // from the panel's top
	plotBottom  = 256 // from the panel's top
	pointRadius = 3.5
)

type palette struct{ outer, inner, median string }

var palettes = map[string]palette{
	Male:   {"#d8e7f6", "#a9cbea", "#2f6aa3"},
	Female: {"#f8dce4", "#efb4c5", "#b34768"},
	"":     {"#e5e7eb", "#d1d5db", "#4b5563"},
}

const ink = "#1f2937"

type panel struct {
	measure, title, unit string
	step                 float64
	value                func(ChartPoint) float64
	// empty is the value range drawn when there is nothing to plot: a
	// newborn to a 6-year-old.
	empty [2]float64
}

var panels = [2]panel{
	{Weight, "体重", "kg", 5, func(p ChartPoint) float64 { return p.WeightKg }, [2]float64{0, 30}},
	{Height, "身長", "cm", 10, func(p ChartPoint) float64 { return p.HeightCm }, [2]float64{40, 130}},
}

// ChartSVG draws a child's weight and height over the 2023 survey curves
// for 0–6 years, as a self-contained SVG document: the P3–P97 band in a
// light tint, P10–P90 darker, the P50 line, and the child's measurements as
// points joined by a line. Measurements outside 0–72 months are left out.
// With sex other than male or female the reference curves are omitted,
// since they differ by sex.
func ChartSVG(sex string, points []ChartPoint) ([]byte, error) {
	withCurves := sex == Male || sex == Female
	if !withCurves {
		sex = ""
	}
	pts := make([]ChartPoint, 0, len(points))
	left := 0
	for _, p := range points {
		if p.AgeMonths < 0 || p.AgeMonths > ChartMonths || math.IsNaN(p.AgeMonths) {
			left++
			continue
		}
		pts = append(pts, p)
	}
	sort.SliceStable(pts, func(i, j int) bool { return pts[i].AgeMonths < pts[j].AgeMonths })

	var b bytes.Buffer
	b.Grow(16 << 10)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-labelledby="growth-title growth-desc" font-family="sans-serif">`,
		chartW, chartH, chartW, chartH)
	b.WriteString("\n<title id=\"growth-title\">成長曲線（体重・身長）</title>\n<desc id=\"growth-desc\">")
	escape(&b, describe(sex, withCurves, pts, left))
	b.WriteString("</desc>\n")
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#ffffff"/>`+"\n", chartW, chartH)

	pal := palettes[sex]
	for i, pn := range panels {
		if err := drawPanel(&b, float64(i*panelH), pn, sex, withCurves, pal, pts); err != nil {
			return nil, err
		}
	}
	drawLegend(&b, float64(2*panelH), withCurves, pal)
	b.WriteString("</svg>\n")
	return b.Bytes(), nil
}

func drawPanel(b *bytes.Buffer, top float64, pn panel, sex string, withCurves bool, pal palette, pts []ChartPoint) error {
	var ages []float64
	var curves [][7]float64
	lo, hi := math.Inf(1), math.Inf(-1)
	if withCurves {
		var err error
		if ages, err = CurveAges(sex, pn.measure, 0, ChartMonths); err != nil {
			return err
		}
		curves = make([][7]float64, len(ages))
		for i, a := range ages {
			// The survey's last band ends after 72 months, so every age here
			// is in range.
			if curves[i], err = Percentiles(sex, pn.measure, a); err != nil {
				return err
			}
			lo, hi = math.Min(lo, curves[i][0]), math.Max(hi, curves[i][6])
		}
	}
	var own []ChartPoint
	for _, p := range pts {
		if v := pn.value(p); v > 0 {
			own = append(own, p)
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if math.IsInf(lo, 0) {
		lo, hi = pn.empty[0], pn.empty[1]
	}
	ymin := math.Floor(lo/pn.step) * pn.step
	if pn.measure == Weight {
		ymin = 0
	}
	ymax := math.Ceil(hi/pn.step) * pn.step
	if ymax <= ymin {
		ymax = ymin + pn.step
	}
	t, bot := top+plotTop, top+plotBottom
	x := func(m float64) float64 { return plotLeft + m/ChartMonths*(plotRight-plotLeft) }
	y := func(v float64) float64 { return bot - (v-ymin)/(ymax-ymin)*(bot-t) }

	fmt.Fprintf(b, `<g aria-label="%s">`+"\n", pn.title)
	fmt.Fprintf(b, `<text x="16" y="%s" font-size="16" font-weight="bold" fill="%s">%s（%s）</text>`+"\n", f1(top+24), ink, pn.title, pn.unit)

	// grid and axes
	b.WriteString(`<g stroke="#e5e7eb" stroke-width="1">`)
	for v := ymin; v <= ymax+1e-9; v += pn.step {
		fmt.Fprintf(b, `<line x1="%d" y1="%s" x2="%d" y2="%s"/>`, plotLeft, f1(y(v)), plotRight, f1(y(v)))
	}
	for m := 12.0; m <= ChartMonths; m += 12 {
		fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s"/>`, f1(x(m)), f1(t), f1(x(m)), f1(bot))
	}
	b.WriteString("</g>\n")

	if withCurves {
		band := func(lowK, highK int, fill string) {
			fmt.Fprintf(b, `<polygon class="band p%s" fill="%s" stroke="none" points="`, bandName(lowK, highK), fill)
			for i, a := range ages {
				if i > 0 {
					b.WriteByte(' ')
				}
				fmt.Fprintf(b, "%s,%s", f1(x(a)), f1(y(curves[i][highK])))
			}
			for i := len(ages) - 1; i >= 0; i-- {
				fmt.Fprintf(b, " %s,%s", f1(x(ages[i])), f1(y(curves[i][lowK])))
			}
			b.WriteString("\"/>\n")
		}
		band(0, 6, pal.outer)
		band(1, 5, pal.inner)
		fmt.Fprintf(b, `<polyline class="median" fill="none" stroke="%s" stroke-width="1.5" points="`, pal.median)
		for i, a := range ages {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(b, "%s,%s", f1(x(a)), f1(y(curves[i][3])))
		}
		b.WriteString("\"/>\n")
	}

	fmt.Fprintf(b, `<g stroke="%s" stroke-width="1"><line x1="%d" y1="%s" x2="%d" y2="%s"/><line x1="%d" y1="%s" x2="%d" y2="%s"/></g>`+"\n",
		ink, plotLeft, f1(t), plotLeft, f1(bot), plotLeft, f1(bot), plotRight, f1(bot))
	fmt.Fprintf(b, `<g font-size="12" fill="%s">`, ink)
	for v := ymin; v <= ymax+1e-9; v += pn.step {
		fmt.Fprintf(b, `<text x="%d" y="%s" text-anchor="end">%s</text>`, plotLeft-6, f1(y(v)+4), num(v))
	}
	for yr := 0; yr <= ChartMonths/12; yr++ {
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle">%d歳</text>`, f1(x(float64(yr*12))), f1(bot+18), yr)
	}
	fmt.Fprintf(b, `<text x="%d" y="%s" text-anchor="end">年齢</text>`, plotRight, f1(bot+36))
	b.WriteString("</g>\n")

	// the child's measurements
	if len(own) > 1 {
		fmt.Fprintf(b, `<polyline class="child" fill="none" stroke="%s" stroke-width="1.5" points="`, ink)
		for i, p := range own {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(b, "%s,%s", f1(x(p.AgeMonths)), f1(y(pn.value(p))))
		}
		b.WriteString("\"/>\n")
	}
	for _, p := range own {
		fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="%g" fill="%s"><title>`, f1(x(p.AgeMonths)), f1(y(pn.value(p))), pointRadius, ink)
		escape(b, fmt.Sprintf("%s %s %s%s", p.Date, pn.title, num(pn.value(p)), pn.unit))
		b.WriteString("</title></circle>\n")
	}
	b.WriteString("</g>\n")
	return nil
}

func drawLegend(b *bytes.Buffer, top float64, withCurves bool, pal palette) {
	fmt.Fprintf(b, `<g font-size="12" fill="%s">`, ink)
	x := 16.0
	item := func(swatch, label string, width float64) {
		b.WriteString(swatch)
		fmt.Fprintf(b, `<text x="%s" y="%s">%s</text>`, f1(x+26), f1(top+22), label)
		x += width
	}
	if withCurves {
		item(fmt.Sprintf(`<rect x="%s" y="%s" width="20" height="12" fill="%s"/>`, f1(x), f1(top+12), pal.outer), "3〜97パーセンタイル", 150)
		item(fmt.Sprintf(`<rect x="%s" y="%s" width="20" height="12" fill="%s"/>`, f1(x), f1(top+12), pal.inner), "10〜90パーセンタイル", 156)
		item(fmt.Sprintf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.5"/>`, f1(x), f1(top+18), f1(x+20), f1(top+18), pal.median), "中央値", 84)
	}
	item(fmt.Sprintf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.5"/><rect x="%s" y="%s" width="7" height="7" rx="3.5" fill="%s"/>`,
		f1(x), f1(top+18), f1(x+20), f1(top+18), ink, f1(x+6.5), f1(top+14.5), ink), "お子さまの測定値", 150)
	fmt.Fprintf(b, `<text x="16" y="%s" font-size="11">令和5年乳幼児身体発育調査にもとづく目安です。診断ではありません。</text>`, f1(top+44))
	b.WriteString("</g>\n")
}

// describe is the text alternative of the chart.
func describe(sex string, withCurves bool, pts []ChartPoint, left int) string {
	var nw, nh int
	var lastW, lastH *ChartPoint
	for i := range pts {
		if pts[i].WeightKg > 0 {
			nw++
			lastW = &pts[i]
		}
		if pts[i].HeightCm > 0 {
			nh++
			lastH = &pts[i]
		}
	}
	var s string
	if withCurves {
		who := map[string]string{Male: "男の子", Female: "女の子"}[sex]
		s = fmt.Sprintf("0歳から6歳までの体重と身長のグラフです。令和5年乳幼児身体発育調査（%s）の3〜97パーセンタイルの帯（うすい色）、10〜90パーセンタイルの帯（こい色）、中央値の線に、", who)
	} else {
		s = "0歳から6歳までの体重と身長のグラフです。性別が登録されていないため、基準の帯は表示していません。"
	}
	s += fmt.Sprintf("お子さまの測定値（体重%d回、身長%d回）を点と線で示しています。", nw, nh)
	if lastW != nil {
		s += fmt.Sprintf("最新の体重は%s（生後%sか月）の%skg。", lastW.Date, num(math.Round(lastW.AgeMonths*10)/10), num(lastW.WeightKg))
	}
	if lastH != nil {
		s += fmt.Sprintf("最新の身長は%s（生後%sか月）の%scm。", lastH.Date, num(math.Round(lastH.AgeMonths*10)/10), num(lastH.HeightCm))
	}
	if left > 0 {
		s += fmt.Sprintf("6歳をこえる測定など%d件はグラフにふくめていません。", left)
	}
	return s
}

func bandName(lowK, highK int) string {
	names := [7]string{"3", "10", "25", "50", "75", "90", "97"}
	return names[lowK] + "-" + names[highK]
}

func escape(b *bytes.Buffer, s string) { _ = xml.EscapeText(b, []byte(s)) }

// f1 formats a coordinate with one decimal, enough at this size.
func f1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// num formats a value as people write it: 9.5, 10, 75.25.
func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
