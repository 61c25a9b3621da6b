package synth

import (
	"github.com/saijo-dx/lifestage/saijo"

	"math"
	"slices"
	"strconv"
)

// natureWords are generic flower and nature words used to build clearly
// fictional facility names.
var natureWords = []string{
	"ひまわり", "すみれ", "たんぽぽ", "つくし", "あおば", "わかば", "こすもす", "もみじ",
	"かえで", "さくら", "なのはな", "あじさい", "れんげ", "すずらん", "つばき", "ききょう",
	"なでしこ", "あさがお", "どんぐり", "くるみ", "みのり", "いずみ", "せせらぎ", "そよかぜ",
	"にじいろ", "ほしぞら", "おひさま", "こもれび", "やまびこ", "みどり", "さくらんぼ", "ひばり",
	"つばめ", "ほたる", "やまぶき", "はなみずき", "ひなぎく", "しろつめ", "なずな", "ふたば",
}

// natureTails extend a nature word ("ひまわりの丘").
//
// Every name uses a tail, because single-word names such as "さくら保育園"
// are common for real facilities.
var natureTails = []name{{"の丘", "ノオカ"}, {"の森", "ノモリ"}, {"の里", "ノサト"}, {"の風", "ノカゼ"}, {"の空", "ノソラ"}, {"の小径", "ノコミチ"}}

// toKatakana converts hiragana to katakana, leaving other runes unchanged.
func toKatakana(s string) string {
	r := []rune(s)
	for i, c := range r {
		if c >= 'ぁ' && c <= 'ゖ' {
			r[i] = c + 0x60
		}
	}
	return string(r)
}

// namer hands out unique fictional names for one family of facilities.
type namer struct {
	perm []int
	next int
}

func (g *gen) newNamer() *namer {
	return &namer{perm: g.rng.Perm(len(natureWords) * len(natureTails))}
}

// name returns the next "<nature word><tail><suffix>" name and its reading.
func (nm *namer) name(suffix name) (string, string) {
	i := nm.next
	nm.next++
	k := nm.perm[i%len(nm.perm)]
	w, t := natureWords[k/len(natureTails)], natureTails[k%len(natureTails)]
	n, kana := w+t.kanji+suffix.kanji, toKatakana(w)+t.kana+suffix.kana
	if round := i / len(nm.perm); round > 0 {
		// Only for very large cities: keep names unique.
		n += "第" + strconv.Itoa(round+1)
		kana += "ダイ" + strconv.Itoa(round+1)
	}
	return n, kana
}

// spreadOrder lists sub-areas so that facilities placed in this order
// cover every district first: the largest sub-area of each district, then
// the remaining sub-areas by decreasing population.
func spreadOrder() []*saijo.Area {
	var first, rest []*saijo.Area
	for _, d := range districts {
		var best *saijo.Area
		for i := range subAreas {
			s := &subAreas[i]
			if s.Parent == d.Code && (best == nil || s.Weight > best.Weight) {
				best = s
			}
		}
		first = append(first, best)
	}
	for i := range subAreas {
		if !slices.Contains(first, &subAreas[i]) {
			rest = append(rest, &subAreas[i])
		}
	}
	slices.SortStableFunc(rest, func(a, b *saijo.Area) int {
		switch {
		case a.Weight > b.Weight:
			return -1
		case a.Weight < b.Weight:
			return 1
		}
		return 0
	})
	return append(first, rest...)
}

// facilityCount scales a count for referencePopulation to the city size,
// with a minimum.
func (g *gen) facilityCount(base float64, minimum int) int {
	return max(minimum, int(math.Round(base*float64(g.n)/referencePopulation)))
}

func (g *gen) addFacility(f Facility, area *saijo.Area) {
	f.Code = code("F", 4, len(g.city.Facilities)+1)
	f.Phone = "0897-55-" + code("", 4, 100+len(g.city.Facilities))
	f.AreaCode = area.Code
	f.Address = g.address(area)
	// Uniformly within 1.5 km of the area's centre.
	r := 1.5 * math.Sqrt(g.rng.Float64())
	th := 2 * math.Pi * g.rng.Float64()
	const kmPerDegLat = 111.0
	f.Lat = area.Lat + r*math.Cos(th)/kmPerDegLat
	f.Lng = area.Lng + r*math.Sin(th)/(kmPerDegLat*math.Cos(area.Lat*math.Pi/180))
	g.city.Facilities = append(g.city.Facilities, f)
}

