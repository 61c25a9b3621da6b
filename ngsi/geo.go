package ngsi

import (
	"math"
	"strconv"
	"strings"
)

// GeoFilter is a parsed georel/geometry/coords triple (NGSI-v2 §4.11).
// Entities are points, so coveredBy and intersects with a polygon both
// mean "inside the polygon", and intersects with a point means "at it".
type GeoFilter struct {
	rel            string // near, coveredBy, intersects, disjoint, equals
	minDist        float64
	maxDist        float64 // 0: none
	point          Point
	polygon        []Point
	geometryPolygn bool
}

const earthRadius = 6371008.8 // metres, the mean radius

// Haversine is the great-circle distance in metres.
func Haversine(a, b Point) float64 {
	rad := math.Pi / 180
	dLat, dLng := (b.Lat-a.Lat)*rad, (b.Lng-a.Lng)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * earthRadius * math.Asin(math.Min(1, math.Sqrt(h)))
}

// ParseGeo reads the three parameters; all empty means no geo filter.
func ParseGeo(georel, geometry, coords string) (*GeoFilter, error) {
	if georel == "" && geometry == "" && coords == "" {
		return nil, nil
	}
	if georel == "" || geometry == "" || coords == "" {
		return nil, BadRequest("georel・geometry・coords は3つそろえて指定してください")
	}
	g := &GeoFilter{}
	parts := strings.Split(georel, ";")
	g.rel = parts[0]
	switch g.rel {
	case "near", "coveredBy", "intersects", "disjoint", "equals":
	default:
		return nil, BadRequest("georel %q には対応していません（near, coveredBy, intersects, disjoint, equals）", g.rel)
	}
	for _, mod := range parts[1:] {
		k, v, ok := strings.Cut(mod, ":")
		n, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil || n < 0 || g.rel != "near" {
			return nil, BadRequest("georel の修飾子が正しくありません: %q", mod)
		}
		switch k {
		case "maxDistance":
			g.maxDist = n
		case "minDistance":
			g.minDist = n
		default:
			return nil, BadRequest("georel の修飾子が正しくありません: %q", mod)
		}
	}
	if g.rel == "near" && g.maxDist == 0 && g.minDist == 0 {
		return nil, BadRequest("near には maxDistance か minDistance が必要です")
	}
	pts, err := parseCoords(coords)
	if err != nil {
		return nil, err
	}
	switch geometry {
	case "point":
		if len(pts) != 1 {
			return nil, BadRequest("geometry=point の coords は「緯度,経度」を1つ指定してください")
		}
		g.point = pts[0]
	case "polygon":
		if g.rel == "near" {
			return nil, BadRequest("near は geometry=point と組み合わせてください")
		}
		if len(pts) < 4 || pts[0] != pts[len(pts)-1] {
			return nil, BadRequest("polygon の coords は4点以上で、最初と最後の点を同じにしてください")
		}
		g.polygon, g.geometryPolygn = pts, true
	default:
		return nil, BadRequest("geometry %q には対応していません（point, polygon）", geometry)
	}
	if g.rel == "coveredBy" && !g.geometryPolygn {
		return nil, BadRequest("coveredBy は geometry=polygon と組み合わせてください")
	}
	return g, nil
}

// parseCoords reads "lat,lng;lat,lng;…".
func parseCoords(s string) ([]Point, error) {
	var out []Point
	for _, pair := range strings.Split(s, ";") {
		la, ln, ok := strings.Cut(pair, ",")
		lat, err1 := strconv.ParseFloat(strings.TrimSpace(la), 64)
		lng, err2 := strconv.ParseFloat(strings.TrimSpace(ln), 64)
		if !ok || err1 != nil || err2 != nil || lat < -90 || lat > 90 || lng < -180 || lng > 180 {
			return nil, BadRequest("coords が正しくありません: %q（「緯度,経度;緯度,経度」の形）", pair)
		}
		out = append(out, Point{lat, lng})
	}
	return out, nil
}

// Match reports whether an entity's position satisfies the filter;
// entities without a position never do.
func (g *GeoFilter) Match(e Entity) bool {
	if g == nil {
		return true
	}
	if e.Loc == nil {
		return false
	}
	p := *e.Loc
	switch g.rel {
	case "near":
		// A box around the circle rejects most entities without the
		// trigonometry (5,000 entities per query).
		if g.maxDist > 0 && g.outsideBox(p) {
			return false
		}
		d := Haversine(g.point, p)
		return (g.maxDist == 0 || d <= g.maxDist) && d >= g.minDist
	case "coveredBy":
		return inPolygon(p, g.polygon)
	case "intersects", "equals":
		if g.geometryPolygn {
			return g.rel == "intersects" && inPolygon(p, g.polygon)
		}
		return p == g.point
	case "disjoint":
		if g.geometryPolygn {
			return !inPolygon(p, g.polygon)
		}
		return p != g.point
	}
	return false
}

// Distance is the distance from the reference point of a near query (for
// orderBy=geo:distance), or 0.
func (g *GeoFilter) Distance(e Entity) float64 {
	if g == nil || g.rel != "near" || e.Loc == nil {
		return 0
	}
	return Haversine(g.point, *e.Loc)
}

// inPolygon is the even-odd ray test on the plane; at a city's scale the
// curvature of the earth does not move a point across an edge.
func inPolygon(p Point, poly []Point) bool {
	in := false
	for i, j := 0, len(poly)-1; i < len(poly); j, i = i, i+1 {
		a, b := poly[i], poly[j]
		if (a.Lat > p.Lat) != (b.Lat > p.Lat) &&
			p.Lng < (b.Lng-a.Lng)*(p.Lat-a.Lat)/(b.Lat-a.Lat)+a.Lng {
			in = !in
		}
	}
	return in
}

// outsideBox reports whether p is surely farther than maxDist: outside the
// latitude band, or (away from the poles) the longitude band, of the
// circle, with 1% to spare.
func (g *GeoFilter) outsideBox(p Point) bool {
	dLat := g.maxDist * 1.01 / earthRadius * 180 / math.Pi
	if math.Abs(p.Lat-g.point.Lat) > dLat {
		return true
	}
	c := math.Cos((math.Abs(g.point.Lat) + dLat) * math.Pi / 180)
	if c <= 0.01 {
		return false
	}
	dLng := math.Abs(p.Lng - g.point.Lng)
	if dLng > 180 {
		dLng = 360 - dLng
	}
	return dLng > dLat/c
}
