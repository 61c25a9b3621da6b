package apidoc

import "strings"

// Auth says what a caller must present.
type Auth string

const (
	Public Auth = "public" // no login, no key (rate-limited per IP)
	Login  Auth = "login"  // a PocketBase auth token (Authorization header)
	APIKey Auth = "apikey" // a partner's X-API-Key (the gateway checks it)
)

// Route is one route as the router holds it: the half of a description
// that the code already states, so nobody writes it twice.
type Route struct {
	Method string // GET, POST, ...
	Path   string // ServeMux pattern, e.g. /api/lifestage/children/{id}/growth
}

// Key is how routes and descriptions are matched: "GET /api/...".
func (r Route) Key() string { return r.Method + " " + r.Path }

// Op is the half of a custom route's description the router cannot know:
// what it is for, who may call it, and the shape of its body and answer.
type Op struct {
	Method, Path string
	Summary      string // Japanese, one line
	Description  string // Japanese, optional
	Auth         Auth
	Who          string // Japanese: who may call it (roles), when Auth is Login
	Query        []Param
	Body         S      // JSON request body, nil when there is none
	BodyType     string // request content type when not JSON (multipart/form-data)
	Response     S      // JSON answer, nil for "an object" or a non-JSON answer
	Produces     string // answer content type; "" is application/json
	// Scope is the partner scope the gateway checks (dataset:read|write),
	// for APIKey routes.
	Scope string
}

// Key matches Route.Key.
func (o Op) Key() string { return o.Method + " " + o.Path }

// Param is a query parameter.
type Param struct {
	Name, Description string
	Required          bool
	Schema            S // nil is a string
}

func q(name, desc string) Param { return Param{Name: name, Description: desc} }

func qreq(name, desc string) Param { return Param{Name: name, Description: desc, Required: true} }

// Documented reports whether a route belongs to the documented custom API:
// lifestage's own routes and the standard NGSI-v2 interface. PocketBase's
// own routes are described from collections/ instead.
func Documented(path string) bool {
	return strings.HasPrefix(path, "/api/lifestage/") || strings.HasPrefix(path, "/ngsi/v2/") || path == "/ngsi/v2"
}

// partnerPrefixes are the routes the gateway guards with X-API-Key.
var partnerPrefixes = []string{"/ngsi/v2", "/api/lifestage/partner/"}

// IsPartnerRoute reports whether a path is a partner route (X-API-Key).
func IsPartnerRoute(path string) bool {
	for _, p := range partnerPrefixes {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}
