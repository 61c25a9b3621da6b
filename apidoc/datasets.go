package apidoc

import (
	"github.com/saijo-dx/lifestage/gateway"
	"github.com/saijo-dx/lifestage/ngsi"
)

// Source says where a dataset can be had besides the partner interfaces.
// The datasets themselves (names, labels, scopes, personal) are the
// gateway's list, so a dataset is added once, in gateway.Datasets.
type Source struct {
	Collection string   // record API collection
	OpenData   []string // open data files under /api/lifestage/opendata/
	Status     string   // "" when served; otherwise what is missing, in Japanese
}

// Sources maps gateway dataset names to their other ways in.
var Sources = map[string]Source{
	"facilities": {Collection: "facilities", OpenData: []string{"child-facilities.csv", "medical-institutions.csv"}},
	"events":     {Collection: "events", OpenData: []string{"events.csv"}},
	"personal":   {Status: "同意ブローカーが本人の同意を確かめたうえで提供"},
}

func datasetsJSON() []S {
	out := make([]S, 0, len(gateway.Datasets))
	for _, d := range gateway.Datasets {
		scopes := make([]string, len(d.Actions))
		for i, a := range d.Actions {
			scopes[i] = gateway.Scope(d.Name, a)
		}
		s := S{"name": d.Name, "label": d.Label, "scopes": scopes, "personal": d.Personal}
		src := Sources[d.Name]
		if src.Collection != "" {
			s["collection"] = src.Collection
		}
		if len(src.OpenData) > 0 {
			files := make([]string, len(src.OpenData))
			for i, f := range src.OpenData {
				files[i] = "/api/lifestage/opendata/" + f
			}
			s["openData"] = files
		}
		if src.Status != "" {
			s["status"] = src.Status
		}
		var types []string
		for _, t := range ngsi.Types {
			if t.Dataset == d.Name {
				types = append(types, t.Name)
			}
		}
		if len(types) > 0 {
			s["ngsiTypes"] = types
		}
		out = append(out, s)
	}
	return out
}

func ngsiTypesJSON() []S {
	out := make([]S, 0, len(ngsi.Types))
	for _, t := range ngsi.Types {
		out = append(out, S{"type": t.Name, "dataset": t.Dataset, "description": t.Description, "smartDataModel": t.Model})
	}
	return out
}
