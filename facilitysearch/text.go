package facilitysearch

import (
	"math"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"

	"github.com/saijo-dx/lifestage/kana"
)

// Fold makes text comparable the way people type it: full-width letters
// and digits become half-width and half-width katakana full-width
// (width.Fold), a half-width voiced mark joins its kana (NFC), katakana
// becomes hiragana, letters lower case, and spaces go. 「ｻｲｼﾞｮｳ」,
// 「サイジョウ」 and 「さいじょう」 all fold to 「さいじょう」.
func Fold(s string) string {
	return kana.MatchKey(norm.NFC.String(strings.Map(combiningMarks, width.Fold.String(s))))
}

// combiningMarks turns the spacing voiced marks that width.Fold makes of
// 「ﾞ」「ﾟ」 into combining ones, so NFC can join them to the kana before.
func combiningMarks(r rune) rune {
	switch r {
	case '゛':
		return '\u3099'
	case '゜':
		return '\u309A'
	}
	return r
}

// Terms splits a query into folded words; every word must match.
func Terms(q string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(width.Fold.String(q), unicode.IsSpace) {
		if t := Fold(f); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// earthRadiusKm is the mean Earth radius (IUGG), the one PocketBase's
// geoDistance() uses too.
const earthRadiusKm = 6371.0

// DistanceKm is the great-circle (haversine) distance between two points.
func DistanceKm(lat1, lng1, lat2, lng2 float64) float64 {
	rad := math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLng := (lng2 - lng1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(a)))
}
