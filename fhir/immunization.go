package fhir

import (
	"regexp"
	"strings"
	"time"
)

// Child is the patient of a bundle. Only what identifies the child in a
// vaccination record is taken: no My Number, no address.
type Child struct {
	ID             string // lifestage record id
	FamilyName     string // 氏（漢字）
	GivenName      string // 名（漢字）
	FamilyNameKana string
	GivenNameKana  string
	BirthDate      string // YYYY-MM-DD
	Sex            string // male, female or empty
}

// Institution is the facility that gave a dose.
type Institution struct {
	ID   string // lifestage facility record id
	Code string // the facility's code: its 10-digit 医療機関コード where the city entered one
	Name string
}

// Dose is one valid immunization record.
type Dose struct {
	ID      string // lifestage record id
	Vaccine string // lifestage vaccine code
	Label   string // Japanese name of the vaccine
	Dose    int    // dose number within the vaccine's series, from 1
	Date    string // YYYY-MM-DD
	Product string
	Lot     string
	Site    string // left_arm, right_arm, left_thigh, right_thigh, oral, other or empty
	Source  string // parent, clinic, city, mynaportal or empty
	// Institution gave the dose; nil when the record names none (a dose
	// entered by the family from a paper handbook, say).
	Institution *Institution
}

// Due is one dose of the schedule that is not given yet.
type Due struct {
	Vaccine  string
	Label    string
	Dose     int
	Earliest string // YYYY-MM-DD, first legal day
	Latest   string // YYYY-MM-DD, last legal day
	Status   string // schedule status: upcoming, due, overdue (others are dropped)
}

// Input is what ImmunizationBundle needs.
type Input struct {
	Now   time.Time // the bundle's timestamp
	AsOf  string    // YYYY-MM-DD, the date of the recommendation
	Child Child
	Doses []Dose
	Due   []Due
}

// ImmunizationBundle is a child's vaccination record as a FHIR R4 Bundle of
// type collection: the Patient, one JP_Immunization per dose, one
// JP_Organization per institution that gave a dose (its performer), and an
// ImmunizationRecommendation for the doses still open (left out when there
// are none, as a recommendation must have one). fullUrls are urn:uuid
// derived from the record ids (URN).
func ImmunizationBundle(in Input) Bundle {
	patientURL := URN("Patient", in.Child.ID)
	b := Bundle{ResourceType: "Bundle", Type: "collection", Timestamp: in.Now.Format(time.RFC3339),
		Entry: []Entry{{FullURL: patientURL, Resource: patient(in.Child)}}}
	for _, d := range in.Doses {
		b.Entry = append(b.Entry, Entry{FullURL: URN("Immunization", d.ID), Resource: immunization(d, patientURL)})
	}
	seen := map[string]bool{}
	for _, d := range in.Doses {
		if inst := d.Institution; inst != nil && !seen[inst.ID] {
			seen[inst.ID] = true
			b.Entry = append(b.Entry, Entry{FullURL: URN("Organization", inst.ID), Resource: organization(*inst)})
		}
	}
	if r := recommendation(in.Due, in.AsOf, patientURL); len(r.Recommendation) > 0 {
		b.Entry = append(b.Entry, Entry{FullURL: URN("ImmunizationRecommendation", in.Child.ID+"/"+in.AsOf), Resource: r})
	}
	return b
}

// patient follows JP_HumanName: the kanji name (IDE) and the kana name
// (SYL), each with its parts joined by a half-width space in text.
func patient(c Child) *Patient {
	p := &Patient{ResourceType: "Patient", Meta: &Meta{Profile: []string{ProfileJPPatient}},
		Identifier: []Identifier{{System: ChildIDSystem, Value: c.ID}}, Gender: "unknown", BirthDate: c.BirthDate}
	if c.Sex == "male" || c.Sex == "female" {
		p.Gender = c.Sex
	}
	if n, ok := name("IDE", c.FamilyName, c.GivenName); ok {
		n.Use = "official"
		p.Name = append(p.Name, n)
	}
	if n, ok := name("SYL", c.FamilyNameKana, c.GivenNameKana); ok {
		p.Name = append(p.Name, n)
	}
	return p
}

