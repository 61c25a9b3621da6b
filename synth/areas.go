package synth

import "github.com/saijo-dx/lifestage/saijo"

// The city's areas are reference data shared with the migrations; the
// generator reads their household weights and town names.
var (
	districts = saijo.Districts
	subAreas  = saijo.SubAreas
)

// Districts returns the four districts of the city (static reference data).
// The returned slice is a fresh copy and may be modified by the caller.
func Districts() []Area {
	out := make([]Area, len(districts))
	for i, d := range districts {
		out[i] = toArea(d)
	}
	return out
}

func toArea(a saijo.Area) Area {
	return Area{Code: a.Code, Name: a.Name, Kana: a.Kana, Parent: a.Parent, Lat: a.Lat, Lng: a.Lng}
}

// allAreas returns the districts followed by all sub-areas.
func allAreas() []Area {
	out := Districts()
	for _, s := range subAreas {
		out = append(out, toArea(s))
	}
	return out
}
