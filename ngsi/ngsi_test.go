package ngsi

import (
	"math"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// Positions in Saijo: city hall, Iyo-Saijo station (≈0.9 km), Toyo (≈11 km).
var (
	cityHall = Point{33.9196, 133.1812}
	station  = Point{33.9111, 133.1833}
	toyo     = Point{33.9318, 133.0567}
)

func sample() []Entity {
	mk := func(id, name string, cap float64, cats []any, p *Point) Entity {
		e := Entity{ID: id, Type: PointOfInterest, Loc: p, Attrs: map[string]Attr{
			"name": Text(name), "capacity": Number(cap), "category": Structured(cats),
			"address": Structured(map[string]any{"addressLocality": "西条市", "postalCode": "793-0000"}),
		}}
		if p != nil {
			e.Attrs["location"] = GeoPoint(*p)
		}
		return e
	}
	return []Entity{
		mk("poi:a", "あさひ保育所", 90, []any{"nursery"}, &cityHall),
		mk("poi:b", "みなと病院", 0, []any{"hospital"}, &station),
		mk("poi:c", "とうよ保育園", 60, []any{"nursery", "kodomoen"}, &toyo),
		{ID: "poi:d", Type: PointOfInterest, Attrs: map[string]Attr{"name": Text("位置なし公民館"), "category": Structured([]any{"community_center"})}},
		{ID: "vac:1", Type: NurseryVacancy, Loc: &cityHall, Attrs: map[string]Attr{"ageClass": Number(0), "vacancies": Number(2), "dateObserved": Date("2026-11-26")}},
	}
}

func ids(es []Entity) string {
	var out []string
	for _, e := range es {
		out = append(out, e.ID)
	}
	return strings.Join(out, " ")
}

func TestQuery(t *testing.T) {
	cases := []struct{ name, query, want string }{
		{"default", "", "poi:a poi:b poi:c poi:d vac:1"},
		{"type", "type=NurseryVacancy", "vac:1"},
		{"two types", "type=NurseryVacancy,PointOfInterest&limit=2", "poi:a poi:b"},
		{"id list", "id=poi:b,poi:c", "poi:b poi:c"},
		{"idPattern", "idPattern=^poi:[ab]$", "poi:a poi:b"},
		{"eq number", "q=capacity==90", "poi:a"},
		{"ne", "q=capacity!=90&type=PointOfInterest", "poi:b poi:c"},
		{"gt", "q=capacity>50", "poi:a poi:c"},
		{"ge lt", "q=capacity>=60;capacity<90", "poi:c"},
		{"le", "q=capacity<=0", "poi:b"},
		{"range", "q=capacity==50..90", "poi:a poi:c"},
		{"list", "q=capacity==0,60", "poi:b poi:c"},
		{"text", "q=name=='あさひ保育所'", "poi:a"},
		{"array item", "q=category==kodomoen", "poi:c"},
		{"array ne", "q=category!=nursery", "poi:b poi:d"},
		{"unary", "q=capacity&type=PointOfInterest", "poi:a poi:b poi:c"},
		{"unary not", "q=!capacity", "poi:d vac:1"},
		{"pattern", "q=name~=保育", "poi:a poi:c"},
		{"dotted", "q=address.addressLocality==西条市", "poi:a poi:b poi:c"},
		{"date", "q=dateObserved>=2026-11-01", "vac:1"},
		{"number vs text literal", "q=capacity==abc", ""},
		{"near max", "georel=near;maxDistance:2000&geometry=point&coords=33.9196,133.1812", "poi:a poi:b vac:1"},
		{"near min", "georel=near;minDistance:5000&geometry=point&coords=33.9196,133.1812", "poi:c"},
		{"coveredBy", "georel=coveredBy&geometry=polygon&coords=33.90,133.17;33.90,133.19;33.93,133.19;33.93,133.17;33.90,133.17&type=PointOfInterest", "poi:a poi:b"},
		{"intersects point", "georel=intersects&geometry=point&coords=33.9318,133.0567", "poi:c"},
		{"disjoint polygon", "georel=disjoint&geometry=polygon&coords=33.90,133.17;33.90,133.19;33.93,133.19;33.93,133.17;33.90,133.17", "poi:c"},
		{"offset", "offset=3", "poi:d vac:1"},
		{"offset past end", "offset=9", ""},
		{"orderBy desc", "type=PointOfInterest&orderBy=!capacity", "poi:a poi:c poi:b poi:d"},
		{"orderBy two", "orderBy=type,name", "vac:1 poi:a poi:c poi:b poi:d"},
		{"orderBy distance", "georel=near;maxDistance:20000&geometry=point&coords=33.9111,133.1833&orderBy=geo:distance&type=PointOfInterest", "poi:b poi:a poi:c"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := ParseRawQuery(c.query)
			q, err := ParseQuery(v)
			if err != nil {
				t.Fatal(err)
			}
			page, _ := q.Run(sample())
			if got := ids(page); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestQueryErrors(t *testing.T) {
	for _, query := range []string{
		"limit=0", "limit=1001", "limit=x", "offset=-1", "options=values", "q=a==", "q=;", "q=a b==1",
		"q=a>1..3", "q=a~=(", "idPattern=(", "id=a&idPattern=b",
		"georel=near&geometry=point&coords=33,133", "georel=near;maxDistance:x&geometry=point&coords=33,133",
		"georel=near;maxDistance:10&geometry=point", "georel=within&geometry=point&coords=33,133",
		"georel=coveredBy&geometry=point&coords=33,133", "georel=coveredBy&geometry=polygon&coords=33,133;34,133;33,133",
		"georel=near;maxDistance:10&geometry=point&coords=91,133", "georel=near;maxDistance:10&geometry=line&coords=33,133",
		"orderBy=geo:distance", "orderBy=a b",
	} {
		_, err := ParseQuery(ParseRawQuery(query))
		e, ok := err.(*Error)
		if !ok || e.Code != "BadRequest" || e.Status != 400 {
			t.Errorf("%s: got %v, want BadRequest", query, err)
		}
	}
}

func TestPagingAndRender(t *testing.T) {
	v, _ := url.ParseQuery("limit=2&options=keyValues,count&attrs=name")
	q, err := ParseQuery(v)
	if err != nil {
		t.Fatal(err)
	}
	page, total := q.Run(sample())
	if len(page) != 2 || total != 5 || !q.KeyValues || !q.Count {
		t.Fatalf("page %d total %d", len(page), total)
	}
	kv := page[0].Render(q.Attrs, true)
	if kv["name"] != "あさひ保育所" || kv["capacity"] != nil || kv["id"] != "poi:a" {
		t.Errorf("keyValues: %v", kv)
	}
	n := page[0].Render(nil, false)
	if a, ok := n["capacity"].(Attr); !ok || a.Type != TypeNumber || a.Metadata == nil {
		t.Errorf("normalized: %#v", n["capacity"])
	}
	if (Query{}).Limit != 0 {
		t.Fatal("zero query")
	}
	q2, _ := ParseQuery(url.Values{})
	if q2.Limit != DefaultLimit {
		t.Errorf("default limit %d", q2.Limit)
	}
}

func TestOpQueryBody(t *testing.T) {
	var b Body
	b.Entities = []Selector{{IDPattern: "^poi:", Type: PointOfInterest}}
	b.Attrs = []string{"name"}
	b.Expression.Q = "capacity>0"
	b.Expression.Georel, b.Expression.Geometry, b.Expression.Coords = "near;maxDistance:2000", "point", "33.9196,133.1812"
	q, err := ParseBody(b, url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := q.Run(sample())
	if got := ids(page); got != "poi:a" {
		t.Errorf("got %q", got)
	}
	b = Body{Entities: []Selector{{Type: NurseryVacancy}}}
	q, _ = ParseBody(b, url.Values{})
	if page, _ := q.Run(sample()); ids(page) != "vac:1" {
		t.Errorf("type only: %q", ids(page))
	}
	if _, err := ParseBody(Body{Entities: []Selector{{ID: "a", IDPattern: "b"}}}, url.Values{}); err == nil {
		t.Error("id and idPattern accepted")
	}
}

// The bounding box never rejects a point inside the circle.
func TestNearBox(t *testing.T) {
	for _, c := range []struct {
		centre Point
		max    float64
	}{{cityHall, 1000}, {cityHall, 50_000}, {Point{70, 10}, 100_000}, {Point{-33.9, 179.99}, 5000}} {
		g := &GeoFilter{rel: "near", point: c.centre, maxDist: c.max}
		for i := range 2000 {
			// A spiral of points out to twice the distance.
			r := float64(i) / 1000 * c.max / earthRadius * 180 / math.Pi
			a := float64(i) * 0.37
			p := Point{c.centre.Lat + r*math.Sin(a), c.centre.Lng + r*math.Cos(a)/math.Cos(c.centre.Lat*math.Pi/180)}
			if p.Lng > 180 {
				p.Lng -= 360
			}
			if in := Haversine(c.centre, p) <= c.max; in && g.outsideBox(p) {
				t.Fatalf("%v: %v at %.0f m rejected", c.centre, p, Haversine(c.centre, p))
			}
		}
	}
}

func TestHaversine(t *testing.T) {
	// Tokyo station to Osaka station is about 403 km.
	d := Haversine(Point{35.6812, 139.7671}, Point{34.7025, 135.4959})
	if math.Abs(d-403_000) > 3_000 {
		t.Errorf("Tokyo-Osaka %v m", d)
	}
	if d := Haversine(cityHall, station); d < 800 || d > 1100 {
		t.Errorf("city hall-station %v m", d)
	}
}

func TestAggregate(t *testing.T) {
	es := []Entity{
		{ID: "1", Attrs: map[string]Attr{"infection": Text("flu"), "count": Number(3), "dateObserved": Date("2026-11-23")}},
		{ID: "2", Attrs: map[string]Attr{"infection": Text("flu"), "count": Number(5), "dateObserved": Date("2026-11-24")}},
		{ID: "3", Attrs: map[string]Attr{"infection": Text("noro"), "count": Number(4), "dateObserved": Date("2026-11-30")}},
		{ID: "4", Attrs: map[string]Attr{"infection": Text("flu"), "count": Text("n/a"), "dateObserved": Date("2026-12-01")}},
	}
	cases := []struct {
		query string
		want  []Group
	}{
		{"op=count", []Group{{Group: nil, Value: 4, Count: 4}}},
		{"op=sum&attr=count&groupBy=infection", []Group{{Group: "flu", Value: 8, Count: 2}, {Group: "noro", Value: 4, Count: 1}}},
		{"op=avg&attr=count", []Group{{Value: 4, Count: 3}}},
		{"op=sum&attr=count&bucket=week&timeAttr=dateObserved", []Group{{Bucket: "2026-11-23", Value: 8, Count: 2}, {Bucket: "2026-11-30", Value: 4, Count: 1}}},
		{"op=count&bucket=month&timeAttr=dateObserved&groupBy=infection", []Group{{Group: "flu", Bucket: "2026-11", Value: 2, Count: 2}, {Group: "noro", Bucket: "2026-11", Value: 1, Count: 1}, {Group: "flu", Bucket: "2026-12", Value: 1, Count: 1}}},
		{"op=count&bucket=day&timeAttr=dateObserved", []Group{{Bucket: "2026-11-23", Value: 1, Count: 1}, {Bucket: "2026-11-24", Value: 1, Count: 1}, {Bucket: "2026-11-30", Value: 1, Count: 1}, {Bucket: "2026-12-01", Value: 1, Count: 1}}},
	}
	for _, c := range cases {
		a, err := ParseAgg(ParseRawQuery(c.query))
		if err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		if got := a.Run(es); !slices.Equal(got, c.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", c.query, got, c.want)
		}
	}
	for _, bad := range []string{"", "op=max", "op=sum", "op=count&bucket=year&timeAttr=d", "op=count&bucket=day", "op=count&timeAttr=d", "op=count&groupBy=a b"} {
		v, _ := url.ParseQuery(bad)
		if _, err := ParseAgg(v); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestChanged(t *testing.T) {
	a := Entity{Attrs: map[string]Attr{"x": Number(1), "y": Text("a"), "z": Bool(true)}}
	b := Entity{Attrs: map[string]Attr{"x": Number(2), "y": Text("a"), "w": Bool(true)}}
	if got := Changed(&a, &b); !slices.Equal(got, []string{"w", "x", "z"}) {
		t.Errorf("got %v", got)
	}
	if got := Changed(nil, &a); !slices.Equal(got, []string{"x", "y", "z"}) {
		t.Errorf("new: %v", got)
	}
	nested := func(v any) Entity {
		return Entity{Attrs: map[string]Attr{"s": Structured(map[string]any{"list": []any{"a", 1.0, v}})}}
	}
	n1, n2, n3 := nested(true), nested(true), nested(false)
	if got := Changed(&n1, &n2); got != nil {
		t.Errorf("equal nested: %v", got)
	}
	if got := Changed(&n1, &n3); !slices.Equal(got, []string{"s"}) {
		t.Errorf("nested: %v", got)
	}
	if got := Changed(&a, &a); got != nil {
		t.Errorf("same: %v", got)
	}
}

func TestSubscriptionMatch(t *testing.T) {
	e := sample()[0]
	cases := []struct {
		sub     Subscription
		changed []string
		want    bool
	}{
		{Subscription{Entities: []Selector{{ID: "poi:a"}}}, []string{"name"}, true},
		{Subscription{Entities: []Selector{{ID: "poi:b"}}}, []string{"name"}, false},
		{Subscription{Entities: []Selector{{IDPattern: "^poi:", Type: PointOfInterest}}}, []string{"name"}, true},
		{Subscription{Entities: []Selector{{Type: NurseryVacancy}}}, []string{"name"}, false},
		{Subscription{Entities: []Selector{{Type: PointOfInterest}}, Conditions: []string{"capacity"}}, []string{"name"}, false},
		{Subscription{Entities: []Selector{{Type: PointOfInterest}}, Conditions: []string{"capacity"}}, []string{"capacity", "name"}, true},
	}
	for i, c := range cases {
		if err := c.sub.Compile(); err != nil {
			t.Fatal(err)
		}
		if got := c.sub.Matches(e, c.changed); got != c.want {
			t.Errorf("case %d: got %v", i, got)
		}
	}
	s := Subscription{ID: "s1", Entities: []Selector{{Type: PointOfInterest}}, Attrs: []string{"name"}, KeyValues: true}
	n := s.Notify([]Entity{e})
	if n.SubscriptionID != "s1" || n.Data[0]["name"] != "あさひ保育所" || n.Data[0]["capacity"] != nil {
		t.Errorf("notify %v", n)
	}
}

func TestSignature(t *testing.T) {
	now := time.Unix(1_780_000_000, 0)
	body := []byte(`{"subscriptionId":"s1","data":[]}`)
	h := Sign("secret", body, now)
	if !strings.HasPrefix(h, "t=1780000000,v1=") || len(h) != len("t=1780000000,v1=")+64 {
		t.Fatalf("header %q", h)
	}
	if err := Verify("secret", body, h, now.Add(time.Minute), 5*time.Minute); err != nil {
		t.Error(err)
	}
	for name, err := range map[string]error{
		"other secret": Verify("other", body, h, now, time.Minute),
		"other body":   Verify("secret", []byte(`{}`), h, now, time.Minute),
		"replayed":     Verify("secret", body, h, now.Add(time.Hour), time.Minute),
		"malformed":    Verify("secret", body, "v1=abc", now, time.Minute),
	} {
		if err == nil {
			t.Errorf("%s verified", name)
		}
	}
}

func TestBackoff(t *testing.T) {
	want := []time.Duration{1, 2, 4, 8, 16, 32, 64, 64}
	for i, w := range want {
		if got := Backoff(time.Second, i+1); got != w*time.Second {
			t.Errorf("retry %d: %v", i+1, got)
		}
	}
}

func TestCheckURL(t *testing.T) {
	cases := []struct {
		url   string
		allow bool
		ok    bool
	}{
		{"https://partner.example/notify", false, true},
		{"http://partner.example:8080/n", false, true},
		{"ftp://partner.example/n", false, false},
		{"https://user:pw@partner.example/n", false, false},
		{"http://127.0.0.1:9000/n", false, false},
		{"http://127.0.0.1:9000/n", true, true},
		{"http://10.1.2.3/n", false, false},
		{"http://192.168.0.1/n", false, false},
		{"http://169.254.169.254/latest/meta-data", false, false},
		{"http://[::1]/n", false, false},
		{"http://localhost/n", false, false},
		{"http://100.64.0.1/n", false, false},
		{"not a url", false, false},
	}
	for _, c := range cases {
		if err := CheckURL(c.url, c.allow); (err == nil) != c.ok {
			t.Errorf("%s allow=%v: %v", c.url, c.allow, err)
		}
	}
}