func name(representation, family, given string) (HumanName, bool) {
	family, given = strings.TrimSpace(family), strings.TrimSpace(given)
	if family == "" && given == "" {
		return HumanName{}, false
	}
	n := HumanName{Extension: []Extension{{URL: ENRepresentation, ValueCode: representation}},
		Text: strings.TrimSpace(family + " " + given), Family: family}
	if given != "" {
		n.Given = []string{given}
	}
	return n, true
}

// VaccineCode is the vaccine in lifestage's code system, named in Japanese.
func VaccineCode(code, label string) CodeableConcept {
	if label == "" {
		label = code
	}
	return CodeableConcept{Coding: []Coding{{System: VaccineSystem, Code: code, Display: label}}, Text: label}
}

func immunization(d Dose, patientURL string) *Immunization {
	im := &Immunization{ResourceType: "Immunization", Meta: &Meta{Profile: []string{ProfileJPImmunization}},
		Identifier: []Identifier{{System: ImmunizationIDSystem, Value: d.ID}},
		Status:     "completed", VaccineCode: VaccineCode(d.Vaccine, d.Label), Patient: Reference{Reference: patientURL},
		OccurrenceDateTime: d.Date, LotNumber: strings.TrimSpace(d.Lot), Site: Site(d.Site), Route: Route(d.Vaccine),
		ProtocolApplied: []ProtocolApplied{{Series: d.Vaccine, DoseNumberPositiveInt: d.Dose}}}
	switch d.Source {
	case "clinic":
		im.PrimarySource = ptr(true)
	case "parent":
		im.PrimarySource, im.ReportOrigin = ptr(false), &CodeableConcept{Text: "保護者の記録"}
	case "city":
		im.PrimarySource, im.ReportOrigin = ptr(false), &CodeableConcept{Text: "市の記録"}
	case "mynaportal":
		im.PrimarySource, im.ReportOrigin = ptr(false), &CodeableConcept{Text: "マイナポータル（PMH）の記録"}
	}
	if p := strings.TrimSpace(d.Product); p != "" {
		im.Note = []Annotation{{Text: "製品名: " + p}}
	}
	if inst := d.Institution; inst != nil {
		im.Performer = []Performer{{
			Function: &CodeableConcept{Coding: []Coding{{System: PerformerFunctionSystem, Code: "AP", Display: "Administering Provider"}}},
			Actor:    Reference{Reference: URN("Organization", inst.ID), Identifier: InstitutionIdentifier(inst.Code), Display: inst.Name},
		}}
	}
	return im
}

// medicalInstitutionCode is the 10-digit 医療機関コード JP Core identifies a
// medical institution by.
var medicalInstitutionCode = regexp.MustCompile(`^[0-9]{10}$`)

// InstitutionIdentifier is a facility's code as an identifier: in JP Core's
// 医療機関コード system when it is one (10 digits), else in lifestage's own
// facility system; nil without a code.
func InstitutionIdentifier(code string) *Identifier {
	code = strings.TrimSpace(code)
	switch {
	case code == "":
		return nil
	case medicalInstitutionCode.MatchString(code):
		return &Identifier{System: MedicalInstitutionCodeSystem, Value: code}
	}
	return &Identifier{System: FacilityIDSystem, Value: code}
}

// organization is the institution as JP_Organization, a healthcare
// provider.
func organization(inst Institution) *Organization {
	o := &Organization{ResourceType: "Organization", Meta: &Meta{Profile: []string{ProfileJPOrganization}}, Name: inst.Name,
		Type: []CodeableConcept{{Coding: []Coding{{System: OrganizationTypeSystem, Code: "prov", Display: "Healthcare Provider"}}}}}
	if id := InstitutionIdentifier(inst.Code); id != nil {
		o.Identifier = []Identifier{*id}
	}
	return o
}

