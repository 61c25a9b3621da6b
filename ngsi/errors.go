package ngsi

import "fmt"

// Error is an NGSI error: Orion clients read {"error","description"}.
type Error struct {
	Status      int    `json:"-"`
	Code        string `json:"error"`
	Description string `json:"description"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Description }

// BadRequest is the 400 Orion answers to a malformed query.
func BadRequest(format string, args ...any) *Error {
	return &Error{Status: 400, Code: "BadRequest", Description: fmt.Sprintf(format, args...)}
}

// NotFound is the 404 for an unknown entity, type or subscription.
func NotFound(desc string) *Error { return &Error{Status: 404, Code: "NotFound", Description: desc} }
