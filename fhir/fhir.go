// Package fhir holds the few HL7 FHIR R4 resources lifestage exports, as
// plain Go structs for encoding/json, and the builders that fill them from
// plain values. It follows JP Core (jpfhir.jp) profiles where one exists.
// It has no PocketBase dependency: the hooks read the records and pass the
// values in.
package fhir

import (
	"crypto/sha1"
	"fmt"
)

// Canonical URLs of the profiles and code systems used.
const (
	ProfileJPPatient      = "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Patient"
	ProfileJPImmunization = "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Immunization"
	ProfileJPOrganization = "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Organization"

	// Base is lifestage's own namespace for code systems and identifiers
	// that have no national equivalent in the data (see VaccineSystem).
	Base = "https://lifestage.saijo.example"
	// VaccineSystem holds lifestage's vaccine codes (hepb, pcv, mr1, ...).
	// JP Core prefers HOT13/HOT9/YJ product codes for vaccineCode, but the
	// handbook records the vaccine kind, not the product's HOT code, so the
	// local code is sent with the Japanese name as text.
	VaccineSystem = Base + "/CodeSystem/vaccine"
	// ChildIDSystem and ImmunizationIDSystem identify the lifestage records.
	ChildIDSystem        = Base + "/NamingSystem/child"
	ImmunizationIDSystem = Base + "/NamingSystem/immunization"

	// MedicalInstitutionCodeSystem is JP Core's identifier system for the
	// 10-digit 医療機関コード (都道府県番号2桁 + 点数表番号1桁 + 医療機関番号7桁),
	// fixed by the medicalInstitutionCode slice of JP_Organization.identifier
	// (JP Core v1.2). domain-data.md §6.3 names JP_Organization as the
	// performer of a JP_Immunization; the profile gives the system.
	MedicalInstitutionCodeSystem = "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no"
	// FacilityIDSystem holds lifestage's own facility codes, sent when a
	// facility's code is not a 医療機関コード: claiming JP Core's system for
	// it would tell a receiver a wrong insurance number.
	FacilityIDSystem = Base + "/NamingSystem/facility"

	PerformerFunctionSystem = "http://terminology.hl7.org/CodeSystem/v2-0443"
	OrganizationTypeSystem  = "http://terminology.hl7.org/CodeSystem/organization-type"
	ENRepresentation        = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation"
	ActSiteSystem           = "http://terminology.hl7.org/CodeSystem/v3-ActSite"
	RouteSystem             = "http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration"
	RecommendationStatusSys = "http://terminology.hl7.org/CodeSystem/immunization-recommendation-status"
	LOINC                   = "http://loinc.org"
)

// Meta carries the profiles a resource claims.
type Meta struct {
	Profile []string `json:"profile,omitempty"`
}

// Coding is one code of a code system.
type Coding struct {
	System  string `json:"system,omitempty"`
	Code    string `json:"code,omitempty"`
	Display string `json:"display,omitempty"`
}

// CodeableConcept is codings and/or a text.
type CodeableConcept struct {
	Coding []Coding `json:"coding,omitempty"`
	Text   string   `json:"text,omitempty"`
}

// Reference points at another resource, here a fullUrl of the bundle; the
// identifier lets a receiver match it without resolving the reference.
type Reference struct {
	Reference  string      `json:"reference,omitempty"`
	Identifier *Identifier `json:"identifier,omitempty"`
	Display    string      `json:"display,omitempty"`
}

// Identifier is a business identifier.
type Identifier struct {
	System string `json:"system,omitempty"`
	Value  string `json:"value,omitempty"`
}

// Extension is a simple extension with a code value.
type Extension struct {
	URL       string `json:"url"`
	ValueCode string `json:"valueCode,omitempty"`
}

// HumanName is a person's name in one representation (JP_HumanName).
type HumanName struct {
	Extension []Extension `json:"extension,omitempty"`
	Use       string      `json:"use,omitempty"`
	Text      string      `json:"text,omitempty"`
	Family    string      `json:"family,omitempty"`
	Given     []string    `json:"given,omitempty"`
}

