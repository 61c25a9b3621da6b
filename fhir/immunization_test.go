package fhir_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/saijo-dx/lifestage/fhir"
)

func sample() fhir.Input {
	return fhir.Input{
		Now:  time.Date(2026, 5, 1, 9, 30, 0, 0, time.FixedZone("JST", 9*3600)),
		AsOf: "2026-05-01",
		Child: fhir.Child{ID: "child0000000001", FamilyName: "西条", GivenName: "花子",
			FamilyNameKana: "サイジョウ", GivenNameKana: "ハナコ", BirthDate: "2025-10-01", Sex: "female"},
		Doses: []fhir.Dose{
			{ID: "imm000000000001", Vaccine: "hepb", Label: "B型肝炎", Dose: 1, Date: "2025-12-01", Lot: "AB12", Site: "left_arm", Source: "clinic"},
			{ID: "imm000000000002", Vaccine: "rota1", Label: "ロタウイルス（1価）", Dose: 1, Date: "2025-12-01", Site: "oral", Source: "parent"},
			{ID: "imm000000000003", Vaccine: "mr1", Label: "麻しん風しん（1期）", Dose: 1, Date: "2026-10-02", Site: "right_thigh", Source: "city", Product: "ミールビック"},
			{ID: "imm000000000004", Vaccine: "pcv", Label: "小児用肺炎球菌", Dose: 1, Date: "2025-12-01"},
		},
		Due: []fhir.Due{
			{Vaccine: "hepb", Label: "B型肝炎", Dose: 2, Earliest: "2025-12-29", Latest: "2026-09-30", Status: "due"},
			{Vaccine: "hepb", Label: "B型肝炎", Dose: 3, Earliest: "2026-06-01", Latest: "2026-09-30", Status: "upcoming"},
			{Vaccine: "pcv", Label: "小児用肺炎球菌", Dose: 2, Earliest: "2025-12-29", Latest: "2027-09-30", Status: "overdue"},
			{Vaccine: "hepb", Label: "B型肝炎", Dose: 1, Status: "done"},
			{Vaccine: "rota5", Label: "ロタウイルス（5価）", Dose: 1, Earliest: "2025-11-26", Latest: "2026-03-31", Status: "expired"},
			{Vaccine: "hib", Label: "ヒブ", Dose: 4, Status: "skipped"},
		},
	}
}

