package facilitysearch

import (
	"math"
	"net/url"
	"slices"
	"testing"

	"github.com/saijo-dx/lifestage/civil"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"サイジョウ", "さいじょう"},
		{"ｻｲｼﾞｮｳ", "さいじょう"},
		{"ﾊﾟﾝﾀﾞ", "ぱんだ"},
		{"さいじょう", "さいじょう"},
		{"ＡＢＣ　クリニック", "abcくりにっく"},
		{"１２３", "123"},
		{"Saijo City", "saijocity"},
		{"西条 市", "西条市"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := Terms("こども　ｸﾘﾆｯｸ  "); !slices.Equal(got, []string{"こども", "くりにっく"}) {
		t.Errorf("Terms = %q", got)
	}
}

func TestDistanceKm(t *testing.T) {
	tests := []struct {
		a, b Point
		want float64
	}{
		{Point{33.918, 133.181}, Point{33.918, 133.181}, 0},
		// One degree of latitude is 111.19 km on the 6371 km sphere.
		{Point{33, 133}, Point{34, 133}, 111.19},
		// 西条市役所 to 松山市役所 (about 39 km apart as the crow flies).
		{Point{33.9196, 133.1812}, Point{33.8392, 132.7657}, 39.3},
	}
	for _, tt := range tests {
		got := DistanceKm(tt.a.Lat, tt.a.Lng, tt.b.Lat, tt.b.Lng)
		if math.Abs(got-tt.want) > 0.1 {
			t.Errorf("%v→%v = %.3f, want %.2f", tt.a, tt.b, got, tt.want)
		}
	}
}

var vocab = Vocab{
	Types:    []string{"clinic", "hospital", "nursery"},
	Services: []string{"pediatrics", "vaccination"},
	Vaccines: []string{"bcg", "mr1", "hpv"},
	Checkups: []string{"1m", "3-4m"},
}

func fac(id, name, kana, typ string, lat, lng float64, vaccines []string, hours string) *Facility {
	f := &Facility{ID: id, Name: name, Kana: kana, Type: typ, Vaccines: vaccines, Area: "area0000000000a", Location: &Point{lat, lng}}
	w, ok, err := ParseHours([]byte(hours))
	if err != nil {
		panic(err)
	}
	f.Prepare(w, ok)
	return f
}

func testList() []*Facility {
	return []*Facility{
		fac("c", "ひまわりこどもクリニック", "ヒマワリコドモクリニック", "clinic", 33.92, 133.18, []string{"bcg", "mr1"}, clinicHours),
		fac("a", "あおぞら小児科", "アオゾラショウニカ", "clinic", 33.95, 133.20, []string{"mr1"}, clinicHours),
		fac("b", "西条中央病院", "サイジョウチュウオウビョウイン", "hospital", 33.90, 133.10, []string{"hpv"}, allDay),
		fac("d", "丹原保育所", "タンバラホイクショ", "nursery", 33.85, 133.05, nil, ""),
	}
}

func ids(hits []Hit) []string {
	out := []string{}
	for _, h := range hits {
		out = append(out, h.ID)
	}
	return out
}