// Annotation is a free-text note.
type Annotation struct {
	Text string `json:"text"`
}

// Patient is the child (JP_Patient).
type Patient struct {
	ResourceType string       `json:"resourceType"`
	Meta         *Meta        `json:"meta,omitempty"`
	Identifier   []Identifier `json:"identifier,omitempty"`
	Name         []HumanName  `json:"name,omitempty"`
	Gender       string       `json:"gender,omitempty"`
	BirthDate    string       `json:"birthDate,omitempty"`
}

// Organization is a facility (JP_Organization).
type Organization struct {
	ResourceType string            `json:"resourceType"`
	Meta         *Meta             `json:"meta,omitempty"`
	Identifier   []Identifier      `json:"identifier,omitempty"`
	Type         []CodeableConcept `json:"type,omitempty"`
	Name         string            `json:"name,omitempty"`
}

// Performer is who gave a dose and in what function.
type Performer struct {
	Function *CodeableConcept `json:"function,omitempty"`
	Actor    Reference        `json:"actor"`
}

// ProtocolApplied is the dose within its series.
type ProtocolApplied struct {
	Series                string `json:"series,omitempty"`
	DoseNumberPositiveInt int    `json:"doseNumberPositiveInt,omitempty"`
}

// Immunization is one dose given (JP_Immunization).
type Immunization struct {
	ResourceType       string            `json:"resourceType"`
	Meta               *Meta             `json:"meta,omitempty"`
	Identifier         []Identifier      `json:"identifier,omitempty"`
	Status             string            `json:"status"`
	VaccineCode        CodeableConcept   `json:"vaccineCode"`
	Patient            Reference         `json:"patient"`
	OccurrenceDateTime string            `json:"occurrenceDateTime"`
	PrimarySource      *bool             `json:"primarySource,omitempty"`
	ReportOrigin       *CodeableConcept  `json:"reportOrigin,omitempty"`
	LotNumber          string            `json:"lotNumber,omitempty"`
	Site               *CodeableConcept  `json:"site,omitempty"`
	Route              *CodeableConcept  `json:"route,omitempty"`
	Performer          []Performer       `json:"performer,omitempty"`
	Note               []Annotation      `json:"note,omitempty"`
	ProtocolApplied    []ProtocolApplied `json:"protocolApplied,omitempty"`
}

// DateCriterion is one date of a recommendation.
type DateCriterion struct {
	Code  CodeableConcept `json:"code"`
	Value string          `json:"value"`
}

// Recommendation is one dose still to give.
type Recommendation struct {
	VaccineCode           []CodeableConcept `json:"vaccineCode,omitempty"`
	ForecastStatus        CodeableConcept   `json:"forecastStatus"`
	DateCriterion         []DateCriterion   `json:"dateCriterion,omitempty"`
	Series                string            `json:"series,omitempty"`
	DoseNumberPositiveInt int               `json:"doseNumberPositiveInt,omitempty"`
}

// ImmunizationRecommendation is the forecast of the routine schedule. JP
// Core has no profile for it; it is plain R4.
type ImmunizationRecommendation struct {
	ResourceType   string           `json:"resourceType"`
	Patient        Reference        `json:"patient"`
	Date           string           `json:"date"`
	Recommendation []Recommendation `json:"recommendation"`
}

// Entry is one resource of a bundle.
type Entry struct {
	FullURL  string `json:"fullUrl"`
	Resource any    `json:"resource"`
}

// Bundle is a collection of resources.
type Bundle struct {
	ResourceType string  `json:"resourceType"`
	Type         string  `json:"type"`
	Timestamp    string  `json:"timestamp"`
	Entry        []Entry `json:"entry"`
}

// uuidNamespace is the RFC 4122 URL namespace.
var uuidNamespace = [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}

// URN is the fullUrl of a resource: a name-based (version 5) UUID of its
// kind and record id, so that the same record always has the same fullUrl
// and a receiver can recognise it in a later export.
func URN(kind, id string) string {
	h := sha1.New()
	h.Write(uuidNamespace[:])
	h.Write([]byte(Base + "/" + kind + "/" + id))
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}
