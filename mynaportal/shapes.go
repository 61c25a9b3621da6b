package mynaportal

// The modelled wire shapes (see the package comment).
//
//	POST {endpoint}/pmh/v1/child-health/records/query
//	Authorization: Bearer <API key>   X-Client-Id: <client id>   X-Request-Id: <uuid>
//	200 Response · 403 the resident has not authorised us · 404 no such person
//
// PMH answers for a person identified by the 基本4情報; the requester is
// the guardian whose identity lifestage verified with the My Number card
// (代理人 in マイナポータル's terms).

// Categories a query may ask for.
const (
	CategoryImmunization  = "immunization"
	CategoryInfantCheckup = "infantCheckup"
)

// Query is the request body.
type Query struct {
	RequestID  string    `json:"requestId"`
	ConsentID  string    `json:"consentId"` // lifestage's consent record, for PMH's own audit
	Purpose    string    `json:"purpose"`
	Requester  BasicInfo `json:"requester"`
	Subject    BasicInfo `json:"subject"`
	Categories []string  `json:"categories"`
}

// BasicInfo is a person's 基本4情報 (with kana), as PMH names them.
type BasicInfo struct {
	Name        string `json:"name"`
	NameKana    string `json:"nameKana,omitempty"`
	Address     string `json:"address,omitempty"`
	DateOfBirth string `json:"dateOfBirth"`   // YYYY-MM-DD
	Sex         string `json:"sex,omitempty"` // "1" male, "2" female (住民基本台帳 codes)
}

// Response is the answer to a query.
type Response struct {
	Immunizations  []Immunization `json:"immunizations"`
	InfantCheckups []Checkup      `json:"infantCheckups"`
}

// Immunization is one dose in the municipality's 予防接種台帳.
type Immunization struct {
	RecordID        string `json:"recordId"` // stable id at PMH: the key against duplicates
	VaccineName     string `json:"vaccineName"`
	DoseNumber      int    `json:"doseNumber"`
	VaccinationDate string `json:"vaccinationDate"`
	ProductName     string `json:"productName,omitempty"`
	LotNumber       string `json:"lotNumber,omitempty"`
	InstitutionName string `json:"institutionName,omitempty"`
}

// Checkup is one 乳幼児健診 result.
type Checkup struct {
	RecordID            string   `json:"recordId"`
	CheckupType         string   `json:"checkupType"`
	ExaminationDate     string   `json:"examinationDate"`
	WeightKg            *float64 `json:"weightKg,omitempty"`
	HeightCm            *float64 `json:"heightCm,omitempty"`
	HeadCircumferenceCm *float64 `json:"headCircumferenceCm,omitempty"`
	Judgement           string   `json:"judgement,omitempty"`
}

// SexCode is PMH's code of a profile's sex value.
func SexCode(sex string) string {
	switch sex {
	case "male":
		return "1"
	case "female":
		return "2"
	}
	return ""
}
