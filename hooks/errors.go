package hooks

import (
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// bodyLimit caps custom JSON routes; none of them needs more.
const bodyLimit = 16 << 10

// fieldError is a 400 whose data names the field with a stable code and a
// Japanese message, in PocketBase's error shape.
func fieldError(field, code, message string) error {
	return apis.NewBadRequestError(message, validation.Errors{field: validation.NewError(code, message)})
}

// fieldValidation returns a validation error for a record hook.
func fieldValidation(field, code, message string) error {
	return validation.Errors{field: validation.NewError(code, message)}
}

// isCitizen reports whether the request comes from a citizen account.
func isCitizen(e *core.RequestEvent) bool {
	return e.Auth != nil && e.Auth.Collection().Name == "users"
}
