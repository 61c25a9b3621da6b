package growth

// Percentiles returns P3, P10, P25, P50, P75, P90 and P97 of the 2023
// survey at ageMonths, interpolated exactly as Assess does but not rounded,
// so that a chart drawn from them matches the positions Assess reports.
func Percentiles(sex, measure string, ageMonths float64) ([7]float64, error) {
	bands, err := series(sex, measure)
	if err != nil {
		return [7]float64{}, err
	}
	if ageMonths < 0 || ageMonths >= bands[len(bands)-1].Max {
		return [7]float64{}, ErrAgeOutOfRange
	}
	return percentilesAt(bands, ageMonths), nil
}

// CurveAges returns the ages in [from, to] at which the curves of the
// measure bend (the survey rows' midpoints), with from and to themselves,
// ascending. The curves are straight between these ages, so joining the
// percentiles at them draws the curves exactly.
func CurveAges(sex, measure string, from, to float64) ([]float64, error) {
	bands, err := series(sex, measure)
	if err != nil {
		return nil, err
	}
	ages := []float64{from}
	for _, b := range bands {
		if b.Mid > from && b.Mid < to {
			ages = append(ages, b.Mid)
		}
	}
	if to > from {
		ages = append(ages, to)
	}
	return ages, nil
}

func series(sex, measure string) ([]band, error) {
	if sex != Male && sex != Female {
		return nil, ErrUnknownSex
	}
	if _, ok := plausible[measure]; !ok {
		return nil, ErrUnknownMeasure
	}
	t, err := data()
	if err != nil {
		return nil, err
	}
	return t.jp[seriesKey{measure, sex}], nil
}
