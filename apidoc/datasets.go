package apidoc

// Dataset is one set of data partners can be granted, as the portal shows
// it. The names and scopes are the gateway's (dataset:read|write); when the
// gateway package lands, this list should be read from gateway.Datasets
// instead of kept here.
type Dataset struct {
	Name     string   // scope prefix
	Label    string   // Japanese
	Actions  []string // read, write
	Personal bool     // released only under a resident's consent
	// Sources says where the data can be had: record API collection, open
	// data files, NGSI type (filled in by the NGSI interface).
	Collection string
	OpenData   []string
	Status     string // "" when served; otherwise what is missing, in Japanese
}

// Datasets lists the datasets in display order.
var Datasets = []Dataset{
	{Name: "facilities", Label: "施設（子育て施設・医療機関・公共施設）", Actions: []string{"read"},
		Collection: "facilities", OpenData: []string{"child-facilities.csv", "medical-institutions.csv"}},
	{Name: "events", Label: "イベント", Actions: []string{"read"},
		Status: "公開イベントの登録機能（issue 8）の後に提供。オープンデータの列構成（イベント一覧）は定義済み"},
	{Name: "nursery_vacancies", Label: "保育施設の空き状況", Actions: []string{"read"}},
	{Name: "infections", Label: "感染症の発生状況（集計値）", Actions: []string{"read"}},
	{Name: "subscriptions", Label: "変更通知の購読（NGSI サブスクリプション）", Actions: []string{"read", "write"}},
	{Name: "personal", Label: "本人の同意に基づく個人のデータ", Actions: []string{"read"}, Personal: true,
		Status: "同意ブローカー（構築中）が本人の同意を確かめたうえで提供"},
}

// NGSIType is an NGSI-v2 entity type served at /ngsi/v2/entities?type=.
type NGSIType struct {
	Type           string // e.g. "ChildCareFacility"
	Dataset        string // Datasets name whose scope it needs
	Description    string // Japanese
	SmartDataModel string // the FIWARE Smart Data Model it follows, if any
}

// NGSITypes is filled in by the NGSI-v2 interface (being built in parallel)
// so the document and the portal list its types; empty until then.
var NGSITypes []NGSIType

func datasetsJSON() []S {
	out := make([]S, 0, len(Datasets))
	for _, d := range Datasets {
		scopes := make([]string, len(d.Actions))
		for i, a := range d.Actions {
			scopes[i] = d.Name + ":" + a
		}
		s := S{"name": d.Name, "label": d.Label, "scopes": scopes, "personal": d.Personal}
		if d.Collection != "" {
			s["collection"] = d.Collection
		}
		if len(d.OpenData) > 0 {
			files := make([]string, len(d.OpenData))
			for i, f := range d.OpenData {
				files[i] = "/api/lifestage/opendata/" + f
			}
			s["openData"] = files
		}
		if d.Status != "" {
			s["status"] = d.Status
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
