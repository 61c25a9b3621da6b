package growth

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// The reference tables are shipped verbatim (source line included) so that
// they can be diffed against ../shared/reference and replaced when a new
// survey is published, without touching code.
//
//go:embed data/*.csv
var dataFS embed.FS

const (
	jpFile  = "data/jp_growth_r5_2023_percentiles.csv"
	whoFile = "data/who_child_growth_standards_lms_0_60m.csv"
)

// band is one row of the Japanese survey: an age interval [Min, Max) in
// months, or a single day (出生時, 生後30日ごろ) when Min == Max.
type band struct {
	Key, Label string
	Min, Max   float64
	Mid        float64 // the x-position of the row on the curve
	P          [7]float64
}

// lms is one row of a WHO table.
type lms struct {
	Month   float64
	L, M, S float64
}

type seriesKey struct{ measure, sex string }

type tables struct {
	jp  map[seriesKey][]band // sorted by Mid
	who map[seriesKey][]lms  // measure is weight, length or height; sorted by Month
}

var (
	loadOnce sync.Once
	loaded   *tables
	loadErr  error
)

// data parses the embedded tables on first use.
func data() (*tables, error) {
	loadOnce.Do(func() { loaded, loadErr = parseAll() })
	return loaded, loadErr
}

func parseAll() (*tables, error) {
	t := &tables{jp: map[seriesKey][]band{}, who: map[seriesKey][]lms{}}
	if err := readCSV(jpFile, func(r row) error {
		b := band{Key: r.s("band_key"), Label: r.s("band_label_ja"), Min: r.f("age_months_min"), Max: r.f("age_months_max")}
		// Point rows sit at their own age; interval rows at their midpoint.
		b.Mid = (b.Min + b.Max) / 2
		for i, c := range percentileCols {
			b.P[i] = r.f(c)
		}
		k := seriesKey{r.s("measure"), r.s("sex")}
		t.jp[k] = append(t.jp[k], b)
		return r.err
	}); err != nil {
		return nil, err
	}
	if err := readCSV(whoFile, func(r row) error {
		measure := "weight"
		if r.s("indicator") == "length_height_for_age" {
			measure = r.s("measurement") // length | height
		}
		sex := map[string]string{"boys": "male", "girls": "female"}[r.s("sex")]
		if sex == "" {
			return fmt.Errorf("unknown sex %q", r.s("sex"))
		}
		k := seriesKey{measure, sex}
		t.who[k] = append(t.who[k], lms{Month: r.f("age_months"), L: r.f("L"), M: r.f("M"), S: r.f("S")})
		return r.err
	}); err != nil {
		return nil, err
	}
	for k, bs := range t.jp {
		sort.SliceStable(bs, func(i, j int) bool { return bs[i].Mid < bs[j].Mid })
		for i := 1; i < len(bs); i++ {
			if bs[i].Mid == bs[i-1].Mid {
				return nil, fmt.Errorf("growth: %v has two rows at %.1f months", k, bs[i].Mid)
			}
		}
	}
	for k, ls := range t.who {
		sort.SliceStable(ls, func(i, j int) bool { return ls[i].Month < ls[j].Month })
		for i := 1; i < len(ls); i++ {
			if ls[i].Month != ls[i-1].Month+1 {
				return nil, fmt.Errorf("growth: WHO %v is not monthly at %.0f", k, ls[i].Month)
			}
		}
	}
	for _, m := range []string{"weight", "height", "head"} {
		for _, s := range []string{"male", "female"} {
			if len(t.jp[seriesKey{m, s}]) < 2 {
				return nil, fmt.Errorf("growth: survey table lacks %s/%s", m, s)
			}
		}
	}
	return t, nil
}

var percentileCols = [7]string{"p3", "p10", "p25", "p50", "p75", "p90", "p97"}

// row gives named access to one CSV record and remembers the first error.
type row struct {
	cols map[string]int
	rec  []string
	line int
	err  error
}

func (r *row) s(name string) string {
	i, ok := r.cols[name]
	if !ok || i >= len(r.rec) {
		if r.err == nil {
			r.err = fmt.Errorf("line %d: no column %q", r.line, name)
		}
		return ""
	}
	return strings.TrimSpace(r.rec[i])
}

func (r *row) f(name string) float64 {
	s := r.s(name)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil && r.err == nil {
		r.err = fmt.Errorf("line %d: column %s: %q is not a number", r.line, name, s)
	}
	return v
}

// readCSV skips the leading "# source" line and calls fn for each data row.
func readCSV(name string, fn func(row) error) error {
	raw, err := dataFS.ReadFile(name)
	if err != nil {
		return fmt.Errorf("growth: %w", err)
	}
	cr := csv.NewReader(bytes.NewReader(raw))
	cr.FieldsPerRecord = -1
	var cols map[string]int
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("growth: %s: %w", name, err)
		}
		if len(rec) == 0 || strings.HasPrefix(strings.TrimSpace(rec[0]), "#") {
			continue
		}
		if cols == nil {
			cols = map[string]int{}
			for i, c := range rec {
				cols[strings.TrimSpace(c)] = i
			}
			continue
		}
		r := row{cols: cols, rec: rec, line: line}
		if err := fn(r); err != nil {
			return fmt.Errorf("growth: %s: %w", name, err)
		}
	}
	if cols == nil {
		return fmt.Errorf("growth: %s: no header", name)
	}
	return nil
}