// decoded is the bundle as a receiver sees it.
func decoded(t *testing.T, b fhir.Bundle) map[string]any {
	t.Helper()
	raw, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

var urnRE = regexp.MustCompile(`^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestBundleShape(t *testing.T) {
	in := sample()
	m := decoded(t, fhir.ImmunizationBundle(in))
	if m["resourceType"] != "Bundle" || m["type"] != "collection" || m["timestamp"] != "2026-05-01T09:30:00+09:00" {
		t.Fatalf("bundle header: %v %v %v", m["resourceType"], m["type"], m["timestamp"])
	}
	entries := m["entry"].([]any)
	urls := map[string]string{} // fullUrl → resourceType
	count := map[string]int{}
	for _, e := range entries {
		e := e.(map[string]any)
		u := e["fullUrl"].(string)
		if !urnRE.MatchString(u) {
			t.Errorf("fullUrl %q is not a v5 urn:uuid", u)
		}
		if _, dup := urls[u]; dup {
			t.Errorf("duplicate fullUrl %s", u)
		}
		rt := e["resource"].(map[string]any)["resourceType"].(string)
		urls[u] = rt
		count[rt]++
	}
	if count["Patient"] != 1 || count["Immunization"] != len(in.Doses) || count["ImmunizationRecommendation"] != 1 {
		t.Fatalf("entries %v", count)
	}
	for _, e := range entries {
		res := e.(map[string]any)["resource"].(map[string]any)
		if p, ok := res["patient"].(map[string]any); ok {
			if urls[p["reference"].(string)] != "Patient" {
				t.Errorf("%s: patient reference %v does not resolve to the Patient entry", res["resourceType"], p["reference"])
			}
		}
		switch res["resourceType"] {
		case "Patient":
			if profile(res) != fhir.ProfileJPPatient || res["gender"] != "female" || res["birthDate"] != "2025-10-01" {
				t.Errorf("patient %v", res)
			}
			for _, k := range []string{"address", "telecom"} {
				if _, ok := res[k]; ok {
					t.Errorf("patient has %s", k)
				}
			}
		case "Immunization":
			if profile(res) != fhir.ProfileJPImmunization {
				t.Errorf("immunization profile %q", profile(res))
			}
			vc, _ := res["vaccineCode"].(map[string]any)
			if res["status"] != "completed" || vc == nil || vc["text"] == "" || len(vc["coding"].([]any)) == 0 ||
				res["patient"] == nil || res["occurrenceDateTime"] == "" || res["occurrenceDateTime"] == nil {
				t.Errorf("immunization misses a mandatory element: %v", res)
			}
			pa := res["protocolApplied"].([]any)[0].(map[string]any)
			if pa["doseNumberPositiveInt"] != 1.0 || pa["series"] == "" {
				t.Errorf("protocolApplied %v", pa)
			}
		case "ImmunizationRecommendation":
			if res["date"] != in.AsOf {
				t.Errorf("recommendation date %v", res["date"])
			}
		}
	}
}

func profile(res map[string]any) string {
	meta, _ := res["meta"].(map[string]any)
	if meta == nil {
		return ""
	}
	p, _ := meta["profile"].([]any)
	if len(p) != 1 {
		return ""
	}
	return p[0].(string)
}

func TestPatientNames(t *testing.T) {
	p := fhir.ImmunizationBundle(sample()).Entry[0].Resource.(*fhir.Patient)
	if len(p.Name) != 2 {
		t.Fatalf("names %+v", p.Name)
	}
	ide, syl := p.Name[0], p.Name[1]
	if ide.Extension[0].URL != fhir.ENRepresentation || ide.Extension[0].ValueCode != "IDE" || ide.Text != "西条 花子" ||
		ide.Family != "西条" || ide.Given[0] != "花子" || ide.Use != "official" {
		t.Errorf("kanji name %+v", ide)
	}
	if syl.Extension[0].ValueCode != "SYL" || syl.Text != "サイジョウ ハナコ" || syl.Family != "サイジョウ" {
		t.Errorf("kana name %+v", syl)
	}
	in := sample()
	in.Child.Sex, in.Child.FamilyNameKana, in.Child.GivenNameKana = "", "", ""
	p = fhir.ImmunizationBundle(in).Entry[0].Resource.(*fhir.Patient)
	if p.Gender != "unknown" || len(p.Name) != 1 {
		t.Errorf("without sex and kana: gender %q, %d names", p.Gender, len(p.Name))
	}
}

func TestImmunizationMapping(t *testing.T) {
	b := fhir.ImmunizationBundle(sample())
	ims := map[string]*fhir.Immunization{}
	for _, e := range b.Entry {
		if im, ok := e.Resource.(*fhir.Immunization); ok {
			ims[im.Identifier[0].Value] = im
			if e.FullURL != fhir.URN("Immunization", im.Identifier[0].Value) {
				t.Errorf("fullUrl %s is not derived from the record id", e.FullURL)
			}
		}
	}
	hepb := ims["imm000000000001"]
	if hepb.VaccineCode.Text != "B型肝炎" || hepb.VaccineCode.Coding[0].System != fhir.VaccineSystem || hepb.VaccineCode.Coding[0].Code != "hepb" {
		t.Errorf("vaccineCode %+v", hepb.VaccineCode)
	}
	if hepb.LotNumber != "AB12" || hepb.Site.Coding[0].Code != "LA" || hepb.Site.Coding[0].System != fhir.ActSiteSystem ||
		hepb.PrimarySource == nil || !*hepb.PrimarySource || hepb.ReportOrigin != nil || hepb.Route != nil {
		t.Errorf("hepb %+v", hepb)
	}
	rota := ims["imm000000000002"]
	if rota.Route.Coding[0].Code != "PO" || rota.Route.Coding[0].System != fhir.RouteSystem || rota.Site.Text != "経口" || rota.Site.Coding != nil ||
		*rota.PrimarySource || rota.ReportOrigin.Text != "保護者の記録" || rota.LotNumber != "" {
		t.Errorf("rota %+v", rota)
	}
	mr := ims["imm000000000003"]
	if mr.Route.Coding[0].Code != "SQ" || mr.Site.Coding[0].Code != "RT" || mr.Note[0].Text != "製品名: ミールビック" {
		t.Errorf("mr %+v", mr)
	}
	if pcv := ims["imm000000000004"]; pcv.Site != nil || pcv.PrimarySource != nil || pcv.Route != nil {
		t.Errorf("pcv without site or source %+v", pcv)
	}
	if r := fhir.Route("hpv"); r.Coding[0].Code != "IM" {
		t.Errorf("hpv route %+v", r)
	}
	if r := fhir.Route("bcg"); r.Coding != nil || r.Text == "" {
		t.Errorf("bcg route %+v", r)
	}
	// The same input gives the same bundle.
	again, _ := json.Marshal(fhir.ImmunizationBundle(sample()))
	first, _ := json.Marshal(b)
	if string(again) != string(first) {
		t.Error("the bundle is not deterministic")
	}
}

func TestRecommendation(t *testing.T) {
	b := fhir.ImmunizationBundle(sample())
	r := b.Entry[len(b.Entry)-1].Resource.(*fhir.ImmunizationRecommendation)
	if len(r.Recommendation) != 3 {
		t.Fatalf("%d recommendations, want 3 (done, expired and skipped left out)", len(r.Recommendation))
	}
	want := []struct {
		series, status string
		dose           int
	}{{"hepb", "due", 2}, {"hepb", "due", 3}, {"pcv", "overdue", 2}}
	for i, w := range want {
		rec := r.Recommendation[i]
		fs := rec.ForecastStatus.Coding[0]
		if rec.Series != w.series || rec.DoseNumberPositiveInt != w.dose || fs.Code != w.status || fs.System != fhir.RecommendationStatusSys {
			t.Errorf("recommendation %d: %+v", i, rec)
		}
		if len(rec.VaccineCode) != 1 || rec.VaccineCode[0].Text == "" {
			t.Errorf("recommendation %d has no vaccineCode", i)
		}
		if len(rec.DateCriterion) != 2 || rec.DateCriterion[0].Code.Coding[0].Code != "30981-5" ||
			rec.DateCriterion[1].Code.Coding[0].Code != "59777-3" || rec.DateCriterion[1].Value == "" {
			t.Errorf("recommendation %d dates %+v", i, rec.DateCriterion)
		}
	}
	// Nothing open: no recommendation resource, which would need one.
	in := sample()
	in.Due = in.Due[3:]
	for _, e := range fhir.ImmunizationBundle(in).Entry {
		if _, ok := e.Resource.(*fhir.ImmunizationRecommendation); ok {
			t.Error("an empty recommendation was sent")
		}
	}
}

func TestURN(t *testing.T) {
	a, b := fhir.URN("Immunization", "x"), fhir.URN("Patient", "x")
	if a == b || a != fhir.URN("Immunization", "x") || !strings.HasPrefix(a, "urn:uuid:") || !urnRE.MatchString(b) {
		t.Errorf("URN %s %s", a, b)
	}
}

func TestPerformerCarriesTheInstitutionCode(t *testing.T) {
	in := sample()
	clinic := &fhir.Institution{ID: "fac000000000001", Code: "3810123456", Name: "西条こどもクリニック"}
	local := &fhir.Institution{ID: "fac000000000002", Code: "F0012", Name: "東予病院"}
	in.Doses[0].Institution, in.Doses[1].Institution, in.Doses[2].Institution = clinic, clinic, local
	b := fhir.ImmunizationBundle(in)

	orgs := map[string]*fhir.Organization{}
	var order []string
	for _, e := range b.Entry {
		if o, ok := e.Resource.(*fhir.Organization); ok {
			orgs[e.FullURL] = o
			order = append(order, o.Name)
		}
	}
	if len(orgs) != 2 || order[0] != clinic.Name || order[1] != local.Name {
		t.Fatalf("organizations %v, want one per institution in dose order", order)
	}
	if _, ok := b.Entry[len(b.Entry)-1].Resource.(*fhir.ImmunizationRecommendation); !ok {
		t.Error("the recommendation is no longer the last entry")
	}
	for _, e := range b.Entry {
		im, ok := e.Resource.(*fhir.Immunization)
		if !ok {
			continue
		}
		var want *fhir.Institution
		for _, d := range in.Doses {
			if d.ID == im.Identifier[0].Value {
				want = d.Institution
			}
		}
		if want == nil {
			if im.Performer != nil {
				t.Errorf("%s has a performer without an institution", im.Identifier[0].Value)
			}
			continue
		}
		p := im.Performer[0]
		org := orgs[p.Actor.Reference]
		if org == nil || org.Name != want.Name || p.Actor.Display != want.Name {
			t.Errorf("%s: performer %+v does not resolve to %s", im.Identifier[0].Value, p.Actor, want.Name)
			continue
		}
		if p.Function.Coding[0].System != fhir.PerformerFunctionSystem || p.Function.Coding[0].Code != "AP" {
			t.Errorf("performer function %+v", p.Function)
		}
		if *p.Actor.Identifier != org.Identifier[0] || p.Actor.Identifier.Value != want.Code || profile(decodedResource(t, org)) != fhir.ProfileJPOrganization {
			t.Errorf("%s: identifiers %+v and %+v", want.Name, p.Actor.Identifier, org.Identifier)
		}
	}
	if id := orgs[fhir.URN("Organization", clinic.ID)].Identifier[0]; id.System != fhir.MedicalInstitutionCodeSystem {
		t.Errorf("a 10-digit 医療機関コード is in %s", id.System)
	}
	if id := orgs[fhir.URN("Organization", local.ID)].Identifier[0]; id.System != fhir.FacilityIDSystem {
		t.Errorf("a local facility code is in %s", id.System)
	}
}

func TestInstitutionIdentifier(t *testing.T) {
	cases := []struct{ code, system, value string }{
		{"3810123456", fhir.MedicalInstitutionCodeSystem, "3810123456"},
		{" 3810123456 ", fhir.MedicalInstitutionCodeSystem, "3810123456"},
		{"381012345", fhir.FacilityIDSystem, "381012345"},     // 9 digits: not a 医療機関コード
		{"38101234567", fhir.FacilityIDSystem, "38101234567"}, // 11 digits
		{"F0012", fhir.FacilityIDSystem, "F0012"},
	}
	for _, c := range cases {
		id := fhir.InstitutionIdentifier(c.code)
		if id == nil || id.System != c.system || id.Value != c.value {
			t.Errorf("%q: %+v, want %s|%s", c.code, id, c.system, c.value)
		}
	}
	if fhir.InstitutionIdentifier("") != nil {
		t.Error("no code, no identifier")
	}
}

func decodedResource(t *testing.T, v any) map[string]any {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