// Site is the body site: v3-ActSite for the arms and thighs (the codes
// JP Core's own example uses), text only otherwise.
func Site(site string) *CodeableConcept {
	coded := map[string][3]string{
		"left_arm":    {"LA", "left arm", "左上腕"},
		"right_arm":   {"RA", "right arm", "右上腕"},
		"left_thigh":  {"LT", "left thigh", "左大腿"},
		"right_thigh": {"RT", "right thigh", "右大腿"},
	}
	if c, ok := coded[site]; ok {
		return &CodeableConcept{Coding: []Coding{{System: ActSiteSystem, Code: c[0], Display: c[1]}}, Text: c[2]}
	}
	switch site {
	case "oral":
		return &CodeableConcept{Text: "経口"}
	case "other":
		return &CodeableConcept{Text: "その他"}
	}
	return nil
}

// Route is the route of administration, from the vaccine since the
// records do not store it, and only where the vaccine allows a single
// route in Japan: oral for rotavirus (PO); subcutaneous (SQ) for MR,
// varicella, Japanese encephalitis and DT; intramuscular (IM) for HPV.
// BCG is percutaneous (管針法), which v3-RouteOfAdministration has no code
// for, so it is text only. HepB, 五種/四種混合, Hib and PCV may be given
// subcutaneously or intramuscularly depending on the product, so no route
// is claimed for them.
func Route(vaccine string) *CodeableConcept {
	route := func(code, display, text string) *CodeableConcept {
		return &CodeableConcept{Coding: []Coding{{System: RouteSystem, Code: code, Display: display}}, Text: text}
	}
	switch vaccine {
	case "rota1", "rota5":
		return route("PO", "Swallow, oral", "経口")
	case "mr1", "mr2", "varicella", "je1", "je2", "dt2":
		return route("SQ", "Injection, subcutaneous", "皮下注射")
	case "hpv":
		return route("IM", "Injection, intramuscular", "筋肉内注射")
	case "bcg":
		return &CodeableConcept{Text: "経皮接種（管針法）"}
	}
	return nil
}

// recommendation lists the open doses. immunization-recommendation-status
// has no "upcoming" code: an upcoming dose is "due", and its earliest date
// criterion, in the future, says when. Done, expired and skipped doses
// are not recommendations.
func recommendation(due []Due, asOf, patientURL string) *ImmunizationRecommendation {
	r := &ImmunizationRecommendation{ResourceType: "ImmunizationRecommendation", Patient: Reference{Reference: patientURL},
		Date: asOf, Recommendation: []Recommendation{}}
	for _, d := range due {
		status := ""
		switch d.Status {
		case "upcoming", "due":
			status = "due"
		case "overdue":
			status = "overdue"
		default:
			continue
		}
		rec := Recommendation{VaccineCode: []CodeableConcept{VaccineCode(d.Vaccine, d.Label)},
			ForecastStatus: CodeableConcept{Coding: []Coding{{System: RecommendationStatusSys, Code: status, Display: statusDisplay[status]}}},
			Series:         d.Vaccine, DoseNumberPositiveInt: d.Dose}
		if d.Earliest != "" {
			rec.DateCriterion = append(rec.DateCriterion, criterion("30981-5", "Earliest date to give", d.Earliest))
		}
		if d.Latest != "" {
			rec.DateCriterion = append(rec.DateCriterion, criterion("59777-3", "Latest date to give immunization", d.Latest))
		}
		r.Recommendation = append(r.Recommendation, rec)
	}
	return r
}

var statusDisplay = map[string]string{"due": "Due", "overdue": "Overdue"}

func criterion(loinc, display, date string) DateCriterion {
	return DateCriterion{Code: CodeableConcept{Coding: []Coding{{System: LOINC, Code: loinc, Display: display}}}, Value: date}
}

func ptr[T any](v T) *T { return &v }