func TestSearch(t *testing.T) {
	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{"a", "b", "d", "c"}}, // by kana: あ, さ, た, ひ
		{"q=ｸﾘﾆｯｸ", []string{"c"}},
		{"q=ひまわり こども", []string{"c"}},
		{"q=ひまわり 病院", []string{}},
		{"type=clinic,hospital", []string{"a", "b", "c"}},
		{"type=nursery&type=hospital", []string{"b", "d"}},
		{"vaccine=mr1", []string{"a", "c"}},
		{"vaccine=mr1&vaccine=bcg", []string{"c"}},
		{"openAt=2026-05-17T10:00", []string{"b"}}, // Sunday
		{"openAt=2026-05-11T10:00", []string{"a", "b", "c"}},
		{"openOn=sun", []string{"b"}},
		{"openOn=holiday", []string{}},
		// Near 33.92,133.18: c (0 km), a (3.8 km), b (7.5 km), d (13.7 km).
		{"near=33.92,133.18", []string{"c", "a"}},
		{"near=33.92,133.18&radiusKm=10", []string{"c", "a", "b"}},
		{"near=33.92,133.18&radiusKm=50&perPage=2", []string{"c", "a"}},
		{"near=33.92,133.18&radiusKm=50&perPage=2&page=2", []string{"b", "d"}},
		{"page=9", []string{}},
	}
	for _, tt := range tests {
		v, _ := url.ParseQuery(tt.query)
		q, errs := ParseQuery(v, at("2026-05-11 10:00"), vocab)
		if errs != nil {
			t.Fatalf("%s: %v", tt.query, errs)
		}
		hits, _ := Search(testList(), q, civil.IsHoliday)
		if got := ids(hits); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.query, got, tt.want)
		}
	}
}

func TestSearchPaging(t *testing.T) {
	v, _ := url.ParseQuery("perPage=3")
	q, _ := ParseQuery(v, at("2026-05-11 10:00"), vocab)
	hits, more := Search(testList(), q, civil.IsHoliday)
	if len(hits) != 3 || !more {
		t.Errorf("page 1: %d hits, more=%v", len(hits), more)
	}
	q.Page = 2
	if hits, more = Search(testList(), q, civil.IsHoliday); len(hits) != 1 || more {
		t.Errorf("page 2: %d hits, more=%v", len(hits), more)
	}
	v, _ = url.ParseQuery("near=33.92,133.18")
	q, _ = ParseQuery(v, at("2026-05-11 10:00"), vocab)
	hits, _ = Search(testList(), q, civil.IsHoliday)
	if *hits[0].DistanceKm != 0 || *hits[1].DistanceKm != 3.81 || !hits[0].OpenNow {
		t.Errorf("distances %v %v, open %v", *hits[0].DistanceKm, *hits[1].DistanceKm, hits[0].OpenNow)
	}
}

func TestParseQueryErrors(t *testing.T) {
	tests := []struct{ query, field, code string }{
		{"near=33.9", "near", "invalid_near"},
		{"near=abc,def", "near", "invalid_near"},
		{"near=91,133", "near", "invalid_near"},
		{"near=33.9,133.1&radiusKm=51", "radiusKm", "radius_too_large"},
		{"near=33.9,133.1&radiusKm=0", "radiusKm", "invalid_radius"},
		{"near=33.9,133.1&radiusKm=NaN", "radiusKm", "invalid_radius"},
		{"radiusKm=3", "radiusKm", "near_required"},
		{"vaccine=flu", "vaccine", "unknown_vaccine"},
		{"checkup=4y", "checkup", "unknown_checkup"},
		{"type=zoo", "type", "unknown_type"},
		{"service=x", "service", "unknown_service"},
		{"openAt=tomorrow", "openAt", "invalid_open_at"},
		{"openAt=2026-05-11 10:00", "openAt", "invalid_open_at"},
		{"openOn=monday", "openOn", "invalid_open_on"},
		{"area=../x", "area", "invalid_area"},
		{"page=0", "page", "invalid_page"},
		{"perPage=101", "perPage", "invalid_per_page"},
		{"q=" + string(make([]byte, 101)), "q", "q_too_long"},
	}
	for _, tt := range tests {
		v, _ := url.ParseQuery(tt.query)
		_, errs := ParseQuery(v, at("2026-05-11 10:00"), vocab)
		if e := errs[tt.field]; e == nil || e.Code != tt.code {
			t.Errorf("%s: %v, want %s", tt.query, errs, tt.code)
		}
	}
	v, _ := url.ParseQuery("openAt=2026-05-11T01:00:00Z&openOn=mon&near=33.9,133.1&radiusKm=50&perPage=100&checkup=1m")
	if _, errs := ParseQuery(v, at("2026-05-11 10:00"), vocab); errs != nil {
		t.Errorf("valid query refused: %v", errs)
	}
}