func (g *gen) chance(p float64) bool { return g.rng.Float64() < p }

// offer adds an optional service with probability p and reports whether it did.
func (g *gen) offer(f *Facility, service string, p float64) bool {
	if !g.chance(p) {
		return false
	}
	f.Services = append(f.Services, service)
	return true
}

func (g *gen) facilities() {
	spread := spreadOrder()

	// 保育所
	nm := g.newNamer()
	for range g.facilityCount(25, 3) {
		n, k := nm.name(name{"保育園", "ホイクエン"})
		f := Facility{Name: n, Kana: k, Type: TypeNursery, Capacity: 60 + 10*g.rng.IntN(10), Hours: "月〜土 7:30〜18:30"}
		g.offer(&f, "infant", 0.7)
		if g.offer(&f, "extended_hours", 0.6) {
			f.Hours = "月〜金 7:00〜19:00 / 土 7:00〜18:00"
		}
		g.offer(&f, "temporary_care", 0.4)
		g.addFacility(f, g.pickArea())
	}

	// 幼稚園
	nm = g.newNamer()
	for range g.facilityCount(8, 1) {
		n, k := nm.name(name{"幼稚園", "ヨウチエン"})
		f := Facility{Name: n, Kana: k, Type: TypeKindergarten, Capacity: 70 + 10*g.rng.IntN(14), Hours: "月〜金 8:30〜14:00"}
		if g.offer(&f, "extended_hours", 0.7) {
			f.Hours = "月〜金 8:30〜14:00（預かり保育 〜18:00）"
		}
		g.addFacility(f, g.pickArea())
	}

	// 認定こども園
	nm = g.newNamer()
	for range g.facilityCount(6, 1) {
		n, k := nm.name(name{"こども園", "コドモエン"})
		f := Facility{Name: n, Kana: k, Type: TypeKodomoen, Capacity: 90 + 10*g.rng.IntN(13), Hours: "月〜土 7:30〜18:30"}
		g.offer(&f, "infant", 0.85)
		if g.offer(&f, "extended_hours", 0.8) {
			f.Hours = "月〜土 7:00〜19:00"
		}
		g.offer(&f, "temporary_care", 0.5)
		g.addFacility(f, g.pickArea())
	}

	// 診療所: pediatric clinics (pediatrics + vaccination + infant check-ups),
	// maternity clinics, family clinics and internal medicine clinics.
	total := g.facilityCount(45, 3)
	ped := g.facilityCount(10, 2)
	mat := int(math.Round(3 * float64(g.n) / referencePopulation))
	fam := int(math.Round(8 * float64(g.n) / referencePopulation))
	for ped+mat+fam > total && fam > 0 {
		fam--
	}
	for ped+mat+fam > total && mat > 0 {
		mat--
	}
	nm = g.newNamer()
	for i := range total {
		var f Facility
		switch {
		case i < ped:
			n, k := nm.name(name{"こどもクリニック", "コドモクリニック"})
			f = Facility{Name: n, Kana: k, Services: []string{"pediatrics", "vaccination", "infant_checkup"},
				Hours: "月〜土 9:00〜12:00 / 月火水金 15:00〜18:00（日祝休診）"}
		case i < ped+mat:
			n, k := nm.name(name{"レディースクリニック", "レディースクリニック"})
			f = Facility{Name: n, Kana: k, Services: []string{"maternity", "gynecology"},
				Hours: "月〜金 9:00〜12:30 / 14:30〜18:00 / 土 9:00〜12:30"}
		case i < ped+mat+fam:
			n, k := nm.name(name{"ファミリークリニック", "ファミリークリニック"})
			f = Facility{Name: n, Kana: k, Services: []string{"internal", "home_visit"},
				Hours: "月〜土 8:30〜12:30 / 月火木金 14:30〜18:00"}
		default:
			n, k := nm.name(name{"内科クリニック", "ナイカクリニック"})
			f = Facility{Name: n, Kana: k, Services: []string{"internal"},
				Hours: "月〜土 9:00〜12:30 / 月火水金 15:00〜18:30（木・土午後休診）"}
			g.offer(&f, "home_visit", 0.3)
		}
		f.Type = TypeClinic
		g.addFacility(f, g.pickArea())
	}

	// 病院
	nm = g.newNamer()
	for i := range g.facilityCount(4, 1) {
		n, k := nm.name(name{"病院", "ビョウイン"})
		f := Facility{Name: n, Kana: k, Type: TypeHospital, Services: []string{"internal", "surgery"},
			Hours: "外来 月〜金 8:30〜11:30 / 土 8:30〜11:00"}
		if i == 0 {
			f.Name, f.Kana = n[:len(n)-len("病院")]+"総合病院", k[:len(k)-len("ビョウイン")]+"ソウゴウビョウイン"
			f.Services = []string{"internal", "surgery", "pediatrics", "maternity", "emergency"}
			f.Hours = "外来 月〜金 8:30〜11:30（救急は24時間）"
		} else {
			g.offer(&f, "pediatrics", 0.5)
			g.offer(&f, "rehabilitation", 0.5)
		}
		g.addFacility(f, spread[i%len(spread)])
	}

	// 保健センター, 子育て支援センター, 公民館: one per district first.
	nm = g.newNamer()
	for i := range g.facilityCount(2, 1) {
		n, k := nm.name(name{"保健センター", "ホケンセンター"})
		g.addFacility(Facility{Name: n, Kana: k, Type: TypeHealthCenter,
			Services: []string{"infant_checkup", "maternity_consultation", "health_consultation"},
			Hours:    "月〜金 8:30〜17:15（祝日・年末年始休み）"}, spread[i%len(spread)])
	}
	nm = g.newNamer()
	for i := range g.facilityCount(4, 1) {
		n, k := nm.name(name{"子育て支援センター", "コソダテシエンセンター"})
		f := Facility{Name: n, Kana: k, Type: TypeChildSupportCenter,
			Services: []string{"playroom", "parenting_consultation"}, Hours: "月〜土 9:00〜16:00"}
		g.offer(&f, "temporary_care", 0.3)
		g.addFacility(f, spread[i%len(spread)])
	}
	nm = g.newNamer()
	for i := range g.facilityCount(10, 1) {
		n, k := nm.name(name{"公民館", "コウミンカン"})
		g.addFacility(Facility{Name: n, Kana: k, Type: TypeCommunityCenter,
			Services: []string{"meeting_room", "lifelong_learning"}, Hours: "月〜土 8:30〜21:00（日祝休館）"},
			spread[i%len(spread)])
	}
}

// organizations adds the fictional support organisations: the city's
// social welfare council and its branches, a postal watch-over service and
// an NPO per district, a 民生委員・児童委員 council per sub-area, and a few
// others.
func (g *gen) organizations() {
	add := func(n, kind, area string) {
		g.city.Organizations = append(g.city.Organizations, Organization{
			Code: code("O", 3, len(g.city.Organizations)+1), Name: n, Kind: kind, AreaCode: area,
		})
	}
	add("西条市社会福祉協議会（架空）", "shakyo", districts[0].Code)
	for i, d := range districts {
		if i > 0 {
			add("西条市社会福祉協議会 "+d.Name+"支所（架空）", "shakyo", d.Code)
		}
		add(d.Name+"地区 郵便局みまもりサービス（架空）", "postal", d.Code)
		add("みまもりネット"+d.Name+"（架空）", "npo", d.Code)
	}
	for _, s := range subAreas {
		add(s.Name+"地区民生委員児童委員協議会（架空）", "minsei", s.Code)
	}
	add("NPO法人 にじいろ子育てひろば（架空）", "npo", "saijo-kambai")
	add("そよかぜ配食サービス（架空）", "company", "saijo")
	add("こもれび乳業 みまもり配達（架空）", "company", "toyo")
}
