package mynumber

import (
	"encoding/json"
	"regexp"
	"strings"
	"time"
)

// Claims are the userinfo claims of the 基本4情報 scopes. The names follow
// OpenID Connect Core §5.1 (name, address, birthdate, gender), which the
// デジタル認証アプリ scopes of the same names return. address may come as
// the standard object or as plain text; gender as the OIDC words or as the
// 住民基本台帳 codes (1 = 男, 2 = 女).
type Claims struct {
	Name      string          `json:"name"`
	Address   json.RawMessage `json:"address"`
	Birthdate string          `json:"birthdate"`
	Gender    string          `json:"gender"`
}

var datePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// Identity normalises the claims into the profile's fields.
func (c Claims) Identity() Identity {
	return Identity{
		Name:      strings.TrimSpace(c.Name),
		Address:   addressText(c.Address),
		BirthDate: birthDate(c.Birthdate),
		Sex:       sex(c.Gender),
	}
}

func birthDate(s string) string {
	s = strings.TrimSpace(s)
	// A year 0000 marks an unknown part of the date in some registers.
	if !datePattern.MatchString(s) || s < "1900" {
		return ""
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return ""
	}
	return s
}

func sex(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "male", "1", "男", "男性":
		return "male"
	case "female", "2", "女", "女性":
		return "female"
	}
	return ""
}

// addressText joins a structured address the Japanese way (prefecture,
// city, street), or takes the formatted or plain text as given.
func addressText(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var text string
	if json.Unmarshal(raw, &text) == nil {
		return strings.TrimSpace(text)
	}
	var a struct {
		Formatted string `json:"formatted"`
		Region    string `json:"region"`
		Locality  string `json:"locality"`
		Street    string `json:"street_address"`
	}
	if json.Unmarshal(raw, &a) != nil {
		return ""
	}
	if a.Formatted != "" {
		return strings.TrimSpace(a.Formatted)
	}
	return strings.TrimSpace(a.Region + a.Locality + a.Street)
}
