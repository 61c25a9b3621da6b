package apidoc

import "github.com/saijo-dx/lifestage/gateway"

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
	"events":     {Status: "公開イベントの登録機能（issue 8）の後に提供。オープンデータの列構成（イベント一覧）は定義済み"},
	"personal":   {Status: "同意ブローカーが本人の同意を確かめたうえで提供"},
}

// NGSIType is an NGSI-v2 entity type served at /ngsi/v2/entities?type=.
type NGSIType struct {
	Type           string // e.g. "ChildCareFacility"
	Dataset        string // gateway dataset whose scope it needs
	Description    string // Japanese
	SmartDataModel string // the FIWARE Smart Data Model it follows, if any
}

// NGSITypes is filled in by the NGSI-v2 interface (being built in parallel)
// so the document and the portal list its types; empty until then.
var NGSITypes []NGSIType

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
		for _, t := range NGSITypes {
			if t.Dataset == d.Name {
				types = append(types, t.Type)
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
	out := make([]S, 0, len(NGSITypes))
	for _, t := range NGSITypes {
		out = append(out, S{"type": t.Type, "dataset": t.Dataset, "description": t.Description, "smartDataModel": t.SmartDataModel})
	}
	return out
}
