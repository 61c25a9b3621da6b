package hooks

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/saijo-dx/lifestage/civil"
	"github.com/saijo-dx/lifestage/fhir"
	"github.com/saijo-dx/lifestage/schedule"
)

// fhirContentType is the media type of FHIR JSON.
const fhirContentType = "application/fhir+json"

// bindFHIR serves a child's immunizations as a FHIR R4 Bundle (JP Core).
func bindFHIR(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/lifestage/children/{id}/fhir", childFHIR).Bind(apis.RequireAuth())
		return se.Next()
	})
}

// childFHIR is the child's vaccination record for another system (a
// clinic, マイナポータル-style export): the child as JP_Patient, each valid
// dose as JP_Immunization and the open doses of the routine schedule as an
// ImmunizationRecommendation as of today. The same rules as the schedule
// apply: 404 for a child the caller cannot see, 403 without the right to
// read the immunizations, and staff reads are audited.
func childFHIR(e *core.RequestEvent) error {
	child, birth, err := viewableChild(e)
	if err != nil {
		return err
	}
	recs, err := childRecords(e, "immunizations", child.Id)
	if err != nil {
		return err
	}
	institutions, err := doseInstitutions(e.App, recs)
	if err != nil {
		return e.InternalServerError("", err)
	}
	now := time.Now().In(civil.Tokyo)
	asOf := civil.DateOf(now)
	doses := make([]fhir.Dose, 0, len(recs))
	given := make([]schedule.Dose, 0, len(recs))
	for _, r := range recs {
		date, err := civil.Parse(r.GetString("date"))
		if err != nil {
			continue
		}
		code := r.GetString("vaccine")
		given = append(given, schedule.Dose{Vaccine: code, Date: date})
		doses = append(doses, fhir.Dose{ID: r.Id, Vaccine: code, Label: schedule.VaccineLabels[code], Dose: r.GetInt("dose"),
			Date: date.String(), Product: r.GetString("product"), Lot: r.GetString("lot"), Site: r.GetString("site"),
			Source: r.GetString("source"), Institution: institutions[r.GetString("institution")]})
	}
	sex := child.GetString("sex")
	var due []fhir.Due
	for _, it := range schedule.Compute(birth, sex, asOf, given) {
		due = append(due, fhir.Due{Vaccine: it.Vaccine, Label: schedule.VaccineLabels[it.Vaccine], Dose: it.Dose,
			Earliest: it.Earliest.String(), Latest: it.Latest.String(), Status: string(it.Status)})
	}
	bundle := fhir.ImmunizationBundle(fhir.Input{Now: now, AsOf: asOf.String(), Due: due, Doses: doses,
		Child: fhir.Child{ID: child.Id, FamilyName: child.GetString("familyName"), GivenName: child.GetString("givenName"),
			FamilyNameKana: child.GetString("familyNameKana"), GivenNameKana: child.GetString("givenNameKana"),
			BirthDate: birth.String(), Sex: sex}})
	body, err := json.Marshal(bundle)
	if err != nil {
		return e.InternalServerError("", err)
	}
	// Health data: never kept by a shared cache or the browser's disk.
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return e.Blob(http.StatusOK, fhirContentType, body)
}

// doseInstitutions are the facilities that gave the doses, read in one
// query, by record id. Medical facilities are public information.
func doseInstitutions(app core.App, recs []*core.Record) (map[string]*fhir.Institution, error) {
	var ids []string
	for _, r := range recs {
		if id := r.GetString("institution"); id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	out := map[string]*fhir.Institution{}
	if len(ids) == 0 {
		return out, nil
	}
	facilities, err := app.FindRecordsByIds("facilities", ids)
	if err != nil {
		return nil, err
	}
	for _, f := range facilities {
		out[f.Id] = &fhir.Institution{ID: f.Id, Code: f.GetString("code"), Name: f.GetString("name")}
	}
	return out, nil
}
